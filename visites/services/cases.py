"""The workflow's moves and events on one case: read it under the folder's lock, apply the
move (`workflow.apply`: the one place that checks it), write it, commit it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from visites.errors import UsageProblem, first_reason
from visites.model import Case, Event
from visites.services.committing import committing
from visites.store import Folder
from visites.workflow import ALLOWED, AddEvent, AddPartner, EndPartner, Move, Orient, apply


def move_label(change: Move) -> tuple[str, str]:
    """The action code and French short form of a workflow move, for the history."""
    command, label, _ = ALLOWED[type(change)]
    if isinstance(change, Orient):
        label = f"{label} {change.to.value}"
    elif isinstance(change, AddEvent):
        label = f"{label} {change.event.kind}"
    elif isinstance(change, AddPartner | EndPartner):
        # A code of the settings' list, never a name.
        label = (
            f"partenaire {change.partner} : {'début' if isinstance(change, AddPartner) else 'fin'}"
        )
    return command, label


def move(
    folder: Folder,
    case_id: str,
    change: Move | Callable[[Case], Move],
    today: date,
    by: str | None = None,
) -> Case:
    """Apply one workflow move to one case, under the folder's lock, and commit it.

    `change` may be a function of the current case (an event's author is its referent)."""
    with committing(folder, by) as record:
        stored = folder.read(case_id)
        if callable(change):
            change = change(stored.case)
        moved = apply(stored.case, change, folder.config, today)
        folder.update(stored, moved, record)
        record.action, record.label = move_label(change)
    return moved


def add_event(
    folder: Folder,
    case_id: str,
    kind: str,
    when: date,
    note: str | None,
    by: str | None,
    today: date,
    partner: str | None = None,
) -> Case:
    """Add one event to the case's timeline. The author defaults to the référent(e) in
    charge of the case on the event's day; `partner` names the partner the event was with
    (`--partner CAF`)."""
    from visites.referents import referent_on

    def event(case: Case) -> AddEvent:
        author = by or referent_on(case, when)
        try:
            return AddEvent(
                Event(date=when, kind=kind, partner=partner, author=author, note=note or None)
            )
        except ValueError as error:
            raise UsageProblem(
                f"dossier {case_id} : événement invalide : {first_reason(error)}"
            ) from None

    return move(folder, case_id, event, today, by)
