"""A new referral for a household that already has an open case (same lease, or same name and
address, as « ménage déjà connu » compares them): warned with the open case's ID, and on a
terminal asked « Créer quand même ? [o/N] »."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest import Run, referral

WARNING = "avertissement : le ménage a déjà un dossier ouvert : "


def test_the_same_lease_warns_and_creates_without_a_terminal(run: Run, cases: Path) -> None:
    first = referral(run, "Famille Essai", landlord_ref="LOG-44-00123")
    result = run("new-referral", "--household", "Famille Autre", "--commune", "Nantes",
                 "--context", "entree", "--referrer", "Mme P", "--date", "2015-02-01",
                 "--landlord-ref", "log 44 00123", "--json")  # fmt: skip
    assert result.code == 0, result.err
    assert f"{WARNING}{first}" in result.err
    created = json.loads(result.out)
    assert (cases / f"{created['id']}.yaml").exists()
    assert "Famille" not in result.err  # the ID, never the household's name


def test_the_same_name_and_address_warns(run: Run) -> None:
    first = referral(run, "Famille Le Guérec", address="12 rue des Olivettes")
    result = run("new-referral", "--household", "famille le guerec", "--commune", "Nantes",
                 "--context", "entree", "--referrer", "Mme P", "--date", "2015-02-01",
                 "--address", "12, Rue des olivettes")  # fmt: skip
    assert result.code == 0, result.err
    assert f"{WARNING}{first}" in result.err


def test_a_closed_case_or_another_household_does_not_warn(run: Run) -> None:
    closed = referral(run, "Famille Close", "2014-06-02", landlord_ref="LOG-1")
    assert run("consent", closed, "--date", "2014-06-02").code == 0
    assert run("orient", closed, "--to", "sans-suite", "--date", "2014-11-03").code == 0
    referral(run, "Famille Voisine", landlord_ref="LOG-2")
    result = run("new-referral", "--household", "Famille Close", "--commune", "Nantes",
                 "--context", "entree", "--referrer", "Mme P", "--date", "2015-03-01",
                 "--landlord-ref", "LOG-1")  # fmt: skip
    assert result.code == 0, result.err
    assert "dossier ouvert" not in result.err
    assert f"ménage déjà connu : dossier {closed}" in result.err


def test_a_fiche_file_of_an_open_household_is_warned(run: Run, tmp_path: Path) -> None:
    first = referral(run, "Famille Essai", landlord_ref="LOG-9")
    fiche = tmp_path / "fiche.yaml"
    fiche.write_text(
        "orientation_recue:\n  date: 2015-02-01\n  contexte: entree\n  prescripteur: Mme P\n"
        "  reference_bailleur: LOG-9\nmenage:\n  nom: Famille B\n  commune: Nantes\n",
        encoding="utf-8")  # fmt: skip
    result = run("new-referral", "--from", str(fiche))
    assert result.code == 0, result.err
    new = result.out.strip()
    assert f"avertissement : dossier {new} : le ménage a déjà un dossier ouvert : {first}" in (
        result.err)  # fmt: skip


@pytest.mark.parametrize(("typed", "created"), [("", False), ("o", True)])
def test_on_a_terminal_it_asks_before_creating(
    run: Run, cases: Path, typed: str, created: bool
) -> None:
    pexpect = pytest.importorskip("pexpect")
    first = referral(run, "Famille Essai", landlord_ref="LOG-44-00123")
    child = pexpect.spawn(sys.executable, [
        "-m", "visites", "--cases", str(cases), "new-referral", "--household", "Famille B",
        "--commune", "Nantes", "--context", "entree", "--referrer", "Mme P",
        "--date", "01/02/2015", "--landlord-ref", "LOG-44-00123"],
        encoding="utf-8", timeout=60)  # fmt: skip
    child.expect_exact(f"le ménage a déjà un dossier ouvert : {first}")
    child.expect_exact("Créer quand même ? [o/N]")
    child.sendline(typed)
    child.expect(pexpect.EOF)
    child.close()
    assert (child.exitstatus == 0) is created
    assert (cases / "2015-002.yaml").exists() is created
