"""A case erased on one side and changed on the other, met by a sync: it waits for the
user's choice (`--accept-erasure`, `--keep-as-new`), before visites merges and when it
concludes a merge begun elsewhere (by hand, a `git pull`)."""

from __future__ import annotations

import contextlib

from visites.errors import VisitesError
from visites.git import merge as gitmerge
from visites.git import state as gitstate
from visites.merge import plan as syncplan
from visites.merge.plan import OURS, THEIRS
from visites.services.sync import decide as syncdecide
from visites.services.sync.files import write_decided
from visites.services.sync.report import Choices, MergePlan, SyncReport
from visites.store import CASE_FILE, Folder


def erasures(
    folder: Folder, plan: MergePlan, choices: Choices, report: SyncReport
) -> dict[str, bytes | None]:
    """Erasure conflicts; those the user decided become the content each path must have."""
    root = folder.root
    both = [p for p in plan.both() if CASE_FILE.fullmatch(p)]
    named = set(choices.accept_erasure) | set(choices.keep_as_new)
    if not both and not named:
        return {}  # nothing changed on both sides: no erasure can meet a change
    versions = syncdecide.versions_from_git(root, plan, both) if both else []
    registries = syncdecide.registry_versions(root, plan)
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
            new_id = syncdecide.free_id(root, plan, int(conflict.case_id[:4]), taken=decided)
            kept = syncdecide.with_id(version.side(other) or b"", conflict.case_id, new_id)
            decided[conflict.path] = erased_side
            decided[f"{new_id}.yaml"] = kept
            report.kept_as_new.append((conflict.case_id, new_id))
        else:
            report.erasures.append(conflict)
    return decided


def erasures_on_resume(
    folder: Folder, plan: MergePlan, state: gitstate.SyncState, choices: Choices, report: SyncReport
) -> None:
    """The erasure check of a merge being concluded, whatever brought it (a merge by hand,
    a `git pull`): a case erased on one side and changed on the other stops it, as before
    a merge visites starts (`report.erasures`). What the user decides is written, staged
    and noted in `state.decided`, the content the commit must hold; what was decided when
    visites started the merge is not asked again."""
    root = folder.root
    decided = erasures(folder, plan, choices, report)
    report.erasures = [c for c in report.erasures if c.path not in state.decided]
    fresh = {path: content for path, content in decided.items() if path not in state.decided}
    if report.erasures or not fresh:
        return
    for path, content in fresh.items():
        if content is None:
            with contextlib.suppress(FileNotFoundError):
                (root / path).unlink()
        else:
            write_decided(root, path, content)
    gitmerge.stage(root, list(fresh))
    state.decided.update(
        {p: gitmerge.blob_id(c) if c is not None else None for p, c in fresh.items()}
    )
    gitstate.save_sync_state(root, state)
