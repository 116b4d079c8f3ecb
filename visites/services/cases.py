"""What each command does with the folder: open it, lock it, read, apply a move, write.

The shell around the pure core. The CLI calls these; they never print.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from visites import environment
from visites.checks import FolderFacts, validate_case, validate_folder
from visites.dates import short
from visites.errors import ERROR, Problem, UsageProblem, VisitesError, first_reason
from visites.model import Case, Context, Event, Household, KnownCase, Referral
from visites.paths import CASE_FILE, MERGE_TEMP_PREFIX, REGISTRY_FILE, SETTINGS_FILE
from visites.store import Folder
from visites.workflow import ALLOWED, AddEvent, AddPartner, EndPartner, Move, Orient, apply

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    from visites.status import Summary


def open_folder(root: Path) -> Folder:
    return Folder(root)


# ---------------------------------------------------------------------------- the commit hook


@dataclass
class Change:
    """What one writing command tells the history. `action` is a fixed code (the command,
    e.g. `orient`), `label` its French short form (« orientation accompagnement »). Both are
    built from codes and list values only, never from typed text: a commit message must
    never carry a household's name."""

    action: str = ""
    label: str = ""
    case_ids: list[str] = field(default_factory=list)  # default: the case files written
    subject: str = ""  # the whole subject, when « IDs: label » does not fit (a caseload)


@contextlib.contextmanager
def committing(folder: Folder, by: str | None = None) -> Iterator[Change]:
    """Lock the folder, run the block, then commit exactly the files it wrote, still under
    the lock. Every writer goes through here: `Folder.create/update` record their file; a
    writer of other files (documents, removals) calls `folder.record(path)` for each.

        with committing(folder, by) as change:
            ...write...
            change.action, change.label = "anonymise", "anonymisation"

    Nothing is committed when the block fails, when `git.autocommit` is false, or when the
    folder is not a git repository. `by` (--by) or $VISITES_USER names the author."""
    from visites import notices
    from visites.git import run as gitops
    from visites.git import state as gitstate

    with folder.lock():
        if gitstate.sync_interrupted(folder.root):  # a `visites sync` killed halfway
            from visites.services.sync import recovery as syncrecovery

            syncrecovery.recover(folder)
        folder.journal = []
        change = Change()
        try:
            yield change
            written = list(folder.journal)
        finally:
            folder.journal = None
        if written and folder.config.git.autocommit:
            ids = change.case_ids or [
                m.group(1) for p in written if (m := CASE_FILE.fullmatch(p.name))
            ]
            subject = change.subject or f"{_id_list(ids)}: {change.label or change.action}"
            author = environment.acting_user(by)
            try:
                gitops.commit(folder.root, written, subject, change.action or "write", author)
            except gitops.GitFailed as failure:  # the files are written: the command stands
                notices.commit_deferred(_id_list(ids) if ids else "", written, failure)


def _id_list(ids: list[str]) -> str:
    unique = list(dict.fromkeys(ids))
    if not unique:
        return "dossier de cas"
    return ", ".join(unique) if len(unique) <= 3 else f"{len(unique)} dossiers"


def move_label(change: Move) -> tuple[str, str]:
    """The action code and French short form of a workflow move, for the history."""
    command, label, _ = ALLOWED[type(change)]
    if isinstance(change, Orient):
        label = f"{label} {change.to.value}"
    elif isinstance(change, AddEvent):
        label = f"{label} {change.event.kind}"
    elif isinstance(change, AddPartner | EndPartner):
        # A code of the settings' list, never a name.
        label = (
            f"partenaire {change.partner} : {'début' if isinstance(change, AddPartner) else 'fin'}"
        )
    return command, label


def move(
    folder: Folder,
    case_id: str,
    change: Move | Callable[[Case], Move],
    today: date,
    by: str | None = None,
) -> Case:
    """Apply one workflow move to one case, under the folder's lock, and commit it.

    `change` may be a function of the current case (an event's author is its referent)."""
    with committing(folder, by) as record:
        stored = folder.read(case_id)
        if callable(change):
            change = change(stored.case)
        moved = apply(stored.case, change, folder.config, today)
        folder.update(stored, moved)
        record.action, record.label = move_label(change)
    return moved


def add_event(
    folder: Folder,
    case_id: str,
    kind: str,
    when: date,
    note: str | None,
    by: str | None,
    today: date,
    partner: str | None = None,
) -> Case:
    """Add one event to the case's timeline. The author defaults to the référent(e) in
    charge of the case on the event's day; `partner` names the partner the event was with
    (`--partner CAF`)."""
    from visites.referents import referent_on

    def event(case: Case) -> AddEvent:
        author = by or referent_on(case, when)
        try:
            return AddEvent(
                Event(date=when, kind=kind, partner=partner, author=author, note=note or None)
            )
        except ValueError as error:
            raise UsageProblem(
                f"dossier {case_id} : événement invalide : {first_reason(error)}"
            ) from None

    return move(folder, case_id, event, today, by)


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
    # The household's profile (see `profile`): codes, None when not given.
    typology: str | None = None
    size: int | None = None
    priorities: tuple[str, ...] = ()
    housing: str | None = None


NEW_REFERRAL = ("new-referral", "nouvelle orientation reçue")


def new_referral(
    folder: Folder,
    form: ReferralForm,
    today: date,
    additions: Mapping[str, str] | None = None,
) -> Case:
    """Record a fiche de liaison as a new case, with the next free ID of its year. The form's
    list values are canonical (`visites.matching`); `additions` are new values of the open
    lists (`{"communes": "Bouaye"}`, from `--new-commune`), written into visites.yaml in the
    same commit."""
    if form.context not in {c.value for c in Context}:
        raise UsageProblem(
            f"contexte « {form.context} » inconnu ; valeurs possibles : entree, en-cours"
        )
    if form.date > today:
        raise UsageProblem(f"--date : le {short(form.date)} est dans le futur")
    with committing(folder) as record:
        record.action, record.label = NEW_REFERRAL
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
                    typology=form.typology,
                    size=form.size,
                    priorities=form.priorities,
                    housing=form.housing,
                ),
                referent=form.referent or None,
            )
        except ValueError as error:  # pydantic's ValidationError is a ValueError
            raise UsageProblem(f"fiche de liaison invalide : {first_reason(error)}") from None
        refused = [f for f in validate_case(case, folder.config) if f.severity == ERROR]
        if refused:  # the rules `check` applies (a deadline before the referral…)
            raise UsageProblem(
                f"fiche de liaison invalide : {refused[0].hint or refused[0].message}"
            )
        case = case.model_copy(update={"known_before": earlier_cases(folder, case)})
        from visites.services.folder import extended_lists

        with extended_lists(folder, list((additions or {}).items())):
            folder.create(case)
    return case


def earlier_cases(
    folder: Folder, case: Case, summaries: list[Summary] | None = None
) -> tuple[KnownCase, ...]:
    """The closed cases of the same household as `case` (same lease, or same name and
    address: see `known`), closed on or before its referral, oldest first. Found through the
    index's keys (`summaries`, when the caller already has the folder's); each one then read
    from its file, which alone is trusted."""
    from visites.known import Identity
    from visites.phases import Phase

    def identity(of: Case) -> Identity:
        return Identity.of(of.referral.landlord_ref, of.household.name, of.household.address)

    wanted = identity(case)
    if wanted.reference is None and wanted.home is None:
        return ()
    if summaries is None:
        summaries, _ = folder.summaries(closed=True)
    candidates = [
        s.id
        for s in summaries
        if s.phase is Phase.CLOSED
        and s.id != case.id
        and wanted.same_household(Identity(s.reference_key, s.home_key))
    ]
    found = []
    for case_id in candidates:
        try:
            earlier = folder.read(case_id).case
        except VisitesError:  # changed since the index was read; `check` reports it
            continue
        closed = earlier.closed_on
        if closed and closed <= case.referral.date and wanted.same_household(identity(earlier)):
            found.append(KnownCase(case_id=earlier.id, closed_on=closed))
    return tuple(sorted(found, key=lambda k: (k.closed_on, k.case_id)))


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
    )


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
    gitignore = "# fichiers de travail de visites\n.visites.lock\n.visites-tmp-*\n.visites-cache/\n"
    atomic_write(directory / ".gitignore", gitignore.encode())
    _copy_templates(data / "templates", directory / "templates")
    from visites.git import run as gitops
    from visites.merge import registry

    atomic_write(directory / ".gitattributes", gitops.ATTRIBUTES.encode())
    atomic_write(directory / REGISTRY_FILE, registry.render(registry.Registry()).encode())
    if gitops.available():  # without git the folder works, without history
        if not (directory / ".git").exists():
            gitops.init_repo(directory)
        gitops.ensure_setup(directory)
        own = (SETTINGS_FILE, "LISEZMOI.md", ".gitignore", ".gitattributes", REGISTRY_FILE)
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
