"""One pass over a case folder through the index cache (index.py): each file is served from
its row while the row still matches the file, and read and parsed again otherwise; the index
is then brought up to date. `Folder.load_all` and `Folder.summaries` are built on it.

With `index`, this is the cache's room: it knows files, rows and keys, not the folder. The
store hands it what it needs (the root, the case files, the settings' bytes, a parse
function), so the cache never imports the store. YAML and pydantic are imported only by the
parse function, when a file must be parsed.
"""

from __future__ import annotations

import contextlib
import gc
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from visites.cache import index
from visites.errors import Problem, reason
from visites.ids import sort_key

if TYPE_CHECKING:
    from visites.agenda import AgendaItem
    from visites.model import Case
    from visites.status import Summary


class Reading(NamedTuple):
    """What parsing one case file gave: every problem, and when it is a valid case, the
    case, its status summary and its agenda rows (appointments, deadlines ahead)."""

    problems: list[Problem]
    case: Case | None
    summary: Summary | None
    agenda: tuple[AgendaItem, ...] = ()


# raw bytes, the file's path (how problems name it), its ID (from its name) → Reading
Parse = Callable[[bytes, str, str], Reading]
CaseFiles = Iterable[tuple[str, os.DirEntry[str]]]  # each case file's ID and directory entry


@dataclass
class Scan:
    """One pass over the folder: the rows served as they are, the files read again (their
    entries), their problems, the cases parsed now."""

    index: index.Index
    served: dict[str, tuple] = field(default_factory=dict)  # identity columns (Index.read)
    entries: dict[str, index.Entry] = field(default_factory=dict)  # read now, or filled
    parsed: dict[str, Case] = field(default_factory=dict)
    found: dict[str, list[Problem]] = field(default_factory=dict)

    @classmethod
    def of(
        cls, root: Path, files: CaseFiles, settings: bytes, parse: Parse, rebuild: bool = False
    ) -> Scan:
        """Every case file of `files`, from the index of `root` when its row still matches,
        else read and parsed again with `parse`. The index is kept for `settings` (the bytes
        of visites.yaml: deadlines change the rows); `rebuild` ignores it (rewritten whole)."""
        cache = index.Index(root, settings)
        scan = cls(cache)
        changed: dict[str, index.Entry] = {}
        settled: list[str] = []
        with _no_cyclic_gc():
            rows = None if rebuild else cache.read()
            scan._check_files(files, parse, rows or {}, changed, settled, time.time_ns())
        removed = set(rows or ()) - set(scan.served) - set(scan.entries)
        if rows is None or changed or removed or settled:
            cache.write(changed, removed, settled, rebuild=rows is None)
        return scan

    def _check_files(
        self,
        files: CaseFiles,
        parse: Parse,
        rows: dict[str, tuple],
        changed: dict[str, index.Entry],
        settled: list[str],
        now_ns: int,
    ) -> None:
        from visites.readprogress import each

        # One stat per file, compared with its row as plain tuples: at 10,000 files this
        # loop is most of a warm `status`, and a row with neither hash nor problems needs
        # nothing else. Directory entries, unsorted: 10,000 Path objects or sort keys cost
        # more than the stats.
        served, file_key, key_at = self.served, index.file_key, index.KEY
        digest_at, problems_at = index.DIGEST, index.PROBLEMS
        again: list[tuple[str, str, tuple | None]] = []
        for case_id, file in files:
            row = rows.get(case_id)
            try:
                same = row is not None and file_key(file.stat()) == row[key_at]
            except OSError as error:
                self._unreadable(file.path, case_id, error)
                continue
            if same and row[digest_at] is None and row[problems_at] is None:
                served[case_id] = row
            else:
                again.append((case_id, file.path, row if same else None))
        # A bar on a terminal if this takes over a second (a fresh clone's first index).
        for case_id, path, row in each(again, "Lecture des dossiers"):
            try:
                if row is not None and self._still(path, case_id, row, settled, now_ns):
                    continue
                entry, case = _read(path, case_id, parse, now_ns)
            except OSError as error:
                self._unreadable(path, case_id, error)
                continue
            changed[case_id] = entry
            self.add(path, case_id, entry, case)

    def _still(self, path: str, case_id: str, row: tuple, settled: list[str], now_ns: int) -> bool:
        """Serve a row whose key matches its file, if its hash (a racily clean row) matches
        the bytes too and its problems decode; False when the file is to be read again."""
        digest_at = index.DIGEST
        settles = False
        if row[digest_at] is not None:
            with open(path, "rb") as handle:
                if index.digest(handle.read()) != row[digest_at]:
                    return False
            settles = not index.is_racy(row[index.KEY], now_ns)
            if settles:
                # The write below clears the row's hash: the row must match the one `fill`
                # will read back, or the whole index would be taken for damaged and rebuilt.
                row = (*row[:digest_at], None, *row[digest_at + 1 :])
        try:
            problems = index.problems_of(row)
        except ValueError:
            return False
        if problems:
            self.found[case_id] = [Problem(path, *found) for found in problems]
        if settles:
            settled.append(case_id)
        self.served[case_id] = row
        return True

    def _unreadable(self, path: str, case_id: str, error: OSError) -> None:
        self.found[case_id] = [Problem(path, None, f"lecture impossible : {reason(error)}")]

    def add(self, path: str, case_id: str, entry: index.Entry, case: Case | None = None) -> None:
        self.entries[case_id] = entry
        if entry.problems:
            self.found[case_id] = [Problem(path, *found) for found in entry.problems]
        if case is not None:
            self.parsed[case_id] = case

    def fill(self, closed: bool = True, years: range | None = None) -> None:
        """Make entries of the rows served that are valid cases (closed ones unless `closed`
        is False; only those touching `years`, when given: see Index.fill). ValueError when
        the index is damaged."""
        self.entries.update(self.index.fill(self.served, closed, years))

    @property
    def problems(self) -> list[Problem]:
        """Every problem, file by file in ID order."""
        return [p for case_id in sorted(self.found, key=sort_key) for p in self.found[case_id]]

    def agenda(
        self, start: date | None = None, end: date | None = None, state: str | None = None
    ) -> list[AgendaItem]:
        """The agenda rows of every valid case dated from `start` to `end` (each bound
        optional; with `state`, only the rows recorded in that state): those of the cases
        parsed in this pass from memory, the others from the index. ValueError when the
        index is damaged."""

        def wanted(item: AgendaItem) -> bool:
            return (
                (start is None or item.day >= start)
                and (end is None or item.day <= end)
                and (state is None or item.state == state)
            )

        found = [i for n in self.parsed for i in self.entries[n].agenda if wanted(i)]
        return found + self.index.agenda(self.served, start, end, state)

    def cases(self, names: list[str]) -> list[Case]:
        """The named valid cases: parsed in this pass, or built from the index's models (each
        validated again; their entries made by `fill`). ValueError when the index is damaged."""
        from visites.model import Case

        from_index = {n: self.entries[n] for n in names if n not in self.parsed}
        stored = self.index.models(from_index) if from_index else {}
        cases = []
        for name in names:
            case = self.parsed.get(name)
            if case is None:
                case = Case.model_validate_json(stored[name])
                if case.id != name:
                    raise ValueError("index : identifiant inattendu")
            cases.append(case)
        return cases


def _read(path: str, case_id: str, parse: Parse, now_ns: int) -> tuple[index.Entry, Case | None]:
    """Read and parse one case file; its key is taken before reading, from the same open
    file, so that a row can never pair a key with newer bytes."""
    with open(path, "rb") as handle:
        key = index.file_key(os.fstat(handle.fileno()))
        raw = handle.read()
    reading = parse(raw, path, case_id)
    problems = tuple((p.line, p.message, p.severity) for p in reading.problems)
    racy = index.digest(raw) if index.is_racy(key, now_ns) else None
    case = reading.case
    if case is None:
        return index.Entry(key, racy, problems, None, None), None
    first = min(case.referral.date.year, int(case_id[:4]))
    span = (first, case.last_contact.year if case.closed_on else None)
    entry = index.Entry(key, racy, problems, reading.summary, span, case.model_dump_json())
    entry.agenda = reading.agenda
    return entry, case


@contextlib.contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector: parsing 10,000 files keeps thousands of cases
    alive, which makes each full collection longer (a third of the time at 10,000), and
    parsing creates no reference cycles to collect. Reference counting frees the rest."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
