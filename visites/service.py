"""What each command does with the folder: open it, lock it, read, apply a move, write.

The shell around the pure core. The CLI calls these; they never print.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from visites import casefile, yamlio
from visites.config import SETTINGS_FILE
from visites.errors import InvalidFile, Problem, UsageProblem, VisitesError
from visites.model import Case, Context, Event, Household, Referral
from visites.store import Folder
from visites.workflow import AddEvent, Move, apply

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    from visites.documents.kinds import Meeting


def open_folder(root: Path) -> Folder:
    return Folder(root)


def move(folder: Folder, case_id: str, change: Move | Callable[[Case], Move], today: date) -> Case:
    """Apply one workflow move to one case, under the folder's lock. Nothing else is read.

    `change` may be a function of the current case (an event's author is its referent)."""
    with folder.lock():
        stored = folder.read(case_id)
        if callable(change):
            change = change(stored.case)
        moved = apply(stored.case, change, folder.config, today)
        folder.update(stored, moved)
    return moved


def add_event(
    folder: Folder,
    case_id: str,
    kind: str,
    when: date,
    note: str | None,
    by: str | None,
    today: date,
) -> Case:
    """Add one event to the case's timeline. The author defaults to the case's referent."""

    def event(case: Case) -> AddEvent:
        try:
            return AddEvent(
                Event(date=when, kind=kind, author=by or case.referent, note=note or None)
            )
        except ValueError as error:
            raise UsageProblem(
                f"dossier {case_id} : événement invalide : {_first(error)}"
            ) from None

    return move(folder, case_id, event, today)


@dataclass(frozen=True)
class ReferralForm:
    """What a fiche de liaison says, as typed on the command line."""

    household: str
    commune: str
    context: str
    referrer: str
    date: date
    reason: str | None = None
    deadline: date | None = None
    referent: str | None = None
    landlord_ref: str | None = None
    address: str | None = None
    phone: str | None = None


def new_referral(folder: Folder, form: ReferralForm, today: date) -> Case:
    """Record a fiche de liaison as a new case, with the next free ID of its year."""
    if form.context not in {c.value for c in Context}:
        raise UsageProblem(
            f"contexte « {form.context} » inconnu ; valeurs possibles : entree, en-cours"
        )
    if form.date > today:
        raise UsageProblem(f"la date {form.date.isoformat()} est dans le futur")
    with folder.lock():
        case_id = folder.next_id(form.date.year)
        try:
            case = Case(
                id=case_id,
                referral=Referral(
                    date=form.date,
                    context=Context(form.context),
                    referrer=form.referrer,
                    landlord_ref=form.landlord_ref or None,
                    reason=form.reason or None,
                    deadline=form.deadline,
                ),
                household=Household(
                    name=form.household,
                    commune=form.commune,
                    address=form.address or None,
                    phone=form.phone or None,
                ),
                referent=form.referent or None,
            )
        except ValueError as error:  # pydantic's ValidationError is a ValueError
            raise UsageProblem(f"fiche de liaison invalide : {_first(error)}") from None
        folder.create(case)
    return case


def referral_from_file(folder: Folder, path: Path, today: date) -> Case:
    """Record a filled fiche de liaison (templates/fiche-de-liaison.yaml)."""
    return referrals_from_path(folder, path, today)[0]


def referrals_from_path(folder: Folder, path: Path, today: date) -> list[Case]:
    """Record one filled fiche de liaison, or every `*.yaml` fiche of a folder, in name order.

    All or nothing: every fiche is validated first, and if one is wrong nothing is created and
    every problem of every fiche is reported (file:line). IDs are given in order, under one lock.
    """
    if path.is_dir():
        fiches = sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
        if not fiches:
            raise VisitesError("aucune fiche de liaison (*.yaml) dans ce dossier", path=path)
    else:
        fiches = [path]
    with folder.lock():
        taken: dict[int, int] = {}  # year → last number given in this batch
        cases, problems = [], []
        for fiche in fiches:
            case, found = _read_fiche(folder, fiche, today, taken)
            problems += found
            if case is not None:
                cases.append(case)
        if problems:
            raise InvalidFile(problems)
        for case in cases:
            folder.create(case)
    return cases


def _read_fiche(
    folder: Folder, path: Path, today: date, taken: dict[int, int]
) -> tuple[Case | None, list[Problem]]:
    """One fiche as a new case (its ID the next free one of its year), or its problems."""
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError:
        return None, [Problem(name, None, "fiche de liaison illisible ou absente")]
    try:
        text = yamlio.decode(raw)
        document = yamlio.load(text)
    except yamlio.YamlProblem as problem:
        return None, [Problem(name, problem.line, problem.message)]
    if not isinstance(document, dict):
        return None, [Problem(name, 1, "fiche vide ou mal formée")]
    document.pop("id", None)
    document = _filled(document)
    year = _referral_year(document.get("orientation_recue")) or today.year
    number = taken.get(year) or int(folder.next_id(year).split("-")[1]) - 1
    case_id = f"{year}-{number + 1:03d}"
    parsed = casefile.from_document({"id": case_id, **document}, text, name, folder.config)
    if parsed.errors or parsed.case is None:
        return None, parsed.errors or parsed.problems
    case = parsed.case
    if case.referral.date > today:
        line = yamlio.line_of(text, ("orientation_recue", "date"))
        return None, [Problem(name, line, f"la date {case.referral.date.isoformat()} est dans "
                                          "le futur")]  # fmt: skip
    if case.phase.value != "referral":
        return None, [Problem(name, 1, "une fiche de liaison ne contient que "
                                       "orientation_recue, menage et referent")]  # fmt: skip
    taken[year] = number + 1
    return case, []


def _filled(value: Any) -> Any:
    """The fiche without its empty keys: a blank field of the form is « not filled », so a
    required one reads « champ obligatoire manquant » rather than a type error."""
    if isinstance(value, dict):
        return {k: _filled(v) for k, v in value.items() if v is not None}
    return value


def _referral_year(referral: object) -> int | None:
    when = referral.get("date") if isinstance(referral, dict) else None
    if isinstance(when, date):
        return when.year
    if isinstance(when, str):
        try:
            from visites.dates import parse_date

            return parse_date(when).year
        except ValueError:
            return None
    return None


def _first(error: Exception) -> str:
    errors = getattr(error, "errors", None)
    if callable(errors):
        return casefile.french_message(errors(include_url=False)[0])
    return str(error)


def check(folder: Folder) -> list[Problem]:
    """Every problem of the folder, file by file, then across files."""
    catalogue = folder.load_all()
    problems = list(catalogue.problems)
    if not (folder.root / SETTINGS_FILE).is_file():
        message = "pas de visites.yaml : réglages par défaut du programme (visites init)"
        problems.append(Problem(str(folder.root), None, message, "avertissement"))
    for name in folder.stray_files():
        message = "fichier ignoré : son nom n'est pas un identifiant de dossier (AAAA-NNN.yaml)"
        problems.append(Problem(str(folder.root / name), None, message, "avertissement"))
    for same in casefile.duplicate_ids(folder.case_ids()).values():
        for case_id in same:
            message = f"numéro de dossier en double : {', '.join(same)}"
            problems.append(Problem(str(folder.path_of(case_id)), None, message))
    with contextlib.suppress(OSError):
        if os.stat(folder.root).st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            message = "dossier accessible à d'autres utilisateurs : chmod 700 conseillé"
            problems.append(Problem(str(folder.root), None, message, "avertissement"))
    for case_id in folder.case_ids():
        path = folder.path_of(case_id)
        try:
            mode = os.stat(path).st_mode
        except OSError:
            continue
        if mode & (stat.S_IRGRP | stat.S_IROTH):
            message = "fichier lisible par d'autres utilisateurs : chmod 600 conseillé"
            problems.append(Problem(str(path), None, message, "avertissement"))
    return problems


def init_folder(directory: Path) -> Path:
    """Create a case folder: the commented settings and a README, private to the user."""
    from importlib.resources import files

    settings = directory / SETTINGS_FILE
    if settings.exists():
        raise VisitesError(f"{directory} est déjà un dossier de cas (visites.yaml existe)")
    from visites.store import atomic_write, private_folder

    private_folder(directory)
    data = files("visites") / "data"

    atomic_write(settings, (data / "visites.yaml").read_bytes())
    atomic_write(directory / "LISEZMOI.md", (data / "LISEZMOI.md").read_bytes())
    gitignore = "# fichiers de travail de visites\n.visites.lock\n.visites-tmp-*\n.visites-cache/\n"
    atomic_write(directory / ".gitignore", gitignore.encode())
    _copy_templates(data / "templates", directory / "templates")
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


def produce_document(
    folder: Folder,
    case_id: str,
    kind: str,
    when: date,
    today: date,
    *,
    fmt: str = "md",
    output: Path | None = None,
    meeting: Meeting | None = None,
    by: str | None = None,
    record: bool = True,
) -> bytes:
    """Render the document `kind` for one case in `fmt`; write it to `output` (atomic, 0600);
    record it as a « courrier » event. All under the folder's lock, from the case as read:
    when anything fails (template, date, disk), neither the file nor the event is written."""
    from visites.documents import kinds, templates
    from visites.render import documents

    kinds.check_kind(kind)
    with folder.lock():
        stored = folder.read(case_id)
        case = stored.case
        kinds.require(case, kind)
        values = kinds.variables(case, kind, folder.config, when, meeting)
        letter = templates.render(kind, values, kinds.KINDS[kind], folder.root)
        content = documents.render(letter, fmt, when)
        moved = None
        if record:
            # The note names the document, never its content (the file is the content).
            note = f"document produit : {kind}"
            event = Event(date=when, kind="courrier", author=by or case.referent, note=note)
            moved = apply(case, AddEvent(event), folder.config, today)
        if output is not None:
            from visites.store import atomic_write

            atomic_write(output, content)
        if moved is not None:
            folder.update(stored, moved)
    return content
