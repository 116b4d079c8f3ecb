"""What each workflow move does to a case: the case built anew from the move's values. Pure.

Only what the move's own shape forbids is refused here (an empty diagnostic, an objective
unknown, a value the model refuses); the rules on the result are `checks.validate_case`'s,
which `workflow.apply` runs, after checking in `workflow.ALLOWED` that the move is allowed
in the case's phase.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from visites import dates
from visites.appointments import ahead_of, appointment, following
from visites.errors import UsageProblem, WorkflowError, first_reason
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
    Refusal,
    Renewal,
    Statement,
    StatusChange,
)
from visites.moves import (
    AddEvent,
    AddObjective,
    AddPartner,
    CancelAppointment,
    ChangeReferent,
    Close,
    Consent,
    Diagnose,
    EndPartner,
    Move,
    MoveAppointment,
    Orient,
    PlanAppointment,
    RecordFinances,
    Refuse,
    Renew,
    SetObjective,
    SetProfile,
    Share,
)
from visites.referents import handover_note, referent_on
from visites.vocabulary import OBJECTIVE_STATUS_LABELS

T = TypeVar("T")


def transition(case: Case, move: Move, today: date) -> Case:
    """The case with `move` done (`today`: which appointments are still ahead), whatever its
    phase: `workflow.apply` is the one caller, which checked the phase first."""
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
            return _handed_over(case, move, today)
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
    return _in_date_order(events, event, lambda e: e.date)


def _in_date_order(items: tuple[T, ...], item: T, day: Callable[[T], date]) -> tuple[T, ...]:
    """`items` (in date order) with `item` after those of its day or earlier: the order of
    the timeline, of the handovers and of the financial statements."""
    position = sum(1 for other in items if day(other) <= day(item))
    return (*items[:position], item, *items[position:])


def _handed_over(case: Case, move: ChangeReferent, today: date) -> Case:
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
    # An empty name or note, a control character: a usage error.
    handover = _valid(case, "transfert", Handover, name=move.name, since=move.date,
                      until=move.until, note=move.note)  # fmt: skip
    event = _valid(case, "transfert", Event, date=move.date, kind="transfert",
                   author=move.by or move.name,
                   note=handover_note(previous, move.name, move.until))  # fmt: skip
    # In date order: a handover dated before a later one applies until that one does.
    handovers = _in_date_order(case.handovers, handover, lambda h: h.since)
    handed = case.model_copy(
        update={"handovers": handovers, "events": _with_event(case.events, event)}
    )
    return handed.model_copy(update={"appointments": following(case, handed, today)})


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


def _built(case: Case, what: str, build: Callable[[], T]) -> T:
    """A section built from typed values; what the model refuses (an empty text, a control
    character) is a usage error naming the case."""
    try:
        return build()
    except ValueError as error:  # pydantic's ValidationError is a ValueError
        raise UsageProblem(f"dossier {case.id} : {what} invalide : {first_reason(error)}") from None


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
    statements = _in_date_order(case.finances, statement, lambda s: s.date)
    return case.model_copy(update={"finances": statements})


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
