"""The workflow: which move is allowed in which phase, the rules every case obeys, and the
deadlines. Pure functions over models; `today` is always a parameter.

The allowed moves are one table, `ALLOWED`, checked in one place, `apply`. The rules on
dates and lists are one function, `validate_case`, that both `apply` (after each move) and
`check` (on every file) run: a move can never write a case that `check` would refuse.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from visites import dates
from visites.config import Config
from visites.errors import ERROR, WARNING, UsageProblem, WorkflowError
from visites.model import (
    Accompaniment,
    Adhesion,
    Case,
    Closure,
    Diagnostic,
    Event,
    Orientation,
    Outcome,
    Phase,
    Refusal,
    Renewal,
    case_year,
)
from visites.phases import PHASE_LABELS

OUTCOME_LABELS = {
    Outcome.SANS_SUITE: "sans suite",
    Outcome.REMOBILISATION: "action « remobilisation »",
    Outcome.ACCOMPAGNEMENT: "accompagnement personnalisé",
    Outcome.DROIT_COMMUN: "mesures de droit commun",
}


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


Move = Consent | Share | Refuse | Diagnose | Orient | Renew | Close | AddEvent

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
}


def possible_moves(case: Case) -> list[str]:
    """The commands allowed for `case` in its phase, in workflow order (the consent to share
    needs an adhesion)."""
    phase = case.phase
    return [
        command
        for move, (command, _, phases) in ALLOWED.items()
        if phase in phases and (move is not Share or case.adhesion)
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
    moved = _moved(case, move, config)
    when = getattr(move, "date", None) or getattr(getattr(move, "event", None), "date", None)
    if when and when > today:
        raise UsageProblem(f"dossier {case.id} : la date {dates.short(when)} est dans le futur")
    notice = getattr(move, "notice", None)
    if notice and notice > today:
        raise UsageProblem(f"dossier {case.id} : la date {dates.short(notice)} est dans le futur")
    errors = [f for f in validate_case(moved, config) if f.severity == ERROR]
    if errors:
        raise WorkflowError(f"dossier {case.id} : {label} impossible : {errors[0].message}")
    return moved


def _moved(case: Case, move: Move, config: Config) -> Case:
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
            for problem in move.problems:
                _require_listed(case, problem, config.lists.problem_domains, "problématique")
            return case.model_copy(update={"diagnostic": _completed(case.diagnostic, move)})
        case Orient():
            _require_listed(case, move.measure, config.lists.measures, "mesure")
            _require_listed(case, move.outcome, config.lists.outcomes, "issue")
            return _oriented(case, move, config)
        case Renew():
            assert case.accompaniment is not None  # the phase says so
            renewals = (*case.accompaniment.renewals, Renewal(date=move.date, months=move.months))
            accompaniment = case.accompaniment.model_copy(update={"renewals": renewals})
            return case.model_copy(update={"accompaniment": accompaniment})
        case Close():
            _require_listed(case, move.outcome, config.lists.outcomes, "issue")
            closure = Closure(date=move.date, outcome=move.outcome)
            return case.model_copy(update={"closure": closure})
        case AddEvent():
            events = [*case.events]
            position = sum(1 for e in events if e.date <= move.event.date)
            events.insert(position, move.event)
            return case.model_copy(update={"events": tuple(events)})
    raise AssertionError(move)


def _completed(found: Diagnostic | None, move: Diagnose) -> Diagnostic:
    """Findings add up: problems are merged, texts given again replace the old ones."""
    found = found or Diagnostic()
    problems = tuple(dict.fromkeys((*found.problems, *move.problems)))
    update = {"problems": problems}
    for name in ("situation", "levers", "network"):
        if getattr(move, name):
            update[name] = getattr(move, name)
    return found.model_copy(update=update)


def _oriented(case: Case, move: Orient, config: Config) -> Case:
    if move.to is Outcome.DROIT_COMMUN and not move.measure:
        raise UsageProblem(
            f"dossier {case.id} : une orientation « droit-commun » demande --measure "
            f"(valeurs possibles : {', '.join(config.lists.measures)})"
        )
    if move.to is not Outcome.DROIT_COMMUN and move.measure:
        raise UsageProblem(
            f"dossier {case.id} : --measure ne va qu'avec l'orientation « droit-commun »"
        )
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


def _require_listed(case: Case, value: str | None, allowed: tuple[str, ...], what: str) -> None:
    if value is not None and value not in allowed:
        raise UsageProblem(
            f"dossier {case.id} : {what} « {value} » inconnue. "
            f"Valeurs possibles : {', '.join(allowed)} (listes modifiables dans visites.yaml)"
        )


# ------------------------------------------------------------------------------ rules


@dataclass(frozen=True)
class Finding:
    """A rule a case breaks: where in the file (keys and indexes), what, how serious."""

    loc: tuple[str | int, ...]
    message: str
    severity: str = ERROR


def validate_case(case: Case, config: Config) -> list[Finding]:
    """Every rule `case` breaks: workflow order, dates, configured lists. Empty when valid."""
    return [*_order_findings(case), *_list_findings(case, config)]


def _order_findings(case: Case) -> list[Finding]:
    found: list[Finding] = []

    def error(loc: tuple, message: str) -> None:
        found.append(Finding(loc, message))

    def not_before(loc: tuple, what: str, when: date, floor: date, floor_what: str) -> None:
        if when < floor:
            error(loc, f"{what} ({dates.short(when)}) avant {floor_what} ({dates.short(floor)})")

    referral = case.referral.date
    received = "l'orientation reçue"
    # The chain of steps: each one on or after the previous one.
    step, step_what = referral, received
    if case.adhesion and case.refusal:
        error(("refus",), "adhésion et refus à la fois : gardez l'un des deux")
    if case.refusal:
        not_before(("refus", "date"), "refus", case.refusal.date, referral, received)
        if case.closure:
            error(("cloture",), "un refus clôt déjà le dossier : retirez la section cloture")
    if case.adhesion:
        not_before(("adhesion", "date"), "adhésion", case.adhesion.date, referral, received)
        step, step_what = case.adhesion.date, "l'adhésion"
        if case.adhesion.consent_to_share:
            loc = ("adhesion", "accord_echanges_bailleur")
            shared = case.adhesion.consent_to_share
            # The consent to share is part of the adhesion, or comes after it.
            not_before(loc, "accord d'échanges", shared, case.adhesion.date, "l'adhésion")
        if case.adhesion.notice:
            loc = ("adhesion", "information_rgpd")
            notice = case.adhesion.notice
            not_before(loc, "information RGPD", notice, referral, received)
    elif case.diagnostic:
        error(("diagnostic",), "diagnostic sans adhésion du ménage")
    if case.orientation:
        orientation = case.orientation
        if not case.adhesion:
            error(("orientation",), "orientation sans adhésion du ménage")
        not_before(("orientation", "date"), "orientation", orientation.date, step, step_what)
        step, step_what = orientation.date, "l'orientation"
        if orientation.to is Outcome.DROIT_COMMUN and not orientation.measure:
            error(("orientation", "vers"), "droit-commun sans mesure (clé mesure)")
        if orientation.to is not Outcome.DROIT_COMMUN and orientation.measure:
            error(("orientation", "mesure"), "une mesure ne va qu'avec droit-commun")
        if orientation.to is Outcome.ACCOMPAGNEMENT and not case.accompaniment:
            error(("orientation", "vers"), "accompagnement sans section accompagnement (debut)")
    if case.accompaniment:
        accompaniment = case.accompaniment
        if not (case.orientation and case.orientation.to is Outcome.ACCOMPAGNEMENT):
            error(("accompagnement",), "accompagnement sans orientation « accompagnement »")
        loc = ("accompagnement", "debut")
        not_before(loc, "début de l'accompagnement", accompaniment.start, step, step_what)
        step, step_what = accompaniment.start, "le début de l'accompagnement"
        for index, renewal in enumerate(accompaniment.renewals):
            loc = ("accompagnement", "renouvellements", index)
            not_before(loc, "renouvellement", renewal.date, step, step_what)
            step, step_what = renewal.date, "le renouvellement précédent"
    if case.closure:
        not_before(("cloture", "date"), "clôture", case.closure.date, step, step_what)
    for index, event in enumerate(case.events):
        not_before(("evenements", index, "date"), "événement", event.date, referral, received)
    return found


def _list_findings(case: Case, config: Config) -> list[Finding]:
    lists = config.lists
    found: list[Finding] = []

    def unknown(loc: tuple, what: str, value: str, allowed: tuple[str, ...]) -> None:
        message = f"{what} « {value} » inconnue ; valeurs possibles : {', '.join(allowed)}"
        found.append(Finding(loc, message))

    if case.diagnostic:
        for index, problem in enumerate(case.diagnostic.problems):
            if problem not in lists.problem_domains:
                loc = ("diagnostic", "problematiques", index)
                unknown(loc, "problématique", problem, lists.problem_domains)
    measure = case.orientation.measure if case.orientation else None
    if measure and measure not in lists.measures:
        unknown(("orientation", "mesure"), "mesure", measure, lists.measures)
    outcome = case.closure.outcome if case.closure else None
    if outcome and outcome not in lists.outcomes:
        unknown(("cloture", "issue"), "issue", outcome, lists.outcomes)
    commune = case.household.commune
    if commune not in lists.communes:
        message = f"commune « {commune} » hors de la liste de visites.yaml (faute de frappe ?)"
        found.append(Finding(("menage", "commune"), message, WARNING))
    if lists.referents and case.referent and case.referent not in lists.referents:
        message = f"référent(e) « {case.referent} » hors de la liste de visites.yaml"
        found.append(Finding(("referent",), message, WARNING))
    if case_year(case.id) != case.referral.date.year:
        message = (
            f"l'année de l'identifiant {case.id} n'est pas celle de l'orientation reçue "
            f"({case.referral.date.year})"
        )
        found.append(Finding(("id",), message, WARNING))
    return found


# ------------------------------------------------------------------------------ a past day


def as_of(case: Case, day: date) -> Case | None:
    """The case as it stood at the end of `day`: the facts dated later were not known yet.
    None when the fiche de liaison itself came later. (Diagnostic findings carry no date:
    they are kept once the adhesion is known.)"""
    if case.referral.date > day:
        return None
    update: dict[str, object] = {}
    adhesion = case.adhesion
    if adhesion and adhesion.date > day:
        update |= {"adhesion": None, "diagnostic": None}
    elif adhesion and adhesion.consent_to_share and adhesion.consent_to_share > day:
        update["adhesion"] = adhesion.model_copy(update={"consent_to_share": None})
    if case.refusal and case.refusal.date > day:
        update["refusal"] = None
    if case.orientation and case.orientation.date > day:
        update |= {"orientation": None, "accompaniment": None}
    elif case.accompaniment:
        renewals = tuple(r for r in case.accompaniment.renewals if r.date <= day)
        if renewals != case.accompaniment.renewals:
            update["accompaniment"] = case.accompaniment.model_copy(update={"renewals": renewals})
    if case.closure and case.closure.date > day:
        update["closure"] = None
    events = tuple(e for e in case.events if e.date <= day)
    if events != case.events:
        update["events"] = events
    return case.model_copy(update=update) if update else case


# ------------------------------------------------------------------------------ deadlines


@dataclass(frozen=True)
class Due:
    """The case's current deadline and what it is for (French)."""

    date: date
    reason: str


def due(case: Case, config: Config) -> Due | None:
    """The current deadline: adhesion, diagnostic, referral deadline or review. None if closed."""
    limits = config.deadlines
    butoir = case.referral.deadline
    match case.phase:
        case Phase.REFERRAL:
            own = Due(
                case.referral.date + timedelta(days=limits.adhesion_days), "adhésion attendue"
            )
        case Phase.DIAGNOSTIC:
            assert case.adhesion is not None
            end = dates.add_months(case.adhesion.date, limits.diagnostic_months)
            own = Due(end, "fin du diagnostic")
        case Phase.ACCOMPANIMENT:
            return Due(next_review(case, config), "révision")
        case _:
            return None
    if butoir and butoir < own.date:
        return Due(butoir, "date butoir")
    return own


def diagnostic_due(case: Case, config: Config) -> date | None:
    """When the diagnostic must end: adhesion + the configured months (clamped at month end)."""
    if not case.adhesion:
        return None
    return dates.add_months(case.adhesion.date, config.deadlines.diagnostic_months)


def next_review(case: Case, config: Config) -> date:
    """The accompaniment's next review: N months after its start or its last renewal."""
    assert case.accompaniment is not None
    if case.accompaniment.renewals:
        last = case.accompaniment.renewals[-1]
        return dates.add_months(last.date, last.months)
    return dates.add_months(case.accompaniment.start, config.deadlines.review_months)


def days_overdue(deadline: Due | None, today: date) -> int:
    """Days past the deadline on `today`; 0 when not overdue."""
    return dates.days_past(deadline.date if deadline else None, today)
