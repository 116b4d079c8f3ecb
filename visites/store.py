"""The case folder on disk: finding it, reading and writing one case, reading them all.

Writes are atomic (a temp file in the same folder, fsync, rename) and serialised by one lock
per folder. A file that does not parse is reported, never skipped silently, never rewritten.
Whole-folder reads go through the index cache (index.py): only files changed since the last
read are parsed. The parsing modules (YAML, pydantic) are imported only when a file must be
parsed, so a warm `visites status` loads neither.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import os
import re
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from visites import index
from visites.errors import InvalidFile, Problem, UsageProblem, VisitesError
from visites.ids import CASE_ID, sort_key
from visites.status import Summary

if TYPE_CHECKING:
    from visites.config import Config
    from visites.model import Case

SETTINGS_FILE = "visites.yaml"  # the same as config.SETTINGS_FILE, without importing pydantic

ENV_FOLDER = "VISITES_CASES"
LOCK_FILE = ".visites.lock"
TEMP_PREFIX = ".visites-tmp-"
CASE_FILE = re.compile(r"(\d{4}-\d{3,6})\.yaml")
LOCK_TIMEOUT_SECONDS = 60


def find_root(option: Path | None, cwd: Path | None = None) -> Path:
    """--cases, else $VISITES_CASES, else the nearest parent holding visites.yaml, else ./cases."""
    if option is not None:
        return option
    if env := os.environ.get(ENV_FOLDER):
        return Path(env)
    cwd = cwd or Path.cwd()
    for folder in (cwd, *cwd.parents):
        if (folder / SETTINGS_FILE).is_file():
            return folder
    return cwd / "cases"


def load_config(root: Path) -> Config:
    """The folder's settings; the programme's defaults when there is no visites.yaml."""
    from visites import casefile, yamlio
    from visites.config import Config

    path = root / SETTINGS_FILE
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Config()
    except OSError as error:
        raise VisitesError(f"lecture impossible : {_reason(error)}", path=path) from None
    try:
        text = yamlio.decode(raw)
        document = yamlio.load(text) or {}
    except yamlio.YamlProblem as problem:
        raise InvalidFile([Problem(str(path), problem.line, problem.message)]) from None
    from pydantic import ValidationError

    try:
        return Config.model_validate(document, by_alias=True, by_name=False)
    except ValidationError as error:
        problems = [
            Problem(str(path), yamlio.line_of(text, e["loc"]), casefile.french_message(e))
            for e in error.errors(include_url=False)
        ]
        raise InvalidFile(problems) from None


@dataclass(frozen=True)
class Stored:
    """A case as read from its file, with the text it was read from."""

    case: Case
    text: str
    path: Path


@dataclass
class _Scan:
    """One pass over the folder: each file's entry, its problems, the cases parsed now."""

    index: index.Index
    entries: dict[str, index.Entry] = field(default_factory=dict)  # in directory order
    parsed: dict[str, Case] = field(default_factory=dict)
    found: dict[str, list[Problem]] = field(default_factory=dict)

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


@dataclass(frozen=True)
class Catalogue:
    """Every case file of the folder that could be read, and every problem found."""

    cases: list[Case]
    problems: list[Problem]


class Folder:
    """One case folder: `<ID>.yaml` files and `visites.yaml`."""

    def __init__(self, root: Path, config: Config | None = None) -> None:
        self.root = root
        if not root.is_dir():
            raise VisitesError(
                f"dossier de cas introuvable : {root} (créez-le avec « visites init {root} » "
                "ou indiquez-le avec --cases)"
            )
        if config is not None:
            self.__dict__["config"] = config
        # Files written or removed by the current command (see `service.committing`).
        self.journal: list[Path] | None = None

    @cached_property
    def config(self) -> Config:
        """The settings, read on first use (a status served from the index never needs them)."""
        return load_config(self.root)

    # ------------------------------------------------------------------ one case

    def path_of(self, case_id: str) -> Path:
        """The file of `case_id`. Anything but an ID (a path, `..`) is refused here."""
        if not CASE_ID.fullmatch(case_id or ""):
            shown = (case_id or "")[:40].encode("unicode_escape").decode("ascii")
            raise UsageProblem(f"identifiant de dossier invalide « {shown} » (attendu : AAAA-NNN)")
        return self.root / f"{case_id}.yaml"

    def read(self, case_id: str) -> Stored:
        """The case `case_id`, valid. Unknown or invalid: a VisitesError naming the file."""
        path = self.path_of(case_id)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise VisitesError(
                f"dossier {case_id} introuvable dans {self.root} (voir « visites status --all »)"
            ) from None
        except OSError as error:
            raise VisitesError(f"lecture impossible : {_reason(error)}", path=path) from None
        from visites import casefile, yamlio

        parsed = casefile.parse(raw, str(path), self.config, expected_id=case_id)
        if parsed.errors or parsed.case is None:
            raise InvalidFile(parsed.errors or parsed.problems)
        return Stored(parsed.case, yamlio.decode(raw), path)

    def create(self, case: Case) -> Path:
        """Write a new case file. Its ID must be free."""
        from visites import casefile

        path = self.path_of(case.id)
        if path.exists():
            raise VisitesError(f"le dossier {case.id} existe déjà", path=path)
        self._write(path, casefile.render_new(case), case)
        return path

    def update(self, stored: Stored, case: Case) -> None:
        """Rewrite `stored`'s file with `case`, changing only the lines that must change."""
        from visites import casefile

        text = casefile.render_update(stored.text, stored.case, case)
        self._write(stored.path, text, case)

    def rewrite(self, stored: Stored, case: Case) -> None:
        """Replace `stored`'s file with the canonical text of `case`: hand comments and unknown
        keys are dropped. For anonymisation, where either may hold personal data."""
        from visites import casefile

        self._write(stored.path, casefile.render_new(case), case)

    def delete(self, case_id: str) -> Path:
        """Remove the file of `case_id` (erasure). Unknown: a VisitesError."""
        path = self.path_of(case_id)
        try:
            path.unlink()
        except FileNotFoundError:
            raise VisitesError(
                f"dossier {case_id} introuvable dans {self.root} (voir « visites status --all »)"
            ) from None
        except OSError as error:
            raise VisitesError(f"suppression impossible : {_reason(error)}", path=path) from None
        _fsync_folder(self.root)
        self.record(path)
        return path

    def _write(self, path: Path, text: str, case: Case) -> None:
        # Read back what is about to be written: a file is never replaced by one that says
        # something else than the case, or that `check` would refuse.
        from visites import casefile

        reread = casefile.parse(text.encode(), str(path), self.config, expected_id=case.id)
        if reread.errors or reread.case != case:
            raise VisitesError(
                "écriture annulée : le texte produit ne relit pas le dossier", path=path
            )
        atomic_write(path, text.encode("utf-8"))
        self.record(path)

    def record(self, path: Path) -> None:
        """Note a file this command wrote or removed, for `service.committing` to commit."""
        if self.journal is not None:
            self.journal.append(path)

    def next_id(self, year: int) -> str:
        """The next free ID of `year`, from the file names alone (no case is parsed)."""
        prefix = f"{year}-"
        numbers = [sort_key(stem)[1] for stem in self.case_ids() if stem.startswith(prefix)]
        return f"{year}-{max(numbers, default=0) + 1:03d}"

    # ------------------------------------------------------------------ the whole folder

    def case_ids(self) -> list[str]:
        """IDs of the case files present, in numeric order."""
        return sorted((case_id for case_id, _ in self._case_files()), key=sort_key)

    def _case_files(self) -> Iterator[tuple[str, os.DirEntry[str]]]:
        """Each case file's ID and directory entry, in directory order."""
        with os.scandir(self.root) as entries:
            for entry in entries:
                match = CASE_FILE.fullmatch(entry.name)
                if match and entry.is_file():
                    yield match.group(1), entry

    def stray_files(self) -> list[str]:
        """YAML files at the root that are neither a case nor the settings."""
        names = []
        with os.scandir(self.root) as entries:
            for entry in entries:
                name = entry.name
                if not name.endswith((".yaml", ".yml")) or CASE_FILE.fullmatch(name):
                    continue
                if name != SETTINGS_FILE and entry.is_file():
                    names.append(name)
        return sorted(names)

    def load_all(self, years: range | None = None) -> Catalogue:
        """Every readable case (only those touching `years`, when given: see index.touches),
        and a problem for each file that is not readable."""
        for attempt in range(2):
            scan = self._scan(rebuild=attempt > 0)
            try:
                scan.index.fill(scan.cached())
                wanted = [
                    name
                    for name, entry in scan.entries.items()
                    if entry.span and (years is None or index.touches(entry.span, years))
                ]
                cases = self._cases(scan, sorted(wanted, key=sort_key))
            except ValueError:  # a damaged row: read every file again
                continue
            return Catalogue(cases, scan.problems)
        raise AssertionError("a rebuilt index is read from the files themselves")

    def summaries(self, closed: bool = True) -> tuple[list[Summary], list[Problem]]:
        """The status summary of every valid case in ID order (closed ones too, unless
        `closed` is False), and the problems of every file."""
        for attempt in range(2):
            scan = self._scan(rebuild=attempt > 0)
            try:
                scan.index.fill(scan.cached(), closed)
                found = [
                    entry.summary
                    for entry in scan.entries.values()
                    if entry.phase is not None and (closed or entry.phase != "closed")
                ]
            except ValueError:  # a damaged row: read every file again
                continue
            kept = sorted((s for s in found if s is not None), key=lambda s: sort_key(s.id))
            return kept, scan.problems
        raise AssertionError("a rebuilt index is read from the files themselves")

    def _cases(self, scan: _Scan, names: list[str]) -> list[Case]:
        from visites.model import Case

        from_index = {n: scan.entries[n] for n in names if n not in scan.parsed}
        stored = scan.index.models(from_index) if from_index else {}
        cases = []
        for name in names:
            case = scan.parsed.get(name)
            if case is None:
                case = Case.model_validate_json(stored[name])
                if case.id != name:
                    raise ValueError("index : identifiant inattendu")
            cases.append(case)
        return cases

    def _scan(self, rebuild: bool = False) -> _Scan:
        """Every case file, from the index when its row still matches, else read again."""
        try:
            settings = (self.root / SETTINGS_FILE).read_bytes()
        except FileNotFoundError:
            settings = b""
        except OSError as error:
            raise VisitesError(f"lecture impossible : {_reason(error)}",
                               path=self.root / SETTINGS_FILE) from None  # fmt: skip
        cache = index.Index(self.root, settings)
        rows = None if rebuild else cache.read()
        now_ns = time.time_ns()
        scan = _Scan(cache)
        changed: dict[str, index.Entry] = {}
        settled: list[str] = []
        with _no_cyclic_gc():
            self._check_files(scan, rows, changed, settled, now_ns)
        removed = set(rows or ()) - set(scan.entries)
        if rows is None or changed or removed or settled:
            cache.write(changed, removed, settled, rebuild=rows is None)
        return scan

    def _check_files(
        self,
        scan: _Scan,
        rows: dict[str, index.Entry] | None,
        changed: dict[str, index.Entry],
        settled: list[str],
        now_ns: int,
    ) -> None:
        # Directory entries, unsorted: 10,000 Path objects or sort keys cost more than stats.
        for case_id, file in self._case_files():
            path = file.path
            row = rows.get(case_id) if rows else None
            try:
                key = index.FileKey.of(file.stat())
                if row is not None and key == row.key:
                    if row.digest is None:
                        scan.add(path, case_id, row)
                        continue
                    with open(path, "rb") as handle:
                        same = index.digest(handle.read()) == row.digest
                    if same:
                        scan.add(path, case_id, row)
                        if not index.is_racy(key, now_ns):
                            settled.append(case_id)
                        continue
                entry, case = self._entry(Path(path), case_id, now_ns)
            except OSError as error:
                problem = f"lecture impossible : {_reason(error)}"
                scan.found[case_id] = [Problem(path, None, problem)]
                continue
            changed[case_id] = entry
            scan.add(path, case_id, entry, case)

    def _entry(self, path: Path, case_id: str, now_ns: int) -> tuple[index.Entry, Case | None]:
        """Read and parse one case file; its key is taken before reading, from the same
        open file, so that the row can never pair a key with newer bytes."""
        from visites import casefile
        from visites.status import summarise

        with open(path, "rb") as handle:
            key = index.FileKey.of(os.fstat(handle.fileno()))
            raw = handle.read()
        parsed = casefile.parse(raw, str(path), self.config, expected_id=case_id)
        problems = tuple((p.line, p.message, p.severity) for p in parsed.problems)
        case = parsed.case if parsed.case is not None and not parsed.errors else None
        racy = index.digest(raw) if index.is_racy(key, now_ns) else None
        if case is None:
            return index.Entry(key, racy, problems, None, None), None
        first = min(case.referral.date.year, int(case_id[:4]))
        span = (first, case.last_contact.year if case.closed_on else None)
        summary = summarise(case, self.config)
        return index.Entry(key, racy, problems, summary, span, case.model_dump_json()), case

    # ------------------------------------------------------------------ locking

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Serialise the commands that write to this folder."""
        from filelock import FileLock, Timeout

        lock = FileLock(self.root / LOCK_FILE, timeout=LOCK_TIMEOUT_SECONDS, mode=0o600)
        try:
            lock.acquire()
        except Timeout:
            raise VisitesError(
                f"dossier {self.root} occupé par une autre commande visites : réessayez"
            ) from None
        except OSError as error:
            raise VisitesError(f"verrou impossible dans {self.root} : {_reason(error)}") from None
        try:
            self._remove_leftovers()
            yield
        finally:
            lock.release()

    def _remove_leftovers(self) -> None:
        """Temp files of a write that was killed halfway: harmless, but not to pile up.
        Only `.part` files: a `visites edit` copy open in an editor is someone's work."""
        for leftover in self.root.glob(TEMP_PREFIX + "*.part"):
            with contextlib.suppress(OSError):
                leftover.unlink()


@contextlib.contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector: parsing 10,000 files keeps thousands of cases
    alive, which makes each full collection longer (a third of the time at 10,000), and
    it creates no reference cycles to collect. Reference counting still frees the rest."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def private_folder(path: Path) -> Path:
    """Create `path` readable by its owner only (0700), whatever the umask; an existing folder
    is tightened to 0700 too. Missing parents get the usual rights, like `mkdir -p`: they
    hold no case. For case folders and caches."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(path, 0o700)  # mkdir's mode is filtered by the umask; chmod is not
    except OSError as error:
        raise VisitesError(f"création impossible de {path} : {_reason(error)}") from None
    return path


def atomic_write(path: Path, data: bytes) -> None:
    """Replace `path` with `data` whole or not at all. New files are 0600."""
    try:
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=TEMP_PREFIX, suffix=".part")
    except OSError as error:
        raise VisitesError(f"écriture impossible : {_reason(error)}", path=path) from None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise VisitesError(
            f"écriture impossible : {_reason(error)} ; le fichier précédent est intact", path=path
        ) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


_REASONS = {
    errno.EACCES: "droits insuffisants",
    errno.EPERM: "opération non permise",
    errno.ENOSPC: "disque plein",
    errno.EROFS: "support en lecture seule",
    errno.EDQUOT: "quota disque dépassé",
    errno.ENOENT: "fichier ou dossier absent",
    errno.EISDIR: "c'est un dossier",
}


def _reason(error: OSError) -> str:
    return _REASONS.get(error.errno or 0, f"erreur système {error.errno}")
