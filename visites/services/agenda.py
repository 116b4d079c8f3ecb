"""What the agenda commands do with the folder: plan, cancel and move an appointment (with
the overlap check, read from the index), and record the groupe de suivi's meetings.

The shell around the pure core (`appointments`, `agenda`, `groupe`). The CLI calls these;
they never print.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from visites import appointments
from visites.agenda import AgendaItem, overlapping
from visites.errors import UsageProblem, VisitesError, first_reason, reason
from visites.model import Appointment, Case
from visites.services.committing import committing
from visites.store import Folder
from visites.workflow import CancelAppointment, MoveAppointment, PlanAppointment, apply

# The groupe de suivi's final packs, one meeting date (ISO) a line, tracked by git and
# merged as a union of lines (see MEETINGS_ATTRIBUTE): two workers' meetings are both kept.
MEETINGS_FILE = "groupe-de-suivi.txt"
MEETINGS_ATTRIBUTE = f"{MEETINGS_FILE} merge=union"


@dataclass(frozen=True)
class Planned:
    """An appointment written: its case, its number, the appointments it overlaps."""

    case: Case
    number: int
    overlaps: list[AgendaItem]

    @property
    def item(self) -> AgendaItem:
        return appointments.item(self.case, self.number)


def plan(
    folder: Folder,
    case_id: str,
    *,
    day: date,
    time: str,
    kind: str,
    duration: int,
    place: str | None,
    note: str | None,
    by: str | None,
    today: date,
) -> Planned:
    """Plan an appointment on an open case (it may be in the future). The attendee is `by`,
    else the référent(e) in charge that day."""
    with committing(folder, by) as change:
        stored = folder.read(case_id)
        case = stored.case
        try:
            planned = Appointment(
                date=day,
                time=time,
                kind=kind,
                duration=duration,
                attendee=appointments.attendee(case, day, by),
                place=place or None,
                note=note or None,
                uid=str(uuid.uuid4()),  # random, so the shell makes it (the core is pure)
            )
        except ValueError as error:
            raise UsageProblem(
                f"dossier {case_id} : rendez-vous invalide : {first_reason(error)}"
            ) from None
        moved = apply(case, PlanAppointment(planned), folder.config, today)
        number = len(moved.appointments)
        clashes = _overlaps(folder, moved, number)
        folder.update(stored, moved, change)
        change.action, change.label = "rdv", f"rendez-vous {kind}"
    return Planned(moved, number, clashes)


def cancel(
    folder: Folder, case_id: str, number: int, note: str | None, by: str | None, today: date
) -> Case:
    """Cancel appointment `number` today."""
    with committing(folder, by) as change:
        stored = folder.read(case_id)
        moved = apply(stored.case, CancelAppointment(number, today, note or None),
                      folder.config, today)  # fmt: skip
        folder.update(stored, moved, change)
        change.action, change.label = "rdv --cancel", f"rendez-vous n° {number} annulé"
    return moved


def move(
    folder: Folder, case_id: str, number: int, day: date, time: str, by: str | None, today: date
) -> Planned:
    """Move appointment `number` to `day` at `time` (a plan: the future is allowed)."""
    with committing(folder, by) as change:
        stored = folder.read(case_id)
        moved = apply(stored.case, MoveAppointment(number, day, time), folder.config, today)
        clashes = _overlaps(folder, moved, number)
        folder.update(stored, moved, change)
        change.action, change.label = "rdv --move", f"rendez-vous n° {number} déplacé"
    return Planned(moved, number, clashes)


def _overlaps(folder: Folder, case: Case, number: int) -> list[AgendaItem]:
    """The appointments of the same person overlapping appointment `number` of `case`: the
    other cases' from the index (no case file is parsed), this case's from itself."""
    mine = appointments.item(case, number)
    others = folder.agenda(mine.day, mine.day)
    own = [appointments.item(case, n) for n in range(1, len(case.appointments) + 1)]
    return overlapping(mine, [*(o for o in others if o.case_id != case.id), *own])


# ---------------------------------------------------------------------------- groupe de suivi


def meetings(folder: Folder) -> list[date]:
    """The dates of the groupe's final packs, in order (lines that are not dates ignored:
    the file may be edited by hand)."""
    path = folder.root / MEETINGS_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except OSError as error:
        raise VisitesError(f"lecture impossible : {reason(error)}", path=path) from None
    found = set()
    for line in text.splitlines():
        try:
            found.add(date.fromisoformat(line.split("#")[0].strip()))
        except ValueError:
            continue
    return sorted(found)


def record_meeting(folder: Folder, day: date) -> Path:
    """Record a final pack's meeting date (one line, kept sorted and unique), and make git
    merge the file as a union of lines; committed like any other write."""
    with committing(folder) as change:
        known = meetings(folder)
        lines = [d.isoformat() for d in sorted({*known, day})]
        path = folder.root / MEETINGS_FILE
        header = "# Réunions du groupe de suivi (visites groupe --final) : une date par ligne.\n"
        change.write(path, (header + "\n".join(lines) + "\n").encode("utf-8"))
        attributes = folder.root / ".gitattributes"
        try:
            present = attributes.read_text(encoding="utf-8")
        except FileNotFoundError:
            present = ""
        except OSError as error:
            raise VisitesError(f"lecture impossible : {reason(error)}", path=attributes) from None
        if MEETINGS_ATTRIBUTE not in present.splitlines():
            if present and not present.endswith("\n"):
                present += "\n"
            change.write(attributes, f"{present}{MEETINGS_ATTRIBUTE}\n".encode())
        change.action, change.label = "groupe", f"groupe de suivi du {day.isoformat()}"
    return path
