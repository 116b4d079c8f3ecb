"""The workflow table, the rules of a case, the deadlines: pure functions, no files."""

from __future__ import annotations

from datetime import date

import pytest

from visites.checks import validate_case
from visites.config import Config
from visites.deadlines import days_overdue, due
from visites.errors import UsageProblem, WorkflowError
from visites.model import Case, Event, Household, Orientation, Outcome, Phase, Referral, Refusal
from visites.workflow import (
    ALLOWED,
    AddEvent,
    Close,
    Consent,
    Diagnose,
    Orient,
    Refuse,
    Renew,
    apply,
)

CONFIG = Config()
TODAY = date(2016, 12, 31)


def referred(on: date = date(2015, 1, 12), deadline: date | None = None) -> Case:
    return Case(
        id="2015-001",
        referral=Referral(date=on, context="entree", referrer="Mme Test", deadline=deadline),
        household=Household(name="Famille Essai", commune="Nantes"),
    )


def in_phase(phase: Phase) -> Case:
    """A case brought to `phase` through the workflow itself."""
    case = referred()
    if phase is Phase.REFERRAL:
        return case
    case = apply(case, Consent(date=date(2015, 1, 20)), CONFIG, TODAY)
    if phase is Phase.DIAGNOSTIC:
        return case
    case = apply(case, Orient(date=date(2015, 3, 10), to=Outcome.ACCOMPAGNEMENT), CONFIG, TODAY)
    if phase is Phase.ACCOMPANIMENT:
        return case
    return apply(case, Close(date=date(2015, 9, 1)), CONFIG, TODAY)


def every_move() -> list:
    later = date(2015, 12, 1)
    return [
        Consent(date=later),
        Refuse(date=later),
        Diagnose(problems=("dettes",)),
        Orient(date=later, to=Outcome.SANS_SUITE),
        Renew(date=later, months=6),
        Close(date=later),
        AddEvent(Event(date=later, kind="visite")),
    ]


@pytest.mark.parametrize("phase", list(Phase))
@pytest.mark.parametrize("move", every_move(), ids=lambda m: type(m).__name__)
def test_each_move_is_allowed_exactly_in_the_phases_of_the_table(phase: Phase, move) -> None:
    case = in_phase(phase)
    allowed = phase in ALLOWED[type(move)][2]
    if allowed:
        moved = apply(case, move, CONFIG, TODAY)
        assert moved != case
    else:
        with pytest.raises(WorkflowError) as refused:
            apply(case, move, CONFIG, TODAY)
        message = str(refused.value)
        assert "2015-001" in message and "Possible maintenant" in message


def test_refusal_closes_the_case() -> None:
    case = apply(referred(), Refuse(date=date(2015, 1, 30)), CONFIG, TODAY)
    assert case.phase is Phase.CLOSED
    assert case.closed_on == date(2015, 1, 30)


@pytest.mark.parametrize("outcome", [Outcome.SANS_SUITE, Outcome.REMOBILISATION])
def test_orientations_other_than_accompaniment_close_the_case(outcome: Outcome) -> None:
    case = apply(
        in_phase(Phase.DIAGNOSTIC), Orient(date=date(2015, 3, 1), to=outcome), CONFIG, TODAY
    )
    assert case.phase is Phase.CLOSED
    assert case.diagnostic_end == date(2015, 3, 1)


def test_droit_commun_needs_a_measure_from_the_list() -> None:
    diagnosing = in_phase(Phase.DIAGNOSTIC)
    with pytest.raises(UsageProblem, match="--measure"):
        apply(diagnosing, Orient(date=date(2015, 3, 1), to=Outcome.DROIT_COMMUN), CONFIG, TODAY)
    with pytest.raises(UsageProblem, match="ASLL"):
        move = Orient(date=date(2015, 3, 1), to=Outcome.DROIT_COMMUN, measure="XYZ")
        apply(diagnosing, move, CONFIG, TODAY)
    move = Orient(date=date(2015, 3, 1), to=Outcome.DROIT_COMMUN, measure="ASLL")
    assert apply(diagnosing, move, CONFIG, TODAY).orientation.measure == "ASLL"


def test_a_measure_is_refused_with_other_orientations() -> None:
    move = Orient(date=date(2015, 3, 1), to=Outcome.SANS_SUITE, measure="ASLL")
    with pytest.raises(UsageProblem, match="droit-commun"):
        apply(in_phase(Phase.DIAGNOSTIC), move, CONFIG, TODAY)


def test_a_step_before_the_previous_one_is_refused() -> None:
    with pytest.raises(WorkflowError, match="avant l'orientation reçue"):
        apply(referred(), Consent(date=date(2015, 1, 1)), CONFIG, TODAY)
    with pytest.raises(WorkflowError, match="avant l'adhésion"):
        apply(
            in_phase(Phase.DIAGNOSTIC),
            Orient(date=date(2015, 1, 19), to=Outcome.SANS_SUITE),
            CONFIG,
            TODAY,
        )
    with pytest.raises(WorkflowError, match="avant le début de l'accompagnement"):
        apply(in_phase(Phase.ACCOMPANIMENT), Renew(date=date(2015, 3, 9), months=6), CONFIG, TODAY)


def test_a_date_in_the_future_is_refused() -> None:
    with pytest.raises(UsageProblem, match="futur"):
        apply(referred(), Consent(date=date(2015, 2, 1)), CONFIG, date(2015, 1, 31))


def test_problem_domains_come_from_the_configured_list() -> None:
    with pytest.raises(UsageProblem, match="budget-impayes"):
        apply(in_phase(Phase.DIAGNOSTIC), Diagnose(problems=("astrologie",)), CONFIG, TODAY)


def test_diagnose_can_be_repeated_and_adds_up() -> None:
    case = in_phase(Phase.DIAGNOSTIC)
    case = apply(case, Diagnose(problems=("dettes",), situation="Première visite."), CONFIG, TODAY)
    case = apply(case, Diagnose(problems=("emploi", "dettes"), levers="Motivé."), CONFIG, TODAY)
    assert case.diagnostic.problems == ("dettes", "emploi")
    assert case.diagnostic.situation == "Première visite."
    assert case.diagnostic.levers == "Motivé."


def test_events_are_kept_in_date_order() -> None:
    case = referred()
    for day in (date(2015, 2, 10), date(2015, 1, 20), date(2015, 2, 1)):
        case = apply(case, AddEvent(Event(date=day, kind="telephone")), CONFIG, TODAY)
    assert [e.date.day for e in case.events] == [20, 1, 10]


def test_adhesion_due_thirty_days_after_referral() -> None:
    deadline = due(referred(date(2015, 1, 12)), CONFIG)
    assert deadline.date == date(2015, 2, 11) and deadline.reason == "adhésion attendue"


def test_referral_deadline_wins_when_earlier() -> None:
    deadline = due(referred(date(2015, 1, 12), deadline=date(2015, 2, 1)), CONFIG)
    assert deadline.date == date(2015, 2, 1) and deadline.reason == "date butoir"
    later = due(referred(date(2015, 1, 12), deadline=date(2015, 6, 1)), CONFIG)
    assert later.date == date(2015, 2, 11)


def test_diagnostic_due_two_calendar_months_after_adhesion_clamped() -> None:
    case = apply(referred(date(2015, 12, 20)), Consent(date=date(2015, 12, 31)), CONFIG, TODAY)
    assert due(case, CONFIG).date == date(2016, 2, 29)


def test_accompaniment_review_every_six_months_then_from_last_renewal() -> None:
    case = in_phase(Phase.ACCOMPANIMENT)
    assert due(case, CONFIG).date == date(2015, 9, 10)
    case = apply(case, Renew(date=date(2015, 9, 1), months=3), CONFIG, TODAY)
    assert due(case, CONFIG).date == date(2015, 12, 1)


def test_closed_case_has_no_deadline() -> None:
    assert due(in_phase(Phase.CLOSED), CONFIG) is None


def test_days_overdue_counts_from_the_day_after_the_due_date() -> None:
    deadline = due(referred(date(2015, 1, 12)), CONFIG)  # 2015-02-11
    assert days_overdue(deadline, date(2015, 2, 11)) == 0
    assert days_overdue(deadline, date(2015, 2, 12)) == 1
    assert days_overdue(deadline, date(2015, 3, 1)) == 18


def test_settings_change_the_deadlines() -> None:
    config = Config.model_validate({"delais": {"adhesion_jours": 15}}, by_alias=True)
    assert due(referred(date(2015, 1, 12)), config).date == date(2015, 1, 27)


def test_validate_case_finds_hand_made_contradictions() -> None:
    case = in_phase(Phase.DIAGNOSTIC)
    assert validate_case(case, CONFIG) == []
    both = case.model_copy(update={"refusal": Refusal(date=date(2015, 1, 25))})
    assert [f.loc for f in validate_case(both, CONFIG)] == [("refus",)]
    orphan = referred().model_copy(
        update={
            "orientation": case.orientation
            or Orientation(date=date(2015, 3, 1), to=Outcome.SANS_SUITE)
        }
    )
    messages = [f.message for f in validate_case(orphan, CONFIG)]
    assert "orientation sans adhésion du ménage" in messages


def test_dated_tariffs_pick_the_one_in_force() -> None:
    config = Config.model_validate(
        {
            "tarifs": [
                {"depuis": "2015-01-01", "diagnostic": 460, "accompagnement_mensuel": 230},
                {"depuis": "2017-01-01", "diagnostic": 500, "accompagnement_mensuel": 250},
            ]
        },
        by_alias=True,
    )
    assert config.tariff_on(date(2016, 12, 31)).diagnostic == 460
    assert config.tariff_on(date(2017, 1, 1)).monthly == 250


def test_commented_settings_template_holds_the_defaults() -> None:
    from importlib.resources import files

    from visites import yamlio

    text = (files("visites") / "data" / "visites.yaml").read_text(encoding="utf-8")
    written = Config.model_validate(yamlio.load(text), by_alias=True, by_name=False)
    assert written == Config()


def test_as_of_forgets_the_facts_dated_later() -> None:
    from visites.deadlines import as_of

    case = in_phase(Phase.CLOSED)  # adhesion 20/01, accompaniment 10/03, closure 01/09/2015
    case = apply(case, AddEvent(Event(date=date(2015, 9, 2), kind="courrier")), CONFIG, TODAY)
    assert as_of(case, date(2015, 1, 11)) is None  # referred on 12/01
    assert as_of(case, date(2015, 1, 19)).phase is Phase.REFERRAL
    assert as_of(case, date(2015, 2, 1)).phase is Phase.DIAGNOSTIC
    in_june = as_of(case, date(2015, 6, 1))
    assert in_june.phase is Phase.ACCOMPANIMENT and in_june.closure is None
    assert due(in_june, CONFIG).date == date(2015, 9, 10)
    assert as_of(case, date(2015, 9, 1)).events == ()
    assert as_of(case, date(2016, 1, 1)) == case
