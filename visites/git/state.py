"""What visites remembers inside the clone's `.git/visites/` folder: never tracked, never
shared, private to this clone. Two small JSON files:

- `en-attente.json`, the pending commits: files a command wrote whose commit has not
  happened yet (written before git is called, removed once the commit is made). A commit
  that fails (disk full, read-only repository), a kill between the write and the commit, a
  write during a merge: the next successful commit of visites records them first.
- `sync.json`, the sync in progress: which merge is under way (ours, theirs, merge-base) and
  its phase. A `visites sync` killed halfway leaves it behind, so the next command knows a
  half-done merge is its own and rolls it back; a merge stopped for the user to decide
  (phase "stopped") is resumed instead.

Reading never fails (a damaged file counts as empty); writing is atomic (temp file, rename),
and a write that fails is reported by returning False: the caller decides.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

STATE_DIR = "visites"
PENDING_FILE = "en-attente.json"
SYNC_FILE = "sync.json"


def _folder(root: Path) -> Path:
    return root / ".git" / STATE_DIR


def _read(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _write(path: Path, value: Any) -> bool:
    try:
        path.parent.mkdir(mode=0o700, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(value, out, ensure_ascii=False, indent=1)
            os.replace(temp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
    except OSError:
        return False
    return True


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


# ---------------------------------------------------------------------------- pending commits


@dataclass(frozen=True)
class Pending:
    """One commit visites still owes the history: the files (relative to the folder), the
    subject and action of the command that wrote them, and its author."""

    paths: tuple[str, ...]
    subject: str
    action: str
    by: str | None = None


def pending(root: Path) -> list[Pending]:
    entries = _read(_folder(root) / PENDING_FILE)
    found = []
    for entry in entries if isinstance(entries, list) else []:
        try:
            found.append(
                Pending(
                    tuple(entry["paths"]),
                    str(entry["subject"]),
                    str(entry["action"]),
                    entry.get("by"),
                )
            )
        except (KeyError, TypeError):
            continue
    return found


def add_pending(root: Path, entry: Pending) -> bool:
    """Add `entry` (merged into an identical subject already pending). False if it could not
    be written (the disk is full, the repository read-only)."""
    entries = pending(root)
    for index, known in enumerate(entries):
        if (known.subject, known.action, known.by) == (entry.subject, entry.action, entry.by):
            paths = tuple(dict.fromkeys((*known.paths, *entry.paths)))
            entries[index] = Pending(paths, known.subject, known.action, known.by)
            break
    else:
        entries.append(entry)
    return _write(_folder(root) / PENDING_FILE, [asdict(e) for e in entries])


def set_pending(root: Path, entries: list[Pending]) -> None:
    """What is still owed after some commits were made (nothing: the file goes)."""
    if not entries:
        _remove(_folder(root) / PENDING_FILE)
    else:
        _write(_folder(root) / PENDING_FILE, [asdict(e) for e in entries])


def clear_pending(root: Path) -> None:
    _remove(_folder(root) / PENDING_FILE)


def has_pending(root: Path) -> bool:
    return (_folder(root) / PENDING_FILE).exists()


# ---------------------------------------------------------------------------- sync in progress

MERGING = "merging"  # git merge started, not yet concluded: a kill here is rolled back
STOPPED = "stopped"  # stopped for the user to decide (conflict, invalid file): resumable
MERGED = "merged"  # merge commit made, not yet pushed


@dataclass
class SyncState:
    phase: str
    ours: str
    theirs: str
    base: str
    # Path → sha1 of the merged content when the merge stopped: a file the user changed
    # since is the user's decision.
    at_stop: dict[str, str] = field(default_factory=dict)
    # Paths decided by the sync options (erasures accepted, cases kept as new), with the
    # content expected there (None: the file must be absent).
    decided: dict[str, str | None] = field(default_factory=dict)


def sync_state(root: Path) -> SyncState | None:
    value = _read(_folder(root) / SYNC_FILE)
    if not isinstance(value, dict):
        return None
    try:
        return SyncState(**value)
    except TypeError:
        return None


def save_sync_state(root: Path, state: SyncState) -> bool:
    return _write(_folder(root) / SYNC_FILE, asdict(state))


def clear_sync_state(root: Path) -> None:
    _remove(_folder(root) / SYNC_FILE)


def sync_interrupted(root: Path) -> bool:
    """A sync left its state behind (one stat: every writing command asks)."""
    return (_folder(root) / SYNC_FILE).exists()


def save_remote_numbers(root: Path, seen: dict[str, int]) -> None:
    """Year → highest number seen on the team's remote, kept at the highest ever seen (the
    file `store.next_id` reads; see paths.REMOTE_NUMBERS)."""
    from visites.paths import REMOTE_NUMBERS

    path = root / REMOTE_NUMBERS
    known = _read(path)
    merged = (
        {k: v for k, v in known.items() if isinstance(v, int)} if isinstance(known, dict) else {}
    )
    for year, number in seen.items():
        merged[year] = max(number, merged.get(year, 0))
    if merged != known:
        _write(path, merged)
