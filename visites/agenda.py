"""The agenda: appointments and deadlines, day by day, as plain rows. Pure and light.

An `AgendaItem` is what the index keeps of each appointment and each upcoming deadline of a
case (`appointments.items_of` builds them from the case), so that `agenda`, the day view,
the overlap check of `rdv` and the « à renseigner » count of `status` read rows from the
index instead of parsing every case file. Light to import (the standard library, `dates`
and `vocabulary`: no pydantic), like `status`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import NamedTuple

from visites import dates
from visites.vocabulary import APPOINTMENT_LABELS, DEADLINE_LABELS

RDV = "rdv"
DEADLINE = "echeance"

PLANNED = "planned"
DONE = "done"
MISSED = "missed"
CANCELLED = "cancelled"
TO_FILL = "to_fill"  # planned, its day gone, neither done nor missed: computed on a day

DEFAULT_DAYS = 7  # today and the 6 days after

_CLOCK = re.compile(r"(\d{1,2})\s*(?:[:hH]\s*(\d{2})?)?")


class AgendaItem(NamedTuple):
    """One appointment (`type` RDV) or one deadline (`type` DEADLINE) of a case.

    `kind` is the appointment's kind (visite…) or the deadline's code (adhesion…); `person`
    the attendee of an appointment, the referent for a deadline; `state` an appointment's
    state as recorded (PLANNED, DONE, MISSED, CANCELLED), None for a deadline."""

    case_id: str
    day: date
    time: str | None
    type: str
    kind: str
    number: int | None = None
    duration: int | None = None
    person: str | None = None
    state: str | None = None
    uid: str | None = None

    @property
    def label(self) -> str:
        """The French words for it: « visite à domicile », « fin du diagnostic »."""
        if self.type == RDV:
            return APPOINTMENT_LABELS.get(self.kind, self.kind)
        return DEADLINE_LABELS.get(self.kind, self.kind)

    def state_on(self, today: date) -> str | None:
        """The state on `today`: a planned appointment whose day is gone is « à renseigner »."""
        if self.state == PLANNED and self.day < today:
            return TO_FILL
        return self.state

    def span(self) -> tuple[datetime, datetime] | None:
        """When an appointment starts and ends (naive local times); None for a deadline."""
        if self.time is None:
            return None
        hour, minute = (int(part) for part in self.time.split(":"))
        start = datetime(self.day.year, self.day.month, self.day.day, hour, minute)
        return start, start + timedelta(minutes=self.duration or 0)

    def as_json(self) -> dict[str, object]:
        """The `agenda --json` object: codes kept (see the conventions in `vocabulary`)."""
        found: dict[str, object] = {
            "date": self.day.isoformat(),
            "time": self.time,
            "id": self.case_id,
            "type": self.type,
            "kind": self.kind,
            "label": self.label,
            "referent": self.person,
        }
        if self.type == RDV:
            found |= {"rdv": self.number, "duration": self.duration, "status": self.state}
        return found


def parse_clock(text: str) -> str:
    """« 14:30 », « 14h30 », « 9h » → « 14:30 », « 09:00 ». ValueError in French."""
    match = _CLOCK.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"heure illisible « {text} » : écrivez HH:MM (ex. 14:30)")
    hour, minute = int(match[1]), int(match[2] or 0)
    if hour > 23 or minute > 59:
        raise ValueError(f"heure impossible « {text} »")
    return f"{hour:02d}:{minute:02d}"


def same_person(a: str | None, b: str | None) -> bool:
    """Names as people type them: case does not matter (as in `status --referent`)."""
    return a is not None and b is not None and a.strip().casefold() == b.strip().casefold()


def overlapping(item: AgendaItem, others: Iterable[AgendaItem]) -> list[AgendaItem]:
    """The appointments of the same person that overlap `item` in time (cancelled ones, and
    `item` itself, left out), earliest first."""
    mine = item.span()
    if mine is None:
        return []
    found = []
    for other in others:
        if (
            other.type != RDV
            or other.state == CANCELLED
            or not same_person(item.person, other.person)
        ):
            continue
        if (other.case_id, other.number) == (item.case_id, item.number):
            continue
        theirs = other.span()
        if theirs and theirs[0] < mine[1] and mine[0] < theirs[1]:
            found.append(other)
    return sorted(found, key=order)


def order(item: AgendaItem) -> tuple:
    """Day by day; within a day, deadlines first (all day), then appointments by time."""
    return (item.day, item.type == RDV, item.time or "", item.case_id, item.number or 0)


def window(
    items: Iterable[AgendaItem],
    start: date,
    days: int,
    person: str | None = None,
) -> list[AgendaItem]:
    """The items from `start` over `days` days, of `person` when given, in agenda order;
    cancelled appointments left out."""
    end = start + timedelta(days=days - 1)
    return sorted(
        (
            i
            for i in items
            if start <= i.day <= end
            and i.state != CANCELLED
            and (person is None or same_person(i.person, person))
        ),
        key=order,
    )


def to_fill(
    items: Iterable[AgendaItem], today: date, person: str | None = None
) -> list[AgendaItem]:
    """The appointments « à renseigner » on `today`, oldest first."""
    return sorted(
        (
            i
            for i in items
            if i.type == RDV
            and i.state_on(today) == TO_FILL
            and (person is None or same_person(i.person, person))
        ),
        key=order,
    )


def describe(item: AgendaItem) -> str:
    """« visite à domicile du 03/02/2015 à 10:00 (dossier 2015-007, n° 1) »."""
    when = dates.short(item.day) + (f" à {item.time}" if item.time else "")
    number = f", n° {item.number}" if item.number else ""
    return f"{item.label} du {when} (dossier {item.case_id}{number})"
