"""What `visites sync` decides and reports: the user's choices (`--accept-erasure`…), the
three commits of a merge and what changed on each side (`MergePlan`), and the report the
command renders (`cli/sync_report.py`). Data only."""

from __future__ import annotations

from dataclasses import dataclass, field

from visites.errors import Problem
from visites.git import merge as gitmerge
from visites.merge.plan import ErasureConflict, Hunk
from visites.merge.verify import Loss


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
    fields: list[tuple[str, str, str, str]]  # (field, here, there, why it is not settled)


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
    # The remote's cases moved to a new ID: this clone had sent another household under it.
    received_renumbered: list[Renumbered] = field(default_factory=list)
    kept_as_new: list[tuple[str, str]] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)
    erasures: list[ErasureConflict] = field(default_factory=list)  # stop: decide first
    case_conflicts: list[CaseConflict] = field(default_factory=list)  # stop: merge waits
    text_conflicts: list[tuple[str, list[Hunk]]] = field(default_factory=list)  # stop
    invalid: list[Problem] = field(default_factory=list)  # stop: merge waits
    losses: list[Loss] = field(default_factory=list)  # the merge was aborted
    read_only: list[str] = field(default_factory=list)  # read-only case files the merge changed
    warnings: list[str] = field(default_factory=list)  # French, said whatever the outcome

    @property
    def ok(self) -> bool:
        return self.aborted or (
            self.pushed
            and not (self.erasures or self.case_conflicts or self.text_conflicts)
            and not (self.invalid or self.losses)
        )


@dataclass
class MergePlan:
    """The three commits of one merge and what changed on each side since the base."""

    base: str
    ours: str
    theirs: str
    ours_changes: dict[str, gitmerge.Change]
    theirs_changes: dict[str, gitmerge.Change]
    locked: dict[str, bytes] = field(default_factory=dict)  # read-only files the merge may write

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
