"""Who is in charge on a given day, the names matched, the merge and the history of the list
of référent(e)s: the pure functions, without files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from visites.merge import casediff
from visites.referents import (
    HandoverDates,
    caseload,
    covers,
    match_name,
    periods,
    referent_on,
)

D = date


@dataclass(frozen=True)
class Held:
    referent: str | None
    handovers: tuple[HandoverDates, ...] = ()


def test_a_case_never_handed_over_stays_with_its_first_referent() -> None:
    case = Held("Claire Dubois")
    assert referent_on(case, D(2015, 1, 1)) == "Claire Dubois"
    assert referent_on(Held(None), D(2015, 1, 1)) is None


def test_a_handover_applies_from_its_day_on() -> None:
    case = Held("Claire Dubois", (HandoverDates("Karim Benali", D(2015, 3, 1)),))
    assert referent_on(case, D(2015, 2, 28)) == "Claire Dubois"
    assert referent_on(case, D(2015, 3, 1)) == "Karim Benali"
    assert referent_on(case, D(2016, 1, 1)) == "Karim Benali"


def test_after_a_cover_the_case_goes_back_to_whoever_held_it_before() -> None:
    case = Held("Claire Dubois", (
        HandoverDates("Karim Benali", D(2015, 3, 1)),
        HandoverDates("Sophie Martin", D(2015, 6, 1), D(2015, 8, 31)),
    ))  # fmt: skip
    assert referent_on(case, D(2015, 5, 31)) == "Karim Benali"
    assert referent_on(case, D(2015, 8, 31)) == "Sophie Martin"
    assert referent_on(case, D(2015, 9, 1)) == "Karim Benali"
    assert covers(case, D(2015, 7, 1)) == case.handovers[1]
    assert covers(case, D(2015, 9, 1)) is None


def test_a_permanent_handover_during_a_cover_outlasts_it() -> None:
    case = Held("Claire Dubois", (
        HandoverDates("Sophie Martin", D(2015, 6, 1), D(2015, 8, 31)),
        HandoverDates("Karim Benali", D(2015, 7, 1)),
    ))  # fmt: skip
    assert referent_on(case, D(2015, 6, 15)) == "Sophie Martin"
    assert referent_on(case, D(2015, 7, 1)) == "Karim Benali"
    assert referent_on(case, D(2015, 9, 1)) == "Karim Benali"


def test_a_cover_inside_a_cover_returns_to_the_outer_one() -> None:
    case = Held("Claire Dubois", (
        HandoverDates("Karim Benali", D(2015, 6, 1), D(2015, 8, 31)),
        HandoverDates("Sophie Martin", D(2015, 7, 1), D(2015, 7, 15)),
    ))  # fmt: skip
    assert referent_on(case, D(2015, 7, 16)) == "Karim Benali"
    assert referent_on(case, D(2015, 9, 1)) == "Claire Dubois"


def test_periods_tell_who_held_the_case_from_when_to_when() -> None:
    case = Held("Claire Dubois", (
        HandoverDates("Karim Benali", D(2015, 3, 1)),
        HandoverDates("Sophie Martin", D(2015, 6, 1), D(2015, 8, 31)),
    ))  # fmt: skip
    found = [(p.name, p.start, p.end, p.cover) for p in periods(case, D(2015, 1, 12))]
    assert found == [
        ("Claire Dubois", D(2015, 1, 12), D(2015, 2, 28), False),
        ("Karim Benali", D(2015, 3, 1), D(2015, 5, 31), False),
        ("Sophie Martin", D(2015, 6, 1), D(2015, 8, 31), True),
        ("Karim Benali", D(2015, 9, 1), None, False),
    ]


def test_a_caseload_is_the_cases_someone_holds_on_the_day() -> None:
    mine = Held("Karim Benali")
    covered = Held("Claire Dubois", (HandoverDates("Karim Benali", D(2015, 6, 1), D(2015, 6, 30)),))
    other = Held("Claire Dubois")
    assert caseload([mine, covered, other], "Karim Benali", D(2015, 6, 15)) == [mine, covered]
    assert caseload([mine, covered, other], "Karim Benali", D(2015, 7, 1)) == [mine]


def test_names_match_whatever_their_case_and_accents_and_near_misses_are_suggested() -> None:
    known = ("Claire Dubois", "Karim Benali", "Hélène Le-Goff")
    assert match_name("Karim Benali", known).found == "Karim Benali"
    assert match_name("karim  BENALI", known).found == "Karim Benali"
    assert match_name("helene le goff", known).found == "Hélène Le-Goff"
    miss = match_name("Karim Benalli", known)
    assert miss.found is None and miss.suggestion == "Karim Benali"
    assert match_name("Zoé Roux", known) == match_name("Zoé Roux", ())
    assert match_name("Zoé Roux", known).suggestion is None


# ---------------------------------------------------------------------------- merge, history

BASE = {"id": "2015-001", "referent": "Claire Dubois", "evenements": []}


def _handed(name: str, since: date, until: date | None = None) -> dict:
    entry = {"nom": name, "depuis": since, **({"jusqu_au": until} if until else {})}
    return {**BASE, "referents": [entry]}


def test_the_same_case_handed_over_on_two_clones_is_a_conflict_named_as_such() -> None:
    ours = _handed("Karim Benali", D(2015, 3, 1))
    theirs = _handed("Sophie Martin", D(2015, 3, 2))
    merged = casediff.merge(BASE, ours, theirs)
    assert [c.path for c in merged.conflicts] == ["referents"]
    entry = merged.conflicts[0].as_entry()
    assert "transféré sur les deux postes" in entry["motif"]
    assert merged.tree["referents"] == ours["referents"]  # ours kept until someone decides


def test_a_handover_on_one_clone_only_merges_cleanly() -> None:
    ours = _handed("Karim Benali", D(2015, 3, 1))
    theirs = {**BASE, "evenements": [{"date": D(2015, 2, 3), "type": "visite"}]}
    merged = casediff.merge(BASE, ours, theirs)
    assert not merged.conflicts
    assert merged.tree["referents"] == ours["referents"]
    assert merged.tree["evenements"] == theirs["evenements"]


def test_other_lists_are_still_merged_item_by_item() -> None:
    ours = {**BASE, "evenements": [{"date": D(2015, 2, 3), "type": "visite"}]}
    theirs = {**BASE, "evenements": [{"date": D(2015, 2, 4), "type": "telephone"}]}
    assert not casediff.merge(BASE, ours, theirs).conflicts


def test_the_history_tells_each_handover_with_its_dates() -> None:
    first = _handed("Karim Benali", D(2015, 3, 1))
    assert casediff.describe(BASE, first) == [
        "référent(e) : Claire Dubois → Karim Benali (depuis le 01/03/2015)"
    ]
    cover = {**first, "referents": [*first["referents"],
                                    {"nom": "Sophie Martin", "depuis": D(2015, 6, 1),
                                     "jusqu_au": D(2015, 8, 31)}]}  # fmt: skip
    assert casediff.describe(first, cover) == [
        "référent(e) : Karim Benali → Sophie Martin (du 01/06/2015 au 31/08/2015, remplacement)"
    ]
    assert casediff.describe(cover, first) == ["référent(e)s successifs modifiés"]
    broken = {**BASE, "referents": [{"nom": "Karim Benali", "depuis": "le 1er mars"}]}
    assert casediff.describe(BASE, broken) == ["référent(e)s successifs modifiés"]
