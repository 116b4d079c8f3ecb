"""A new case from a fiche de liaison: typed on the command line (`new_referral`) or filled in
as files (templates/fiche-de-liaison.yaml: one, or a folder of them recorded all or nothing);
with the household's earlier cases (« ménage déjà connu »)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from visites import casefile, dates, matching, yamlio
from visites.checks import validate_case
from visites.dates import short
from visites.errors import ERROR, InvalidFile, Problem, UsageProblem, VisitesError, first_reason
from visites.git import numbers as gitnumbers
from visites.model import Case, Context, Household, KnownCase, Referral
from visites.services.committing import committing
from visites.services.folder import extended_lists
from visites.status import Summary
from visites.store import Folder

if TYPE_CHECKING:
    from visites.config import Lists


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
        case_id = folder.next_id(form.date.year, gitnumbers.ever_given(folder.root))
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
        with extended_lists(folder, list((additions or {}).items()), record):
            folder.create(case, record)
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


def open_cases(
    folder: Folder,
    identity: tuple[str | None, str | None, str | None],
    summaries: list[Summary] | None = None,
    but: str | None = None,
) -> tuple[str, ...]:
    """The IDs of the cases not closed of the household that `identity` (landlord
    reference, household name, address) names, by the keys « ménage déjà connu » uses
    (`known`), from the index (`summaries`, when the caller has them), `but` left out."""
    from visites.known import Identity
    from visites.phases import Phase

    wanted = Identity.of(*identity)
    if wanted.reference is None and wanted.home is None:
        return ()
    if summaries is None:
        summaries, _ = folder.summaries(closed=True)
    return tuple(
        s.id
        for s in summaries
        if s.phase is not None
        and s.phase is not Phase.CLOSED
        and s.id != but
        and wanted.same_household(Identity(s.reference_key, s.home_key))
    )


def referral_from_file(folder: Folder, path: Path, today: date) -> Case:
    """Record a filled fiche de liaison (templates/fiche-de-liaison.yaml)."""
    return referrals_from_path(folder, path, today)[0]


def referrals_from_path(
    folder: Folder, path: Path, today: date, open_to_new: Collection[str] = ()
) -> list[Case]:
    """Record one filled fiche de liaison, or every `*.yaml` fiche of a folder, in name order.

    All or nothing: every fiche is validated first, and if one is wrong nothing is created and
    every problem of every fiche is reported (file:line). IDs are given in order, under one lock.
    The commune, context and référent(e) are matched to their lists (`visites.matching`) and
    stored in their canonical form; a commune or référent(e) out of its list is refused unless
    its list is in `open_to_new` (`--new-commune`): then it is added to visites.yaml, in the
    same commit.
    """
    if path.is_dir():
        fiches = sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
        if not fiches:
            raise VisitesError("aucune fiche de liaison (*.yaml) dans ce dossier", path=path)
    else:
        fiches = [path]
    with committing(folder) as record:
        record.action, record.label = NEW_REFERRAL
        taken: dict[int, int] = {}  # year → last number given in this batch
        given = gitnumbers.ever_given(folder.root)  # a file removed by hand frees no ID
        cases, problems = [], []
        additions: list[tuple[str, str]] = []
        for fiche in fiches:
            case, found = _read_fiche(folder, fiche, today, taken, (open_to_new, additions), given)
            problems += found
            if case is not None:
                cases.append(case)
        if problems:
            raise InvalidFile(problems)
        # « Ménage déjà connu »: the link to the household's earlier, closed cases.
        summaries, _ = folder.summaries(closed=True)
        cases = [_linked(folder, case, summaries) for case in cases]
        with extended_lists(folder, additions, record):
            for case in cases:
                folder.create(case, record)
    return cases


def _linked(folder: Folder, case: Case, summaries: list[Summary]) -> Case:
    found = (*case.known_before, *earlier_cases(folder, case, summaries))
    return case.model_copy(update={"known_before": tuple(dict.fromkeys(found))})


def _read_fiche(
    folder: Folder,
    path: Path,
    today: date,
    taken: dict[int, int],
    new: tuple[Collection[str], list[tuple[str, str]]],
    given: Mapping[str, int],
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
    refused = _canonical(document, folder.config.lists, *new)
    if refused:
        return None, [Problem(name, yamlio.line_of(text, loc), why) for loc, why in refused]
    year = _referral_year(document.get("orientation_recue")) or today.year
    number = taken.get(year) or int(folder.next_id(year, given).split("-")[1]) - 1
    case_id = f"{year}-{number + 1:03d}"
    parsed = casefile.from_document({"id": case_id, **document}, text, name, folder.config)
    if parsed.errors or parsed.case is None:
        return None, parsed.errors or parsed.problems
    case = parsed.case
    if case.referral.date > today:
        line = yamlio.line_of(text, ("orientation_recue", "date"))
        return None, [Problem(name, line, f"date : le {dates.short(case.referral.date)} est "
                                          "dans le futur")]  # fmt: skip
    if case.phase.value != "referral":
        return None, [Problem(name, 1, "une fiche de liaison ne contient que "
                                       "orientation_recue, menage et referent")]  # fmt: skip
    taken[year] = number + 1
    return case, []


# The values of a fiche matched to their lists: where, which function, the open list.
_MATCHED = (
    (("menage", "commune"), matching.commune, "communes"),
    (("referent",), matching.referent, "referents"),
    (("orientation_recue", "contexte"), None, None),
)


# The household profile's closed lists, matched as `--typology`, `--priority`, `--housing`.
_PROFILE = (
    ("typologie", matching.typology),
    ("publics_prioritaires", lambda typed, lists: matching.priority(typed)),
    ("logement", lambda typed, lists: matching.housing(typed)),
)


def _canonical(
    document: dict[str, Any],
    lists: Lists,
    open_to_new: Collection[str],
    additions: list[tuple[str, str]],
) -> list[tuple[tuple[str, ...], str]]:
    """Put the fiche's list values in their canonical form (« coueron » → « Couëron »), in
    place; the values refused, with where they are and why."""
    refused = _canonical_profile(document.get("menage"), lists)
    for loc, match, key in _MATCHED:
        parent: Any = document
        for step in loc[:-1]:
            parent = parent.get(step) if isinstance(parent, dict) else None
        typed = parent.get(loc[-1]) if isinstance(parent, dict) else None
        if not isinstance(typed, str):
            continue  # absent or not text: the case model says what is wrong
        try:
            if match is None:
                parent[loc[-1]] = matching.context(typed).value
                continue
            found = match(typed, lists, new=key in open_to_new)
        except matching.Unmatched as error:
            flag = "--new-commune" if key == "communes" else "--new-referent"
            how = f"ajoutez-la à listes.{key} de visites.yaml, ou relancez avec {flag}"
            refused.append((loc, error.message(how if key else None)))
            continue
        parent[loc[-1]] = found.value
        if found.is_new:
            additions.append((key, found.value))
    return refused


def _canonical_profile(household: Any, lists: Lists) -> list[tuple[tuple[str, ...], str]]:
    """The profile's values in their canonical form (« DALO » → `dalo`), in place; those
    refused. A value that is not text is left to the case model to refuse."""
    refused = []
    for key, match in _PROFILE:
        if not isinstance(household, dict) or key not in household:
            continue
        typed = household[key]
        items = typed if isinstance(typed, list) else [typed]
        try:
            found = [match(item, lists) if isinstance(item, str) else item for item in items]
        except matching.Unmatched as error:
            refused.append((("menage", key), error.message()))
            continue
        household[key] = found if isinstance(typed, list) else found[0]
    return refused


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
