"""Informing the household (GDPR art. 13): the date the notice was given is recorded with the
adhesion, and the notice is a household document built from the settings."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.conftest import Run, referral
from visites.store import Folder
from visites.vocabulary import DOCUMENT_ADDRESSED_TO as ADDRESSED_TO
from visites.vocabulary import DOCUMENT_LABELS as KINDS


def test_consent_records_the_notice_on_the_adhesion_day_by_default(run: Run, cases: Path) -> None:
    case_id = referral(run)
    assert run("consent", case_id, "--date", "2015-01-20").code == 0
    assert Folder(cases).read(case_id).case.adhesion.notice.isoformat() == "2015-01-20"
    assert "information_rgpd: 2015-01-20" in (cases / f"{case_id}.yaml").read_text()


def test_consent_records_a_notice_given_earlier(run: Run, cases: Path) -> None:
    case_id = referral(run)
    result = run("consent", case_id, "--date", "20/01/2015", "--notice", "15/01/2015")
    assert result.code == 0, result.err
    assert Folder(cases).read(case_id).case.adhesion.notice.isoformat() == "2015-01-15"
    shown = run("show", case_id)
    line = next(x for x in shown.out.splitlines() if "Notice RGPD remise le" in x)
    assert "15/01/2015" in line


@pytest.mark.parametrize(("args", "code", "message"), [
    (["--notice", "2099-01-01"], 2, "est dans le futur"),
    (["--notice", "2015-01-01"], 1, "information RGPD (01/01/2015) avant l'orientation reçue"),
    (["--notice", "31/02/2015"], 2, "--notice"),
    (["--refused", "--notice", "2015-01-15"], 2, "--notice accompagne une adhésion"),
])  # fmt: skip
def test_an_impossible_notice_date_is_refused_and_changes_nothing(
    run: Run, cases: Path, args: list[str], code: int, message: str
) -> None:
    case_id = referral(run)
    before = (cases / f"{case_id}.yaml").read_bytes()
    result = run("consent", case_id, "--date", "2015-01-20", *args)
    assert result.code == code, result.err
    assert message in result.err and len(result.err.strip().splitlines()) == 1
    assert (cases / f"{case_id}.yaml").read_bytes() == before


def test_the_notice_is_a_household_document_and_the_proposal_refers_to_it() -> None:
    assert "notice-rgpd" in KINDS and ADDRESSED_TO["notice-rgpd"] == "ménage"
    assert set(ADDRESSED_TO) == set(KINDS)
    proposal = Path(__file__).resolve().parents[1] / "visites/data/templates"
    assert "La notice jointe" in (proposal / "courrier-proposition.html").read_text()


def settings_with(cases: Path, **changes: object) -> None:
    path = cases / "visites.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    document.update(changes)
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False))


def test_the_notice_names_controller_purposes_recipients_retention_and_rights(
    run: Run, cases: Path
) -> None:
    case_id = referral(run, "Famille Informée")
    settings_with(
        cases,
        rgpd={"responsable": "Association Anef Ferrer, 2 rue Exemple, Nantes",
              "contact": "dpo@example.org"},
        conservation={"annees_apres_dernier_contact": 3},
    )  # fmt: skip
    result = run("document", case_id, "notice-rgpd", "--date", "2015-01-13", "--preview")
    assert result.code == 0, result.err
    text = " ".join(result.out.split())
    assert "Famille Informée" in text  # addressed to the household
    for part in ("Association Anef Ferrer, 2 rue Exemple, Nantes est responsable",
                 "dpo@example.org", "À quoi elles servent", "Qui les reçoit",
                 "La Nantaise d'Habitations", "gardé 3 an(s) après notre dernier contact",
                 "Vos droits", "CNIL", "ne lui est jamais transmis"):  # fmt: skip
        assert part in text, part
    assert "convention" not in text.lower()


def test_the_notice_says_when_the_convention_widens_what_the_landlord_receives(
    run: Run, cases: Path
) -> None:
    case_id = referral(run)
    settings_with(cases, convention={"nom": "Convention du 5 janvier 2015",
                                     "suivi_complet_sans_accord": True})  # fmt: skip
    result = run("document", case_id, "notice-rgpd", "--date", "2015-01-13", "--preview")
    assert result.code == 0, result.err
    text = " ".join(result.out.split())
    assert "par la convention de partenariat « Convention du 5 janvier 2015 »" in text
    assert "Anef Ferrer est responsable" in text  # the default controller: the association
