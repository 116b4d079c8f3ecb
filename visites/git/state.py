"""What visites remembers inside the clone's `.git/visites/` folder: never tracked, never
shared, private to this clone. Small JSON files:

- `en-attente.json`, the pending commits: files a command wrote whose commit has not
  happened yet (written before git is called, removed once the commit is made). A commit
  that fails (disk full, read-only repository), a kill between the write and the commit, a
  write during a merge: the next successful commit of visites records them first.
- `sync.json`, the sync in progress: which merge is under way (ours, theirs, merge-base) and
  its phase. A `visites sync` killed halfway leaves it behind, so the next command knows a
  half-done merge is its own and rolls it back; a merge stopped for the user to decide
  (phase "stopped") is resumed instead.
- `renumerotations.json`, the renumberings a sync made and has not told yet: the sync that
  prints them removes it (a sync killed before it could tell has the next one tell).

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


def write_json(path: Path, value: Any) -> bool:
    """Atomic (temp file, rename), private JSON of visites' own; False when it
    cannot be written (a read-only .git: the caller falls back or walks again)."""
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


# Where the pending commits go when `.git` cannot be written (a read-only repository, a
# full disk's quota on it): beside the index, in the case folder (ignored by git), so that the
# next sync still knows visites' own writes from hand edits.
FALLBACK_DIR = ".visites-cache"


def _pending_files(root: Path) -> tuple[Path, Path]:
    return _folder(root) / PENDING_FILE, root / FALLBACK_DIR / PENDING_FILE


def pending(root: Path) -> list[Pending]:
    found: list[Pending] = []
    for path in _pending_files(root):
        entries = _read(path)
        for entry in entries if isinstance(entries, list) else []:
            try:
                one = Pending(
                    tuple(entry["paths"]),
                    str(entry["subject"]),
                    str(entry["action"]),
                    entry.get("by"),
                )
            except (KeyError, TypeError):
                continue
            if one not in found:
                found.append(one)
    return found


def add_pending(root: Path, entry: Pending) -> bool:
    """Add `entry` (merged into an identical subject already pending). False if it could not
    be written anywhere (the disk is full, the repository and the folder read-only)."""
    entries = pending(root)
    for index, known in enumerate(entries):
        if (known.subject, known.action, known.by) == (entry.subject, entry.action, entry.by):
            paths = tuple(dict.fromkeys((*known.paths, *entry.paths)))
            entries[index] = Pending(paths, known.subject, known.action, known.by)
            break
    else:
        entries.append(entry)
    return _save_pending(root, entries)


def set_pending(root: Path, entries: list[Pending]) -> None:
    """What is still owed after some commits were made (nothing: the file goes)."""
    if not entries:
        clear_pending(root)
    else:
        _save_pending(root, entries)


def _save_pending(root: Path, entries: list[Pending]) -> bool:
    inside, beside = _pending_files(root)
    value = [asdict(e) for e in entries]
    if write_json(inside, value):
        with contextlib.suppress(OSError):
            beside.unlink()
        return True
    return write_json(beside, value)


def clear_pending(root: Path) -> None:
    inside, beside = _pending_files(root)
    _remove(inside)
    with contextlib.suppress(OSError):
        beside.unlink()


def has_pending(root: Path) -> bool:
    return any(path.exists() for path in _pending_files(root))


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
    return write_json(_folder(root) / SYNC_FILE, asdict(state))


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
        write_json(path, merged)


# ---------------------------------------------------------------------------- renumberings told

RENUMBERED_FILE = "renumerotations.json"


def renumberings(root: Path) -> list[dict[str, Any]]:
    """The renumberings a sync made and has not told yet (old, new, courriers): written
    before the renumbering, so a sync killed before it printed them has the next one tell."""
    entries = _read(_folder(root) / RENUMBERED_FILE)
    return [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []


def add_renumberings(root: Path, entries: list[dict[str, Any]]) -> bool:
    known = renumberings(root)
    added = [entry for entry in entries if entry not in known]
    return write_json(_folder(root) / RENUMBERED_FILE, known + added)


def clear_renumberings(root: Path) -> None:
    _remove(_folder(root) / RENUMBERED_FILE)
