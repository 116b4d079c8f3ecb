"""The commit hook every writing command goes through: the folder's lock, a sync killed
halfway rolled back first, then exactly the files the command wrote committed, with a
subject built from codes and IDs only (never a household's name)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from visites import environment
from visites.paths import CASE_FILE
from visites.store import Folder, Journal


@dataclass
class Change(Journal):
    """What one writing command tells the history: the journal of the files it wrote
    (`Journal`: each write notes its own file), and its subject. `action` is a fixed code
    (the command, e.g. `orient`), `label` its French short form (« orientation
    accompagnement »). Both are built from codes and list values only, never from typed
    text: a commit message must never carry a household's name."""

    action: str = ""
    label: str = ""
    case_ids: list[str] = field(default_factory=list)  # default: the case files written
    subject: str = ""  # the whole subject, when « IDs: label » does not fit (a caseload)


@contextlib.contextmanager
def committing(folder: Folder, by: str | None = None) -> Iterator[Change]:
    """Lock the folder, run the block, then commit exactly the files it wrote, still under
    the lock. Every writer goes through here, and writes with the journal it yields: the
    folder's writes need it (`folder.update(stored, case, change)`), and so does any other
    file (`change.write(path, data)`), so a file written is a file committed.

        with committing(folder, by) as change:
            folder.rewrite(stored, anonymised, change)
            change.action, change.label = "anonymise", "anonymisation"

    Nothing is committed when the block fails, when `git.autocommit` is false, or when the
    folder is not a git repository. `by` (--by) or $VISITES_USER names the author."""
    from visites import notices
    from visites.git import run as gitops
    from visites.git import state as gitstate

    with folder.lock():
        if gitstate.sync_interrupted(folder.root):  # a `visites sync` killed halfway
            from visites.services.sync import recovery as syncrecovery

            syncrecovery.recover(folder)
        change = Change()
        yield change
        written = list(change.paths)
        if written and folder.config.git.autocommit:
            ids = change.case_ids or [
                m.group(1) for p in written if (m := CASE_FILE.fullmatch(p.name))
            ]
            subject = change.subject or f"{_id_list(ids)}: {change.label or change.action}"
            author = environment.acting_user(by)
            try:
                gitops.commit(folder.root, written, subject, change.action or "write", author)
            except gitops.GitFailed as failure:  # the files are written: the command stands
                notices.commit_deferred(_id_list(ids) if ids else "", written, failure)


def _id_list(ids: list[str]) -> str:
    unique = list(dict.fromkeys(ids))
    if not unique:
        return "dossier de cas"
    return ", ".join(unique) if len(unique) <= 3 else f"{len(unique)} dossiers"
