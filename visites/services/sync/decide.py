"""What a sync decides before it merges: a case added here under an ID the remote gave to
another household takes the next free ID (one commit); a case erased on one side and
changed on the other waits for the user's choice; the registry stays sorted."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

from visites.errors import VisitesError
from visites.git import merge as gitmerge
from visites.git import run as gitops
from visites.git import state as gitstate
from visites.merge import plan as syncplan
from visites.merge import registry
from visites.merge.plan import OURS, THEIRS, Version
from visites.services import tombstones
from visites.services.sync.report import Choices, MergePlan, Renumbered, SyncReport
from visites.store import CASE_FILE, Folder, atomic_write


def erasures(
    folder: Folder, plan: MergePlan, choices: Choices, report: SyncReport
) -> dict[str, bytes | None]:
    """Erasure conflicts; those the user decided become the content each path must have."""
    root = folder.root
    both = [p for p in plan.both() if CASE_FILE.fullmatch(p)]
    named = set(choices.accept_erasure) | set(choices.keep_as_new)
    if not both and not named:
        return {}  # nothing changed on both sides: no erasure can meet a change
    versions = versions_from_git(root, plan, both) if both else []
    registries = registry_versions(root, plan)
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
            new_id = free_id(root, plan, int(conflict.case_id[:4]), taken=decided)
            kept = _with_id(version.side(other) or b"", conflict.case_id, new_id)
            decided[conflict.path] = erased_side
            decided[f"{new_id}.yaml"] = kept
            report.kept_as_new.append((conflict.case_id, new_id))
        else:
            report.erasures.append(conflict)
    return decided


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
    (or erased); one commit. True when something was renumbered."""
    root = folder.root
    added_here = [
        p for p, c in plan.ours_changes.items() if c.status == "A" and CASE_FILE.fullmatch(p)
    ]
    if not added_here:
        return False
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
        return False
    versions = versions_from_git(root, plan, both)
    moving = syncplan.collisions(versions, erased_there)
    if not moving:
        return False
    by_path = {v.path: v for v in versions}
    taken: dict[str, bytes | None] = dict(reserved)  # the IDs of cases kept as new
    paths: list[str] = []
    for path in moving:
        old = syncplan.case_id_of(path)
        new = free_id(root, plan, int(old[:4]), taken)
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


def free_id(root: Path, plan: MergePlan, year: int, taken: dict[str, bytes | None]) -> str:
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
