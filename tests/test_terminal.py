"""The questions on a real terminal (a pseudo-terminal driven by pexpect): the fiche de liaison
asked field by field, a bad answer asked again at once, the summary confirmed; the French
yes/no confirmations."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from tests.conftest import Run, referral

pexpect = pytest.importorskip("pexpect")

TIMEOUT = 60  # seconds: a loaded CI machine starts Python slowly


def spawn(cases: Path, *args: str) -> pexpect.spawn:
    child = pexpect.spawn(
        sys.executable, ["-m", "visites", "--cases", str(cases), *args],
        encoding="utf-8", timeout=TIMEOUT, dimensions=(40, 120),
    )  # fmt: skip
    return child


def answer(child: pexpect.spawn, question: str, text: str) -> None:
    child.expect_exact(question)
    child.sendline(text)


def skip_the_profile(child: pexpect.spawn) -> None:
    """The household's profile follows the fiche's fields: left unknown here."""
    for question in ("Typologie du ménage", "Nombre de personnes", "Publics prioritaires",
                     "Type de logement"):  # fmt: skip
        answer(child, question, "")


def test_new_referral_asks_every_field_again_until_right_then_confirms(
    cases: Path, run: Run
) -> None:
    child = spawn(cases, "new-referral")
    child.expect(r"Date de la fiche \(JJ/MM/AAAA\) \[(\d\d/\d\d/\d{4})\] : ")  # today, shown
    child.sendline("32/01/2015")
    child.expect_exact("jour 32 impossible")
    answer(child, "Date de la fiche (JJ/MM/AAAA)", "12/01/2015")
    answer(child, "Contexte (entree : entrée dans les lieux ; en-cours : en cours de location) : ",
           "pigeon")  # fmt: skip
    child.expect_exact("contexte « pigeon » inconnu ; valeurs possibles : entree, en-cours")
    answer(child, "Contexte (", "entrée")
    answer(child, "Prescripteur (la personne du bailleur qui oriente) : ", "Mme Lebrun")
    answer(child, "Référence du bail (facultatif) : ", "LOG-44-01234")
    answer(child, "Motif de l'orientation (facultatif) : ", "")
    answer(child, "Date butoir (JJ/MM/AAAA : commission d'attribution, audience…, facultatif) : ",
           "01/01/2015")  # fmt: skip
    child.expect_exact("le 01/01/2015 précède la date de la fiche (12/01/2015)")
    answer(child, "Date butoir (", "20/02/2015")
    answer(child, "Ménage (nom tel qu'écrit sur la fiche) : ", "Famille Martin-Roux")
    answer(child, "Adresse du logement (facultatif) : ", "12 rue des Olivettes")
    answer(child, "Commune : ", "Couéronn")
    child.expect_exact("Vouliez-vous dire « Couëron » ?")
    answer(child, "Commune : ", "coueron")
    answer(child, "Téléphone du ménage (facultatif) : ", "")
    answer(child, "Référent(e) (facultatif) : ", "Claire Dubois")
    skip_the_profile(child)
    child.expect_exact("Fiche de liaison :")
    child.expect_exact("Créer le dossier ? [O/n]")
    summary = child.before
    for label, value in (("Date de la fiche", "12/01/2015"),
                         ("Contexte", "entrée dans les lieux"), ("Motif de l'orientation", "—"),
                         ("Date butoir", "20/02/2015"), ("Commune", "Couëron"),
                         ("Référent(e)", "Claire Dubois")):  # fmt: skip
        assert re.search(rf"{re.escape(label)} +{re.escape(value)}\r?\n", summary), label
    child.sendline("")  # [O/n]: yes by default
    child.expect_exact("2015-001")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    text = (cases / "2015-001.yaml").read_text(encoding="utf-8")
    for line in (
        "date: 2015-01-12",
        "contexte: entree",
        "date_butoir: 2015-02-20",
        "commune: Couëron",
        "referent: Claire Dubois",
        "prescripteur: Mme Lebrun",
    ):
        assert line in text  # fmt: skip
    assert "motif" not in text and "telephone" not in text


def test_a_new_commune_is_added_only_once_the_person_says_so(cases: Path) -> None:
    child = spawn(cases, "new-referral", "--date", "12/01/2015", "--context", "entree",
                  "--referrer", "Mme Lebrun", "--household", "Famille Koné")  # fmt: skip
    for question in ("Référence du bail", "Motif", "Date butoir", "Adresse du logement"):
        answer(child, question, "")
    answer(child, "Commune : ", "Bouaye")
    child.expect_exact("commune « Bouaye » hors de la liste de visites.yaml")
    answer(child, "Ajouter « Bouaye » aux communes de visites.yaml ? [o/N] ", "peut-être")
    child.expect_exact("Répondez « o » (oui) ou « n » (non).")
    answer(child, "[o/N] ", "OUI")
    answer(child, "Téléphone du ménage (facultatif) : ", "")
    answer(child, "Référent(e) (facultatif) : ", "")
    skip_the_profile(child)
    child.expect_exact("(nouvelle valeur, ajoutée aux communes de visites.yaml)")
    answer(child, "Créer le dossier ? [O/n] ", "non")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1  # abandoned: nothing written, not even the new commune
    assert not (cases / "2015-001.yaml").exists()
    assert "Bouaye" not in (cases / "visites.yaml").read_text(encoding="utf-8")


def test_confirmations_are_french_and_ask_again(cases: Path, run: Run) -> None:
    case_id = referral(run)
    child = spawn(cases, "delete", case_id)
    answer(child, f"Supprimer définitivement le dossier {case_id} ? [o/N] ", "y e s")
    child.expect_exact("Répondez « o » (oui) ou « n » (non).")
    answer(child, "[o/N] ", "")  # no by default
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1 and (cases / f"{case_id}.yaml").exists()
    child = spawn(cases, "undo")
    answer(child, "Annuler cet enregistrement ? [o/N] ", "Oui")
    child.expect_exact("Enregistrement annulé")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0 and not (cases / f"{case_id}.yaml").exists()
