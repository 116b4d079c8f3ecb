"""Data protection on the folder: anonymise, delete, and export a case for its household.

The shell around `visites.privacy` (pure rules) and `visites.render.access` (the document):
reads and writes go through the store, under the folder's lock. Never prints.

An erasure (`anonymise`, `delete`) must reach, besides the case file itself, what visites
left of it in the case folder's working tree: the index cache and visites' own temp files
(`purge`); the files visites does not keep there (an export saved in the folder) it can
only name (`foreign_warning`). The git history is out of reach here: the commands remind
how to rewrite it (README, « Effacer aussi l'historique »); warnings are returned as French
lines.
"""

from __future__ import annotations

import contextlib
import os
import stat
from datetime import date
from pathlib import Path

from visites.errors import UsageProblem, VisitesError
from visites.model import Case
from visites.paths import GITIGNORE_FILE, KEY_FILE, REGISTRY_FILE
from visites.store import (
    CACHE_DIR,
    CASE_FILE,
    LOCK_FILE,
    SETTINGS_FILE,
    TEMP_PREFIX,
    Folder,
    atomic_write,
)

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
    from visites.services import fingerprints, tombstones
    from visites.services.committing import committing

    notes: list[str] = []
    with committing(folder) as change:
        change.action, change.label = "anonymise", "anonymisation"
        stored = [folder.read(case_id) for case_id in dict.fromkeys(case_ids)]
        done = [s.case.id for s in stored]
        anonymisable(folder, done)
        change.case_ids = done
        notes += read_only_notes(folder, done, "anonymisé")
        # The tombstones go in the same commit: sync then refuses a colleague's change.
        tombstones.record(folder, change, done, registry.ANONYMISED, today)
        fingerprints.record_cases(folder, change, [one.case for one in stored])
        for one in stored:
            folder.rewrite(one, privacy.anonymise(one.case, today), change)
        notes += purge(folder, done, compact=compact)
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
    from visites.services import fingerprints, tombstones
    from visites.services.committing import committing

    with committing(folder) as change:
        change.action, change.label = "delete", "suppression (effacement)"
        change.case_ids = [case_id]
        if not folder.path_of(case_id).is_file():
            folder.delete(case_id, change)  # the usual « introuvable » error, nothing written
        notes = read_only_notes(folder, [case_id], "supprimé")
        # The tombstone first, in the same commit: a kill in between never frees the ID.
        tombstones.record(folder, change, [case_id], registry.DELETED, today or date.today())
        fingerprints.record_file(folder, change, case_id)  # who it was, keyed (import)
        path = folder.delete(case_id, change)
        notes += purge(folder, [case_id])
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


# ------------------------------------------------------------------------ what an erasure reaches

# What visites itself keeps in a case folder, besides the case files (see `visites init`).
OWN_FILES = frozenset(
    {SETTINGS_FILE, REGISTRY_FILE, KEY_FILE, "LISEZMOI.md", GITIGNORE_FILE, ".gitattributes",
     LOCK_FILE}
)  # fmt: skip
OWN_FOLDERS = frozenset({CACHE_DIR, "templates"})
HISTORY = ".git"  # git's own store: rewritten with git filter-repo, never by visites


def purge(folder: Folder, case_ids: list[str], compact: bool = False) -> list[str]:
    """Remove every trace of `case_ids` that visites itself left in the working tree: their
    rows of the index (overwritten; the whole file rewritten when `compact`), and the copies
    of `visites edit` left behind. Called under the folder's lock, in the same step as the
    erasure. Return the warnings (French), when a trace could not be removed."""
    warnings = folder.forget(case_ids, compact=compact)
    for case_id in case_ids:
        for copy in folder.root.glob(f"{TEMP_PREFIX}edit-{case_id}-*"):
            try:
                copy.unlink()
            except OSError:
                warnings.append(f"copie d'édition {copy.name} impossible à supprimer : "
                                "supprimez-la à la main")  # fmt: skip
    return warnings


def read_only_notes(folder: Folder, case_ids: list[str], done: str) -> list[str]:
    """One warning per case file its owner made read-only: the erasure goes on anyway (a
    file mode cannot block the household's right), and says so."""
    notes = []
    for case_id in case_ids:
        path = folder.path_of(case_id)
        with contextlib.suppress(OSError):
            if not path.stat().st_mode & stat.S_IWUSR:
                notes.append(f"{path.name} était en lecture seule : {done} quand même")
    return notes


def foreign_files(root: Path) -> list[str]:
    """The files of the working tree that visites does not keep there (relative paths, in
    order): anything but the case files, the settings, the templates, the cache and git's
    own folder. An export or a letter saved in the folder is one: it may hold a household's
    data, and no erasure can know it."""
    found: list[str] = []
    for parent, folders, files in os.walk(root):
        here = Path(parent)
        if here == root:
            folders[:] = [f for f in folders if f != HISTORY and f not in OWN_FOLDERS]
            files = [f for f in files if f not in OWN_FILES and not _own_root_file(f)]
        found += [(here / name).relative_to(root).as_posix() for name in files]
    return sorted(found)


def _own_root_file(name: str) -> bool:
    """A case file, or one of visites' temp files (a write's `.part`, removed under the lock;
    an edit's copy, removed with its case by `purge`)."""
    return bool(CASE_FILE.fullmatch(name)) or name.startswith(TEMP_PREFIX)


def foreign_warning(root: Path) -> str | None:
    """The warning naming the files an erasure cannot vouch for, or None."""
    names = foreign_files(root)
    if not names:
        return None
    shown = ", ".join(names[:10]) + (f" (et {len(names) - 10} autres)" if len(names) > 10 else "")
    return (
        f"ces fichiers du dossier ne sont pas des dossiers tenus par visites et peuvent "
        f"contenir des données du ménage : {shown}. Vérifiez-les, et supprimez ou "
        "rangez ailleurs ceux qui le concernent"
    )
