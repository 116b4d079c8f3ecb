"""Billing rules, tested directly on models (pure functions, no files)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from visites import money
from visites.config import Config
from visites.model import (
    Accompaniment,
    Adhesion,
    Case,
    Closure,
    Household,
    Orientation,
    Outcome,
    Referral,
)


def accompanied(start: date, end: date | None = None, adhesion: date | None = None) -> Case:
    adhesion = adhesion or start
    return Case(
        id="2015-001",
        referral=Referral(date=adhesion, context="entree", referrer="Mme Lebrun"),
        household=Household(name="Ménage fictif", commune="Nantes"),
        adhesion=Adhesion(date=adhesion),
        orientation=Orientation(date=start, to=Outcome.ACCOMPAGNEMENT),
        accompaniment=Accompaniment(start=start),
        closure=Closure(date=end) if end else None,
    )


def settings(**changes: object) -> Config:
    return Config.model_validate(changes, by_alias=True)


def year_amount(case: Case, year: int, config: Config, end: date) -> Decimal:
    charges = money.year_charges([case], year, config, end)
    return money.total(c for c in charges if c.kind == money.ACCOMPANIMENT)


def test_the_issue_worked_example_splits_months_by_calendar_year():
    case = accompanied(date(2015, 7, 1), date(2016, 2, 15))
    config = Config()
    end_2015, end_2016 = date(2015, 12, 31), date(2016, 12, 31)
    months_2015 = money.months_billed(money.year_charges([case], 2015, config, end_2015))
    months_2016 = money.months_billed(money.year_charges([case], 2016, config, end_2016))
    assert (months_2015, months_2016) == (6, 2)
    assert year_amount(case, 2015, config, end_2015) == 1380
    assert year_amount(case, 2016, config, end_2016) == 460


def test_an_open_accompaniment_counts_up_to_the_report_end_date():
    case = accompanied(date(2015, 10, 30))
    charges = money.year_charges([case], 2015, Config(), date(2015, 12, 31))
    assert money.months_billed(charges) == 3  # October, November, December
    cut = money.year_charges([case], 2015, Config(), date(2015, 11, 1))
    assert money.months_billed(cut) == 2  # November is begun on its first day


def test_each_month_is_billed_at_the_tariff_in_force_on_its_first_day():
    config = settings(tarifs=[
        {"depuis": "2015-01-01", "diagnostic": 460, "accompagnement_mensuel": 230},
        {"depuis": "2015-11-15", "diagnostic": 480, "accompagnement_mensuel": 240},
        {"depuis": "2016-01-01", "diagnostic": 500, "accompagnement_mensuel": 250},
    ])  # fmt: skip
    case = accompanied(date(2015, 10, 30), date(2016, 2, 15), adhesion=date(2015, 11, 20))
    # November's first day is before 15/11: 230; December 240; 2016 months 250.
    assert year_amount(case, 2015, config, date(2015, 12, 31)) == 230 + 230 + 240
    assert year_amount(case, 2016, config, date(2016, 12, 31)) == 250 + 250
    # The diagnostic: adhesion 20/11/2015, tariff of that day.
    assert money.diagnostic_charge(case, config, date(2015, 12, 31)).amount == 480


def test_a_diagnostic_is_billed_in_the_adhesion_year_even_when_the_household_stops():
    stopped = Case(
        id="2015-002",
        referral=Referral(date=date(2015, 12, 1), context="en-cours", referrer="M. Morel"),
        household=Household(name="Ménage fictif", commune="Rezé"),
        adhesion=Adhesion(date=date(2015, 12, 20)),
        closure=Closure(date=date(2016, 1, 10)),
    )
    assert money.total(money.year_charges([stopped], 2015, Config(), date(2015, 12, 31))) == 460
    assert money.year_charges([stopped], 2016, Config(), date(2016, 12, 31)) == []


def test_prorata_bills_the_days_of_each_month():
    config = settings(facturation={"accompagnement": "prorata"})
    case = accompanied(date(2015, 7, 1), date(2016, 2, 15))
    # 2016 is a leap year: January whole (230) + 15/29 of February (118.97).
    assert year_amount(case, 2016, config, date(2016, 12, 31)) == Decimal("348.97")
    assert year_amount(case, 2015, config, date(2015, 12, 31)) == 1380
    half = accompanied(date(2015, 10, 17))  # 15 days of October's 31
    charges = money.year_charges([half], 2015, config, date(2015, 10, 31))
    assert money.total(c for c in charges if c.kind == money.ACCOMPANIMENT) == Decimal("111.29")
