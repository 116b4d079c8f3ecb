"""The bilan's « Publics »: who the programme reached in a year, and the partners mobilised
around them. Pure.

What the call « 10 000 logements HLM accompagnés » asks of each project: the typology of the
households, the priority publics (DALO, accords collectifs, PDALPD), the typology of the
dwellings, and the work in network (« mobiliser les ressources du territoire »). The field
names are the `--json` keys of `bilan … --json` (`publics`); counts are keyed by the stored
codes, with `none` (recorded as none) and `unknown` (not recorded) kept apart.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from visites.profile import HOUSING_TYPES, NO_PRIORITY, PRIORITIES

if TYPE_CHECKING:
    from visites.config import Lists
    from visites.model import Case, Involvement

NONE = "none"  # recorded: the household belongs to no priority public
UNKNOWN = "unknown"  # nothing recorded


@dataclass(frozen=True)
class Size:
    """Persons per household, over the households whose size is recorded."""

    mean: Decimal | None  # one decimal
    median: Decimal | None


@dataclass(frozen=True)
class Publics:
    """The households whose referral was received in the year, and the partners mobilised."""

    households: int
    typology: dict[str, int]  # every code of the settings' list, then `unknown`
    size: Size
    priority: dict[str, int]  # households, so one may count under several publics
    housing: dict[str, int]
    # Households with an involvement of the partner active in the year, whatever the year
    # of their referral: the partners mobilised, most mobilised first (then in list order).
    partners: dict[str, int]
    known_before: int  # households of the year the programme already knew (`deja_connu`)


def publics(cases: Iterable[Case], year: int, end: date, lists: Lists) -> Publics:
    """The « Publics » of calendar year `year`, cut at `end`."""
    cases = list(cases)
    first = date(year, 1, 1)
    received = [c for c in cases if first <= c.referral.date <= end]
    households = [c.household for c in received]
    sizes = [h.size for h in households if h.size is not None]
    typology = {code: 0 for code in lists.typologies} | {UNKNOWN: 0}
    priority = {code: 0 for code in PRIORITIES} | {NONE: 0, UNKNOWN: 0}
    housing = {code: 0 for code in HOUSING_TYPES} | {UNKNOWN: 0}
    for h in households:
        typology[h.typology if h.typology in typology else UNKNOWN] += 1
        housing[h.housing if h.housing in housing else UNKNOWN] += 1
        if not h.priorities:
            priority[UNKNOWN] += 1
        for code in dict.fromkeys(h.priorities):
            priority[NONE if code == NO_PRIORITY else code] += 1
    return Publics(
        households=len(received),
        typology=typology,
        size=Size(
            mean=(Decimal(sum(sizes)) / len(sizes)).quantize(Decimal("0.1")) if sizes else None,
            median=Decimal(str(statistics.median(sizes))) if sizes else None,
        ),
        priority=priority,
        housing=housing,
        partners=_partners(cases, first, end, lists.partners),
        known_before=sum(1 for c in received if c.known_before),
    )


def active(case: Case, involvement: Involvement, first: date, last: date) -> bool:
    """Whether `involvement` ran at some point from `first` to `last`. An involvement with no
    end runs until the case closes (the programme no longer knows after that)."""
    if involvement.start > last:
        return False
    stop = involvement.end or case.closed_on
    return stop is None or stop >= first


def _partners(cases: list[Case], first: date, last: date, codes: tuple[str, ...]) -> dict[str, int]:
    reached: dict[str, set[str]] = {code: set() for code in codes}
    for case in cases:
        for involvement in case.partners:
            if involvement.partner in reached and active(case, involvement, first, last):
                reached[involvement.partner].add(case.id)
    order = {code: position for position, code in enumerate(codes)}
    ranked = sorted((c for c in codes if reached[c]), key=lambda c: (-len(reached[c]), order[c]))
    return {code: len(reached[code]) for code in ranked}
