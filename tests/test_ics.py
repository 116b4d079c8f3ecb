"""agenda --ics: an iCalendar file read back with the icalendar library: Europe/Paris times,
UIDs stable across exports (and across a renumbering of the case), deadlines all day, no
household name unless --with-names."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from conftest import Run, referral

TODAY = date.today()
SOON = TODAY + timedelta(days=2)


def events(path: Path) -> list:
    from icalendar import Calendar

    calendar = Calendar.from_ical(path.read_bytes())
    return list(calendar.walk("VEVENT"))


def export(run: Run, path: Path, *args: str) -> list:
    result = run("agenda", "--ics", str(path), *args)
    assert result.code == 0, result.err
    return events(path)


def test_the_ics_file_has_paris_times_all_day_deadlines_and_no_names(
    run: Run, tmp_path: Path
) -> None:
    received = (TODAY - timedelta(days=27)).isoformat()
    case_id = referral(run, household="Famille Calendrier", date=received, referent="Claire Dubois")
    assert run("rdv", case_id, "--date", SOON.isoformat(), "--time", "14:30", "--duration", "90",
               "--place", "12 rue des Olivettes").code == 0  # fmt: skip
    out = tmp_path / "agenda.ics"
    found = export(run, out)
    raw = out.read_text()
    assert "Famille Calendrier" not in raw and "Olivettes" not in raw
    assert "BEGIN:VTIMEZONE" in raw and "TZID:Europe/Paris" in raw
    by_kind = {str(e["uid"]).startswith("echeance"): e for e in found}
    visit, deadline = by_kind[False], by_kind[True]
    start, end = visit.decoded("dtstart"), visit.decoded("dtend")
    assert isinstance(start, datetime) and str(start.tzinfo) == "Europe/Paris"
    assert (start.date(), start.hour, start.minute) == (SOON, 14, 30)
    assert end - start == timedelta(minutes=90)
    assert str(visit["summary"]) == f"Visite à domicile — dossier {case_id}"
    assert "location" not in visit
    assert str(visit["status"]) == "CONFIRMED"
    day = deadline.decoded("dtstart")
    assert type(day) is date and day == TODAY + timedelta(days=3)  # all day: a date
    assert deadline.decoded("dtend") == day + timedelta(days=1)
    assert str(deadline["summary"]) == f"Échéance : Adhésion attendue — dossier {case_id}"
    assert (out.stat().st_mode & 0o777) == 0o600


def test_uids_are_stable_across_exports_moves_and_a_renumbering(
    run: Run, cases: Path, tmp_path: Path
) -> None:
    case_id = referral(run, referent="Claire Dubois")
    for hour in ("09:00", "11:00"):
        assert run("rdv", case_id, "--date", SOON.isoformat(), "--time", hour).code == 0
    first = {
        str(e["uid"]) for e in export(run, tmp_path / "a.ics") if "echeance" not in str(e["uid"])
    }
    assert len(first) == 2
    assert run("rdv", case_id, "1", "--move", f"{SOON.isoformat()} 16:00").code == 0
    assert run("rdv", case_id, "2", "--cancel").code == 0
    # Sync renumbers a case whose number was taken by a colleague: same appointments.
    renumbered = "2015-009"
    text = (cases / f"{case_id}.yaml").read_text().replace(f"id: {case_id}", f"id: {renumbered}")
    (cases / f"{renumbered}.yaml").write_text(text)
    (cases / f"{case_id}.yaml").unlink()
    second = export(run, tmp_path / "b.ics")
    appointments = {str(e["uid"]): e for e in second if "echeance" not in str(e["uid"])}
    assert set(appointments) == first
    statuses = sorted(str(e["status"]) for e in appointments.values())
    assert statuses == ["CANCELLED", "CONFIRMED"]  # the import cancels the old event
    assert all(renumbered in str(e["summary"]) for e in appointments.values())


def test_with_names_adds_names_and_places_with_a_warning(run: Run, tmp_path: Path) -> None:
    case_id = referral(run, household="Famille Nommée", referent="Claire Dubois")
    assert run("rdv", case_id, "--date", SOON.isoformat(), "--time", "10:00",
               "--place", "12 rue des Olivettes").code == 0  # fmt: skip
    out = tmp_path / "noms.ics"
    result = run("agenda", "--ics", str(out), "--with-names")
    assert result.code == 0 and "avertissement" in result.err and "noms" in result.err
    (visit,) = [e for e in events(out) if "echeance" not in str(e["uid"])]
    assert str(visit["summary"]) == f"Visite à domicile — dossier {case_id} — Famille Nommée"
    assert str(visit["location"]) == "12 rue des Olivettes"
    refused = run("agenda", "--with-names")
    assert refused.code == 2 and "--ics" in refused.err


def test_the_ics_export_follows_the_window_and_the_referent(run: Run, tmp_path: Path) -> None:
    mine = referral(run, household="Famille Une", referent="Claire Dubois")
    theirs = referral(run, household="Famille Deux", referent="Paul Morel")
    for case_id, offset in ((mine, 1), (theirs, 2), (mine, 20)):
        when = (TODAY + timedelta(days=offset)).isoformat()
        assert run("rdv", case_id, "--date", when, "--time", "10:00").code == 0
    found = export(run, tmp_path / "c.ics", "--referent", "Claire Dubois", "--days", "10")
    days = [e.decoded("dtstart").date() for e in found if "echeance" not in str(e["uid"])]
    assert days == [TODAY + timedelta(days=1)]
