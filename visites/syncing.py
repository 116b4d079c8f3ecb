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
   versions (`syncplan.verify`). A loss aborts the merge: the worker's own state and
   commits stay. Conflicts and invalid files stop it, resumable. Only the changed files
   are read: the cost follows the size of the change, not of the folder.
5. The merge commit, then the push (a remote that moved meanwhile: fetch and merge again).
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from visites import gitmerge, gitops, gitstate, registry, syncplan
from visites.errors import Problem, VisitesError
from visites.store import CASE_FILE, SETTINGS_FILE, Folder, atomic_write
from visites.syncplan import OURS, THEIRS, ErasureConflict, Hunk, Loss, Version

MERGE_TEMP = ".merge_file_"  # git's temporary copies for a merge driver, in the work tree
MERGE_MESSAGE = "synchronisation : fusion du travail de l'équipe"  # never the remote's address
PUSH_ATTEMPTS = 3


@dataclass(frozen=True)
class Choices:
    """What the user decided on the command line (`visites sync --…`)."""

    accept_erasure: tuple[str, ...] = ()
    keep_as_new: tuple[str, ...] = ()
    mine: tuple[str, ...] = ()
    theirs: tuple[str, ...] = ()
    abort: bool = False


@dataclass(frozen=True)
class Renumbered:
    old: str
    new: str
    courriers: list[str]  # documents produced under the old ID


@dataclass(frozen=True)
class CaseConflict:
    case_id: str
    path: str
    fields: list[tuple[str, str, str]]  # (field, here, there)


@dataclass
class SyncReport:
    remote: str = ""
    received: list[str] = field(default_factory=list)  # IDs (or file names) merged in
    pushed: bool = False
    concluded: bool = False  # a merge stopped earlier was concluded
    recovered: bool = False  # a sync killed halfway was rolled back first
    aborted: bool = False  # `--abort`: the merge in progress was abandoned
    committed: list[str] = field(default_factory=list)  # files owed to the history, committed
    renumbered: list[Renumbered] = field(default_factory=list)
    kept_as_new: list[tuple[str, str]] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)
    erasures: list[ErasureConflict] = field(default_factory=list)  # stop: decide first
    case_conflicts: list[CaseConflict] = field(default_factory=list)  # stop: merge waits
    text_conflicts: list[tuple[str, list[Hunk]]] = field(default_factory=list)  # stop
    invalid: list[Problem] = field(default_factory=list)  # stop: merge waits
    losses: list[Loss] = field(default_factory=list)  # the merge was aborted

    @property
    def ok(self) -> bool:
        return self.aborted or (
            self.pushed
            and not (self.erasures or self.case_conflicts or self.text_conflicts)
            and not (self.invalid or self.losses)
        )


def sync(folder: Folder, by: str | None, choices: Choices = Choices()) -> SyncReport:
    """Fetch the team's remote, merge, verify, commit, push (see the module's docstring)."""
    root = folder.root
    report = SyncReport()
    with folder.lock():
        gitops.clear_abandoned_locks(root)  # a git command killed with a sync
        gitops.ensure_setup(root)
        report.recovered = recover(folder)
        if choices.abort:
            _abort(folder, report)
            return report
        if gitmerge.merging(root):
            if not _resume(folder, report, choices, by):
                return report
        else:
            _remove_merge_temp_files(root)
            _commit_owed(folder, report)
        where = gitmerge.upstream(root)
        report.remote = str(where)
        for _ in range(PUSH_ATTEMPTS):
            ours, theirs = gitmerge.fetch(root, where)
            if theirs is not None and not _merge(folder, ours, theirs, choices, report, by):
                return report
            if gitmerge.push(root, where):
                report.pushed = True
                break
        else:
            raise VisitesError(
                f"envoi refusé par {where.remote} : le dépôt de l'équipe change "
                "sans cesse ; relancez « visites sync » dans un instant"
            )
        gitstate.clear_sync_state(root)
    return report


# ---------------------------------------------------------------------------- recovery


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
    gitmerge.abort_merge(root, _without_pending(root, touched))
    _remove_merge_temp_files(root)
    gitstate.clear_sync_state(root)
    from visites import notices

    notices.warn(
        "la synchronisation précédente a été interrompue pendant la fusion : la fusion "
        "inachevée est annulée, vos enregistrements sont intacts ; relancez « visites sync »"
    )
    return True


def _abort(folder: Folder, report: SyncReport) -> None:
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
    gitmerge.abort_merge(root, _without_pending(root, touched))
    _remove_merge_temp_files(root)
    gitstate.clear_sync_state(root)
    report.aborted = True


def _without_pending(root: Path, paths: list[str]) -> list[str]:
    """Never roll back a file a command wrote during a stopped merge: it is someone's work,
    owed to the history (gitstate's pending commits)."""
    owed = {name for entry in gitstate.pending(root) for name in entry.paths}
    return [p for p in dict.fromkeys(paths) if p not in owed]


def _remove_merge_temp_files(root: Path) -> None:
    """The copies git gives a merge driver (`.merge_file_*`), left by a killed merge."""
    for leftover in root.glob(MERGE_TEMP + "*"):
        with contextlib.suppress(OSError):
            leftover.unlink()


def leftover_problems(root: Path) -> list[Problem]:
    """For `check`: temporary merge files left behind (a sync killed during a merge). They
    hold whole copies of case files; the next `visites sync` removes them."""
    return [
        Problem(
            str(path),
            None,
            "copie temporaire d'une fusion interrompue (données "
            "personnelles) : « visites sync » la supprime",
            "avertissement",
        )
        for path in sorted(root.glob(MERGE_TEMP + "*"))
    ]


# ---------------------------------------------------------------------------- before merging


def _commit_owed(folder: Folder, report: SyncReport) -> None:
    """Commit what visites wrote and did not commit yet (pending commits, case files never
    committed, the registry's merge rule); refuse any other uncommitted change."""
    root = folder.root
    if attributes := gitops.upgrade_attributes(root):
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


# ---------------------------------------------------------------------------- merging


@dataclass
class _Merge:
    """The three commits of one merge and what changed on each side since the base."""

    base: str
    ours: str
    theirs: str
    ours_changes: dict[str, gitmerge.Change]
    theirs_changes: dict[str, gitmerge.Change]

    def ids(self, path: str) -> tuple[str | None, str | None, str | None]:
        """The blob ids of `path` in the base, ours and theirs (None: absent)."""
        change = self.ours_changes.get(path) or self.theirs_changes.get(path)
        base = change.old if change else None
        ours = self.ours_changes[path].new if path in self.ours_changes else base
        theirs = self.theirs_changes[path].new if path in self.theirs_changes else base
        return base, ours, theirs

    @property
    def touched(self) -> list[str]:
        return list(dict.fromkeys([*self.ours_changes, *self.theirs_changes]))

    def both(self) -> list[str]:
        return [p for p in self.ours_changes if p in self.theirs_changes]


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
        gitmerge.fast_forward(root, theirs)
        return _settle(folder, list(received), report, fast_forward=True)
    plan = _Merge(
        base, ours, theirs, gitmerge.changes(root, base, ours), gitmerge.changes(root, base, theirs)
    )
    decided = _erasures(folder, plan, choices, report)
    if report.erasures:
        return False
    if _renumber(folder, plan, report, by, reserved=decided):
        ours = gitmerge.rev(root, "HEAD") or ours
        plan = _Merge(base, ours, theirs, gitmerge.changes(root, base, ours), plan.theirs_changes)
    state = gitstate.SyncState(
        gitstate.MERGING,
        ours,
        theirs,
        base,
        decided={p: gitmerge.blob_id(c) if c is not None else None for p, c in decided.items()},
    )
    gitstate.save_sync_state(root, state)
    clean = gitmerge.start_merge(root, theirs, MERGE_MESSAGE, by)
    for path, content in decided.items():
        if content is None:
            with contextlib.suppress(FileNotFoundError):
                (root / path).unlink()
        else:
            atomic_write(root / path, content)
    _normalise_registry(root, plan)
    touched = list(dict.fromkeys([*plan.touched, *decided]))
    if decided:
        gitmerge.stage(root, list(decided))
    conflicted = [] if clean else [p for p in gitmerge.unmerged(root) if p not in decided]
    # What the commit would hold: the index (git's merge, the decisions staged above).
    verdict = _verify(root, plan, [p for p in touched if p not in conflicted], decided)
    if not verdict.ok:
        gitmerge.abort_merge(root, touched)
        gitstate.clear_sync_state(root)
        report.losses = verdict.losses
        return False
    folder.config = _settings(folder, touched)
    if conflicted or _invalid(folder, touched, report):
        _describe_conflicts(folder, conflicted, report)
        state.phase = gitstate.STOPPED
        state.at_stop = _fingerprints(root, touched)
        gitstate.save_sync_state(root, state)
        return False
    return _conclude(folder, plan, report, by)


def _conclude(folder: Folder, plan: _Merge, report: SyncReport, by: str | None) -> bool:
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
    return _settle(folder, list(plan.theirs_changes), report)


def _settle(
    folder: Folder, received: list[str], report: SyncReport, fast_forward: bool = False
) -> bool:
    """After HEAD moved: the received files made private, named in the report; after a
    fast-forward (nothing to verify: theirs as it is), their validity checked."""
    root = folder.root
    _keep_private(root, received)
    shown = [m.group(1) if (m := CASE_FILE.fullmatch(Path(p).name)) else p for p in received]
    report.received += [s for s in shown if s not in report.received]
    if fast_forward:
        folder.config = _settings(folder, received)
        return not _invalid(folder, received, report)
    return True


def _verify(
    root: Path,
    plan: _Merge,
    paths: list[str],
    expected: dict[str, bytes | None],
    lenient: frozenset[str] | set[str] = frozenset(),
) -> syncplan.Verdict:
    """Each path of the index (what the commit would hold) against its three versions. A
    file one side changed is settled on git's blob ids alone; only a file both sides
    changed is read (one git call for all of them)."""
    merged = gitmerge.index_ids(root, paths)
    verdict = syncplan.Verdict()
    to_read: list[str] = []
    for path in paths:
        base, ours, theirs = plan.ids(path)
        if path in expected:
            wanted = expected[path]
            if merged.get(path) != (gitmerge.blob_id(wanted) if wanted is not None else None):
                verdict.losses.append(syncplan.Loss(path, "la décision prise pour ce fichier"))
        elif path not in lenient:
            settled = syncplan.one_sided(path, base, ours, theirs, merged.get(path))
            if settled is None:
                to_read.append(path)
            else:
                verdict.losses += settled
    if to_read:
        ids = [(*plan.ids(p), merged.get(p)) for p in to_read]
        found = gitops.blobs(root, [i or "" for four in ids for i in four])
        versions = [Version(p, *found[4 * n : 4 * n + 4]) for n, p in enumerate(to_read)]
        verdict.losses += syncplan.verify(versions).losses
    return verdict


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


def _fingerprints(root: Path, paths: list[str]) -> dict[str, str]:
    return {p: gitmerge.blob_id(raw) for p in paths if (raw := _read(root / p)) is not None}


def _normalise_registry(root: Path, plan: _Merge) -> None:
    """Changed on both sides, the registry was merged as a union: keep it sorted and unique."""
    name = registry.REGISTRY_FILE
    if name in plan.ours_changes and name in plan.theirs_changes:
        text = registry.read_text(root)
        if "<<<<<<<" in text:
            return  # a folder without the union rule: the verification names it
        tidy = registry.render(registry.parse(text))
        if tidy != text:
            atomic_write(registry.path_in(root), tidy.encode("utf-8"))
        gitmerge.stage(root, [name])


def _settings(folder: Folder, paths: list[str]):  # noqa: ANN202 - Config, imported lazily
    """The settings to check the merged cases with: read again if the merge changed them."""
    if SETTINGS_FILE not in paths:
        return folder.config
    from visites.config import Config
    from visites.store import load_config

    try:
        return load_config(folder.root)
    except VisitesError:
        return Config()  # the settings' own problem is reported by _invalid


def _invalid(folder: Folder, paths: list[str], report: SyncReport) -> bool:
    """Errors in the files the merge changed (never the whole folder): cases, settings."""
    from visites import casefile
    from visites.errors import InvalidFile
    from visites.store import load_config

    root = folder.root
    problems: list[Problem] = []
    for path in paths:
        full = root / path
        match = CASE_FILE.fullmatch(path)
        if match:
            raw = _read(full)
            if raw is not None:
                parsed = casefile.parse(raw, str(full), folder.config, expected_id=match.group(1))
                problems += parsed.errors
        elif path == SETTINGS_FILE and full.exists():
            try:
                load_config(root)
            except InvalidFile as error:
                problems += error.problems
            except VisitesError as error:
                problems.append(Problem(str(full), None, error.message))
    report.invalid = [
        p
        for p in problems
        if "conflit de fusion" not in p.message and "marqueur de conflit" not in p.message
    ]
    return bool(problems)


def _keep_private(root: Path, paths: list[str]) -> None:
    """Git writes files with the user's umask (often readable by all): case files go back to
    0600 after a merge. The first sync of a clone does every case file once."""
    marker = root / ".git" / gitstate.STATE_DIR / "prive"
    if not marker.exists():
        paths = [p.name for p in root.iterdir() if CASE_FILE.fullmatch(p.name)]
        with contextlib.suppress(OSError):
            marker.parent.mkdir(mode=0o700, exist_ok=True)
            marker.touch()
    for path in paths:
        if CASE_FILE.fullmatch(Path(path).name):
            full = root / path
            with contextlib.suppress(OSError):
                if full.stat().st_mode & 0o077:
                    full.chmod(0o600)


# ---------------------------------------------------------------------------- the plan


def _erasures(
    folder: Folder, plan: _Merge, choices: Choices, report: SyncReport
) -> dict[str, bytes | None]:
    """Erasure conflicts; those the user decided become the content each path must have."""
    root = folder.root
    both = [p for p in plan.both() if CASE_FILE.fullmatch(p)]
    named = set(choices.accept_erasure) | set(choices.keep_as_new)
    if not both and not named:
        return {}  # nothing changed on both sides: no erasure can meet a change
    versions = _versions_from_git(root, plan, both) if both else []
    registries = _registries(root, plan)
    conflicts = syncplan.erasure_conflicts(versions, registries[OURS], registries[THEIRS])
    found = {c.case_id for c in conflicts}
    if unknown := sorted(named - found):
        raise VisitesError(
            f"dossier {unknown[0]} : aucun conflit d'effacement à trancher ; relancez "
            "« visites sync » sans --accept-erasure ni --keep-as-new"
        )
    by_path = {v.path: v for v in versions}
    decided: dict[str, bytes | None] = {
        path: None for path in syncplan.deletions_over_anonymisations(versions)
    }
    for conflict in conflicts:
        version = by_path[conflict.path]
        erased_side = version.side(conflict.erased_by)
        other = THEIRS if conflict.erased_by == OURS else OURS
        if conflict.case_id in choices.accept_erasure:
            decided[conflict.path] = erased_side
            report.accepted.append(conflict.case_id)
        elif conflict.case_id in choices.keep_as_new:
            new_id = _free_id(root, plan, int(conflict.case_id[:4]), taken=decided)
            kept = _with_id(version.side(other) or b"", conflict.case_id, new_id)
            decided[conflict.path] = erased_side
            decided[f"{new_id}.yaml"] = kept
            report.kept_as_new.append((conflict.case_id, new_id))
        else:
            report.erasures.append(conflict)
    return decided


def _versions_from_git(root: Path, plan: _Merge, paths: list[str]) -> list[Version]:
    """The three versions of each path, read by blob id (one git call)."""
    found = gitops.blobs(root, [i or "" for p in paths for i in plan.ids(p)])
    return [Version(p, *found[3 * i : 3 * i + 3]) for i, p in enumerate(paths)]


def _registries(root: Path, plan: _Merge) -> dict[str, registry.Registry]:
    name = registry.REGISTRY_FILE
    texts = gitops.blobs(
        root, [f"{plan.base}:{name}", f"{plan.ours}:{name}", f"{plan.theirs}:{name}"]
    )
    parsed = [registry.parse((t or b"").decode("utf-8", "replace")) for t in texts]
    return {"base": parsed[0], OURS: parsed[1], THEIRS: parsed[2]}


def _renumber(
    folder: Folder,
    plan: _Merge,
    report: SyncReport,
    by: str | None,
    reserved: dict[str, bytes | None],
) -> bool:
    """Give a new ID to each case added here whose ID the remote gave to another household
    (or erased); one commit. True when something was renumbered."""
    root = folder.root
    added_here = [
        p for p, c in plan.ours_changes.items() if c.status == "A" and CASE_FILE.fullmatch(p)
    ]
    if not added_here:
        return False
    registries = _registries(root, plan)
    erased_there = registries[THEIRS].ids() - registries["base"].ids()
    both = [
        p
        for p in added_here
        if (c := plan.theirs_changes.get(p)) is not None
        and c.status == "A"
        or syncplan.case_id_of(p) in erased_there
    ]
    if not both:
        return False
    versions = _versions_from_git(root, plan, both)
    moving = syncplan.collisions(versions, erased_there)
    if not moving:
        return False
    by_path = {v.path: v for v in versions}
    taken: dict[str, bytes | None] = dict(reserved)  # the IDs of cases kept as new
    paths: list[str] = []
    for path in moving:
        old = syncplan.case_id_of(path)
        new = _free_id(root, plan, int(old[:4]), taken)
        content = by_path[path].ours or b""
        taken[f"{new}.yaml"] = content
        report.renumbered.append(
            Renumbered(old, new, syncplan.courriers(syncplan.tree_of(content)))
        )
        paths += [path, f"{new}.yaml"]
    moved = ", ".join(f"{r.old} → {r.new}" for r in report.renumbered)
    subject = f"{moved}: renumérotation (numéro déjà donné par un·e collègue)"
    gitstate.add_pending(root, gitstate.Pending(tuple(paths), subject, "renumber", by))
    for renumbered in report.renumbered:
        new_path = root / f"{renumbered.new}.yaml"
        atomic_write(
            new_path, _with_id(taken[new_path.name] or b"", renumbered.old, renumbered.new)
        )
        with contextlib.suppress(FileNotFoundError):
            (root / f"{renumbered.old}.yaml").unlink()
    gitops.commit_pending(root)
    return True


def _free_id(root: Path, plan: _Merge, year: int, taken: dict[str, bytes | None]) -> str:
    """The next ID of `year` free here, on the remote, and in both registries."""
    numbers = []
    for rev in (plan.ours, plan.theirs):
        numbers += [
            int(n[5:-5])
            for n in gitmerge.names(root, rev)
            if CASE_FILE.fullmatch(n) and n.startswith(f"{year}-")
        ]
    numbers += [int(n[5:-5]) for n in taken if n.startswith(f"{year}-")]
    numbers += [
        int(n[5:-5])
        for n in (p.name for p in root.glob(f"{year}-*.yaml"))
        if CASE_FILE.fullmatch(n)
    ]
    for text in gitops.blobs(
        root, [f"{plan.ours}:{registry.REGISTRY_FILE}", f"{plan.theirs}:{registry.REGISTRY_FILE}"]
    ):
        numbers += registry.numbers_in((text or b"").decode("utf-8", "replace"), year)
    return syncplan.next_free(year, numbers)


def _with_id(content: bytes, old: str, new: str) -> bytes:
    """The case file's text with its `id:` line changed, and nothing else."""
    pattern = re.compile(rb"(?m)^id:[ \t]*['\"]?" + re.escape(old.encode()) + rb"['\"]?[ \t]*$")
    return pattern.sub(b"id: " + new.encode(), content, count=1)


# ---------------------------------------------------------------------------- after a stop


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
    plan = _Merge(
        base, ours, theirs, gitmerge.changes(root, base, ours), gitmerge.changes(root, base, theirs)
    )
    _take_sides(root, choices)
    owed = [name for entry in gitstate.pending(root) for name in entry.paths]
    touched = list(dict.fromkeys([*plan.touched, *state.decided, *owed]))
    unmerged = gitmerge.unmerged(root)
    now = _fingerprints(root, touched)
    user = {
        p
        for p in touched
        if p in unmerged or p in owed or (p in state.at_stop and now.get(p) != state.at_stop[p])
    }
    folder.config = _settings(folder, touched)
    waiting = [p for p in touched if _still_conflicted(root, p)]
    if waiting or _invalid(folder, touched, report):
        _describe_conflicts(folder, waiting, report)
        return False
    expected: dict[str, bytes | None] = {}
    for path, wanted in state.decided.items():
        content = _read(root / path)
        if wanted == (gitmerge.blob_id(content) if content is not None else None):
            expected[path] = content
        else:
            user.add(path)  # changed by hand since the stop: the user's decision
    gitmerge.stage(root, touched)  # the user's decisions, as they are in the work tree
    verdict = _verify(root, plan, touched, expected, lenient=user)
    if not verdict.ok:
        gitmerge.abort_merge(root, _without_pending(root, touched))
        gitstate.clear_sync_state(root)
        report.losses = verdict.losses
        return False
    report.concluded = True
    return _conclude(folder, plan, report, by)


def _take_sides(root: Path, choices: Choices) -> None:
    """`--mine FILE` / `--theirs FILE`: a conflicted non-case file (settings, template)
    takes one side whole."""
    for option, names, side in (
        ("--mine", choices.mine, "--ours"),
        ("--theirs", choices.theirs, "--theirs"),
    ):
        for name in names:
            relative = name.strip("/")
            if relative not in gitmerge.unmerged(root):
                raise VisitesError(
                    f"{option} {name} : ce fichier n'est pas en conflit ; "
                    "relancez « visites sync » sans cette option"
                )
            done = gitops.git(root, "checkout", side, "--", relative, check=False)
            if done.returncode != 0:  # that side deleted it
                gitops.git(root, "rm", "-q", "--", relative, check=False)
            else:
                gitmerge.stage(root, [relative])


def _still_conflicted(root: Path, path: str) -> bool:
    raw = _read(root / path)
    if raw is None:
        return False
    text = raw.decode("utf-8", "replace")
    if syncplan.text_conflicts(text):
        return True
    return CASE_FILE.fullmatch(path) is not None and "\nconflit_visites:" in "\n" + text


def _describe_conflicts(folder: Folder, paths: list[str], report: SyncReport) -> None:
    """Each file left to decide: a case's fields, or a text file's lines (both values)."""
    from visites.casediff import CONFLICT_KEY

    root = folder.root
    for path in paths:
        raw = _read(root / path)
        text = (raw or b"").decode("utf-8", "replace")
        match = CASE_FILE.fullmatch(path)
        tree = syncplan.tree_of(raw) if match else None
        if match and isinstance(tree, dict) and CONFLICT_KEY in tree:
            fields = []
            for entry in tree[CONFLICT_KEY] if isinstance(tree[CONFLICT_KEY], list) else []:
                if isinstance(entry, dict):
                    fields.append(
                        (
                            str(entry.get("champ", "?")),
                            _shown(entry.get("locale")),
                            _shown(entry.get("distante")),
                        )
                    )
            report.case_conflicts.append(CaseConflict(match.group(1), path, fields))
        elif match and raw is None:
            report.case_conflicts.append(
                CaseConflict(
                    match.group(1),
                    path,
                    [("(dossier entier)", "supprimé d'un côté", "modifié de l'autre")],
                )
            )
        else:
            whole = Hunk(1, "modifié d'un côté", "supprimé de l'autre")
            report.text_conflicts.append((path, syncplan.text_conflicts(text) or [whole]))


def _shown(value: object) -> str:
    text = str(value) if not isinstance(value, dict | list) else "(section entière)"
    return text if len(text) <= 60 else text[:57] + "…"
