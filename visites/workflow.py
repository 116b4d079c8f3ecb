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

from pydantic import ValidationError

from visites import dates
from visites.appointments import ahead_of, appointment
from visites.checks import validate_case
from visites.config import Config
from visites.errors import ERROR, UsageProblem, WorkflowError
from visites.model import (
    Accompaniment,
    Adhesion,
    Appointment,
    Cancellation,
    Case,
    Closure,
    Diagnostic,
    Event,
    Handover,
    Household,
    Involvement,
    Objective,
    Orientation,
    Outcome,
    Phase,
    Refusal,
    Renewal,
    Statement,
    StatusChange,
)
from visites.referents import handover_note, referent_on
from visites.vocabulary import OBJECTIVE_STATUS_LABELS, PHASE_LABELS

T = TypeVar("T")

# ------------------------------------------------------------------------------ moves


@dataclass(frozen=True)
class Consent:
    date: date
    mode: str = "tripartite"
    consent_to_share: date | None = None
    notice: date | None = None  # the information notice (RGPD) given; default: `date`


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
class PlanAppointment:
    """A new appointment, added at the end of the case's list (its number is its place)."""

    appointment: Appointment


@dataclass(frozen=True)
class CancelAppointment:
    number: int
    date: date  # the day it is cancelled: a fact, never in the future
    note: str | None = None


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
class MoveAppointment:
    number: int
    day: date  # a plan: may be in the future
    time: str


@dataclass(frozen=True)
class ChangeReferent:
    """`name` takes the case over from `date`; with `until`, for a cover, after which the
    case goes back to whoever held it before. The handover is written in the timeline as a
    « transfert » event by `by` (else the new référent(e))."""

    date: date
    name: str
    until: date | None = None
    note: str | None = None
    by: str | None = None


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
    | PlanAppointment | CancelAppointment | MoveAppointment | ChangeReferent | SetProfile
    | AddPartner | EndPartner | AddObjective | SetObjective | RecordFinances
)  # fmt: skip
# Moves that plan rather than record: their dates may be in the future (a fact may not).
PLANS = (PlanAppointment, MoveAppointment)
OPEN = frozenset({Phase.REFERRAL, Phase.DIAGNOSTIC, Phase.ACCOMPANIMENT})

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
    PlanAppointment: ("rdv", "rendez-vous", OPEN),
    # A closed case may still have a past appointment to settle (« à renseigner »).
    CancelAppointment: ("rdv --cancel", "rendez-vous annulé", frozenset(Phase)),
    MoveAppointment: ("rdv --move", "rendez-vous déplacé", OPEN),
    # A closed case keeps its référent(e): it accepts only events.
    ChangeReferent: (
        "referent",
        "changement de référent(e)",
        frozenset({Phase.REFERRAL, Phase.DIAGNOSTIC, Phase.ACCOMPANIMENT}),
    ),
    # The profile and the partners are facts about the household, not steps: recorded, or
    # corrected afterwards, in every phase (dated within the case's life: `validate_case`).
    SetProfile: ("household", "profil du ménage", frozenset(Phase)),
    AddPartner: ("partner --add", "partenaire mobilisé", frozenset(Phase)),
    EndPartner: ("partner --end", "fin du suivi d'un partenaire", frozenset(Phase)),
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
# Not steps of the déroulé: never suggested as « possible maintenant ».
RECORDS = frozenset({SetProfile, AddPartner, EndPartner})


def possible_moves(case: Case) -> list[str]:
    """The commands allowed for `case` in its phase, in workflow order (the consent to share
    needs an adhesion, a change of appointment an appointment)."""
    phase = case.phase
    return [
        command
        for move, (command, _, phases) in ALLOWED.items()
        if phase in phases
        and (move is not Share or case.adhesion)
        and (move not in (CancelAppointment, MoveAppointment) or case.appointments)
        and move not in RECORDS
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
    if when and when > today and not isinstance(move, PLANS):
        raise UsageProblem(f"dossier {case.id} : la date {dates.short(when)} est dans le futur")
    notice = getattr(move, "notice", None)
    if notice and notice > today:
        raise UsageProblem(f"dossier {case.id} : la date {dates.short(notice)} est dans le futur")
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
                date=move.date,
                mode=move.mode,
                consent_to_share=move.consent_to_share,
                notice=move.notice or move.date,
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
            # The appointments still ahead cannot take place in a closed case.
            closed = case.model_copy(update={"closure": closure})
            return _cancelled(closed, ahead_of(case, move.date), move.date)
        case PlanAppointment():
            return case.model_copy(update={"appointments": (*case.appointments, move.appointment)})
        case CancelAppointment():
            found = appointment(case, move.number)
            if found.cancelled is not None:
                raise WorkflowError(
                    f"dossier {case.id} : rendez-vous n° {move.number} déjà annulé "
                    f"le {dates.short(found.cancelled.date)}"
                )
            return _cancelled(case, [move.number], move.date, move.note)
        case MoveAppointment():
            found = appointment(case, move.number)
            if found.cancelled is not None:
                raise WorkflowError(
                    f"dossier {case.id} : rendez-vous n° {move.number} annulé : "
                    f"planifiez-en un autre (visites rdv {case.id} --date … --time …)"
                )
            moved = found.model_copy(update={"date": move.day, "time": move.time})
            return _replaced(case, move.number, moved)
        case AddEvent():
            return case.model_copy(update={"events": _with_event(case.events, move.event)})
        case ChangeReferent():
            return _handed_over(case, move)
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
        case AddObjective():
            return _with_objective(case, move)
        case SetObjective():
            return _with_status(case, move)
        case RecordFinances():
            return _with_statement(case, move)
    raise AssertionError(move)


def _cancelled(case: Case, numbers: list[int], day: date, note: str | None = None) -> Case:
    for number in numbers:
        found = appointment(case, number)
        cancelled = found.model_copy(update={"cancelled": Cancellation(date=day, note=note)})
        case = _replaced(case, number, cancelled)
    return case


def _replaced(case: Case, number: int, new: Appointment) -> Case:
    found = list(case.appointments)
    found[number - 1] = new
    return case.model_copy(update={"appointments": tuple(found)})


def _with_event(events: tuple[Event, ...], event: Event) -> tuple[Event, ...]:
    """`events` with `event` after those of the same day or earlier."""
    position = sum(1 for e in events if e.date <= event.date)
    return (*events[:position], event, *events[position:])


def _handed_over(case: Case, move: ChangeReferent) -> Case:
    previous = referent_on(case, move.date)
    if previous == move.name:
        raise WorkflowError(
            f"dossier {case.id} : {move.name} en est déjà référent(e) le {dates.short(move.date)}"
        )
    if move.until is not None and move.until < move.date:
        raise UsageProblem(
            f"dossier {case.id} : --until {dates.short(move.until)} précède la date du "
            f"transfert ({dates.short(move.date)})"
        )
    try:
        handover = Handover(name=move.name, since=move.date, until=move.until, note=move.note)
        event = Event(
            date=move.date,
            kind="transfert",
            author=move.by or move.name,
            note=handover_note(previous, move.name, move.until),
        )
    except ValidationError as error:  # an empty name or note, a control character
        detail = error.errors(include_url=False)[0]
        reason = (detail.get("ctx") or {}).get("error") or "texte invalide"
        raise UsageProblem(f"dossier {case.id} : transfert invalide : {reason}") from None
    # In date order: a handover dated before a later one applies until that one does.
    position = sum(1 for h in case.handovers if h.since <= move.date)
    handovers = (*case.handovers[:position], handover, *case.handovers[position:])
    return case.model_copy(
        update={"handovers": handovers, "events": _with_event(case.events, event)}
    )


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
    return _built(case, what, lambda: model(**fields))


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


M = TypeVar("M")


def _built(case: Case, what: str, build: Callable[[], M]) -> M:
    """A section built from typed values; what the model refuses (an empty text, a control
    character) is a usage error naming the case."""
    try:
        return build()
    except ValueError as error:  # pydantic's ValidationError is a ValueError
        from visites.errors import validation_message

        errors = getattr(error, "errors", None)
        reason = validation_message(errors(include_url=False)[0]) if callable(errors) else error
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
