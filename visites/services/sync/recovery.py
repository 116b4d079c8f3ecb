"""A sync's loose ends: rolling back the merge of a sync killed halfway (every writing
command asks first), `--abort`, git's temporary merge copies, and what this clone still
owes the history before it syncs (pending commits, case files never committed)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from visites.errors import VisitesError
from visites.git import merge as gitmerge
from visites.git import run as gitops
from visites.git import state as gitstate
from visites.paths import MERGE_TEMP_PREFIX
from visites.services import tombstones
from visites.services.sync.report import SyncReport
from visites.store import CASE_FILE, Folder


def recover(folder: Folder) -> bool:
    """Roll back the merge of a sync that was killed before concluding it (the worker's own
    commits stay). A merge stopped for the user to decide is left to resume. Called under
    the folder's lock by `sync` and by every writing command. True when something was
    rolled back."""
    root = folder.root
    state = gitstate.sync_state(root)
    if state is None:
        return False
    if state.phase == gitstate.STOPPED and gitmerge.merging(root):
        return False  # the user decides; `visites sync` resumes
    if state.phase != gitstate.MERGING or gitmerge.rev(root, "HEAD") != state.ours:
        gitstate.clear_sync_state(root)  # concluded (a push will follow), or undone by hand
        return False
    gitops.clear_abandoned_locks(root)
    touched = [*gitmerge.changes(root, state.ours, state.theirs), *state.decided]
    gitmerge.abort_merge(root, without_pending(root, touched))
    remove_merge_temp_files(root)
    gitstate.clear_sync_state(root)
    from visites import notices

    notices.warn(
        "la synchronisation précédente a été interrompue pendant la fusion : la fusion "
        "inachevée est annulée, vos enregistrements sont intacts ; relancez « visites sync »"
    )
    return True


def abort(folder: Folder, report: SyncReport) -> None:
    root = folder.root
    if not gitmerge.merging(root):
        gitstate.clear_sync_state(root)
        raise VisitesError(
            "aucune fusion en cours : rien à annuler (visites sync pour synchroniser)"
        )
    ours, theirs = gitmerge.rev(root, "HEAD"), gitmerge.merge_head(root)
    touched = list(gitmerge.changes(root, ours, theirs)) if ours and theirs else []
    state = gitstate.sync_state(root)
    touched += list(state.decided) if state else []
    gitmerge.abort_merge(root, without_pending(root, touched))
    remove_merge_temp_files(root)
    gitstate.clear_sync_state(root)
    report.aborted = True


def without_pending(root: Path, paths: list[str]) -> list[str]:
    """Never roll back a file a command wrote during a stopped merge: it is someone's work,
    owed to the history (gitstate's pending commits)."""
    owed = {name for entry in gitstate.pending(root) for name in entry.paths}
    return [p for p in dict.fromkeys(paths) if p not in owed]


def remove_merge_temp_files(root: Path) -> None:
    """The copies git gives a merge driver (`.merge_file_*`), left by a killed merge (one
    pass over the names: 10,000 case files cost a few milliseconds)."""
    with os.scandir(root) as entries:
        leftovers = [entry.path for entry in entries if entry.name.startswith(MERGE_TEMP_PREFIX)]
    for leftover in leftovers:
        with contextlib.suppress(OSError):
            os.unlink(leftover)


def commit_owed(folder: Folder, report: SyncReport) -> None:
    """Commit what visites wrote and did not commit yet (pending commits, case files never
    committed, the registry's merge rule); refuse any other uncommitted change."""
    root = folder.root
    if attributes := tombstones.upgrade_attributes(root):
        gitstate.add_pending(
            root,
            gitstate.Pending(
                (attributes.name,), "réglages git : fusion du registre des numéros effacés", "setup"
            ),
        )
    changed, untracked = gitmerge.worktree_changes(root)
    owed = {name for entry in gitstate.pending(root) for name in entry.paths}
    hand = [name for name in changed if name not in owed]
    if not folder.config.git.autocommit:  # the team commits by hand: new files too
        hand += [name for name in untracked if CASE_FILE.fullmatch(name) and name not in owed]
    if hand:
        shown = ", ".join(hand[:3]) + ("…" if len(hand) > 3 else "")
        raise VisitesError(
            f"modifications non enregistrées ({shown}) : rien n'a été synchronisé. Vérifiez-les "
            f"(visites check), puis enregistrez-les (git add {hand[0]} puis git commit) ou "
            f"annulez-les (git restore {hand[0]}), puis relancez « visites sync »"
        )
    for name in untracked:  # a case file visites wrote but never committed (a kill)
        match = CASE_FILE.fullmatch(name)
        if match and name not in owed and _valid_case(folder, root / name, match.group(1)):
            gitstate.add_pending(
                root,
                gitstate.Pending(
                    (name,), f"{match.group(1)}: dossier jamais enregistré", "new-referral"
                ),
            )
    report.committed = sorted({n for e in gitstate.pending(root) for n in e.paths})
    try:
        gitops.commit_pending(root)
    except gitops.CommitFailed as failure:
        raise VisitesError(
            f"{failure} : rien n'a été synchronisé ; relancez « visites sync » "
            "quand c'est réglé (vos dossiers sont bien écrits)"
        ) from None


def _valid_case(folder: Folder, path: Path, case_id: str) -> bool:
    from visites import casefile

    try:
        raw = path.read_bytes()
    except OSError:
        return False
    parsed = casefile.parse(raw, str(path), folder.config, expected_id=case_id)
    return parsed.case is not None and not parsed.errors
