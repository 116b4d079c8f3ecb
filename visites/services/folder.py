"""The case folder as a whole: its creation (`visites init`), the facts `visites check` reads
on the disk around the pure rules, and the new values of the open lists (communes,
référent(e)s) written into visites.yaml in the commit of the command that brought them
(`new-referral --new-commune`, `--from`).

The settings file is patched, not rewritten (`yamlwrite.add_to_list`): its comments and its
layout survive, and `git diff` shows the one line of the list. The closed lists (problem
domains, measures, outcomes…) are never extended here: only by editing visites.yaml.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from visites.checks import FolderFacts, validate_folder
from visites.errors import InvalidFile, Problem, VisitesError
from visites.model import Case
from visites.paths import (
    GITIGNORE_FILE,
    IGNORED,
    MERGE_TEMP_PREFIX,
    REGISTRY_FILE,
    SETTINGS_FILE,
)
from visites.store import Folder, Journal

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable


def check(folder: Folder, today: date | None = None) -> list[Problem]:
    """Every problem of the folder: file by file (each case file parsed, which runs the case
    rules), then, given `today`, the day rules over every case (see checks.DAY_RULES), then
    the folder rules over the facts gathered here."""
    folder.config  # noqa: B018  (the settings are checked even when no case needs them)
    catalogue = folder.load_all()
    problems = list(catalogue.problems)
    if today is not None:
        problems += _day_problems(folder, catalogue.cases, today)
    return problems + validate_folder(folder_facts(folder))


def _day_problems(folder: Folder, cases: list[Case], today: date) -> list[Problem]:
    """The day rules' findings, file by file, with their lines (only the files with a
    finding are read again, for their lines)."""
    from visites import yamlio
    from visites.checks import validate_on

    found = []
    for case in cases:
        findings = validate_on(case, today)
        if not findings:
            continue
        path = folder.path_of(case.id)
        try:
            lines: yamlio.Lines | None = yamlio.Lines(yamlio.decode(path.read_bytes()))
        except (OSError, yamlio.YamlProblem):
            lines = None
        for f in findings:
            line = lines.of(f.loc) if lines is not None else None
            found.append(Problem(str(path), line, f.message, f.severity))
    return found


def folder_facts(folder: Folder) -> FolderFacts:
    """What the folder rules look at, read from the disk: names and modes."""
    files = {case_id: str(folder.path_of(case_id)) for case_id in folder.case_ids()}
    modes = {}
    for case_id, path in files.items():
        with contextlib.suppress(OSError):
            modes[case_id] = os.stat(path).st_mode
    try:
        folder_mode: int | None = os.stat(folder.root).st_mode
    except OSError:
        folder_mode = None
    return FolderFacts(
        root=str(folder.root),
        has_settings=(folder.root / SETTINGS_FILE).is_file(),
        stray_files=tuple(str(folder.root / name) for name in folder.stray_files()),
        case_files=files,
        folder_mode=folder_mode,
        file_modes=modes,
        merge_leftovers=tuple(str(p) for p in sorted(folder.root.glob(MERGE_TEMP_PREFIX + "*"))),
        deleted_present=_deleted_present(folder, list(files)),
    )


def _deleted_present(folder: Folder, case_ids: list[str]) -> dict[str, tuple[str, str]]:
    """The case files present here that bring back what the registry says was erased (any
    file of a deleted ID; a file of an anonymised ID that is not the anonymised one): ID →
    (the erasure's kind, its day)."""
    from visites.dates import short
    from visites.merge import registry
    from visites.services import tombstones

    erased = tombstones.read(folder.root)
    found = {}
    for case_id in case_ids:
        stone = erased.erased(case_id)
        if stone is None:
            continue
        try:
            raw = folder.path_of(case_id).read_bytes()
        except OSError:
            continue  # named by the case rules
        if registry.brings_back(stone, raw):
            found[case_id] = (stone.kind, short(stone.on))
    return found


def init_folder(directory: Path, referents: Sequence[str] = ()) -> Path:
    """Create a case folder: the commented settings and a README, private to the user; where
    git is installed, a repository with the merge driver, the pre-commit hook and a first
    commit. `referents`, when given, fill the settings' list of referents (the demo folder)."""
    from importlib.resources import files

    settings = directory / SETTINGS_FILE
    if settings.exists():
        raise VisitesError(f"{directory} est déjà un dossier de cas (visites.yaml existe)")
    from visites.store import atomic_write, private_folder

    private_folder(directory)
    data = files("visites") / "data"

    template = (data / "visites.yaml").read_text(encoding="utf-8")
    if referents:
        from visites import yamlwrite

        for name in referents:
            template = yamlwrite.add_to_list(template, ("listes", "referents"), name)
    atomic_write(settings, template.encode("utf-8"))
    atomic_write(directory / "LISEZMOI.md", (data / "LISEZMOI.md").read_bytes())
    gitignore = "# fichiers de travail de visites\n" + "".join(f"{name}\n" for name in IGNORED)
    atomic_write(directory / GITIGNORE_FILE, gitignore.encode())
    _copy_templates(data / "templates", directory / "templates")
    from visites.git import run as gitops
    from visites.merge import registry

    atomic_write(directory / ".gitattributes", gitops.ATTRIBUTES.encode())
    atomic_write(directory / REGISTRY_FILE, registry.render(registry.Registry()).encode())
    from visites.services import fingerprints

    fingerprints.create(directory, attributes=True)  # the registry's key (registre.cle)
    if gitops.available():  # without git the folder works, without history
        if not (directory / ".git").exists():
            gitops.init_repo(directory)
        gitops.ensure_setup(directory)
        own = (SETTINGS_FILE, "LISEZMOI.md", GITIGNORE_FILE, ".gitattributes", REGISTRY_FILE,
               fingerprints.KEY_FILE)  # fmt: skip
        templates = sorted((directory / "templates").iterdir())
        gitops.first_commit(directory, [*(directory / name for name in own), *templates])
    return directory


def _copy_templates(source: Traversable, target: Path) -> None:
    """The default templates, to adapt: the folder's own copy wins over visites' (see its
    LISEZMOI.md). An existing templates/ folder is left as it is."""
    from visites.store import atomic_write

    if target.exists():
        return
    try:
        target.mkdir(mode=0o700)
    except OSError as error:
        raise VisitesError(f"création impossible de {target} : {error.strerror}") from None
    for item in sorted(source.iterdir(), key=lambda i: i.name):
        if item.is_file():
            atomic_write(target / item.name, item.read_bytes())


@contextlib.contextmanager
def extended_lists(
    folder: Folder, additions: Sequence[tuple[str, str]], journal: Journal
) -> Iterator[None]:
    """Add new values to the open lists of visites.yaml (`[("communes", "Bouaye")]`) for the
    block, inside `committing` (one commit with the case): comments and layout survive
    (`yamlwrite.add_to_list`). When the block fails, the settings file is put back."""
    if not additions:
        yield
        return
    from visites import yamlio, yamlwrite
    from visites.config import Lists
    from visites.store import atomic_write

    path = folder.root / SETTINGS_FILE
    try:
        original = path.read_bytes()
    except FileNotFoundError:
        raise VisitesError(
            f"pas de visites.yaml dans {folder.root} : créez les réglages (visites init "
            f"{folder.root}) avant d'y ajouter une valeur"
        ) from None
    text = yamlio.decode(original)
    defaults = {"communes": Lists().communes, "referents": ()}
    try:
        for key, value in dict.fromkeys(additions):
            text = yamlwrite.add_to_list(text, ("listes", key), value, defaults[key])
    except yamlio.YamlProblem as problem:
        raise InvalidFile([Problem(str(path), problem.line, problem.message)]) from None
    atomic_write(path, text.encode("utf-8"))
    folder.__dict__.pop("config", None)  # read again, with the new values
    try:
        yield
    except BaseException:
        atomic_write(path, original)
        folder.__dict__.pop("config", None)
        raise
    journal.note(path)
