"""Deadlines: when each phase must end, and the case as it stood on a past day. Pure.

The limits (30 days for the adhesion, 2 calendar months for the diagnostic, 6 months between
reviews) come from the settings (`config.deadlines`), read here and nowhere else. `today` is
always a parameter. Light to import (no pydantic): the status view computes its deadlines
with these same functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from visites import dates
from visites.phases import Phase

if TYPE_CHECKING:
    from visites.config import Config
    from visites.model import Case

# What each deadline is for. Stored in the index and given as `due_reason` by `--json`:
# French words, kept as they are (see the JSON conventions in `vocabulary`).
ADHESION_DUE = "adhésion attendue"
DIAGNOSTIC_DUE = "fin du diagnostic"
LANDLORD_DEADLINE = "date butoir"
REVIEW_DUE = "révision"


@dataclass(frozen=True)
class Due:
    """The case's current deadline and what it is for (French)."""

    date: date
    reason: str


def due(case: Case, config: Config) -> Due | None:
    """The current deadline: adhesion, diagnostic, referral deadline or review. None if closed."""
    match case.phase:
        case Phase.REFERRAL:
            days = config.deadlines.adhesion_days
            own = Due(case.referral.date + timedelta(days=days), ADHESION_DUE)
        case Phase.DIAGNOSTIC:
            end = diagnostic_due(case, config)
            assert end is not None  # the phase says there is an adhesion
            own = Due(end, DIAGNOSTIC_DUE)
        case Phase.ACCOMPANIMENT:
            return Due(next_review(case, config), REVIEW_DUE)
        case _:
            return None
    butoir = case.referral.deadline
    if butoir and butoir < own.date:
        return Due(butoir, LANDLORD_DEADLINE)
    return own


def diagnostic_due(case: Case, config: Config) -> date | None:
    """When the diagnostic must end: adhesion + the configured months (clamped at month end)."""
    if not case.adhesion:
        return None
    return dates.add_months(case.adhesion.date, config.deadlines.diagnostic_months)


def next_review(case: Case, config: Config) -> date:
    """The accompaniment's next review: N months after its start or its last renewal."""
    assert case.accompaniment is not None
    if case.accompaniment.renewals:
        last = case.accompaniment.renewals[-1]
        return dates.add_months(last.date, last.months)
    return dates.add_months(case.accompaniment.start, config.deadlines.review_months)


def days_overdue(deadline: Due | None, today: date) -> int:
    """Days past the deadline on `today`; 0 when not overdue."""
    return dates.days_past(deadline.date if deadline else None, today)


def as_of(case: Case, day: date) -> Case | None:
    """The case as it stood at the end of `day`: the facts dated later were not known yet
    (planned appointments are not facts: they stay). None when the fiche de liaison itself
    came later. (Diagnostic findings carry no date:
    they are kept once the adhesion is known.)"""
    if case.referral.date > day:
        return None
    update: dict[str, object] = {}
    adhesion = case.adhesion
    if adhesion and adhesion.date > day:
        update |= {"adhesion": None, "diagnostic": None}
    elif adhesion and adhesion.consent_to_share and adhesion.consent_to_share > day:
        update["adhesion"] = adhesion.model_copy(update={"consent_to_share": None})
    if case.refusal and case.refusal.date > day:
        update["refusal"] = None
    if case.orientation and case.orientation.date > day:
        update |= {"orientation": None, "accompaniment": None}
    elif case.accompaniment:
        renewals = tuple(r for r in case.accompaniment.renewals if r.date <= day)
        if renewals != case.accompaniment.renewals:
            update["accompaniment"] = case.accompaniment.model_copy(update={"renewals": renewals})
    if case.closure and case.closure.date > day:
        update["closure"] = None
    events = tuple(e for e in case.events if e.date <= day)
    if events != case.events:
        update["events"] = events
    # Appointments are plans, not facts: one dated after `day` was already planned on it, so
    # it stays (only its cancellation, a fact, waits for its own date).
    appointments = tuple(
        a.model_copy(update={"cancelled": None}) if a.cancelled and a.cancelled.date > day else a
        for a in case.appointments
    )
    if appointments != case.appointments:
        update["appointments"] = appointments
    handovers = tuple(h for h in case.handovers if h.since <= day)  # a cover's end may come later
    if handovers != case.handovers:
        update["handovers"] = handovers
    partners = tuple(
        p if p.end is None or p.end <= day else p.model_copy(update={"end": None})
        for p in case.partners
        if p.start <= day
    )
    if partners != case.partners:  # a partner mobilised later, an involvement ended later
        update["partners"] = partners
    objectives = tuple(
        o.model_copy(update={"statuses": tuple(s for s in o.statuses if s.date <= day)})
        for o in case.objectives
        if o.statuses[0].date <= day
    )
    if objectives != case.objectives:
        update["objectives"] = objectives
    statements = tuple(s for s in case.finances if s.date <= day)
    if statements != case.finances:
        update["finances"] = statements
    return case.model_copy(update=update) if update else case
