"""What a sync decides before it merges: a case added here under an ID the remote gave to
another household takes the next free ID (one commit); the registry stays sorted. (A case
erased on one side and changed on the other: `erasures`.)"""

from __future__ import annotations

import contextlib
import re
from dataclasses import asdict
from pathlib import Path

from visites.git import merge as gitmerge
from visites.git import numbers as gitnumbers
from visites.git import run as gitops
from visites.git import state as gitstate
from visites.merge import plan as syncplan
from visites.merge import registry
from visites.merge.casediff import different_households
from visites.merge.plan import OURS, THEIRS, Version
from visites.services import tombstones
from visites.services.sync.files import write_decided
from visites.services.sync.report import MergePlan, Renumbered, SyncReport
from visites.store import CASE_FILE, Folder, atomic_write


def versions_from_git(root: Path, plan: MergePlan, paths: list[str]) -> list[Version]:
    """The three versions of each path, read by blob id (one git call)."""
    found = gitops.blobs(root, [i or "" for p in paths for i in plan.ids(p)])
    return [Version(p, *found[3 * i : 3 * i + 3]) for i, p in enumerate(paths)]


def registry_versions(root: Path, plan: MergePlan) -> dict[str, registry.Registry]:
    name = registry.REGISTRY_FILE
    texts = gitops.blobs(
        root, [f"{plan.base}:{name}", f"{plan.ours}:{name}", f"{plan.theirs}:{name}"]
    )
    parsed = [registry.parse((t or b"").decode("utf-8", "replace")) for t in texts]
    return {"base": parsed[0], OURS: parsed[1], THEIRS: parsed[2]}


def renumber(
    folder: Folder,
    plan: MergePlan,
    report: SyncReport,
    by: str | None,
    reserved: dict[str, bytes | None],
) -> bool:
    """Give a new ID to each case added here whose ID the remote gave to another household
    (or erased); one commit. True when something was renumbered. `reserved`: paths already
    decided (by `received_renumbered`, the erasure options), never renumbered here."""
    root = folder.root
    moving, by_path = _collisions(root, plan)
    moving = [p for p in moving if p not in reserved]
    mine: set[registry.Tombstone] = set()
    if registry.REGISTRY_FILE in plan.ours_changes:  # else nothing was erased here
        registries = registry_versions(root, plan)
        mine = set(registries[OURS].tombstones) - set(registries["base"].tombstones)
    erased_only = _erased_here_given_there(plan, {t.case_id for t in mine}, moving)
    if not moving and not erased_only:
        return False
    taken: dict[str, bytes | None] = dict(reserved)  # the IDs of cases kept as new
    paths: list[str] = []
    made: list[Renumbered] = []
    for path in moving:
        old = syncplan.case_id_of(path)
        new = free_id(root, plan, int(old[:4]), taken)
        content = by_path[path].ours or b""
        taken[f"{new}.yaml"] = content
        made.append(Renumbered(old, new, syncplan.courriers(syncplan.tree_of(content))))
        paths += [path, f"{new}.yaml"]
    for old in erased_only:  # erased here: only its tombstone moves
        new = free_id(root, plan, int(old[:4]), taken)
        taken[f"{new}.yaml"] = None
        made.append(Renumbered(old, new, []))
    moves = {r.old: r.new for r in made}
    if any(t.case_id in moves for t in mine):
        moved_stones = registry.renumbered(registries[OURS], moves, mine)
        write_decided(root, registry.REGISTRY_FILE, registry.render(moved_stones).encode())
        paths.append(registry.REGISTRY_FILE)
    report.renumbered += [r for r in made if r not in report.renumbered]
    moved = ", ".join(f"{r.old} → {r.new}" for r in made)
    subject = f"{moved}: renumérotation (numéro déjà donné par un·e collègue)"
    # Told by whichever sync gets to print it (this one, or the next if this one is killed).
    gitstate.add_renumberings(root, [asdict(r) for r in made])
    gitstate.add_pending(root, gitstate.Pending(tuple(paths), subject, "renumber", by))
    for renumbered in made:
        name = f"{renumbered.new}.yaml"
        if taken[name] is None:
            continue  # a tombstone only: no file
        write_decided(root, name, with_id(taken[name] or b"", renumbered.old, renumbered.new))
        with contextlib.suppress(FileNotFoundError):
            (root / f"{renumbered.old}.yaml").unlink()
    gitops.commit_pending(root)
    return True


def _erased_here_given_there(
    plan: MergePlan, erased_here: set[str], moving: list[str]
) -> list[str]:
    """The IDs this clone erased since the merge-base whose file it no longer has, and that
    the remote gave to another household (added there): a household created here offline,
    then deleted, never sent. Its tombstone must not name the team's household."""
    found = []
    for case_id in sorted(erased_here):
        path = f"{case_id}.yaml"
        change = plan.theirs_changes.get(path)
        if path in moving or path in plan.ours_changes or change is None:
            continue
        if change.status == "A":
            found.append(case_id)
    return found


def _collisions(root: Path, plan: MergePlan) -> tuple[list[str], dict[str, Version]]:
    """The cases added here since the merge-base whose ID the remote gave to another
    household (or erased), and the three versions of each."""
    added_here = [
        p for p, c in plan.ours_changes.items() if c.status == "A" and CASE_FILE.fullmatch(p)
    ]
    if not added_here:
        return [], {}
    registries = registry_versions(root, plan)
    erased_there = registries[THEIRS].ids() - registries["base"].ids()
    both = [
        p
        for p in added_here
        if (c := plan.theirs_changes.get(p)) is not None
        and c.status == "A"
        or syncplan.case_id_of(p) in erased_there
    ]
    if not both:
        return [], {}
    versions = versions_from_git(root, plan, both)
    apart = {p for p in both if p in plan.theirs_changes and created_apart(root, plan, p)}
    return syncplan.collisions(versions, erased_there, apart), {v.path: v for v in versions}


def received_renumbered(
    folder: Folder, plan: MergePlan, report: SyncReport, reserved: dict[str, bytes | None]
) -> dict[str, bytes | None]:
    """A colliding case this clone had already sent keeps its ID: the team knew it under it.
    The remote's case of that ID (after a history rewritten by a `git push --force`) takes
    the next free ID in the merge. The content each path must have in the merge."""
    root = folder.root
    moving, by_path = _collisions(root, plan)
    known = sent(root, [p for p in moving if p in plan.theirs_changes], plan)
    decided: dict[str, bytes | None] = {}
    taken: dict[str, bytes | None] = dict(reserved)
    for path in known:
        version = by_path[path]
        old = syncplan.case_id_of(path)
        new = free_id(root, plan, int(old[:4]), taken)
        moved = with_id(version.theirs or b"", old, new)
        decided[path] = taken[path] = version.ours
        decided[f"{new}.yaml"] = taken[f"{new}.yaml"] = moved
        courriers = syncplan.courriers(syncplan.tree_of(version.theirs))
        report.received_renumbered.append(Renumbered(old, new, courriers))
    return decided


def sent(root: Path, paths: list[str], plan: MergePlan) -> list[str]:
    """The paths among `paths` (added here since the merge-base) whose creation the team's
    remote already had: reachable from a commit its remote-tracking branch held once (its
    reflog, kept by git for every fetch and push). « Added since the merge-base » is not
    « never sent » when someone rewrote the remote's history."""
    if not paths:
        return []
    where = gitmerge.upstream(root)
    tracking = f"refs/remotes/{where.remote}/{where.branch}"
    held = gitops.git(root, "log", "-g", "--format=%H", tracking, check=False)
    known = set(held.stdout.decode().split()) - {plan.theirs}
    created = {p: creation(root, plan.base, plan.ours, p) for p in paths}
    if not known or not any(created.values()):
        return []
    asked = [c for c in created.values() if c]
    stdin = "\n".join([*asked, *(f"^{c}" for c in sorted(known))]).encode() + b"\n"
    done = gitops.git(root, "rev-list", "--stdin", stdin=stdin, check=False)
    if done.returncode != 0:  # a commit of the reflog gone (pruned): nothing proven sent
        return []
    unsent = set(done.stdout.decode().split())
    return [p for p, c in created.items() if c and c not in unsent]


def moved_by_the_team(
    root: Path, ours: str, theirs_changes: dict[str, gitmerge.Change], changed_here: set[str]
) -> list[Renumbered]:
    """Cases of this clone the team moved to a new ID (a colleague, after a history rewritten
    by a `git push --force`, kept another household's earlier claim to the ID): the file
    received under the old ID names another household, and the one received under a new ID
    is this clone's. Only the received files are read (none when nothing was added there)."""
    added = [p for p, c in theirs_changes.items() if c.status == "A" and CASE_FILE.fullmatch(p)]
    replaced = [
        p
        for p, c in theirs_changes.items()
        if c.status == "M" and CASE_FILE.fullmatch(p) and p not in changed_here
    ]
    if not added or not replaced:
        return []
    found = gitops.blobs(
        root,
        [f"{ours}:{p}" for p in replaced]
        + [theirs_changes[p].new or "" for p in replaced]
        + [theirs_changes[p].new or "" for p in added],
    )
    trees = [syncplan.tree_of(raw) for raw in found]
    here, there, new = (
        trees[: len(replaced)],
        trees[len(replaced) : 2 * len(replaced)],
        trees[2 * len(replaced) :],
    )
    moved = []
    for path, mine, now in zip(replaced, here, there, strict=True):
        if not (isinstance(mine, dict) and isinstance(now, dict)):
            continue
        if not different_households(mine, now):
            continue
        for target, tree in zip(added, new, strict=True):
            if isinstance(tree, dict) and not different_households(mine, tree):
                old, to = syncplan.case_id_of(path), syncplan.case_id_of(target)
                moved.append(Renumbered(old, to, syncplan.courriers(mine)))
                break
    return moved


def follow_moves(
    folder: Folder, plan: MergePlan, reserved: dict[str, bytes | None]
) -> tuple[dict[str, bytes | None], list[Renumbered]]:
    """Cases this clone changed that the team moved meanwhile to a new ID (see
    `moved_by_the_team`): the changes made here follow the household to its new ID (merged
    there with the team's version), and the old ID keeps the team's household, untouched.
    (The content each path must have in the merge, the renumberings to tell.)"""
    root = folder.root
    changed = [
        p
        for p in plan.both()
        if CASE_FILE.fullmatch(p)
        and p not in reserved
        and plan.ours_changes[p].status == plan.theirs_changes[p].status == "M"
    ]
    added = [
        p
        for p, c in plan.theirs_changes.items()
        if c.status == "A" and CASE_FILE.fullmatch(p) and p not in plan.ours_changes
    ]
    if not changed or not added:
        return {}, []
    versions = versions_from_git(root, plan, changed)
    targets = gitops.blobs(root, [plan.theirs_changes[p].new or "" for p in added])
    decided: dict[str, bytes | None] = {}
    moved: list[Renumbered] = []
    for version in versions:
        before, now = syncplan.tree_of(version.base), syncplan.tree_of(version.theirs)
        if not (isinstance(before, dict) and isinstance(now, dict)):
            continue
        if not different_households(before, now):
            continue
        for target, raw in zip(added, targets, strict=True):
            tree = syncplan.tree_of(raw)
            if target in decided or not isinstance(tree, dict):
                continue
            if different_households(before, tree):
                continue
            old, new = syncplan.case_id_of(version.path), syncplan.case_id_of(target)
            sides = [with_id(raw or b"", old, new) for raw in (version.base, version.ours)]
            decided[version.path] = version.theirs
            decided[target] = _merge_case(root, sides[0], sides[1], raw or b"")
            moved.append(Renumbered(old, new, syncplan.courriers(syncplan.tree_of(version.ours))))
            break
    return decided, moved


def _merge_case(root: Path, base: bytes, ours: bytes, theirs: bytes) -> bytes:
    """The three-way merge of one case's texts, as the merge driver makes it (a conflict
    left in a `conflit_visites` section stops the sync for the user)."""
    import shutil
    import tempfile

    from visites.services.sync.mergedriver import merge_file

    work = Path(tempfile.mkdtemp(dir=root / ".git", prefix="visites-fusion-"))
    try:
        paths = [work / name for name in ("base", "ours", "theirs")]
        for path, content in zip(paths, (base, ours, theirs), strict=True):
            path.write_bytes(content)
        merge_file(*paths)
        return paths[1].read_bytes()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def renumberings_untold(root: Path, report: SyncReport) -> None:
    """The renumberings an interrupted sync made and could not tell: told by this one (each
    whose new file is here: the renumbering did happen)."""
    for entry in gitstate.renumberings(root):
        try:
            told = Renumbered(str(entry["old"]), str(entry["new"]), list(entry["courriers"]))
        except (KeyError, TypeError):
            continue
        if (root / f"{told.new}.yaml").exists() and told not in report.renumbered:
            report.renumbered.append(told)


def creation(root: Path, since: str, until: str, path: str) -> str | None:
    """The commit that created `path` between `since` and `until` (the latest, if it was
    created more than once)."""
    found = gitops.out(root, "log", "-1", "--format=%H", "--diff-filter=A", f"{since}..{until}",
                       "--", path).strip()  # fmt: skip
    return found or None


def created_apart(root: Path, plan: MergePlan, path: str) -> bool:
    """The case was created on each side by a different commit: two referrals recorded
    apart (whatever their names and dates), never one household's two versions."""
    here, there = (creation(root, plan.base, side, path) for side in (plan.ours, plan.theirs))
    return here is None or there is None or here != there


def free_id(root: Path, plan: MergePlan, year: int, taken: dict[str, bytes | None]) -> str:
    """The next ID of `year` free here, on the remote, in both registries, and in the
    history (a deletion committed by hand frees no ID)."""
    numbers = [gitnumbers.ever_given(root).get(str(year), 0)]
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


def with_id(content: bytes, old: str, new: str) -> bytes:
    """The case file's text with its `id:` line changed, and nothing else."""
    pattern = re.compile(rb"(?m)^id:[ \t]*['\"]?" + re.escape(old.encode()) + rb"['\"]?[ \t]*$")
    return pattern.sub(b"id: " + new.encode(), content, count=1)


def normalise_registry(root: Path, plan: MergePlan) -> None:
    """Changed on both sides, the registry was merged as a union: keep it sorted and unique."""
    name = registry.REGISTRY_FILE
    if name in plan.ours_changes and name in plan.theirs_changes:
        text = tombstones.read_text(root)
        if "<<<<<<<" in text:
            return  # a folder without the union rule: the verification names it
        tidy = registry.render(registry.parse(text))
        if tidy != text:
            atomic_write(tombstones.path_in(root), tidy.encode("utf-8"))
        gitmerge.stage(root, [name])


def remember_remote_numbers(root: Path, plan: MergePlan) -> None:
    """The highest number of each year the remote gave since the merge-base (its new case
    files, its registry): `next_id` never gives them here, even if this sync stops before
    merging (an erasure to decide, a merge aborted)."""
    seen: dict[str, int] = {}
    for path, change in plan.theirs_changes.items():
        if change.status == "A" and CASE_FILE.fullmatch(path):
            year, number = path[:4], int(path[5:-5])
            seen[year] = max(number, seen.get(year, 0))
    if registry.REGISTRY_FILE in plan.theirs_changes:
        theirs = registry_versions(root, plan)[THEIRS]
        for stone in theirs.tombstones:
            year, number = stone.case_id[:4], int(stone.case_id[5:])
            seen[year] = max(number, seen.get(year, 0))
    if seen:
        gitstate.save_remote_numbers(root, seen)
