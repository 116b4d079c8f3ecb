"""One pass over a case folder through the index cache (index.py): each file is served from
its row while the row still matches the file, and read and parsed again otherwise; the index
is then brought up to date. `Folder.load_all` and `Folder.summaries` are built on it.

YAML and pydantic are imported only when a file must be parsed or a model built.
"""

from __future__ import annotations

import contextlib
import gc
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from visites import index
from visites.errors import Problem, VisitesError
from visites.ids import sort_key

if TYPE_CHECKING:
    from visites.model import Case
    from visites.store import Folder


@dataclass
class Scan:
    """One pass over the folder: each file's entry, its problems, the cases parsed now."""

    index: index.Index
    entries: dict[str, index.Entry] = field(default_factory=dict)  # in directory order
    parsed: dict[str, Case] = field(default_factory=dict)
    found: dict[str, list[Problem]] = field(default_factory=dict)

    @classmethod
    def of(cls, folder: Folder, rebuild: bool = False) -> Scan:
        """Every case file of `folder`, from the index when its row still matches, else read
        again; `rebuild` ignores the index (it is rewritten whole)."""
        from visites.store import SETTINGS_FILE, reason

        try:
            settings = (folder.root / SETTINGS_FILE).read_bytes()
        except FileNotFoundError:
            settings = b""
        except OSError as error:
            raise VisitesError(f"lecture impossible : {reason(error)}",
                               path=folder.root / SETTINGS_FILE) from None  # fmt: skip
        cache = index.Index(folder.root, settings)
        rows = None if rebuild else cache.read()
        scan = cls(cache)
        changed: dict[str, index.Entry] = {}
        settled: list[str] = []
        with _no_cyclic_gc():
            scan._check_files(folder, rows, changed, settled, time.time_ns())
        removed = set(rows or ()) - set(scan.entries)
        if rows is None or changed or removed or settled:
            cache.write(changed, removed, settled, rebuild=rows is None)
        return scan

    def _check_files(
        self,
        folder: Folder,
        rows: dict[str, index.Entry] | None,
        changed: dict[str, index.Entry],
        settled: list[str],
        now_ns: int,
    ) -> None:
        from visites.progress import each
        from visites.store import reason

        # Directory entries, unsorted: 10,000 Path objects or sort keys cost more than stats.
        # A bar on a terminal if this takes over a second (a fresh clone's first index).
        for case_id, file in each(list(folder.case_files()), "Lecture des dossiers"):
            path = file.path
            row = rows.get(case_id) if rows else None
            try:
                key = index.FileKey.of(file.stat())
                if row is not None and key == row.key:
                    if row.digest is None:
                        self.add(path, case_id, row)
                        continue
                    with open(path, "rb") as handle:
                        same = index.digest(handle.read()) == row.digest
                    if same:
                        self.add(path, case_id, row)
                        if not index.is_racy(key, now_ns):
                            settled.append(case_id)
                        continue
                entry, case = _read(folder, Path(path), case_id, now_ns)
            except OSError as error:
                self.found[case_id] = [Problem(path, None, f"lecture impossible : {reason(error)}")]
                continue
            changed[case_id] = entry
            self.add(path, case_id, entry, case)

    def add(self, path: str, case_id: str, entry: index.Entry, case: Case | None = None) -> None:
        self.entries[case_id] = entry
        if entry.problems:
            self.found[case_id] = [Problem(path, *found) for found in entry.problems]
        if case is not None:
            self.parsed[case_id] = case

    def cached(self) -> dict[str, index.Entry]:
        """The entries served from the index (not parsed in this pass)."""
        return {k: e for k, e in self.entries.items() if k not in self.parsed}

    @property
    def problems(self) -> list[Problem]:
        """Every problem, file by file in ID order."""
        return [p for case_id in sorted(self.found, key=sort_key) for p in self.found[case_id]]

    def cases(self, names: list[str]) -> list[Case]:
        """The named valid cases: parsed in this pass, or built from the index's models (each
        validated again). ValueError when the index is damaged."""
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


def _read(folder: Folder, path: Path, case_id: str, now_ns: int) -> tuple[index.Entry, Case | None]:
    """Read and parse one case file; its key is taken before reading, from the same open
    file, so that a row can never pair a key with newer bytes."""
    from visites import casefile
    from visites.status import summarise

    with open(path, "rb") as handle:
        key = index.FileKey.of(os.fstat(handle.fileno()))
        raw = handle.read()
    parsed = casefile.parse(raw, str(path), folder.config, expected_id=case_id)
    problems = tuple((p.line, p.message, p.severity) for p in parsed.problems)
    case = parsed.case if parsed.case is not None and not parsed.errors else None
    racy = index.digest(raw) if index.is_racy(key, now_ns) else None
    if case is None:
        return index.Entry(key, racy, problems, None, None), None
    first = min(case.referral.date.year, int(case_id[:4]))
    span = (first, case.last_contact.year if case.closed_on else None)
    summary = summarise(case, folder.config)
    return index.Entry(key, racy, problems, summary, span, case.model_dump_json()), case


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
