"""Where the handover meets the agenda: the default attendee of `rdv`, the agenda's person,
the overlap check and the future appointments all follow the référent(e) in charge on the
appointment's day (`referents.referent_on`)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import Run, referral

TODAY = date.today()
SOON = TODAY + timedelta(days=2)
LATER = TODAY + timedelta(days=20)


def iso(day: date) -> str:
    return day.isoformat()


def planned(run: Run, case_id: str, day: date, time: str, *args: str) -> int:
    result = run("rdv", case_id, "--date", iso(day), "--time", time, *args, "--json")
    assert result.code == 0, result.err
    return json.loads(result.out)["rdv"]


def attendees(cases: Path, case_id: str) -> list[str]:
    from visites import yamlio

    return [a["par"] for a in yamlio.load((cases / f"{case_id}.yaml").read_text())["rendez_vous"]]


def agenda_of(run: Run, person: str, days: int = 30) -> list[tuple[str, str, int | None]]:
    result = run("agenda", "--from", iso(TODAY), "--days", str(days), "--referent", person,
                 "--json")  # fmt: skip
    assert result.code == 0, result.err
    return [(i["id"], i["kind"], i.get("rdv")) for i in json.loads(result.out)]


def test_rdv_is_attended_by_whoever_holds_the_case_on_its_day(run: Run, cases: Path) -> None:
    case_id = referral(run, referent="Claire Dubois")
    assert run("referent", case_id, "Karim Benali", "--date", "2015-03-01").code == 0
    cover = run("referent", case_id, "Sophie Martin", "--date", iso(TODAY), "--until", iso(SOON))
    assert cover.code == 0, cover.err
    planned(run, case_id, date(2015, 2, 20), "10:00")  # before the handover
    planned(run, case_id, SOON, "10:00")  # during the cover
    planned(run, case_id, LATER, "10:00")  # after it: back to Karim
    planned(run, case_id, LATER, "14:00", "--by", "Zoé Roux")  # --by still wins
    assert attendees(cases, case_id) == ["Claire Dubois", "Sophie Martin", "Karim Benali",
                                         "Zoé Roux"]  # fmt: skip
    assert agenda_of(run, "Sophie Martin") == [(case_id, "visite", 2)]
    assert agenda_of(run, "Karim Benali") == [(case_id, "visite", 3)]
    assert agenda_of(run, "Claire Dubois") == []


def test_the_agenda_gives_a_deadline_to_the_referent_in_charge_on_its_day(run: Run) -> None:
    received = TODAY - timedelta(days=20)
    case_id = referral(run, referent="Claire Dubois", date=iso(received))
    assert run("consent", case_id, "--date", iso(TODAY - timedelta(days=10))).code == 0
    assert (
        run("referent", case_id, "Karim Benali", "--date", iso(TODAY - timedelta(days=5))).code == 0
    )
    for _ in range(2):  # parsed, then read from the index
        assert agenda_of(run, "Karim Benali", days=90) == [(case_id, "diagnostic_due", None)]
        assert agenda_of(run, "Claire Dubois", days=90) == []


def test_the_overlap_check_follows_the_handover(run: Run) -> None:
    handed = referral(run, household="Famille Une", referent="Claire Dubois")
    karims = referral(run, household="Famille Deux", referent="Karim Benali")
    assert run("referent", handed, "Karim Benali", "--date", iso(TODAY)).code == 0
    planned(run, handed, SOON, "10:00")
    clash = run("rdv", karims, "--date", iso(SOON), "--time", "10:30")
    assert clash.code == 0, clash.err
    assert "avertissement : Karim Benali a déjà un rendez-vous" in clash.err
    assert f"dossier {handed}, n° 1" in clash.err


# ------------------------------------------------------------ the handover moves them


@pytest.fixture
def claires(run: Run) -> str:
    """A case of Claire's with a past appointment, two ahead, and one of a colleague's."""
    case_id = referral(run, referent="Claire Dubois")
    planned(run, case_id, date(2015, 2, 3), "10:00")  # past, « à renseigner »: stays
    planned(run, case_id, SOON, "10:00")
    planned(run, case_id, LATER, "10:00", "--kind", "tripartite")
    planned(run, case_id, SOON, "15:00", "--by", "Paul Morel")  # someone else's: stays
    return case_id


def test_a_handover_moves_the_future_appointments_and_says_so(
    run: Run, cases: Path, claires: str
) -> None:
    result = run("referent", claires, "Karim Benali", "--date", iso(TODAY))
    assert result.code == 0, result.err
    assert "2 rendez-vous à venir passent à Karim Benali." in result.out
    assert attendees(cases, claires) == ["Claire Dubois", "Karim Benali", "Karim Benali",
                                         "Paul Morel"]  # fmt: skip
    assert agenda_of(run, "Karim Benali") == [(claires, "visite", 2), (claires, "tripartite", 3)]
    assert run("check").code == 0


def test_a_cover_moves_only_the_appointments_up_to_its_end(
    run: Run, cases: Path, claires: str
) -> None:
    result = run("referent", claires, "Karim Benali", "--date", iso(TODAY),
                 "--until", iso(SOON + timedelta(days=1)))  # fmt: skip
    assert result.code == 0, result.err
    assert "1 rendez-vous à venir passe à Karim Benali." in result.out
    assert attendees(cases, claires) == ["Claire Dubois", "Karim Benali", "Claire Dubois",
                                         "Paul Morel"]  # fmt: skip


def test_a_handover_without_appointments_ahead_says_nothing_of_them(run: Run) -> None:
    case_id = referral(run, referent="Claire Dubois")
    planned(run, case_id, date(2015, 2, 3), "10:00")
    result = run("referent", case_id, "Karim Benali", "--date", iso(TODAY))
    assert result.code == 0 and "rendez-vous" not in result.out


def test_a_caseload_moves_the_future_appointments_of_every_case(
    run: Run, cases: Path, claires: str
) -> None:
    other = referral(run, household="Famille Autre", referent="Claire Dubois")
    planned(run, other, LATER, "16:00")
    dry = run("referent", "--from", "Claire Dubois", "--to", "Sophie Martin", "--date",
              iso(TODAY), "--dry-run")  # fmt: skip
    assert dry.code == 0, dry.err
    assert "3 rendez-vous à venir passeront à Sophie Martin." in dry.out
    assert attendees(cases, other) == ["Claire Dubois"]
    done = run("referent", "--from", "Claire Dubois", "--to", "Sophie Martin", "--date",
               iso(TODAY), "--yes")  # fmt: skip
    assert done.code == 0, done.err
    assert "3 rendez-vous à venir passent à Sophie Martin." in done.out
    assert attendees(cases, claires)[1:3] == ["Sophie Martin", "Sophie Martin"]
    assert attendees(cases, other) == ["Sophie Martin"]
    assert len(agenda_of(run, "Sophie Martin")) == 3


def test_the_day_view_is_the_one_of_whoever_holds_the_cases_now(
    run: Run, cases: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from visites.cli import main

    handed = referral(run, household="Famille Reprise", referent="Claire Dubois")
    referral(run, household="Famille Autre", referent="Paul Morel")
    assert run("referent", handed, "Karim Benali", "--date", iso(TODAY)).code == 0
    monkeypatch.chdir(cases)
    monkeypatch.setenv("VISITES_USER", "Karim Benali")  # holds one case, first of none
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "Famille Reprise" in out and "Famille Autre" not in out
    assert "ne suit aucun dossier" not in out
