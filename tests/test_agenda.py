"""Appointments (rdv) and the agenda: planned, done, missed, cancelled, moved, « à renseigner »;
the overlap check read from the index; the agenda's window and filter; the day view."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import Run, referral, snapshot

from visites.cli import main

TODAY = date.today()
SOON = TODAY + timedelta(days=2)


def iso(day: date) -> str:
    return day.isoformat()


def planned(run: Run, case_id: str, *args: str) -> int:
    result = run("rdv", case_id, *args, "--json")
    assert result.code == 0, result.err
    return json.loads(result.out)["rdv"]


def agenda(run: Run, *args: str) -> list[dict]:
    result = run("agenda", *args, "--json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def appointments_of(cases: Path, case_id: str) -> list[dict]:
    from visites import yamlio  # YAML 1.2, as visites reads its files (14:30 is text)

    return yamlio.load((cases / f"{case_id}.yaml").read_text())["rendez_vous"]


@pytest.fixture
def case_id(run: Run) -> str:
    return referral(run, referent="Claire Dubois")


# ---------------------------------------------------------------------------- planning


def test_an_appointment_may_be_planned_in_the_future_and_a_fact_still_may_not(
    run: Run, cases: Path, case_id: str
) -> None:
    number = planned(run, case_id, "--date", iso(SOON), "--time", "14h30", "--place", "chez eux")
    assert number == 1
    stored = appointments_of(cases, case_id)[0]
    assert stored["date"] == SOON and stored["heure"] == "14:30"
    assert stored["type"] == "visite" and stored["duree"] == 60  # the defaults
    assert stored["par"] == "Claire Dubois"  # the référent(e) in charge that day
    assert stored["lieu"] == "chez eux" and len(stored["uid"]) == 36
    future = run("event", case_id, "--kind", "visite", "--date", iso(SOON))
    assert future.code == 2 and "dans le futur" in future.err
    text = run("rdv", case_id, "--date", iso(SOON), "--time", "16:00", "--kind", "entretien")
    assert text.code == 0 and "rendez-vous n° 2 prévu" in text.out and "entretien" in text.out
    subjects = (
        __import__("subprocess")
        .run(["git", "-C", str(cases), "log", "--format=%s", "-2"], capture_output=True, text=True)
        .stdout.split("\n")
    )
    assert subjects[:2] == [f"{case_id}: rendez-vous entretien", f"{case_id}: rendez-vous visite"]


def test_a_bad_appointment_is_refused_and_changes_nothing(
    run: Run, cases: Path, case_id: str
) -> None:
    before = snapshot(cases)
    for args, words in [
        (("--date", iso(SOON)), "--date et --time"),
        (("--date", iso(SOON), "--time", "25:00"), "heure impossible"),
        (("--date", iso(SOON), "--time", "10:00", "--kind", "piscine"), "valeurs possibles"),
        (("--date", iso(SOON), "--time", "10:00", "--duration", "0"), "--duration"),
        (("--date", "2014-12-01", "--time", "10:00"), "avant l'orientation reçue"),
        (("1", "--cancel"), "pas de rendez-vous n° 1"),
        (("--cancel",), "numéro du rendez-vous"),
    ]:
        result = run("rdv", case_id, *args)
        assert result.code in (1, 2), args
        assert words in result.err, (args, result.err)
        assert case_id in result.err or "--" in result.err
    assert snapshot(cases) == before


def test_a_closed_case_takes_no_new_appointment(run: Run, case_id: str) -> None:
    assert run("close", case_id, "--date", "2015-02-01").code == 0
    refused = run("rdv", case_id, "--date", iso(SOON), "--time", "10:00")
    assert refused.code == 1 and "impossible en phase « clôturé »" in refused.err


# ---------------------------------------------------------------------------- states


def test_done_missed_cancelled_moved_and_to_fill(
    run: Run, cases: Path, case_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    done = planned(run, case_id, "--date", "2015-02-03", "--time", "10:00")
    missed = planned(run, case_id, "--date", "2015-02-10", "--time", "10:00")
    cancelled = planned(run, case_id, "--date", "2015-02-17", "--time", "10:00")
    moved = planned(run, case_id, "--date", "2015-02-24", "--time", "10:00")
    left = planned(run, case_id, "--date", "2015-03-03", "--time", "10:00", "--kind", "entretien")
    # Done: an event of the same kind that day, no extra flag; missed: an absence.
    assert run("event", case_id, "--kind", "visite", "--date", "2015-02-03").code == 0
    assert run("event", case_id, "--kind", "absence", "--date", "2015-02-10").code == 0
    result = run("rdv", case_id, str(cancelled), "--cancel", "--note", "Le ménage a appelé.")
    assert result.code == 0 and f"rendez-vous n° {cancelled} annulé" in result.out
    result = run("rdv", case_id, str(moved), "--move", f"{SOON:%d/%m/%Y} 15h")
    assert result.code == 0 and f"n° {moved} déplacé le {SOON:%d/%m/%Y} à 15:00" in result.out
    stored = appointments_of(cases, case_id)
    assert stored[cancelled - 1]["annulation"] == {"date": TODAY, "note": "Le ménage a appelé."}
    assert (stored[moved - 1]["date"], stored[moved - 1]["heure"]) == (SOON, "15:00")
    shown = agenda(run, "--from", "2015-02-01", "--days", "60")
    states = {i["rdv"]: i["status"] for i in shown if i["type"] == "rdv"}
    assert states == {done: "done", missed: "missed", left: "planned"}  # cancelled: not shown
    monkeypatch.setenv("COLUMNS", "160")  # one line per appointment
    day = run("agenda", "--from", "2015-02-01", "--days", "60").out
    monkeypatch.delenv("COLUMNS")
    assert "· fait" in day and "· manqué, ménage absent" in day and "((" not in day
    assert [i.get("rdv") for i in agenda(run, "--days", "5")] == [moved]
    # The one left is « à renseigner »: check warns, status says so.
    checked = run("check")
    assert checked.code == 0
    assert f"rendez-vous n° {left} du 03/03/2015 à renseigner" in checked.out + checked.err
    assert "1 avertissement." in checked.out + checked.err
    status = run("status")
    assert f"1 rendez-vous à renseigner : {case_id} n° {left} (03/03/2015)" in status.out
    shown = run("show", case_id).out
    assert "annulé le" in shown and "à renseigner" in shown and "fait" in shown
    # Recording it settles it.
    assert run("event", case_id, "--kind", "entretien", "--date", "2015-03-03").code == 0
    assert "à renseigner" not in run("status").out
    assert "0 avertissement." in run("check").err + run("check").out


def test_cancelling_twice_or_moving_a_cancelled_one_is_refused(run: Run, case_id: str) -> None:
    number = planned(run, case_id, "--date", iso(SOON), "--time", "10:00")
    assert run("rdv", case_id, str(number), "--cancel").code == 0
    again = run("rdv", case_id, str(number), "--cancel")
    assert again.code == 1 and "déjà annulé" in again.err
    moved = run("rdv", case_id, str(number), "--move", iso(SOON))
    assert moved.code == 1 and "annulé" in moved.err


def test_closing_cancels_the_appointments_ahead_with_a_warning(
    run: Run, cases: Path, case_id: str
) -> None:
    before = planned(run, case_id, "--date", "2015-01-20", "--time", "10:00")
    after = planned(run, case_id, "--date", iso(SOON), "--time", "10:00")
    result = run("close", case_id, "--date", "2015-02-01")
    assert result.code == 0
    assert f"rendez-vous à venir annulés (n° {after})" in result.err
    stored = appointments_of(cases, case_id)
    assert stored[after - 1]["annulation"] == {"date": date(2015, 2, 1)}
    assert "annulation" not in stored[before - 1]  # before the closure: still to record
    assert agenda(run, "--days", "7") == []


# ---------------------------------------------------------------------------- overlaps


def test_overlapping_appointments_of_one_person_warn_naming_the_other_case(run: Run) -> None:
    first = referral(run, household="Famille Une", referent="Claire Dubois")
    second = referral(run, household="Famille Deux", referent="Claire Dubois")
    third = referral(run, household="Famille Trois", referent="Paul Morel")
    assert run("rdv", first, "--date", iso(SOON), "--time", "10:00").code == 0
    clash = run("rdv", second, "--date", iso(SOON), "--time", "10:30")
    assert clash.code == 0
    assert "avertissement : Claire Dubois a déjà un rendez-vous" in clash.err
    assert f"dossier {first}, n° 1" in clash.err and "Famille" not in clash.err
    # Another person, or right after: no warning.
    assert run("rdv", third, "--date", iso(SOON), "--time", "10:00").err == ""
    assert run("rdv", first, "--date", iso(SOON), "--time", "11:30").err == ""
    # Moving into a slot taken warns too.
    moved = run("rdv", third, "1", "--move", f"{iso(SOON)} 11:45", "--by", "Claire Dubois")
    assert "a déjà" not in moved.err  # the attendee stays Paul Morel
    listed = run("rdv", second, "--date", iso(SOON), "--time", "11:00", "--json")
    assert {(o["id"], o["rdv"]) for o in json.loads(listed.out)["overlaps"]} == {
        (first, 2),  # 11:30–12:30
        (second, 1),  # 10:30–11:30 (the first one, 10:00–11:00, ends as this one starts)
    }


def test_the_overlap_check_reads_the_index_not_every_case_file(
    run: Run, cases: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = [referral(run, household=f"Famille {n}", referent="Claire Dubois") for n in range(12)]
    for number, case_id in enumerate(ids):
        assert run("rdv", case_id, "--date", iso(SOON), "--time", f"{8 + number}:00").code == 0
    assert run("status").code == 0  # the index is up to date
    from visites import casefile

    parsed: list[str] = []
    real = casefile.parse

    def counting(raw: bytes, name: str, *args: object, **kw: object) -> object:
        parsed.append(Path(name).name)
        return real(raw, name, *args, **kw)

    monkeypatch.setattr(casefile, "parse", counting)
    result = run("rdv", ids[0], "--date", iso(SOON), "--time", "12:30")
    assert "dossier " + ids[4] in result.err  # found in the index: 12:00–13:00
    assert set(parsed) == {f"{ids[0]}.yaml"}  # read, then its new text read back


# ---------------------------------------------------------------------------- the agenda


def test_the_agenda_window_and_the_referent_filter(run: Run) -> None:
    mine = referral(run, household="Famille Une", referent="Claire Dubois")
    theirs = referral(run, household="Famille Deux", referent="Paul Morel")
    for offset, case_id in ((0, mine), (3, theirs), (6, mine), (7, mine)):
        when = iso(TODAY + timedelta(days=offset))
        assert run("rdv", case_id, "--date", when, "--time", "09:00").code == 0
    week = agenda(run)
    assert [(i["date"], i["id"]) for i in week] == [
        (iso(TODAY), mine),
        (iso(TODAY + timedelta(days=3)), theirs),
        (iso(TODAY + timedelta(days=6)), mine),
    ]  # today and the 6 days after: the 8th day is out
    assert set(week[0]) >= {"date", "time", "id", "type", "kind", "label", "referent"}
    assert week[0]["type"] == "rdv" and week[0]["label"] == "visite à domicile"
    assert [i["id"] for i in agenda(run, "--referent", "claire dubois")] == [mine, mine]
    later = agenda(run, "--from", iso(TODAY + timedelta(days=7)), "--days", "1")
    assert [i["date"] for i in later] == [iso(TODAY + timedelta(days=7))]
    terminal = run("agenda", "--referent", "Paul Morel")
    assert (
        terminal.code == 0 and "Famille Deux" in terminal.out and "Famille Une" not in terminal.out
    )
    bad = run("agenda", "--days", "0")
    assert bad.code == 2 and "--days" in bad.err


def test_the_agenda_referent_filter_matches_a_part_of_a_name_or_refuses(run: Run) -> None:
    mine = referral(run, household="Famille Une", referent="Claire Dubois")
    theirs = referral(run, household="Famille Deux", referent="Paul Morel")
    for case_id in (mine, theirs):
        assert run("rdv", case_id, "--date", iso(TODAY), "--time", "09:00").code == 0
    assert [i["id"] for i in agenda(run, "--referent", "claire")] == [mine]  # as `status`
    assert [i["referent"] for i in agenda(run, "--referent", "MOREL")] == ["Paul Morel"]
    terminal = run("agenda", "--referent", "claire")
    assert terminal.code == 0 and "— Claire Dubois" in terminal.out
    unknown = run("agenda", "--referent", "Zoé")
    assert unknown.code == 2 and unknown.out == ""
    assert "« Zoé » inconnu(e) (connu(e)s : Claire Dubois, Paul Morel)" in unknown.err


def test_the_agenda_shows_the_deadlines_falling_in_its_window(run: Run) -> None:
    adhesion = referral(run, household="Famille Une", date=iso(TODAY - timedelta(days=25)))
    diagnostic = referral(run, household="Famille Deux", date="2015-01-12",
                          deadline=iso(TODAY + timedelta(days=2)))  # fmt: skip
    assert run("consent", diagnostic, "--date", iso(TODAY - timedelta(days=60))).code == 0
    found = {(i["id"], i["kind"]): i for i in agenda(run) if i["type"] == "echeance"}
    assert found[(adhesion, "adhesion_due")]["date"] == iso(TODAY + timedelta(days=5))
    assert found[(adhesion, "adhesion_due")]["label"] == "adhésion attendue"
    assert found[(adhesion, "adhesion_due")]["time"] is None
    assert found[(diagnostic, "landlord_deadline")]["label"] == "date butoir"
    assert found[(diagnostic, "diagnostic_due")]["label"] == "fin du diagnostic"


# ---------------------------------------------------------------------------- the day view


def test_visites_alone_in_a_case_folder_shows_the_day(
    run: Run, cases: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    late = referral(run, household="Famille En Retard", referent="Claire Dubois")
    other = referral(run, household="Famille Autre", referent="Paul Morel")
    assert run("rdv", late, "--date", iso(SOON), "--time", "10:00").code == 0
    assert run("rdv", other, "--date", iso(SOON), "--time", "11:00").code == 0
    assert run("rdv", late, "--date", "2015-02-02", "--time", "10:00").code == 0
    monkeypatch.chdir(cases)
    monkeypatch.setenv("VISITES_USER", "Claire Dubois")
    assert main([]) == 0
    out = capsys.readouterr().out
    assert out.index("Dossiers en retard") < out.index("à renseigner") < out.index("7 prochains")
    assert "Famille En Retard" in out and "Famille Autre" not in out  # Claire's view
    assert out.rstrip().endswith("Toutes les commandes : visites --help")
    monkeypatch.setenv("VISITES_USER", "claire")  # a part of the name, as status --referent
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "de Claire Dubois" in out and "ne suit aucun dossier" not in out
    assert "Famille En Retard" in out and "Famille Autre" not in out
    monkeypatch.setenv("VISITES_USER", "PAUL MOREL")
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "Famille Autre" in out and "Famille En Retard" not in out
    monkeypatch.setenv("VISITES_USER", "Coordinatrice")  # follows no case: everyone's
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "Famille Autre" in out and "ne suit aucun dossier" in out
    monkeypatch.delenv("VISITES_USER")
    assert main(["--cases", str(cases)]) == 0
    assert "Famille Autre" in capsys.readouterr().out


def test_visites_alone_outside_a_case_folder_shows_the_help(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("VISITES_CASES", raising=False)
    main([])
    captured = capsys.readouterr()
    out = captured.out + captured.err
    assert "Usage" in out or "Utilisation" in out
    assert "agenda" in out and "rdv" in out and "groupe" in out


# ---------------------------------------------------------------------------- documents


def test_the_convocation_takes_the_next_planned_tripartite_meeting(
    run: Run, case_id: str, tmp_path: Path
) -> None:
    assert run("rdv", case_id, "--date", iso(SOON), "--time", "14:30", "--kind", "tripartite",
               "--place", "à l'agence Nantes Nord").code == 0  # fmt: skip
    out = tmp_path / "convocation.md"
    result = run("document", case_id, "convocation-tripartite", "-o", str(out), "--preview")
    assert result.code == 0, result.err
    text = out.read_text()
    assert "à l'agence Nantes Nord" in text and "14 h 30" in text
    assert f"{SOON.day}" in text
    none = referral(run, household="Famille Sans")
    refused = run("document", none, "convocation-tripartite", "--preview")
    assert refused.code == 2 and "aucune rencontre tripartite prévue" in refused.err


# ---------------------------------------------------------------------------- pure rules


def _case_with_appointments() -> object:
    from visites.model import Appointment, Cancellation, Case, Closure, Household, Referral

    return Case(
        id="2015-001",
        referral=Referral(date=date(2015, 1, 12), context="entree", referrer="Mme P"),
        household=Household(name="Famille Pure", commune="Nantes"),
        referent="Claire Dubois",
        closure=Closure(date=date(2015, 6, 1)),
        appointments=(
            Appointment(
                date=date(2015, 2, 3),
                time="10:00",
                place="12 rue X",
                note="Code 12",
                attendee="Claire Dubois",
                uid="u-1",
            ),  # fmt: skip
            Appointment(
                date=date(2015, 3, 3),
                time="10:00",
                kind="tripartite",
                uid="u-2",
                cancelled=Cancellation(date=date(2015, 3, 1), note="Malade"),
            ),  # fmt: skip
        ),
    )


def test_anonymise_drops_place_and_notes_and_keeps_dates_and_kinds() -> None:
    from visites.privacy import anonymise

    case = anonymise(_case_with_appointments(), date(2018, 1, 1))  # type: ignore[arg-type]
    first, second = case.appointments
    assert (first.place, first.note, second.cancelled.note) == (None, None, None)
    assert (first.date, first.kind, first.time, first.attendee) == (
        date(2015, 2, 3), "visite", "10:00", "Claire Dubois",
    )  # fmt: skip
    assert (second.kind, second.cancelled.date) == ("tripartite", date(2015, 3, 1))


def test_as_of_keeps_planned_appointments_but_not_a_later_cancellation() -> None:
    from visites.deadlines import as_of

    case = as_of(_case_with_appointments(), date(2015, 1, 20))  # type: ignore[arg-type]
    assert case is not None and len(case.appointments) == 2  # plans dated later stay
    assert case.appointments[1].cancelled is None  # cancelled on 01/03: not yet
