"""Data protection on the folder: anonymise, delete, and export a case for its household.

The shell around `visites.privacy` (pure rules) and `visites.render.access` (the document):
reads and writes go through the store, under the folder's lock. Never prints.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from visites.errors import UsageProblem, VisitesError
from visites.model import Case
from visites.store import Folder, atomic_write

ACCESS_FORMATS = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}


def anonymisable(folder: Folder, case_ids: list[str]) -> list[Case]:
    """The cases named, each checked for anonymisation; the first one that cannot be is a
    VisitesError naming it (by ID only) and saying why. Nothing is written."""
    from visites import dates, privacy

    cases = []
    for case_id in dict.fromkeys(case_ids):
        case = folder.read(case_id).case
        try:
            privacy.ensure_anonymisable(case)
        except privacy.AlreadyAnonymised:
            when = dates.short(case.anonymised_on)
            message = f"dossier {case_id} déjà anonymisé le {when} : rien à faire"
            raise VisitesError(message) from None
        except privacy.StillOpen:
            raise VisitesError(
                f"dossier {case_id} encore ouvert : clôturez-le (visites close) avant de "
                "l'anonymiser"
            ) from None
        cases.append(case)
    return cases


def anonymise(
    folder: Folder,
    case_ids: list[str],
    today: date,
    warnings: list[str] | None = None,
    compact: bool = False,
) -> list[str]:
    """Anonymise each case named, under the lock, and purge them from the index in the same
    step (`compact`: the whole index rewritten, for a whole-folder erasure); return their
    IDs. Every case is checked before the first is written, so a refusal leaves every file
    as it was. What could not be erased, or was erased despite a read-only file, is added
    to `warnings` (French)."""
    from visites import privacy
    from visites.merge import registry
    from visites.services import erasure, tombstones
    from visites.services.committing import committing

    notes: list[str] = []
    with committing(folder) as change:
        change.action, change.label = "anonymise", "anonymisation"
        stored = [folder.read(case_id) for case_id in dict.fromkeys(case_ids)]
        done = [s.case.id for s in stored]
        anonymisable(folder, done)
        change.case_ids = done
        notes += erasure.read_only_notes(folder, done, "anonymisé")
        # The tombstones go in the same commit: sync then refuses a colleague's change.
        tombstones.record(folder, done, registry.ANONYMISED, today)
        for one in stored:
            folder.rewrite(one, privacy.anonymise(one.case, today))
        notes += erasure.purge(folder, done, compact=compact)
    if warnings is not None:
        warnings += notes
    return done


def delete(
    folder: Folder, case_id: str, warnings: list[str] | None = None, today: date | None = None
) -> Path:
    """Remove the case file (erasure), under the lock, purge it from the index in the same
    step, and commit the removal with its tombstone (the ID is never given again). Return
    the path removed; what could not be erased, or was erased despite a read-only file, is
    added to `warnings` (French)."""
    from visites.merge import registry
    from visites.services import erasure, tombstones
    from visites.services.committing import committing

    with committing(folder) as change:
        change.action, change.label = "delete", "suppression (effacement)"
        change.case_ids = [case_id]
        if not folder.path_of(case_id).is_file():
            folder.delete(case_id)  # the usual « introuvable » error, nothing written
        notes = erasure.read_only_notes(folder, [case_id], "supprimé")
        # The tombstone first, in the same commit: a kill in between never frees the ID.
        tombstones.record(folder, [case_id], registry.DELETED, today or date.today())
        path = folder.delete(case_id)
        notes += erasure.purge(folder, [case_id])
    if warnings is not None:
        warnings += notes
    return path


def access_format(output: Path) -> str:
    """markdown or html, from the output's suffix."""
    kind = ACCESS_FORMATS.get(output.suffix.lower())
    if kind is None:
        raise UsageProblem(
            f"--output {output.name} : extension .md ou .html attendue (document en Markdown "
            "ou page HTML autonome)"
        )
    return kind


def export_case(folder: Folder, case_id: str, output: Path, today: date) -> Path:
    """Write the household's whole file (right of access) to `output`, .md or .html, 0600."""
    from visites.render import access

    kind = access_format(output)
    stored = folder.read(case_id)
    association = folder.config.partners.association
    doc = access.access_document(stored.case, stored.text, association, today)
    text = access.markdown(doc) if kind == "markdown" else access.html(doc)
    atomic_write(output, text.encode("utf-8"))
    return output


def history_path(folder: Folder, case_id: str) -> str:
    """The case file's path as git names it: relative to the repository holding the folder,
    or its bare file name when no repository is found."""
    path = folder.path_of(case_id).absolute()
    for parent in path.parents:
        if (parent / ".git").exists():
            return path.relative_to(parent).as_posix()
    return path.name
