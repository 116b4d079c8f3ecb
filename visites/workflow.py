"""The workflow: which move is allowed in which phase. Pure functions over models; `today` is
always a parameter.

The moves are values (`moves`, named here too); the allowed ones are one table, `ALLOWED`,
checked in one place, `apply`; what each move does to a case is `transitions`. The rules
every case obeys (dates in order, configured lists, the measure of droit commun) are the
rules of `checks.validate_case`, which `apply` runs on the moved case, as `check` runs them
on every file: a move can never write a case that `check` would refuse, and each rule is
written once. The deadlines are in `deadlines`.
"""

from __future__ import annotations

from datetime import date

from visites import dates
from visites.checks import validate_case
from visites.config import Config
from visites.errors import ERROR, UsageProblem, WorkflowError
from visites.model import Case, Phase
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
from visites.transitions import transition
from visites.vocabulary import PHASE_LABELS

__all__ = [
    "ALLOWED", "OPEN", "PLANS", "RECORDS", "apply", "possible_moves",
    # the moves (`moves`), named here for every caller
    "AddEvent", "AddObjective", "AddPartner", "CancelAppointment", "ChangeReferent", "Close",
    "Consent", "Diagnose", "EndPartner", "Move", "MoveAppointment", "Orient", "PlanAppointment",
    "RecordFinances", "Refuse", "Renew", "SetObjective", "SetProfile", "Share",
]  # fmt: skip

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
    Close: ("close", "clôture", OPEN),
    AddEvent: ("event", "événement", frozenset(Phase)),
    PlanAppointment: ("rdv", "rendez-vous", OPEN),
    # A closed case may still have a past appointment to settle (« à renseigner »).
    CancelAppointment: ("rdv --cancel", "rendez-vous annulé", frozenset(Phase)),
    MoveAppointment: ("rdv --move", "rendez-vous déplacé", OPEN),
    # A closed case keeps its référent(e): it accepts only events.
    ChangeReferent: ("referent", "changement de référent(e)", OPEN),
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
    moved = transition(case, move, today)
    findings = validate_case(moved, config)
    # A rule the move's own values break (a measure out of the list) is a usage error, told
    # in the words of the flag that was typed; a rule the file already broke is not.
    already = set(validate_case(case, config))
    typed = [f for f in findings if f.hint and f.severity == ERROR and f not in already]
    if typed:
        raise UsageProblem(f"dossier {case.id} : {typed[0].hint}")
    when = getattr(move, "date", None) or getattr(getattr(move, "event", None), "date", None)
    if when and when > today and not isinstance(move, PLANS):  # a move's date is its --date
        raise UsageProblem(f"dossier {case.id} : --date : le {dates.short(when)} est dans le futur")
    notice = getattr(move, "notice", None)
    if notice and notice > today:
        raise UsageProblem(
            f"dossier {case.id} : --notice : le {dates.short(notice)} est dans le futur"
        )
    errors = [f for f in findings if f.severity == ERROR]
    if errors:
        raise WorkflowError(f"dossier {case.id} : {label} impossible : {errors[0].message}")
    return moved
