"""Who is in charge of a household on a given day: the référent(e) and the handovers. Pure.

A case file names its first référent(e) in `referent:` (set at the referral, as it always
was) and, once the case has been handed over, the dated list `referents:` below it: each
entry says who holds the case from `depuis`, and, for a cover during a leave, until
`jusqu_au` (included), after which the case goes back to whoever held it before. A case
never handed over has no list and reads exactly as before.

`referent_on(case, day)` is THE answer to « who is in charge on day D »: status, costs,
documents, the default author of an event (and the default attendee of an appointment)
all ask it, and nothing else reads `referent:` to decide. Light to import (the standard
library only): the status view served from the index cache uses it too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from visites import dates

NOBODY = "non désigné(e)"  # how a case without référent(e) is shown


class HandoverLike(Protocol):
    """One entry of `referents:`: the model's `Handover`, or the index's `HandoverDates`."""

    @property
    def name(self) -> str: ...
    @property
    def since(self) -> date: ...
    @property
    def until(self) -> date | None: ...


class Held(Protocol):
    """Anything that knows its first référent(e) and its handovers: a Case, a Summary."""

    @property
    def referent(self) -> str | None: ...
    @property
    def handovers(self) -> Sequence[HandoverLike]: ...


@dataclass(frozen=True)
class HandoverDates:
    """A handover without its note: what the index keeps for the status view."""

    name: str
    since: date
    until: date | None = None


def holding(case: Held, day: date) -> HandoverLike | None:
    """The handover that puts the case in someone's hands on `day`, or None when it is still
    with its first référent(e). Each entry applies from its date (and up to its end, for a
    cover); a later entry overrides an earlier one while it applies."""
    found = None
    for handover in case.handovers:
        if handover.since <= day and (handover.until is None or day <= handover.until):
            found = handover
    return found


def referent_on(case: Held, day: date) -> str | None:
    """The référent(e) in charge of `case` on `day` (None: nobody was ever designated)."""
    handover = holding(case, day)
    return handover.name if handover is not None else case.referent


def covers(case: Held, day: date) -> HandoverLike | None:
    """The cover (a handover with an end date) in force on `day`, if the case is held by one."""
    handover = holding(case, day)
    return handover if handover is not None and handover.until is not None else None


@dataclass(frozen=True)
class Period:
    """A stretch of time during which one person held the case."""

    name: str | None
    start: date
    end: date | None  # the last day; None: still in charge
    cover: bool  # held by a cover (a handover with an end date)
    note: str | None = None


def periods(case: Held, start: date) -> list[Period]:
    """Who held the case from `start` (its referral) on, period by period, in date order."""
    points = {start}
    for handover in case.handovers:
        points.add(max(handover.since, start))
        if handover.until is not None and handover.until >= start:
            points.add(handover.until + timedelta(days=1))
    found: list[Period] = []
    for point in sorted(points):
        handover = holding(case, point)
        name = handover.name if handover else case.referent
        cover = handover is not None and handover.until is not None
        note = getattr(handover, "note", None)
        last = found[-1] if found else None
        if last and (last.name, last.cover, last.note) == (name, cover, note):
            continue
        if last:
            found[-1] = Period(last.name, last.start, point - timedelta(days=1), last.cover,
                               last.note)  # fmt: skip
        found.append(Period(name, point, None, cover, note))
    return found


def handover_note(previous: str | None, name: str, until: date | None) -> str:
    """What the handover's event says: « Claire Dubois → Karim Benali (jusqu'au 31/08/2015) »."""
    text = f"{previous or NOBODY} → {name}"
    return f"{text} (remplacement jusqu'au {dates.short(until)})" if until else text


# ---------------------------------------------------------------------------- a caseload


def caseload(cases: Iterable[Held], name: str, day: date) -> list[Held]:
    """The cases `name` is in charge of on `day`, in the order given."""
    return [case for case in cases if referent_on(case, day) == name]


# ---------------------------------------------------------------------------- names


@dataclass(frozen=True)
class NameMatch:
    """A typed name matched against a list: the listed form, or the nearest one."""

    found: str | None  # the name as the list writes it
    suggestion: str | None = None  # a near miss: « Vouliez-vous dire … ? »


def match_name(typed: str, known: Sequence[str]) -> NameMatch:
    """`typed` in `known`, whatever its case, accents, hyphens or spaces; else the closest
    name, if one is close enough: the rules of `visites.matching`, as for every list."""
    from visites.matching import Choice, find, suggestions

    if typed in known:
        return NameMatch(typed)
    choices = [Choice(name) for name in known]
    found = find(typed, choices)
    if found is not None:
        return NameMatch(found.value)
    close = suggestions(typed, choices)
    return NameMatch(None, close[0] if close else None)
