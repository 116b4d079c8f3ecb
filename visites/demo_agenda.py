"""The demo folder's agenda and handovers: appointments behind the contacts of each fictional
household, a few planned ahead, caseloads rebalanced and one summer's cover. Pure and
deterministic, like `demo`.

They draw from a stream of their own, and only add moves to a case's story (`scheduled`), so
the rest of the folder is the same as without them. Everything goes through the workflow's
moves (`apply`, in `demo`), so every generated case passes `check`:
- a past appointment stands behind some of the visits, interviews, calls and tripartite
  meetings the timeline records (done: the event of its kind that day), and behind some
  absences (missed: a visit the household did not come to); none is left « à renseigner »;
- a case still open on the demo's day has, now and then, its next visit planned in the
  three weeks after it;
- now and then a case changes hands during its life (caseloads rebalanced);
- the first référent(e) of the list is on leave over the summer of the middle year: the
  second one covers each of their open cases (`referent --from --to --until`), after which
  the cases go back.
The events after a handover are written by whoever then holds the case.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from visites.model import APPOINTMENT_KINDS, Appointment, Case, Outcome
from visites.referents import HandoverDates, referent_on
from visites.workflow import AddEvent, ChangeReferent, Close, Move, Orient, PlanAppointment, Refuse

APPOINTMENT_SHARE = 0.35  # of the contacts recorded: those that had been planned
AHEAD_SHARE = 0.5  # of the cases open on the demo's day: their next visit planned
HANDOVER_SHARE = 0.06  # of the cases: handed over once during their life
# A worker's slots of a day: 90 minutes apart, so that no two appointments of one person
# overlap (the longest lasts 90 minutes).
SLOTS = ("09:00", "10:30", "14:00", "15:30")
DURATIONS = (45, 60, 60, 60, 90)
PLACES: dict[str, tuple[str | None, ...]] = {
    "visite": ("au domicile",),
    "tripartite": ("à l'agence du bailleur", "au domicile"),
    "entretien": ("au bureau de l'association",),
    "telephone": (None,),  # a call has no place
}
HANDOVER_NOTES = ("Rééquilibrage des portefeuilles.", "Changement de secteur.",
                  "Demande du ménage.")  # fmt: skip
LEAVE_NOTE = "Congé d'été."


@dataclass(frozen=True)
class Leave:
    """A référent(e)'s leave, `name` covered by `by` from `start` to `end` (included)."""

    name: str
    by: str
    start: date
    end: date


Taken = set[tuple[str | None, date, str]]  # (attendee, day, slot) already given


@dataclass(frozen=True)
class Holders:
    """Who holds a case, as `referents.referent_on` reads it, before it is played."""

    referent: str | None
    handovers: tuple[HandoverDates, ...]


def summer_leave(referents: Sequence[str], first_year: int, last_year: int) -> Leave | None:
    """The leave of the demo: the first référent(e), July and August of the middle year,
    covered by the second one. None with fewer than two référent(e)s."""
    if len(referents) < 2:
        return None
    year = (first_year + last_year) // 2
    return Leave(referents[0], referents[1], date(year, 7, 1), date(year, 8, 31))


def scheduled(
    rng: random.Random,
    case: Case,
    moves: list[tuple[date, Move]],
    referents: Sequence[str],
    today: date,
    leave: Leave | None,
    taken: Taken,
) -> list[tuple[date, Move]]:
    """The story `moves` of `case` with its handovers and appointments added, and its events
    written by whoever holds the case on their day. `taken`: the slots of the cases drawn
    before, which this one's appointments join (nobody is booked twice at once)."""
    start, end = case.referral.date, _end(moves)
    last = min(end - timedelta(days=1), today) if end else today  # its last open day
    handovers = []
    if leave is not None and case.referent == leave.name and start <= leave.start <= last:
        handovers.append(ChangeReferent(leave.start, leave.by, until=leave.end, note=LEAVE_NOTE))
    elif (last - start).days > 60 and rng.random() < HANDOVER_SHARE:
        # Not to the one on leave: their caseload is the one the cover takes.
        names = [n for n in referents if n != case.referent and (not leave or n != leave.name)]
        if names:
            day = start + timedelta(days=rng.randint(30, (last - start).days))
            note = rng.choice(HANDOVER_NOTES)
            handovers.append(ChangeReferent(day, rng.choice(names), note=note))
    dated = tuple(HandoverDates(h.name, h.date, h.until) for h in handovers)
    holders = Holders(case.referent, dated)
    found: list[tuple[date, Move]] = [(h.date, h) for h in handovers]
    for when, move in moves:
        if isinstance(move, AddEvent) and handovers and when >= handovers[0].date:
            author = referent_on(holders, when)
            move = AddEvent(move.event.model_copy(update={"author": author}))
        found.append((when, move))
        if not isinstance(move, AddEvent) or when > last or rng.random() >= APPOINTMENT_SHARE:
            continue
        kind = move.event.kind
        if kind == "absence":
            kind = "visite"  # the visit the household missed
        if kind not in APPOINTMENT_KINDS:
            continue
        planned = _appointment(rng, when, kind, holders, taken)
        if planned is not None:
            found.append((when, PlanAppointment(planned)))
    if (end is None or end > today) and rng.random() < AHEAD_SHARE:  # open on the demo's day
        day = _working_day(today + timedelta(days=rng.randint(1, 21)))
        planned = _appointment(rng, day, "visite", holders, taken)
        if planned is not None:
            found.append((today, PlanAppointment(planned)))
    return found


def _working_day(day: date) -> date:
    """`day`, or the next Monday to Friday that is not New Year's Day."""
    while day.weekday() >= 5 or (day.month, day.day) == (1, 1):
        day += timedelta(days=1)
    return day


def _appointment(
    rng: random.Random, day: date, kind: str, holders: Holders, taken: Taken
) -> Appointment | None:
    """An appointment on `day` in a free slot of whoever holds the case then; None when
    their day is full."""
    attendee = referent_on(holders, day)
    free = [slot for slot in SLOTS if (attendee, day, slot) not in taken]
    if not free:
        return None
    slot = rng.choice(free)
    taken.add((attendee, day, slot))
    return Appointment(
        date=day,
        time=slot,
        kind=kind,
        duration=rng.choice(DURATIONS),
        attendee=attendee,
        place=rng.choice(PLACES[kind]),
        uid=str(uuid.UUID(int=rng.getrandbits(128), version=4)),  # seeded, not random
    )


def _end(moves: list[tuple[date, Move]]) -> date | None:
    """The day the story closes the case, if it does."""
    closing = [
        when
        for when, move in moves
        if isinstance(move, Close | Refuse)
        or (isinstance(move, Orient) and move.to is not Outcome.ACCOMPAGNEMENT)
    ]
    return min(closing, default=None)
