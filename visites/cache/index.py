"""The index cache: what each case file held when it was last read, so that whole-folder
commands do not parse every YAML file each time (10,000 files take seconds; the index, tens
of milliseconds).

It lives in `<folder>/.visites-cache/index.sqlite` (ignored by git; folder 0700, file 0600),
one row per case file, keyed on the file's identity: inode, size, mtime and ctime in
nanoseconds. Any write to a file changes its ctime (which no tool can set back), a
replacement (git checkout, atomic rename, editor) its inode: the row no longer matches and
the file is read again. As in git's index, a row written less than RACY_SECONDS after its
file was modified is "racily clean" (a second write within the same clock tick could leave
the same key), so it also keeps a hash of the bytes, checked at every read until the file
is old enough.

The whole index is dropped when the settings (the bytes of visites.yaml: deadlines change
the due dates kept here) or the code (visites version and modules, Python version) change.
It is rebuilt silently when missing or unreadable, and skipped when it cannot be written:
it only ever saves time. It is never trusted input: SQLite rejects a damaged file, and each
model read from it is validated again.

Pure of pydantic and YAML: a warm `visites status` imports neither.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from visites import paths
from visites.agenda import AgendaItem
from visites.cache.rows import (
    AGENDA,
    COLUMNS,
    DIGEST,
    IDENTITY,
    KEY,
    PROBLEMS,
    Entry,
    Problems,
    agenda_item,
    agenda_row,
    problems_of,
    row_of,
    same_identity,
)

__all__ = [
    "CACHE_DIR", "DIGEST", "FORMAT", "INDEX_FILE", "KEY", "PROBLEMS", "RACY_SECONDS", "Entry",
    "Index", "Problems", "digest", "file_key", "fingerprint", "forget", "is_racy",
    "problems_of", "touches",
]  # fmt: skip

CACHE_DIR = paths.CACHE_DIR
INDEX_FILE = "index.sqlite"
RACY_SECONDS = 2
FORMAT = 6  # bump when the rows' meaning changes (6: agenda, handovers, household keys)
# The visites package (this module is in visites/cache/): its modules are in the fingerprint.
PACKAGE = Path(__file__).resolve().parent.parent

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS cases ({", ".join(COLUMNS)}, PRIMARY KEY (name));
CREATE TABLE IF NOT EXISTS models (name TEXT PRIMARY KEY, model TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS agenda ({", ".join(AGENDA)});
CREATE INDEX IF NOT EXISTS agenda_by_day ON agenda (day);
CREATE INDEX IF NOT EXISTS agenda_by_state ON agenda (state, day);
CREATE INDEX IF NOT EXISTS agenda_by_name ON agenda (name);
"""


def file_key(stat: os.stat_result) -> tuple[int, int, int, int]:
    """A file's identity and last modification, from one stat: inode, size, mtime and ctime
    (ns). A plain tuple, equal to the same four cells of its row (index_rows.KEY)."""
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


def digest(raw: bytes) -> bytes:
    """The hash kept for a racily clean row (BLAKE2, 16 bytes)."""
    import hashlib  # here: only a file written within RACY_SECONDS needs it (3 ms to load)

    return hashlib.blake2b(raw, digest_size=16).digest()


def is_racy(key: tuple[int, int, int, int], now_ns: int) -> bool:
    """Modified too recently for its key (`file_key`) alone to prove later reads see the
    same bytes."""
    return key[2] >= now_ns - RACY_SECONDS * 1_000_000_000


def touches(span: tuple[int, int | None], years: range) -> bool:
    """Whether a case spanning `span` (first year, last year or None while open) has a
    dated fact in one of `years`."""
    first, last = span
    return first < years.stop and (last is None or last >= years.start)


def fingerprint(settings: bytes) -> bytes:
    """What the rows depend on besides the case files: settings, code, Python. Kept whole
    (compared byte for byte, a few kilobytes) rather than hashed: no hash can collide, and
    a warm `status` does not load OpenSSL's hashlib (3 ms) for it."""
    from visites import __version__

    parts = [str(FORMAT), __version__, sys.version, *_module_stamps(str(PACKAGE))]
    return "\n".join(parts).encode() + b"\n" + settings


def _module_stamps(top: str) -> list[str]:
    """Each module of the package (`top`), with its size and mtime: an edited rule (an
    editable install, a pulled fix) must not be hidden by rows computed with the old code.
    os.scandir, not Path.rglob: rglob compiles a pattern and makes a Path per file (8 ms
    against 0.4 ms for the 150 modules)."""
    stamps, folders = [], [top]
    while folders:
        folder = folders.pop()
        with contextlib.suppress(OSError), os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.endswith(".py"):
                    with contextlib.suppress(OSError):
                        stat = entry.stat()
                        name = os.path.relpath(entry.path, top)
                        stamps.append(f"{name}:{stat.st_size}:{stat.st_mtime_ns}")
                elif entry.name != "__pycache__" and entry.is_dir():
                    folders.append(entry.path)
    return sorted(stamps)


class Index:
    """The index of one case folder. Every failure to read means "no index"."""

    def __init__(self, root: Path, settings: bytes) -> None:
        self.path = root / CACHE_DIR / INDEX_FILE
        self.fingerprint = fingerprint(settings)

    def read(self) -> dict[str, tuple] | None:
        """Every row's identity columns (IDENTITY: the file's key and hash, its problems and
        phase), as SQLite returns them, by name; None when the index is missing, made for
        other settings or code, or damaged. The other columns are fetched by `fill`."""
        if not self.path.is_file():
            return None
        try:
            with contextlib.closing(self._connect()) as db:
                found = db.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
                if found is None or found[0] != self.fingerprint:
                    return None
                # Plain tuples (the cheapest thing SQLite returns): at 10,000 rows, one object
                # per row costs more than the query.
                query = f"SELECT {', '.join(IDENTITY)} FROM cases"
                return {row[0]: row for row in db.execute(query)}
        except (sqlite3.Error, ValueError, TypeError, IndexError):
            return None

    def fill(
        self, served: dict[str, tuple], closed: bool = True, years: range | None = None
    ) -> dict[str, Entry]:
        """The entries (every column) of those `served` rows (identity columns, from `read`)
        that are valid cases, skipping the closed ones unless `closed`, and those not
        touching `years` when given. Raises ValueError when the index is damaged, or when a
        row changed since it was read (another command refreshed it)."""
        where = "phase IS NOT NULL" + ("" if closed else " AND phase != 'closed'")
        if years is not None:  # the SQL form of `touches`
            where += f" AND first_year < {int(years.stop)}"
            where += f" AND (last_year IS NULL OR last_year >= {int(years.start)})"
        found = {}
        for row in self._select(f"SELECT {', '.join(COLUMNS)} FROM cases WHERE {where}"):
            known = served.get(row[0])
            if known is not None:
                if not same_identity(row, known):
                    raise ValueError("index modifié pendant la lecture")
                found[row[0]] = Entry.from_row(row)
        return found

    def models(self, entries: dict[str, Entry]) -> dict[str, str]:
        """The model (JSON) of each case of `entries`. Raises ValueError as `fill` does."""
        found = {}
        # Models live in their own table (scanning `cases` never reads their pages), and
        # only the wanted ones are read.
        try:
            with contextlib.closing(self._connect()) as db:
                db.execute("CREATE TEMP TABLE wanted (name TEXT PRIMARY KEY)")
                db.executemany("INSERT INTO wanted VALUES (?)", ((n,) for n in entries))
                rows = db.execute(
                    "SELECT c.name, c.ino, c.size, c.mtime, c.ctime, c.digest, m.model FROM "
                    "wanted w JOIN cases c ON c.name = w.name JOIN models m ON m.name = w.name"
                ).fetchall()
        except sqlite3.Error as error:
            raise ValueError("index illisible") from error
        for name, *key, digest_, model in rows:
            entry = entries.get(name)
            if entry is not None:
                entry.check(tuple(key), digest_)
                found[name] = model
        if len(found) != len(entries) or not all(isinstance(m, str) for m in found.values()):
            raise ValueError("index incomplet")
        return found

    def agenda(
        self,
        served: dict[str, tuple],
        start: date | None = None,
        end: date | None = None,
        state: str | None = None,
    ) -> list[AgendaItem]:
        """The agenda rows of the `served` rows (identity columns, from `read`) dated from
        `start` to `end`, in `state` when given. Raises ValueError as `fill` does."""
        where, values = ["1"], []
        for clause, value in (("a.day >= ?", start), ("a.day <= ?", end), ("a.state = ?", state)):
            if value is not None:
                where.append(clause)
                values.append(value.isoformat() if isinstance(value, date) else value)
        columns = ", ".join(f"a.{c}" for c in AGENDA)
        query = (
            f"SELECT {columns}, c.ino, c.size, c.mtime, c.ctime, c.digest FROM agenda a "
            f"JOIN cases c ON c.name = a.name WHERE {' AND '.join(where)}"
        )
        try:
            with contextlib.closing(self._connect()) as db:
                rows = db.execute(query, values).fetchall()
        except sqlite3.Error as error:
            raise ValueError("index illisible") from error
        found = []
        width = len(AGENDA)
        for row in rows:
            known = served.get(row[0])
            if known is None:  # parsed in this pass, or not a case any more
                continue
            if (*row[width : width + 4],) != known[KEY] or row[width + 4] != known[DIGEST]:
                raise ValueError("index modifié pendant la lecture")
            found.append(agenda_item(row[:width]))
        return found

    def _select(self, query: str) -> list[tuple]:
        try:
            with contextlib.closing(self._connect()) as db:
                return db.execute(query).fetchall()
        except sqlite3.Error as error:
            raise ValueError("index illisible") from error

    def write(
        self,
        changed: dict[str, Entry],
        removed: Iterable[str],
        settled: Iterable[str],
        rebuild: bool,
    ) -> None:
        """Record new rows, drop removed ones, clear the hash of rows no longer racy.
        One transaction: readers see the index before or after, never half of it."""
        try:
            self._prepare(rebuild)
            with contextlib.closing(self._connect(writing=True)) as db, db:
                db.executescript(_SCHEMA)
                if rebuild:
                    db.execute("DELETE FROM cases")
                    db.execute("DELETE FROM models")
                    db.execute("DELETE FROM agenda")
                db.execute(
                    "INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)", (self.fingerprint,)
                )
                gone = [(n,) for n in (*removed, *changed)]
                db.executemany("DELETE FROM cases WHERE name = ?", gone)
                db.executemany("DELETE FROM models WHERE name = ?", gone)
                db.executemany("DELETE FROM agenda WHERE name = ?", gone)
                db.executemany(
                    "UPDATE cases SET digest = NULL WHERE name = ?", ((n,) for n in settled)
                )
                names, values = ", ".join(COLUMNS), ", ".join(f":{c}" for c in COLUMNS)
                db.executemany(
                    f"INSERT INTO cases ({names}) VALUES ({values})",
                    (row_of(name, entry) for name, entry in changed.items()),
                )
                db.executemany(
                    "INSERT INTO models VALUES (?, ?)",
                    ((n, e.model) for n, e in changed.items() if e.model is not None),
                )
                db.executemany(
                    f"INSERT INTO agenda VALUES ({', '.join('?' * len(AGENDA))})",
                    (agenda_row(i) for e in changed.values() for i in e.agenda),
                )
        except (sqlite3.Error, OSError):
            # Read-only folder, full disk, another command writing: the next run tries again.
            return

    def _prepare(self, rebuild: bool) -> None:
        folder = self.path.parent
        folder.mkdir(mode=0o700, exist_ok=True)
        if rebuild:
            for leftover in (self.path, Path(f"{self.path}-journal")):
                with contextlib.suppress(FileNotFoundError):
                    leftover.unlink()
        # Created 0600 before SQLite opens it; SQLite gives its journal the same mode.
        os.close(os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600))

    def _connect(self, writing: bool = False) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=5, isolation_level="DEFERRED")
        if writing:
            # Rows hold diagnostics and notes: a deleted or replaced row must not survive in
            # a free page of the file (off by default on many SQLite builds).
            db.execute("PRAGMA secure_delete = ON")
        return db


def forget(root: Path, names: Iterable[str], compact: bool = False) -> bool:
    """Remove the rows of `names` (erased cases) from the index of the folder `root`, their
    pages overwritten (secure_delete); `compact` also rewrites the whole file (VACUUM), so
    that no page of it keeps anything but the remaining rows. Return False when the index
    exists but could not be purged (the caller removes it, or says so)."""
    path = root / CACHE_DIR / INDEX_FILE
    if not path.exists():
        return True
    gone = [(name,) for name in names]
    try:
        with contextlib.closing(sqlite3.connect(path, timeout=5)) as db:
            db.execute("PRAGMA secure_delete = ON")
            with db:
                for table in ("cases", "models"):
                    with contextlib.suppress(sqlite3.OperationalError):  # no such table
                        db.executemany(f"DELETE FROM {table} WHERE name = ?", gone)
            if compact:
                db.execute("VACUUM")
    except sqlite3.Error:
        return False
    return True
