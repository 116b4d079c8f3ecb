"""The case folder on disk: finding it, reading and writing one case, reading them all.

Writes are atomic (a temp file in the same folder, fsync, rename) and serialised by one lock
per folder. A file that does not parse is reported, never skipped silently, never rewritten.
Whole-folder reads go through the index cache (index.py): only files changed since the last
read are parsed. The parsing modules (YAML, pydantic) are imported only when a file must be
parsed, so a warm `visites status` loads neither.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from visites import environment
from visites.cache import index
from visites.cache.scan import Reading, Scan
from visites.errors import (
    InvalidFile,
    Problem,
    UsageProblem,
    VisitesError,
    reason,
    validation_message,
)
from visites.files import (  # noqa: F401  (re-exported: the store's public write helpers)
    Journal,
    _fsync_folder,
    atomic_write,
    private_folder,
    read_only,
    refuse_read_only,
    write_case,
)
from visites.ids import CASE_ID, sort_key
from visites.numbering import next_free_id
from visites.paths import CASE_FILE, LOCK_FILE, REGISTRY_FILE, SETTINGS_FILE, TEMP_PREFIX
from visites.status import Summary

if TYPE_CHECKING:
    from datetime import date

    from visites.agenda import AgendaItem
    from visites.config import Config
    from visites.model import Case

CACHE_DIR = index.CACHE_DIR  # the index lives here (ignored by git)
LOCK_TIMEOUT_SECONDS = 60

T = TypeVar("T")


def find_root(option: Path | None, cwd: Path | None = None) -> Path:
    """--cases, else $VISITES_CASES, else the nearest parent holding visites.yaml, else ./cases."""
    if option is not None:
        return option
    if env := environment.case_folder():
        return Path(env)
    cwd = cwd or Path.cwd()
    for folder in (cwd, *cwd.parents):
        if (folder / SETTINGS_FILE).is_file():
            return folder
    return cwd / "cases"


def load_config(root: Path) -> Config:
    """The folder's settings; the programme's defaults when there is no visites.yaml."""
    from visites import yamlio
    from visites.config import Config
    from visites.merge import plan as syncplan

    path = root / SETTINGS_FILE
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Config()
    except OSError as error:
        raise VisitesError(f"lecture impossible : {reason(error)}", path=path) from None
    try:
        text = yamlio.decode(raw)
        document = yamlio.load(text) or {}
    except yamlio.YamlProblem as problem:  # a merge left undecided says so, with both values
        found = syncplan.conflict_problems(raw.decode("utf-8", "replace"), str(path), SETTINGS_FILE)
        raise InvalidFile(found or [Problem(str(path), problem.line, problem.message)]) from None
    from pydantic import ValidationError

    try:
        return Config.model_validate(document, by_alias=True, by_name=False)
    except ValidationError as error:
        problems = [
            Problem(str(path), yamlio.line_of(text, e["loc"]), validation_message(e))
            for e in error.errors(include_url=False)
        ]
        raise InvalidFile(problems) from None


@dataclass(frozen=True)
class Stored:
    """A case as read from its file, with the text it was read from."""

    case: Case
    text: str
    path: Path


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
        self._scan: Scan | None = None  # the last pass over the whole folder

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
            raise VisitesError(f"lecture impossible : {reason(error)}", path=path) from None
        from visites import casefile, yamlio

        parsed = casefile.parse(raw, str(path), self.config, expected_id=case_id)
        if parsed.errors or parsed.case is None:
            raise InvalidFile(parsed.errors or parsed.problems)
        return Stored(parsed.case, yamlio.decode(raw), path)

    def create(self, case: Case, journal: Journal) -> Path:
        """Write a new case file (noted in `journal`). Its ID must be free."""
        from visites import casefile

        path = self.path_of(case.id)
        if path.exists():
            raise VisitesError(f"le dossier {case.id} existe déjà", path=path)
        self._write(path, casefile.render_new(case), case, journal)
        return path

    def update(self, stored: Stored, case: Case, journal: Journal) -> None:
        """Rewrite `stored`'s file with `case`, changing only the lines that must change."""
        from visites import casefile, yamlio

        try:
            text = casefile.render_update(stored.text, stored.case, case)
        except yamlio.YamlProblem as problem:
            message = f"réécriture impossible, corrigez cette ligne à la main : {problem.message}"
            raise InvalidFile([Problem(str(stored.path), problem.line, message)]) from None
        self._write(stored.path, text, case, journal)

    def rewrite(self, stored: Stored, case: Case, journal: Journal) -> None:
        """Replace `stored`'s file with the canonical text of `case`: hand comments and unknown
        keys are dropped. For anonymisation, where either may hold personal data; a file its
        owner made read-only is replaced too (a file mode cannot block an erasure) and made
        read-only again."""
        from visites import casefile

        self._write(stored.path, casefile.render_new(case), case, journal, erasure=True)

    def delete(self, case_id: str, journal: Journal) -> Path:
        """Remove the file of `case_id` (erasure). Unknown: a VisitesError."""
        path = self.path_of(case_id)
        try:
            path.unlink()
        except FileNotFoundError:
            raise VisitesError(
                f"dossier {case_id} introuvable dans {self.root} (voir « visites status --all »)"
            ) from None
        except OSError as error:
            raise VisitesError(f"suppression impossible : {reason(error)}", path=path) from None
        _fsync_folder(self.root)
        return journal.note(path)

    def replace(self, case_id: str, raw: bytes, journal: Journal) -> None:
        """Replace the file of `case_id` with a text edited by hand (`visites edit`): valid,
        and written through the same checks as any other write."""
        from visites import casefile

        path = self.path_of(case_id)
        parsed = casefile.parse(raw, str(path), self.config, expected_id=case_id)
        if parsed.errors or parsed.case is None:
            raise InvalidFile(parsed.errors or parsed.problems)
        self._write(path, raw.decode("utf-8"), parsed.case, journal)

    def _write(
        self, path: Path, text: str, case: Case, journal: Journal, erasure: bool = False
    ) -> None:
        """Every write of a case file (see `files.write_case` for the link and read-only
        checks), noted in the command's journal."""
        # Read back what is about to be written: a file is never replaced by one that says
        # something else than the case, or that `check` would refuse.
        from visites import casefile

        reread = casefile.parse(text.encode(), str(path), self.config, expected_id=case.id)
        if reread.errors or reread.case != case:
            raise VisitesError(
                "écriture annulée : le texte produit ne relit pas le dossier", path=path
            )
        write_case(path, text.encode("utf-8"), case.id, despite_read_only=erasure)
        journal.note(path)

    def forget(self, case_ids: list[str], compact: bool = False) -> list[str]:
        """Purge erased cases from the index (see `index.forget`); when it cannot be purged,
        remove it, since it is only a cache. The warnings (French) when even that fails."""
        if index.forget(self.root, case_ids, compact=compact):
            return []
        cache = self.root / CACHE_DIR / index.INDEX_FILE
        try:
            cache.unlink()  # the next command rebuilds it from the files
        except FileNotFoundError:
            pass
        except OSError:
            return [f"l'index {cache} n'a pas pu être purgé : supprimez le dossier "
                    f"{CACHE_DIR} (il sera refait)"]  # fmt: skip
        return []

    def next_id(self, year: int, given: Mapping[str, int] | None = None) -> str:
        """The next free ID of `year`: never one given before, here or by the team (numbering);
        `given`: year → the highest number git ever knew (services read it from git)."""
        return next_free_id(self.root, self.case_ids(), year, given)

    # ------------------------------------------------------------------ the whole folder

    def case_ids(self) -> list[str]:
        """IDs of the case files present, in numeric order.

        A folder or a dangling link named like a case counts too: `check` reports it as
        unreadable instead of skipping it, and its number is never given to a new referral."""
        return sorted((case_id for case_id, _ in self.case_files()), key=sort_key)

    def case_files(self) -> Iterator[tuple[str, os.DirEntry[str]]]:
        """Each case file's ID and directory entry, in directory order (folders and dangling
        links named like a case included, as in `case_ids`)."""
        with os.scandir(self.root) as entries:
            for entry in entries:
                if match := CASE_FILE.fullmatch(entry.name):
                    yield match.group(1), entry

    def stray_files(self) -> list[str]:
        """YAML files at the root that are neither a case nor the settings."""
        names = []
        with os.scandir(self.root) as entries:
            for entry in entries:
                name = entry.name
                if not name.endswith((".yaml", ".yml")) or CASE_FILE.fullmatch(name):
                    continue
                if name not in (SETTINGS_FILE, REGISTRY_FILE) and entry.is_file():
                    names.append(name)
        return sorted(names)

    def load_all(self, years: range | None = None) -> Catalogue:
        """Every readable case (only those touching `years`, when given: see index.touches),
        and a problem for each file that is not readable."""

        def read(scan: Scan) -> Catalogue:
            scan.fill(years=years)
            wanted = [
                name
                for name, entry in scan.entries.items()
                if entry.span and (years is None or index.touches(entry.span, years))
            ]
            return Catalogue(scan.cases(sorted(wanted, key=sort_key)), scan.problems)

        return self._through_index(read)

    def summaries(
        self, closed: bool = True, years: range | None = None
    ) -> tuple[list[Summary], list[Problem]]:
        """The status summary of every valid case in ID order (closed ones too, unless
        `closed` is False; only those touching `years`, when given), and the problems of
        every file."""

        def read(scan: Scan) -> tuple[list[Summary], list[Problem]]:
            scan.fill(closed, years)
            found = [
                entry.summary
                for entry in scan.entries.values()
                if entry.phase is not None and (closed or entry.phase != "closed")
            ]
            kept = sorted((s for s in found if s is not None), key=lambda s: sort_key(s.id))
            return kept, scan.problems

        return self._through_index(read)

    def agenda(
        self, start: date | None = None, end: date | None = None, state: str | None = None
    ) -> list[AgendaItem]:
        """The agenda rows (appointments, deadlines ahead: see agenda.AgendaItem) of every
        valid case, dated from `start` to `end` (bounds optional), in `state` when given,
        from the index. Read in the same pass over the folder as this command's previous
        whole-folder read (status, the day view), if any, else in a pass of its own."""
        if self._scan is not None:
            try:
                return self._scan.agenda(start, end, state)
            except ValueError:  # the index changed under this command: read it again
                self._scan = None
        return self._through_index(lambda scan: scan.agenda(start, end, state))

    def _through_index(self, read: Callable[[Scan], T]) -> T:
        """`read` over one pass through the index; when a row turns out damaged (ValueError),
        once more over an index rebuilt from the files themselves."""
        for rebuild in (False, True):
            scan = Scan.of(self.root, self.case_files(), self._settings(), self._parse, rebuild)
            try:
                found = read(scan)
            except ValueError:  # a damaged row: read every file again
                continue
            self._scan = scan  # a later read of the same command shares this pass (agenda)
            return found
        raise AssertionError("a rebuilt index is read from the files themselves")

    def _settings(self) -> bytes:
        """The bytes of visites.yaml (empty when there is none): the index depends on them."""
        path = self.root / SETTINGS_FILE
        try:
            return path.read_bytes()
        except FileNotFoundError:
            return b""
        except OSError as error:
            raise VisitesError(f"lecture impossible : {reason(error)}", path=path) from None

    def _parse(self, raw: bytes, path: str, case_id: str) -> Reading:
        """One case file read for the index: its problems, its case and summary if valid."""
        from visites import casefile
        from visites.appointments import items_of
        from visites.status import summarise

        parsed = casefile.parse(raw, path, self.config, expected_id=case_id)
        if parsed.case is None or parsed.errors:
            return Reading(parsed.problems, None, None)
        case, config = parsed.case, self.config
        return Reading(parsed.problems, case, summarise(case, config), items_of(case, config))

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
            raise VisitesError(f"verrou impossible dans {self.root} : {reason(error)}") from None
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
