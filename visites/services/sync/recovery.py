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
    received = gitmerge.changes(root, state.ours, state.theirs)
    touched = without_pending(root, [*received, *state.decided])
    edited = _edited_since_kill(root, state, received, touched)
    gitmerge.abort_merge(root, [p for p in touched if p not in edited])
    _keep_hand_edits(root, edited)
    remove_merge_temp_files(root)
    gitstate.clear_sync_state(root)
    from visites import notices

    notices.warn(
        "la synchronisation précédente a été interrompue pendant la fusion : la fusion "
        "inachevée est annulée, vos enregistrements sont intacts ; relancez « visites sync »"
    )
    for path in edited:
        notices.warn(
            f"{_shown(path)} a été modifié à la main après la synchronisation interrompue : "
            f"gardé tel quel (il contient aussi le travail reçu de l'équipe) ; vérifiez-le "
            f"(visites check), enregistrez-le (git add {path} puis git commit), puis "
            "relancez « visites sync »"
        )
    return True


def recover_before_reading(folder: Folder) -> None:
    """Roll back the half-done merge a killed `visites sync` left, if any (taking the
    folder's lock for it); for a command that reads a case before it takes the lock to write
    (`visites edit`: the file is edited as it really is)."""
    if gitstate.sync_interrupted(folder.root):
        with folder.lock():
            recover(folder)


def _edited_since_kill(
    root: Path, state: gitstate.SyncState, received: dict[str, gitmerge.Change], paths: list[str]
) -> dict[str, bytes]:
    """The files among `paths` whose content is none the killed merge knew (HEAD's, the
    remote's, what git's index held, the sync's decisions): written by hand since the kill,
    someone's work that a rollback must not overwrite. Path → its bytes."""
    from visites.services.sync.files import read_bytes

    known = gitmerge.index_versions(root, paths)
    head = set(gitmerge.names_in(root, state.ours, paths))
    edited = {}
    for path in paths:
        content = read_bytes(root / path)
        if content is None:
            continue  # a file gone comes back from HEAD: nothing written is lost
        blob = gitmerge.blob_id(content)
        change = received.get(path)
        sides = {change.old, change.new} if change else set()
        if path not in received and path in head:
            sides.add(gitops.out(root, "rev-parse", f"{state.ours}:{path}").strip())
        if blob in sides | known.get(path, set()) or blob == state.decided.get(path):
            continue
        edited[path] = content
    return edited


def _keep_hand_edits(root: Path, edited: dict[str, bytes]) -> None:
    """The index forgets the merge's version of each hand-edited file (HEAD's again); the
    work tree keeps the hand edit, written back if git's rollback touched it."""
    from visites.services.sync.files import read_bytes, write_decided

    if not edited:
        return
    gitops.git(root, "reset", "-q", "HEAD", "--", *edited, check=False)
    for path, content in edited.items():
        if read_bytes(root / path) != content:
            write_decided(root, path, content)


def _shown(path: str) -> str:
    match = CASE_FILE.fullmatch(path)
    return f"dossier {match.group(1)} ({path})" if match else path


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
    refuse_erased_files(root, [*changed, *untracked])
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


def refuse_erased_files(root: Path, names: list[str]) -> None:
    """A case file present under an ID the registry says was deleted (a copy restored from
    a backup, a file copied back to read it) is never committed nor sent: it would bring
    the erased household back on every clone."""
    from visites.dates import short
    from visites.merge import registry

    found = [n for n in names if CASE_FILE.fullmatch(n) and (root / n).exists()]
    if not found:
        return
    erased = tombstones.read(root)
    for name in found:
        stone = erased.erased(name[: -len(".yaml")])
        if stone is None or not registry.brings_back(stone, (root / name).read_bytes()):
            continue
        if stone.kind == registry.DELETED:
            raise VisitesError(
                f"dossier {stone.case_id} ({name}) : ce dossier a été supprimé le "
                f"{short(stone.on)} (registre.yaml) et ce fichier ne sera ni enregistré ni "
                "envoyé ; rien n'a été synchronisé. Retirez-le du dossier (déplacez-le hors "
                "du dossier de cas ou supprimez-le), puis relancez « visites sync »"
            )
        raise VisitesError(
            f"dossier {stone.case_id} ({name}) : ce dossier a été anonymisé le "
            f"{short(stone.on)} (registre.yaml) et ce fichier contient de nouveau ses données "
            "(une copie d'avant l'anonymisation ?) : il ne sera ni enregistré ni envoyé ; rien "
            f"n'a été synchronisé. Remettez la version anonymisée (git checkout -- {name}), "
            "puis relancez « visites sync »"
        )


def _valid_case(folder: Folder, path: Path, case_id: str) -> bool:
    from visites import casefile

    try:
        raw = path.read_bytes()
    except OSError:
        return False
    parsed = casefile.parse(raw, str(path), folder.config, expected_id=case_id)
    return parsed.case is not None and not parsed.errors
