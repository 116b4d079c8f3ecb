"""Producing one document for one case: render, write the file, record the event."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from visites.model import Event
from visites.referents import referent_on
from visites.services.committing import committing
from visites.store import Folder, refuse_read_only
from visites.vocabulary import DOCUMENT_LABELS
from visites.workflow import AddEvent, apply

if TYPE_CHECKING:
    from visites.documents.kinds import Meeting


def produce_document(
    folder: Folder,
    case_id: str,
    kind: str,
    when: date,
    today: date,
    *,
    fmt: str = "md",
    output: Path | None = None,
    meeting: Meeting | None = None,
    by: str | None = None,
    record: bool = True,
    warnings: list[str] | None = None,
) -> bytes:
    """Render the document `kind` for one case in `fmt`, as the case stood on `when`; write it
    to `output` (atomic, 0600); record it as a « courrier » event. All under the folder's lock,
    from the case as read: when anything fails (template, date, disk), neither the file nor
    the event is written. What the document lacks without being refused is added to
    `warnings` (French)."""
    from visites.documents import kinds, templates
    from visites.render import documents

    kinds.check_kind(kind)
    with committing(folder, by) as change:
        change.action, change.label = "document", f"document {kind}"
        stored = folder.read(case_id)
        case = stored.case
        # The document tells the case as it stood on its own date (`as_of`: later facts are
        # left out). The agenda's planned appointments stay: they are plans, not facts, and a
        # convocation announces one.
        dated = kinds.as_dated(case, kind, when)
        kinds.require(dated, kind)
        if record:  # the event could not be written: no document either
            refuse_read_only(stored.path, case_id)
        if warnings is not None:
            warnings += kinds.warnings(dated, kind)
        values = kinds.variables(dated, kind, folder.config, when, meeting)
        letter = templates.render(kind, values, DOCUMENT_LABELS[kind], folder.root)
        content = documents.render(letter, fmt, when)
        moved = None
        if record:
            # The note names the document, never its content (the file is the content).
            note = f"document produit : {kind}"
            author = by or referent_on(case, when)  # whoever is in charge on that day
            event = Event(date=when, kind="courrier", author=author, note=note)
            moved = apply(case, AddEvent(event), folder.config, today)
        if output is not None:
            from visites.store import atomic_write

            atomic_write(output, content)
        if moved is not None:
            folder.update(stored, moved, change)
    return content
