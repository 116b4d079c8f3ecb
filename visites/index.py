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
import hashlib
import json
import os
import sqlite3
import sys
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import NamedTuple

from visites.agenda import AgendaItem
from visites.phases import Phase
from visites.referents import HandoverDates
from visites.status import Summary

CACHE_DIR = ".visites-cache"
INDEX_FILE = "index.sqlite"
RACY_SECONDS = 2
FORMAT = 6  # bump when the rows' meaning changes (6: agenda, handovers, household keys)

_COLUMNS = (
    "name", "ino", "size", "mtime", "ctime", "digest", "problems", "phase", "due", "reason",
    "household", "commune", "referent", "first_year", "last_year", "latest", "handovers",
    "reference_key", "home_key",
)  # fmt: skip
# The agenda table: each case's appointments and deadlines ahead (agenda.AgendaItem), so
# that the agenda, the overlap check of `rdv` and status read rows, not case files.
_AGENDA = ("name", *AgendaItem._fields[1:])
# A row is a plain tuple (the cheapest thing SQLite returns); its cells are read by name.
_AT = {column: position for position, column in enumerate(_COLUMNS)}
_KEY = slice(_AT["ino"], _AT["ctime"] + 1)  # the file's identity: ino, size, mtime, ctime
# Read for every row: the identity, the problems and the phase. The rest is fetched for the
# rows a command needs (Index.fill).
_IDENTITY = _COLUMNS[: _AT["phase"] + 1]
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS cases ({", ".join(_COLUMNS)}, PRIMARY KEY (name));
CREATE TABLE IF NOT EXISTS models (name TEXT PRIMARY KEY, model TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS agenda ({", ".join(_AGENDA)});
CREATE INDEX IF NOT EXISTS agenda_by_day ON agenda (day);
CREATE INDEX IF NOT EXISTS agenda_by_state ON agenda (state, day);
CREATE INDEX IF NOT EXISTS agenda_by_name ON agenda (name);
"""


class FileKey(NamedTuple):
    """A file's identity and last modification, from one stat. Compares equal to the
    same four integers read back from the index."""

    ino: int
    size: int
    mtime_ns: int
    ctime_ns: int

    @classmethod
    def of(cls, stat: os.stat_result) -> FileKey:
        return cls(stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


Problems = tuple[tuple[int | None, str, str], ...]


class Entry:
    """What one case file held: its problems (line, message, severity) and, when it is a
    valid case, its summary, the years it touches and its model (JSON, when just parsed).

    An entry read from the index keeps its row and decodes it on first use: `status` of
    the open cases never decodes the thousands of closed ones. A row that does not decode
    raises ValueError (the caller rebuilds the index)."""

    __slots__ = ("key", "digest", "model", "agenda", "_row", "_problems", "_summary", "_span")

    def __init__(
        self,
        key: tuple[int, int, int, int],
        digest: bytes | None,
        problems: Problems,
        summary: Summary | None,
        span: tuple[int, int | None] | None,
        model: str | None = None,
    ) -> None:
        self.key, self.digest, self.model = key, digest, model
        self.agenda: tuple[AgendaItem, ...] = ()  # when just parsed: the rows to write
        self._row: tuple | None = None
        self._problems, self._summary, self._span = problems, summary, span

    @classmethod
    def from_row(cls, row: tuple) -> Entry:
        digest = row[_AT["digest"]]
        entry = cls(row[_KEY], digest if digest is None else bytes(digest), (), None, None)
        entry._row = row
        return entry

    def check(self, key: tuple, digest: object) -> None:
        """Raise ValueError unless `key` and `digest` are the ones this entry was read with."""
        if key != self.key or (digest if digest is None else bytes(digest)) != self.digest:  # type: ignore[arg-type]
            raise ValueError("index modifié pendant la lecture")

    def fill(self, row: tuple) -> None:
        """Complete an entry read with the identity columns only (see Index.fill)."""
        self.check(row[_KEY], row[_AT["digest"]])
        self._row = row

    @property
    def filled(self) -> bool:
        """Whether summary and years can be read (parsed now, or completed by Index.fill)."""
        return self._row is None or len(self._row) > len(_IDENTITY)

    @property
    def phase(self) -> str | None:
        """The phase's code, without decoding the rest; None for an invalid file."""
        if self._row is not None:
            return self._row[_AT["phase"]]
        return self._summary.phase.value if self._summary else None

    @property
    def problems(self) -> Problems:
        found = self._row[_AT["problems"]] if self._row is not None else None
        if found is not None and not self._problems:
            self._problems = tuple(
                (line, str(text), str(severity)) for line, text, severity in json.loads(found)
            )
        return self._problems

    @property
    def summary(self) -> Summary | None:
        if self._row is not None and self._summary is None and self.phase is not None:
            self._summary = _summary(self._completed())
        return self._summary

    @property
    def span(self) -> tuple[int, int | None] | None:
        if self._row is not None and self._span is None and self.phase is not None:
            row = self._completed()
            first, last = row[_AT["first_year"]], row[_AT["last_year"]]
            if not isinstance(first, int) or not (last is None or isinstance(last, int)):
                raise ValueError("index : années illisibles")
            self._span = (first, last)
        return self._span

    def _completed(self) -> tuple:
        if self._row is None or not self.filled:
            raise ValueError("index : ligne non complétée (Index.fill)")
        return self._row


def digest(raw: bytes) -> bytes:
    return hashlib.blake2b(raw, digest_size=16).digest()


def is_racy(key: FileKey, now_ns: int) -> bool:
    """Modified too recently for its key alone to prove later reads see the same bytes."""
    return key.mtime_ns >= now_ns - RACY_SECONDS * 1_000_000_000


def touches(span: tuple[int, int | None], years: range) -> bool:
    """Whether a case spanning `span` (first year, last year or None while open) has a
    dated fact in one of `years`."""
    first, last = span
    return first < years.stop and (last is None or last >= years.start)


def fingerprint(settings: bytes) -> str:
    """What the rows depend on besides the case files: settings, code, Python."""
    from visites import __version__

    package = Path(__file__).parent
    parts = [str(FORMAT), __version__, sys.version, hashlib.sha256(settings).hexdigest()]
    # The modules' own stamps: an edited rule (an editable install, a pulled fix) must not
    # be hidden by rows computed with the old code.
    for module in sorted(package.rglob("*.py")):
        with contextlib.suppress(OSError):
            stat = module.stat()
            parts.append(f"{module.relative_to(package)}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


class Index:
    """The index of one case folder. Every failure to read means "no index"."""

    def __init__(self, root: Path, settings: bytes) -> None:
        self.path = root / CACHE_DIR / INDEX_FILE
        self.fingerprint = fingerprint(settings)

    def read(self) -> dict[str, Entry] | None:
        """Every row (models left out, decoded on use), or None when the index is missing,
        made for other settings or code, or damaged."""
        if not self.path.is_file():
            return None
        try:
            with contextlib.closing(self._connect()) as db:
                found = db.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
                if found is None or found[0] != self.fingerprint:
                    return None
                # The identity columns only: the rest is fetched for the rows a command needs.
                rows = db.execute(f"SELECT {', '.join(_IDENTITY)} FROM cases").fetchall()
            return {row[_AT["name"]]: Entry.from_row(row) for row in rows}
        except (sqlite3.Error, ValueError, TypeError, IndexError):
            return None

    def fill(
        self, entries: dict[str, Entry], closed: bool = True, years: range | None = None
    ) -> None:
        """Fetch the summary and years of those `entries` (read from this index) that are
        valid cases, skipping the closed ones unless `closed`, and those not touching `years`
        when given. Raises ValueError when the index is damaged, or when a row changed since
        it was read (another command refreshed it)."""
        where = "phase IS NOT NULL" + ("" if closed else " AND phase != 'closed'")
        if years is not None:  # the SQL form of `touches`
            where += f" AND first_year < {int(years.stop)}"
            where += f" AND (last_year IS NULL OR last_year >= {int(years.start)})"
        for row in self._select(f"SELECT {', '.join(_COLUMNS)} FROM cases WHERE {where}"):
            entry = entries.get(row[_AT["name"]])
            if entry is not None:
                entry.fill(row)

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
        entries: dict[str, Entry],
        start: date | None = None,
        end: date | None = None,
        state: str | None = None,
    ) -> list[AgendaItem]:
        """The agenda rows of `entries` (read from this index) dated from `start` to `end`,
        in `state` when given. Raises ValueError as `fill` does."""
        where, values = ["1"], []
        for clause, value in (("a.day >= ?", start), ("a.day <= ?", end), ("a.state = ?", state)):
            if value is not None:
                where.append(clause)
                values.append(value.isoformat() if isinstance(value, date) else value)
        columns = ", ".join(f"a.{c}" for c in _AGENDA)
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
        width = len(_AGENDA)
        for row in rows:
            entry = entries.get(row[0])
            if entry is None:  # parsed in this pass, or not a case any more
                continue
            entry.check(tuple(row[width : width + 4]), row[width + 4])
            found.append(_agenda_item(row[:width]))
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
                names, values = ", ".join(_COLUMNS), ", ".join(f":{c}" for c in _COLUMNS)
                db.executemany(
                    f"INSERT INTO cases ({names}) VALUES ({values})",
                    (_row(name, entry) for name, entry in changed.items()),
                )
                db.executemany(
                    "INSERT INTO models VALUES (?, ?)",
                    ((n, e.model) for n, e in changed.items() if e.model is not None),
                )
                db.executemany(
                    f"INSERT INTO agenda VALUES ({', '.join('?' * len(_AGENDA))})",
                    (_agenda_row(i) for e in changed.values() for i in e.agenda),
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


def _row(name: str, entry: Entry) -> dict[str, object]:
    """The cells of a new row, by column name."""
    s, (ino, size, mtime, ctime) = entry.summary, entry.key
    first, last = entry.span if entry.span else (None, None)
    return {
        "name": name,
        "ino": ino,
        "size": size,
        "mtime": mtime,
        "ctime": ctime,
        "digest": entry.digest,
        "problems": json.dumps(entry.problems, ensure_ascii=False) if entry.problems else None,
        "phase": s.phase.value if s else None,
        "due": s.due.isoformat() if s and s.due else None,
        "reason": s.reason if s else None,
        "household": s.household if s else None,
        "commune": s.commune if s else None,
        "referent": s.referent if s else None,
        "first_year": first,
        "last_year": last,
        "latest": s.latest.isoformat() if s else None,
        "handovers": _handovers_json(s.handovers) if s and s.handovers else None,
        "reference_key": s.reference_key if s else None,
        "home_key": s.home_key if s else None,
    }


def _agenda_row(item: AgendaItem) -> tuple:
    return (item.case_id, item.day.isoformat(), *item[2:])


def _agenda_item(row: tuple) -> AgendaItem:
    """A row of the agenda table, checked: the index is never trusted input."""
    name, day, time, kind_of_row, kind, number, duration, person, state, uid = row
    try:
        item = AgendaItem(name, date.fromisoformat(day), time, kind_of_row, kind, number,
                          duration, person, state, uid)  # fmt: skip
    except (TypeError, ValueError) as error:
        raise ValueError("index : agenda illisible") from error
    texts = (item.case_id, item.type, item.kind)
    optional = (item.time, item.person, item.state, item.uid)
    numbers = (item.number, item.duration)
    if not all(isinstance(t, str) for t in texts) or not all(
        t is None or isinstance(t, str) for t in optional
    ) or not all(n is None or isinstance(n, int) for n in numbers):  # fmt: skip
        raise ValueError("index : agenda illisible")
    return item


def _handovers_json(handovers: tuple[HandoverDates, ...]) -> str:
    """The handovers as [name, since, until or null] triples (ISO dates)."""
    return json.dumps(
        [[h.name, h.since.isoformat(), h.until.isoformat() if h.until else None]
         for h in handovers],
        ensure_ascii=False,
    )  # fmt: skip


def _handovers(cell: object) -> tuple[HandoverDates, ...]:
    if cell is None:
        return ()
    if not isinstance(cell, str):
        raise TypeError("index : transferts illisibles")
    found = []
    for name, since, until in json.loads(cell):
        if not isinstance(name, str):
            raise TypeError("index : transferts illisibles")
        end = date.fromisoformat(until) if until is not None else None
        found.append(HandoverDates(name, date.fromisoformat(since), end))
    return tuple(found)


def _summary(row: tuple) -> Summary:
    due = row[_AT["due"]]
    try:
        return Summary(
            id=row[_AT["name"]],
            phase=Phase(row[_AT["phase"]]),
            due=date.fromisoformat(due) if due is not None else None,
            reason=_text(row[_AT["reason"]]),
            household=_text(row[_AT["household"]], required=True),
            commune=_text(row[_AT["commune"]], required=True),
            referent=_text(row[_AT["referent"]]),
            latest=date.fromisoformat(_text(row[_AT["latest"]], required=True) or ""),
            handovers=_handovers(row[_AT["handovers"]]),
            reference_key=_text(row[_AT["reference_key"]]),
            home_key=_text(row[_AT["home_key"]]),
        )
    except TypeError as error:
        raise ValueError("index : résumé illisible") from error


def _text(value: object, required: bool = False) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise TypeError("index : texte attendu")
    return value
