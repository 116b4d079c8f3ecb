"""Appointments (`rendez_vous`) of one case: their state, and the agenda rows of a case. Pure.

An appointment is numbered by its place in the case's list (1, 2, …): a new one goes at
the end and nothing renumbers the others. Its state is derived, never stored:
- cancelled when it carries an `annulation`;
- done when an event of the same kind is recorded for its day;
- missed when an `absence` event is recorded for its day;
- otherwise planned, and « à renseigner » once its day is gone (`agenda.AgendaItem.state_on`).
"""

from __future__ import annotations

from datetime import date, timedelta

from visites.agenda import CANCELLED, DEADLINE, DONE, MISSED, PLANNED, RDV, AgendaItem
from visites.config import Config
from visites.deadlines import (
    ADHESION_DUE,
    DIAGNOSTIC_DUE,
    LANDLORD_DEADLINE,
    REVIEW_DUE,
    Due,
    diagnostic_due,
    due,
)
from visites.errors import UsageProblem
from visites.model import Appointment, Case, Phase

# The deadline reasons of `deadlines` and their codes in the agenda (vocabulary's table).
DEADLINE_CODES = {
    ADHESION_DUE: "adhesion_due",
    DIAGNOSTIC_DUE: "diagnostic_due",
    REVIEW_DUE: "review_due",
    LANDLORD_DEADLINE: "landlord_deadline",
}


def _referent_on(case: Case, day: date) -> str | None:
    """The référent(e) in charge of `case` on `day`. One place to ask, so that a dated list
    of référent(e)s (a handover) changes only this."""
    return case.referent


def attendee(case: Case, day: date, by: str | None) -> str | None:
    """Who attends an appointment on `day`: `by` (--by), else the référent(e) in charge."""
    return by or _referent_on(case, day)


def state(case: Case, appointment: Appointment) -> str:
    """PLANNED, DONE, MISSED or CANCELLED, from the case's timeline."""
    if appointment.cancelled is not None:
        return CANCELLED
    kinds = {event.kind for event in case.events if event.date == appointment.date}
    if appointment.kind in kinds:
        return DONE
    if "absence" in kinds:
        return MISSED
    return PLANNED


def appointment(case: Case, number: int) -> Appointment:
    """Appointment `number` (from 1) of `case`; a usage error naming the case otherwise."""
    if not 1 <= number <= len(case.appointments):
        count = len(case.appointments)
        known = f"ses rendez-vous vont de 1 à {count}" if count else "aucun rendez-vous"
        raise UsageProblem(f"dossier {case.id} : pas de rendez-vous n° {number} ({known})")
    return case.appointments[number - 1]


def item(case: Case, number: int) -> AgendaItem:
    """The agenda row of appointment `number`."""
    found = appointment(case, number)
    return AgendaItem(
        case_id=case.id,
        day=found.date,
        time=found.time,
        type=RDV,
        kind=found.kind,
        number=number,
        duration=found.duration,
        person=found.attendee,
        state=state(case, found),
        uid=found.uid,
    )


def items_of(case: Case, config: Config) -> tuple[AgendaItem, ...]:
    """What the agenda shows of `case`: each appointment, and while the case is open the
    deadlines ahead of it (the adhesion to collect, the diagnostic due, the review due, and
    the landlord's own date butoir), with the referent in charge on their day."""
    rows = [item(case, number) for number in range(1, len(case.appointments) + 1)]
    current = due(case, config)
    if current is None:
        return tuple(rows)
    deadlines = [current]
    if current.reason == LANDLORD_DEADLINE:  # the rule's own deadline comes after it
        if case.phase is Phase.REFERRAL:
            own = case.referral.date + timedelta(days=config.deadlines.adhesion_days)
            deadlines.append(Due(own, ADHESION_DUE))
        elif (end := diagnostic_due(case, config)) is not None:
            deadlines.append(Due(end, DIAGNOSTIC_DUE))
    elif case.referral.deadline and case.phase in (Phase.REFERRAL, Phase.DIAGNOSTIC):
        deadlines.append(Due(case.referral.deadline, LANDLORD_DEADLINE))
    for deadline in deadlines:
        rows.append(
            AgendaItem(
                case_id=case.id,
                day=deadline.date,
                time=None,
                type=DEADLINE,
                kind=DEADLINE_CODES[deadline.reason],
                person=_referent_on(case, deadline.date),
            )
        )
    return tuple(rows)


def next_tripartite(case: Case, after: date) -> Appointment | None:
    """The next planned tripartite meeting on or after `after` (the convocation's date)."""
    planned = [
        a
        for a in case.appointments
        if a.kind == "tripartite" and a.date >= after and state(case, a) == PLANNED
    ]
    return min(planned, key=lambda a: (a.date, a.time), default=None)


def ahead_of(case: Case, day: date) -> list[int]:
    """The numbers of the planned appointments dated after `day` (a closure cancels them)."""
    return [
        number
        for number, found in enumerate(case.appointments, 1)
        if found.date > day and state(case, found) == PLANNED
    ]
