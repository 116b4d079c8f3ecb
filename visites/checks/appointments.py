"""The rules of a case's appointments (`rendez_vous`): on the file, and on the day `check`
runs (« à renseigner »)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from visites import dates
from visites.agenda import PLANNED
from visites.checks.finding import Finding
from visites.errors import WARNING

if TYPE_CHECKING:
    from visites.config import Config
    from visites.model import Case


def validate_appointments(case: Case, config: Config) -> list[Finding]:
    """Appointments come after the referral; none is still planned after the closure (the
    closure cancels them); one appointment is kept once (two edits of it merged by sync are
    both kept, for someone to choose)."""
    from visites.appointments import state

    found: list[Finding] = []
    closed = case.closed_on
    seen: dict[str, int] = {}
    for number, appointment in enumerate(case.appointments, 1):
        loc = ("rendez_vous", number - 1)
        if appointment.date < case.referral.date:
            message = (
                f"rendez-vous n° {number} ({dates.short(appointment.date)}) avant l'orientation "
                f"reçue ({dates.short(case.referral.date)})"
            )
            found.append(Finding((*loc, "date"), message))
        if closed and appointment.date > closed and state(case, appointment) == PLANNED:
            message = (
                f"rendez-vous n° {number} prévu le {dates.short(appointment.date)}, après la "
                f"clôture : annulez-le (visites rdv {case.id} {number} --cancel)"
            )
            found.append(Finding(loc, message, WARNING))
        if appointment.uid and appointment.uid in seen:
            message = (
                f"rendez-vous n° {seen[appointment.uid]} et n° {number} : deux versions du "
                "même rendez-vous (modifié sur deux postes) ; gardez la bonne (visites edit)"
            )
            found.append(Finding(loc, message, WARNING))
        elif appointment.uid:
            seen[appointment.uid] = number
    return found


def validate_appointments_recorded(case: Case, today: date) -> list[Finding]:
    """An appointment whose day is gone is done (an event of its kind that day), missed (an
    absence) or cancelled; otherwise it is « à renseigner »."""
    from visites.appointments import state

    found = []
    for number, appointment in enumerate(case.appointments, 1):
        if appointment.date >= today or state(case, appointment) != PLANNED:
            continue
        when = dates.short(appointment.date)
        message = (
            f"rendez-vous n° {number} du {when} à renseigner : notez-le (visites event "
            f"{case.id} --kind {appointment.kind} --date {when}), ou l'absence "
            f"(--kind absence), ou annulez-le (visites rdv {case.id} {number} --cancel)"
        )
        found.append(Finding(("rendez_vous", number - 1), message, WARNING))
    return found
