"""The workflow: which move is allowed in which phase, and what each move does to a case.
Pure functions over models; `today` is always a parameter.

The allowed moves are one table, `ALLOWED`, checked in one place, `apply`. The rules every
case obeys (dates in order, configured lists, the measure of droit commun) are the rules of
`checks.validate_case`, which `apply` runs on the moved case, as `check` runs them on every
file: a move can never write a case that `check` would refuse, and each rule is written once.
The deadlines are in `deadlines`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from visites import dates
from visites.checks import validate_case
from visites.config import Config
from visites.errors import ERROR, UsageProblem, WorkflowError
from visites.model import (
    Accompaniment,
    Adhesion,
    Case,
    Closure,
    Diagnostic,
    Event,
    Household,
    Involvement,
    Orientation,
    Outcome,
    Phase,
    Refusal,
    Renewal,
)
from visites.vocabulary import PHASE_LABELS

T = TypeVar("T")

# ------------------------------------------------------------------------------ moves


@dataclass(frozen=True)
class Consent:
    date: date
    mode: str = "tripartite"
    consent_to_share: date | None = None


@dataclass(frozen=True)
class Share:
    """The household's consent to exchanges with the landlord, given after the adhesion
    (`date`), or withdrawn (`date` None)."""

    date: date | None


@dataclass(frozen=True)
class Refuse:
    date: date
    reason: str | None = None


@dataclass(frozen=True)
class Diagnose:
    problems: tuple[str, ...] = ()
    situation: str | None = None
    levers: str | None = None
    network: str | None = None


@dataclass(frozen=True)
class Orient:
    date: date
    to: Outcome
    measure: str | None = None
    recommendations: str | None = None
    outcome: str | None = None  # the closure's outcome, when the orientation closes the case


@dataclass(frozen=True)
class Renew:
    date: date
    months: int


@dataclass(frozen=True)
class Close:
    date: date
    outcome: str | None = None


@dataclass(frozen=True)
class AddEvent:
    event: Event


@dataclass(frozen=True)
class SetProfile:
    """The household's profile, completed or corrected (`visites household`): each value
    given replaces the recorded one; None leaves it as it is."""

    typology: str | None = None
    size: int | None = None
    priorities: tuple[str, ...] | None = None  # `("aucun",)`: recorded as none
    housing: str | None = None


@dataclass(frozen=True)
class AddPartner:
    """A partner mobilised around the household from `date` (`visites partner --add`)."""

    partner: str
    date: date
    note: str | None = None


@dataclass(frozen=True)
class EndPartner:
    """The partner's current involvement ends on `date` (`visites partner --end`)."""

    partner: str
    date: date


Move = (
    Consent | Share | Refuse | Diagnose | Orient | Renew | Close | AddEvent | SetProfile
    | AddPartner | EndPartner
)  # fmt: skip

# The one table of allowed moves: (command, French label) and the phases it is allowed in.
ALLOWED: dict[type, tuple[str, str, frozenset[Phase]]] = {
    Consent: ("consent", "adhésion", frozenset({Phase.REFERRAL})),
    Refuse: ("consent --refused", "refus", frozenset({Phase.REFERRAL})),
    # The consent to share may come after the orientation (for the avis au bailleur).
    Share: (
        "share",
        "accord d'échanges",
        frozenset({Phase.DIAGNOSTIC, Phase.ACCOMPANIMENT, Phase.CLOSED}),
    ),
    Diagnose: ("diagnose", "diagnostic", frozenset({Phase.DIAGNOSTIC})),
    Orient: ("orient", "orientation", frozenset({Phase.DIAGNOSTIC})),
    Renew: ("renew", "renouvellement", frozenset({Phase.ACCOMPANIMENT})),
    Close: (
        "close",
        "clôture",
        frozenset({Phase.REFERRAL, Phase.DIAGNOSTIC, Phase.ACCOMPANIMENT}),
    ),
    AddEvent: ("event", "événement", frozenset(Phase)),
    # The profile and the partners are facts about the household, not steps: recorded, or
    # corrected afterwards, in every phase (dated within the case's life: `validate_case`).
    SetProfile: ("household", "profil du ménage", frozenset(Phase)),
    AddPartner: ("partner --add", "partenaire mobilisé", frozenset(Phase)),
    EndPartner: ("partner --end", "fin du suivi d'un partenaire", frozenset(Phase)),
}
# Not steps of the déroulé: never suggested as « possible maintenant ».
RECORDS = frozenset({SetProfile, AddPartner, EndPartner})


def possible_moves(case: Case) -> list[str]:
    """The commands allowed for `case` in its phase, in workflow order (the consent to share
    needs an adhesion)."""
    phase = case.phase
    return [
        command
        for move, (command, _, phases) in ALLOWED.items()
        if phase in phases and (move is not Share or case.adhesion) and move not in RECORDS
    ]


def apply(case: Case, move: Move, config: Config, today: date) -> Case:
    """The case after `move`, or WorkflowError / UsageProblem. The input is never changed."""
    command, label, phases = ALLOWED[type(move)]
    phase = case.phase
    if phase not in phases:
        raise WorkflowError(
            f"dossier {case.id} : {label} impossible en phase « {PHASE_LABELS[phase]} ». "
            f"Possible maintenant : {', '.join('visites ' + m for m in possible_moves(case))}."
        )
    moved = _moved(case, move)
    findings = validate_case(moved, config)
    # A rule the move's own values break (a measure out of the list) is a usage error, told
    # in the words of the flag that was typed; a rule the file already broke is not.
    already = set(validate_case(case, config))
    typed = [f for f in findings if f.hint and f.severity == ERROR and f not in already]
    if typed:
        raise UsageProblem(f"dossier {case.id} : {typed[0].hint}")
    when = getattr(move, "date", None) or getattr(getattr(move, "event", None), "date", None)
    if when and when > today:
        raise UsageProblem(f"dossier {case.id} : la date {dates.short(when)} est dans le futur")
    errors = [f for f in findings if f.severity == ERROR]
    if errors:
        raise WorkflowError(f"dossier {case.id} : {label} impossible : {errors[0].message}")
    return moved


def _moved(case: Case, move: Move) -> Case:
    """The case with `move` done. Only what the move's own shape forbids is refused here;
    the rules on the result are `validate_case`'s."""
    match move:
        case Consent():
            adhesion = Adhesion(
                date=move.date, mode=move.mode, consent_to_share=move.consent_to_share
            )
            return case.model_copy(update={"adhesion": adhesion})
        case Share():
            if case.adhesion is None:  # a refused case is closed without one
                raise WorkflowError(
                    f"dossier {case.id} : accord d'échanges impossible sans adhésion du ménage"
                )
            adhesion = case.adhesion.model_copy(update={"consent_to_share": move.date})
            return case.model_copy(update={"adhesion": adhesion})
        case Refuse():
            return case.model_copy(update={"refusal": Refusal(date=move.date, reason=move.reason)})
        case Diagnose():
            if not (move.problems or move.situation or move.levers or move.network):
                raise UsageProblem(
                    f"dossier {case.id} : rien à enregistrer : donnez --problem, --situation, "
                    "--levers ou --network"
                )
            return case.model_copy(update={"diagnostic": _completed(case.diagnostic, move)})
        case Orient():
            return _oriented(case, move)
        case Renew():
            assert case.accompaniment is not None  # the phase says so
            renewals = (*case.accompaniment.renewals, Renewal(date=move.date, months=move.months))
            accompaniment = case.accompaniment.model_copy(update={"renewals": renewals})
            return case.model_copy(update={"accompaniment": accompaniment})
        case Close():
            closure = Closure(date=move.date, outcome=move.outcome)
            return case.model_copy(update={"closure": closure})
        case AddEvent():
            events = [*case.events]
            position = sum(1 for e in events if e.date <= move.event.date)
            events.insert(position, move.event)
            return case.model_copy(update={"events": tuple(events)})
        case SetProfile():
            return _profiled(case, move)
        case AddPartner():
            involvement = _valid(
                case, "partenaire", Involvement, partner=move.partner, start=move.date,
                note=move.note,
            )  # fmt: skip
            return case.model_copy(update={"partners": (*case.partners, involvement)})
        case EndPartner():
            return _partner_ended(case, move)
    raise AssertionError(move)


def _profiled(case: Case, move: SetProfile) -> Case:
    given = {
        "typology": move.typology,
        "size": move.size,
        "priorities": move.priorities,
        "housing": move.housing,
    }
    update = {name: value for name, value in given.items() if value is not None}
    if not update:
        raise UsageProblem(
            f"dossier {case.id} : rien à enregistrer : donnez --typology, --size, --priority, "
            "--no-priority ou --housing"
        )
    fields = {**dict(case.household), **update}  # validated: the size's bounds, the codes
    return case.model_copy(update={"household": _valid(case, "profil", Household, **fields)})


def _valid(case: Case, what: str, model: type[T], **fields: object) -> T:
    """`model(**fields)`, validated; a value the model refuses is a usage error."""
    try:
        return model(**fields)
    except ValueError as error:  # pydantic's ValidationError is a ValueError
        from visites.casefile import french_message

        errors = getattr(error, "errors", None)
        detail = french_message(errors(include_url=False)[0]) if callable(errors) else str(error)
        raise UsageProblem(f"dossier {case.id} : {what} invalide : {detail}") from None


def _partner_ended(case: Case, move: EndPartner) -> Case:
    """The partner's open involvement, ended. The dates are `validate_case`'s."""
    open_ones = [i for i, p in enumerate(case.partners) if p.partner == move.partner and not p.end]
    if not open_ones:
        raise WorkflowError(
            f"dossier {case.id} : aucun suivi {move.partner} en cours "
            f"(visites partner {case.id} --add {move.partner})"
        )
    index = open_ones[-1]
    ended = case.partners[index].model_copy(update={"end": move.date})
    partners = (*case.partners[:index], ended, *case.partners[index + 1 :])
    return case.model_copy(update={"partners": partners})


def _completed(found: Diagnostic | None, move: Diagnose) -> Diagnostic:
    """Findings add up: problems are merged, texts given again replace the old ones."""
    found = found or Diagnostic()
    problems = tuple(dict.fromkeys((*found.problems, *move.problems)))
    update = {"problems": problems}
    for name in ("situation", "levers", "network"):
        if getattr(move, name):
            update[name] = getattr(move, name)
    return found.model_copy(update=update)


def _oriented(case: Case, move: Orient) -> Case:
    if move.to is Outcome.ACCOMPAGNEMENT and move.outcome:
        raise UsageProblem(
            f"dossier {case.id} : l'accompagnement ne clôt pas le dossier : "
            "l'issue se donne à la clôture (visites close)"
        )
    orientation = Orientation(
        date=move.date, to=move.to, measure=move.measure, recommendations=move.recommendations
    )
    update: dict[str, object] = {"orientation": orientation}
    if move.to is Outcome.ACCOMPAGNEMENT:
        update["accompaniment"] = Accompaniment(start=move.date)
    elif move.outcome:
        update["closure"] = Closure(date=move.date, outcome=move.outcome)
    return case.model_copy(update=update)
