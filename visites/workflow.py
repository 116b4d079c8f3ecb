"""The workflow: which move is allowed in which phase, and what each move does to a case.
Pure functions over models; `today` is always a parameter.

The allowed moves are one table, `ALLOWED`, checked in one place, `apply`. The rules every
case obeys (dates in order, configured lists, the measure of droit commun) are the rules of
`checks.validate_case`, which `apply` runs on the moved case, as `check` runs them on every
file: a move can never write a case that `check` would refuse, and each rule is written once.
The deadlines are in `deadlines`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
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
    Objective,
    Orientation,
    Outcome,
    Phase,
    Refusal,
    Renewal,
    Statement,
    StatusChange,
)
from visites.vocabulary import OBJECTIVE_STATUS_LABELS, PHASE_LABELS

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
class AddObjective:
    """A new objective of the accompaniment project: it starts « en cours » on `date`."""

    date: date
    text: str
    problem: str | None = None


@dataclass(frozen=True)
class SetObjective:
    """Objective `number` takes `status` on `date` (its history keeps the earlier ones)."""

    number: int
    date: date
    status: str
    note: str | None = None


@dataclass(frozen=True)
class RecordFinances:
    """A statement of the household's finances on `date`: only the figures given."""

    date: date
    arrears: Decimal | None = None
    resources: Decimal | None = None
    rent: Decimal | None = None
    housing_benefit: Decimal | None = None
    repayment_plan: bool | None = None


Move = (
    Consent | Share | Refuse | Diagnose | Orient | Renew | Close | AddEvent
    | AddObjective | SetObjective | RecordFinances
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
    # The project is built during the accompaniment; a closed case may still record the
    # final status of an objective, dated on or before the closure (checks.validate_objectives).
    AddObjective: ("objective add", "objectif", frozenset({Phase.ACCOMPANIMENT})),
    SetObjective: (
        "objective set",
        "statut d'objectif",
        frozenset({Phase.ACCOMPANIMENT, Phase.CLOSED}),
    ),
    # From the referral to the closure (checks.validate_finances dates it).
    RecordFinances: ("finances", "situation financière", frozenset(Phase)),
}


def possible_moves(case: Case) -> list[str]:
    """The commands allowed for `case` in its phase, in workflow order (the consent to share
    needs an adhesion)."""
    phase = case.phase
    return [
        command
        for move, (command, _, phases) in ALLOWED.items()
        if phase in phases
        and (move is not Share or case.adhesion)
        and (move is not SetObjective or case.objectives)
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
        case AddObjective():
            return _with_objective(case, move)
        case SetObjective():
            return _with_status(case, move)
        case RecordFinances():
            return _with_statement(case, move)
    raise AssertionError(move)


M = TypeVar("M")


def _built(case: Case, what: str, build: Callable[[], M]) -> M:
    """A section built from typed values; what the model refuses (an empty text, a control
    character) is a usage error naming the case."""
    try:
        return build()
    except ValueError as error:  # pydantic's ValidationError is a ValueError
        from visites.casefile import french_message

        errors = getattr(error, "errors", None)
        reason = french_message(errors(include_url=False)[0]) if callable(errors) else str(error)
        raise UsageProblem(f"dossier {case.id} : {what} invalide : {reason}") from None


def _with_objective(case: Case, move: AddObjective) -> Case:
    number = max((o.number for o in case.objectives), default=0) + 1
    objective = _built(case, "objectif", lambda: Objective(
        number=number, text=move.text, problem=move.problem,
        statuses=(StatusChange(date=move.date, status="en-cours"),),
    ))  # fmt: skip
    return case.model_copy(update={"objectives": (*case.objectives, objective)})


def _with_status(case: Case, move: SetObjective) -> Case:
    found = [o for o in case.objectives if o.number == move.number]
    if not found:
        known = ", ".join(str(o.number) for o in case.objectives) or "aucun"
        raise WorkflowError(
            f"dossier {case.id} : objectif {move.number} inconnu (objectifs : {known})"
        )
    objective = found[0]
    last = objective.statuses[-1]
    if last.status == move.status:
        raise WorkflowError(
            f"dossier {case.id} : l'objectif {move.number} est déjà « "
            f"{OBJECTIVE_STATUS_LABELS[move.status]} » depuis le {dates.short(last.date)}"
        )
    change = _built(case, "statut", lambda: StatusChange(
        date=move.date, status=move.status, note=move.note or None))  # fmt: skip
    moved = objective.model_copy(update={"statuses": (*objective.statuses, change)})
    objectives = tuple(moved if o is objective else o for o in case.objectives)
    return case.model_copy(update={"objectives": objectives})


def _with_statement(case: Case, move: RecordFinances) -> Case:
    figures = (move.arrears, move.resources, move.rent, move.housing_benefit,
               move.repayment_plan)  # fmt: skip
    if all(figure is None for figure in figures):
        raise UsageProblem(
            f"dossier {case.id} : rien à enregistrer : donnez --arrears, --resources, --rent, "
            "--housing-benefit ou --repayment-plan"
        )
    statement = _built(case, "situation financière", lambda: Statement(
        date=move.date, arrears=move.arrears, resources=move.resources, rent=move.rent,
        housing_benefit=move.housing_benefit, repayment_plan=move.repayment_plan,
    ))  # fmt: skip
    statements = [*case.finances]
    position = sum(1 for s in statements if s.date <= move.date)  # after the same day's
    statements.insert(position, statement)
    return case.model_copy(update={"finances": tuple(statements)})


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
