"""`visites sync`, as a storage engine would do it: plan, merge without concluding, verify,
conclude, push; and recover from a sync killed at any point.

1. A sync killed halfway left `.git/visites/sync.json` (gitstate): the next sync, or any
   writing command, rolls the half-done merge back (`recover`); a merge stopped for the
   user to decide is resumed instead (`_resume`).
2. What this clone still owes the history is committed first (pending commits, new case
   files never committed); other uncommitted changes stop the sync before anything.
3. After fetching, the plan (`syncplan`): a case added here whose ID the remote gave to
   another household gets the next free ID (a commit); a case erased on one side and
   changed on the other stops the sync until the user chooses (`--accept-erasure ID`,
   `--keep-as-new ID`), before any merge starts.
4. `git merge --no-commit`, then every file the merge touched is compared with its three
   versions (`syncverify`). A loss aborts the merge: the worker's own state and
   commits stay. Conflicts and invalid files stop it, resumable. Only the changed files
   are read: the cost follows the size of the change, not of the folder.
5. The merge commit, then the push (a remote that moved meanwhile: fetch and merge again).
"""

from __future__ import annotations

import contextlib
from dataclasses import asdict
from pathlib import Path

from visites import environment
from visites.errors import VisitesError
from visites.git import merge as gitmerge
from visites.git import run as gitops
from visites.git import state as gitstate
from visites.merge import verify as syncverify
from visites.merge.plan import Version
from visites.services.sync import decide as syncdecide
from visites.services.sync import erasures as syncerasures
from visites.services.sync import files as syncfiles
from visites.services.sync import recovery as syncrecovery
from visites.services.sync.report import Choices, MergePlan, Renumbered, SyncReport
from visites.store import CASE_FILE, Folder

MERGE_MESSAGE = "synchronisation : fusion du travail de l'équipe"  # never the remote's address
PUSH_ATTEMPTS = 3


def sync(folder: Folder, by: str | None, choices: Choices | None = None) -> SyncReport:
    """Fetch the team's remote, merge, verify the result case by case, commit, push (see the
    module's docstring). Stops before pushing on a conflict, an erasure against a change or
    an invalid file; after the user decides, a new `sync` concludes the merge and pushes.
    `by` (--by), else $VISITES_USER, names the author of the merge."""
    root = folder.root
    gitops.require_repo(root)
    by = environment.acting_user(by)
    report = SyncReport()
    choices = choices or Choices()
    with folder.lock():
        gitops.clear_abandoned_locks(root)  # a git command killed with a sync
        gitops.ensure_setup(root)
        syncfiles.private_everywhere(root)  # a `git clone`, a `git pull` by hand: umask's modes
        report.recovered = syncrecovery.recover(folder)
        syncdecide.renumberings_untold(root, report)
        _sync(folder, report, choices, by)
        if report.renumbered and not report.aborted:
            gitstate.clear_renumberings(root)  # told: the report names them
    return report


def _sync(folder: Folder, report: SyncReport, choices: Choices, by: str | None) -> None:
    root = folder.root
    if choices.abort:
        syncrecovery.abort(folder, report)
        return
    if gitmerge.merging(root):
        if not _resume(folder, report, choices, by):
            return
    else:
        syncrecovery.remove_merge_temp_files(root)
        syncrecovery.commit_owed(folder, report)
    where = gitmerge.upstream(root)
    report.remote = str(where)
    for _ in range(PUSH_ATTEMPTS):
        ours, theirs = gitmerge.fetch(root, where)
        if theirs is not None and not _merge(folder, ours, theirs, choices, report, by):
            return
        if gitmerge.push(root, where):
            report.pushed = True
            break
    else:
        raise VisitesError(
            f"envoi refusé par {where.remote} : le dépôt de l'équipe change "
            "sans cesse ; relancez « visites sync » dans un instant"
        )
    gitstate.clear_sync_state(root)


def _merge(
    folder: Folder,
    ours: str | None,
    theirs: str,
    choices: Choices,
    report: SyncReport,
    by: str | None,
) -> bool:
    """Merge `theirs` into HEAD (`ours`). True when HEAD now holds both sides (or already
    did)."""
    root = folder.root
    base = gitmerge.merge_base(root, ours, theirs) if ours else None
    if ours is None or base is None:
        raise VisitesError(
            "le dépôt de l'équipe n'a aucun historique commun avec ce dossier : "
            "clonez-le plutôt (git clone ADRESSE dossiers)"
        )
    if base == theirs:
        return True  # nothing new there
    if base == ours:  # nothing here they do not have: take theirs as it is
        received = gitmerge.changes(root, ours, theirs)
        _tell(root, report, syncdecide.moved_by_the_team(root, ours, received, set()))
        locked = syncfiles.read_only_files(root, list(received))
        # Noted first: killed while git rewrites the files, the next command puts them back.
        gitstate.save_sync_state(root, gitstate.SyncState(gitstate.MERGING, ours, theirs, ours))
        gitmerge.fast_forward(root, theirs)
        gitstate.clear_sync_state(root)
        return _settle(folder, list(received), report, locked, fast_forward=True)
    plan = MergePlan(
        base, ours, theirs, gitmerge.changes(root, base, ours), gitmerge.changes(root, base, theirs)
    )
    syncdecide.remember_remote_numbers(root, plan)
    _tell(root, report, syncdecide.moved_by_the_team(
        root, ours, plan.theirs_changes, set(plan.ours_changes)
    ))  # fmt: skip
    decided = syncerasures.erasures(folder, plan, choices, report)
    if report.erasures:
        return False
    followed, moved = syncdecide.follow_moves(folder, plan, reserved=decided)
    decided.update(followed)
    _tell(root, report, moved)
    decided.update(syncdecide.received_renumbered(folder, plan, report, reserved=decided))
    if syncdecide.renumber(folder, plan, report, by, reserved=decided):
        ours = gitmerge.rev(root, "HEAD") or ours
        plan = MergePlan(
            base, ours, theirs, gitmerge.changes(root, base, ours), plan.theirs_changes
        )
    state = gitstate.SyncState(
        gitstate.MERGING,
        ours,
        theirs,
        base,
        decided={p: gitmerge.blob_id(c) if c is not None else None for p, c in decided.items()},
    )
    gitstate.save_sync_state(root, state)
    plan.locked = syncfiles.read_only_files(root, list(plan.theirs_changes))
    clean = gitmerge.start_merge(root, theirs, MERGE_MESSAGE, by)
    for path, content in decided.items():
        if content is None:
            with contextlib.suppress(FileNotFoundError):
                (root / path).unlink()
        else:
            syncfiles.write_decided(root, path, content)
    syncdecide.normalise_registry(root, plan)
    touched = list(dict.fromkeys([*plan.touched, *decided]))
    if decided:
        gitmerge.stage(root, list(decided))
    conflicted = [] if clean else [p for p in gitmerge.unmerged(root) if p not in decided]
    # What the commit would hold: the index (git's merge, the decisions staged above).
    verdict = _verify(root, plan, [p for p in touched if p not in conflicted], decided)
    verdict.losses += [
        syncverify.Loss(path, DRIVER_FAILED) for path in _driver_failures(root, plan, conflicted)
    ]
    if not verdict.ok:
        gitmerge.abort_merge(root, touched)
        gitstate.clear_sync_state(root)
        report.losses = verdict.losses
        return False
    folder.config = syncfiles.settings(folder, touched)
    if conflicted or syncfiles.invalid(folder, touched, report):
        syncfiles.describe_conflicts(folder, conflicted, report)
        state.phase = gitstate.STOPPED
        state.at_stop = syncfiles.fingerprints(root, touched)
        gitstate.save_sync_state(root, state)
        return False
    return _conclude(folder, plan, report, by)


def _tell(root: Path, report: SyncReport, moved: list[Renumbered]) -> None:
    """Renumberings to tell, noted first (told by the next sync if this one is killed)."""
    new = [m for m in moved if m not in report.renumbered]
    if new:
        gitstate.add_renumberings(root, [asdict(m) for m in new])
        report.renumbered += new


DRIVER_FAILED = (
    "sa fusion automatique a échoué (le programme de fusion s'est arrêté : mémoire ou "
    "disque plein ?), le travail de l'équipe n'y serait pas"
)


def _driver_failures(root: Path, plan: MergePlan, unmerged: list[str]) -> list[str]:
    """The unmerged files both sides have that carry no conflict to decide (no markers, no
    `conflit_visites` section): the merge driver died on them (killed, disk full, a bug)
    and git left this side's version there. Never the user's decision to make: the merge
    is rolled back, and the next sync merges them again."""
    return [
        path
        for path in unmerged
        if None not in plan.ids(path)[1:] and not syncfiles.still_conflicted(root, path)
    ]


def _conclude(folder: Folder, plan: MergePlan, report: SyncReport, by: str | None) -> bool:
    """The merge commit, of the index as verified (plus any file a command wrote while
    the merge waited, owed to the history)."""
    root = folder.root
    owed = [name for entry in gitstate.pending(root) for name in entry.paths]
    if owed:
        gitmerge.stage(root, list(dict.fromkeys(owed)))
    gitmerge.conclude(root, MERGE_MESSAGE, by)
    gitstate.clear_pending(root)  # the files written during the merge are in it
    state = gitstate.sync_state(root)
    if state is not None:
        state.phase = gitstate.MERGED
        gitstate.save_sync_state(root, state)
    return _settle(folder, list(plan.theirs_changes), report, plan.locked)


def _settle(
    folder: Folder,
    received: list[str],
    report: SyncReport,
    locked: dict[str, bytes],
    fast_forward: bool = False,
) -> bool:
    """After HEAD moved: the received files made private again (read-only ones read-only
    again, and named if they changed), erased cases purged from the index, the files named
    in the report; after a fast-forward (nothing to verify: theirs as it is), their
    validity checked."""
    from visites.services.privacy import purge

    root = folder.root
    syncfiles.keep_private(root, received, locked)
    report.read_only += [
        Path(p).name for p, before in locked.items() if syncfiles.read_bytes(root / p) != before
    ]
    erased = [
        m.group(1) for p in received if (m := CASE_FILE.fullmatch(p)) and syncfiles.erased(root / p)
    ]
    if erased:  # an erasure received leaves no trace here either (the index's rows)
        report.warnings += purge(folder, erased)
    shown = [m.group(1) if (m := CASE_FILE.fullmatch(Path(p).name)) else p for p in received]
    report.received += [s for s in shown if s not in report.received]
    if fast_forward:
        folder.config = syncfiles.settings(folder, received)
        return not syncfiles.invalid(folder, received, report)
    return True


def _verify(
    root: Path,
    plan: MergePlan,
    paths: list[str],
    expected: dict[str, bytes | None],
    lenient: frozenset[str] | set[str] = frozenset(),
) -> syncverify.Verdict:
    """Each path of the index (what the commit would hold) against its three versions. A
    file one side changed is settled on git's blob ids alone; only a file both sides
    changed is read (one git call for all of them)."""
    merged = gitmerge.index_ids(root, paths)
    verdict = syncverify.Verdict()
    to_read: list[str] = []
    for path in paths:
        base, ours, theirs = plan.ids(path)
        if path in expected:
            wanted = expected[path]
            if merged.get(path) != (gitmerge.blob_id(wanted) if wanted is not None else None):
                verdict.losses.append(syncverify.Loss(path, "la décision prise pour ce fichier"))
        elif path not in lenient:
            settled = syncverify.one_sided(path, base, ours, theirs, merged.get(path))
            if settled is None:
                to_read.append(path)
            else:
                verdict.losses += settled
    if to_read:
        ids = [(*plan.ids(p), merged.get(p)) for p in to_read]
        found = gitops.blobs(root, [i or "" for four in ids for i in four])
        versions = [Version(p, *found[4 * n : 4 * n + 4]) for n, p in enumerate(to_read)]
        verdict.losses += syncverify.verify(versions).losses
    return verdict


def _resume(folder: Folder, report: SyncReport, choices: Choices, by: str | None) -> bool:
    """A merge stopped for the user (conflicts, invalid files): conclude it once every file
    is decided and valid; untouched files are verified as strictly as at the first try."""
    root = folder.root
    ours, theirs = gitmerge.rev(root, "HEAD"), gitmerge.merge_head(root)
    base = gitmerge.merge_base(root, ours, theirs) if ours and theirs else None
    if ours is None or theirs is None or base is None:
        raise VisitesError(
            "fusion en cours illisible : annulez-la (visites sync --abort), "
            "puis relancez « visites sync »"
        )
    state = gitstate.sync_state(root)
    if state is None or (state.ours, state.theirs) != (ours, theirs):
        state = gitstate.SyncState(gitstate.STOPPED, ours, theirs, base)  # a merge by hand
    plan = MergePlan(
        base, ours, theirs, gitmerge.changes(root, base, ours), gitmerge.changes(root, base, theirs)
    )
    syncfiles.take_sides(root, choices)
    syncerasures.erasures_on_resume(folder, plan, state, choices, report)
    if report.erasures:
        return False
    owed = [name for entry in gitstate.pending(root) for name in entry.paths]
    touched = list(dict.fromkeys([*plan.touched, *state.decided, *owed]))
    unmerged = gitmerge.unmerged(root)
    now = syncfiles.fingerprints(root, touched)
    # The user's decisions: files changed since the stop. An unmerged file as the merge
    # left it (the driver died on it: this side's version, no conflict marked) is verified
    # like any other, so a colleague's work missing from it rolls the merge back.
    user = {
        p
        for p in touched
        if p in owed
        or (p in state.at_stop and now.get(p) != state.at_stop[p])
        or (p in unmerged and p not in state.at_stop and now.get(p) not in plan.ids(p))
    }
    folder.config = syncfiles.settings(folder, touched)
    waiting = [p for p in touched if syncfiles.still_conflicted(root, p)]
    if waiting or syncfiles.invalid(folder, touched, report):
        syncfiles.describe_conflicts(folder, waiting, report)
        return False
    expected: dict[str, bytes | None] = {}
    for path, wanted in state.decided.items():
        content = syncfiles.read_bytes(root / path)
        if wanted == (gitmerge.blob_id(content) if content is not None else None):
            expected[path] = content
        else:
            user.add(path)  # changed by hand since the stop: the user's decision
    gitmerge.stage(root, touched)  # the user's decisions, as they are in the work tree
    verdict = _verify(root, plan, touched, expected, lenient=user)
    if not verdict.ok:
        gitmerge.abort_merge(root, syncrecovery.without_pending(root, touched))
        gitstate.clear_sync_state(root)
        report.losses = verdict.losses
        return False
    report.concluded = True
    return _conclude(folder, plan, report, by)
