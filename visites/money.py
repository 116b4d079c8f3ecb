"""What the programme costs: dated tariffs, billed diagnostics and accompaniment months. Pure.

The billing rules (defaults of the project document, chosen in `visites.yaml`):
- a diagnostic is billed once, in the month of the adhesion, at the tariff in force on the
  adhesion date, even when the household stops during the diagnostic;
- an accompaniment is billed per calendar month from its start month to its end month, both
  included (`mois-entame`), or per day (`prorata`: days covered / days in the month); an open
  accompaniment counts up to the report's end date;
- a month is billed at the tariff in force on its first day.

Every amount of the bilan and of `visites costs` is a sum of `Charge`s made here.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from visites.config import Config
from visites.model import Case

DIAGNOSTIC = "diagnostic"
ACCOMPANIMENT = "accompagnement"
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Charge:
    """One billed item of one case: a diagnostic, or one month of accompaniment."""

    case_id: str
    kind: Literal["diagnostic", "accompagnement"]
    month: date  # the first day of the calendar month the charge falls in
    quantity: Decimal  # 1 for a diagnostic; the month's billed share for an accompaniment
    amount: Decimal  # euros, rounded to the cent


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def last_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def months_between(start: date, stop: date) -> Iterator[date]:
    """The first day of each calendar month from `start`'s to `stop`'s, both included."""
    month = first_of_month(start)
    while month <= stop:
        yield month
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)


def diagnostic_charge(case: Case, config: Config, end: date) -> Charge | None:
    """The diagnostic's charge: the adhesion, on or before `end`, at the tariff of that day."""
    if case.adhesion is None or case.adhesion.date > end:
        return None
    adhesion = case.adhesion.date
    price = config.tariff_on(adhesion).diagnostic
    return Charge(case.id, DIAGNOSTIC, first_of_month(adhesion), Decimal(1), _cents(price))


def accompaniment_charges(case: Case, config: Config, end: date) -> list[Charge]:
    """The accompaniment's billed months, from its start to its closure or to `end`."""
    if case.accompaniment is None or case.accompaniment.start > end:
        return []
    start = case.accompaniment.start
    closed = case.accompaniment_end
    stop = min(closed, end) if closed else end
    prorata = config.billing.accompaniment == "prorata"
    charges = []
    for month in months_between(start, stop):
        monthly = config.tariff_on(month).monthly
        if prorata:
            first, last = max(start, month), min(stop, last_of_month(month))
            days, in_month = (last - first).days + 1, last_of_month(month).day
            share = Decimal(days) / Decimal(in_month)
            amount = monthly * Decimal(days) / Decimal(in_month)
        else:
            share, amount = Decimal(1), monthly
        charges.append(Charge(case.id, ACCOMPANIMENT, month, share, _cents(amount)))
    return charges


def case_charges(case: Case, config: Config, end: date) -> list[Charge]:
    """Every charge of `case` up to `end`, all years together, in date order."""
    diagnostic = diagnostic_charge(case, config, end)
    return ([diagnostic] if diagnostic else []) + accompaniment_charges(case, config, end)


def charge_day(case: Case, charge: Charge) -> date:
    """The day a charge belongs to, for the référent(e) in charge that day: the adhesion for
    a diagnostic, the 1st of the month for a month of accompaniment."""
    if charge.kind == DIAGNOSTIC and case.adhesion is not None:
        return case.adhesion.date
    return charge.month


def year_charges(cases: Iterable[Case], year: int, config: Config, end: date) -> list[Charge]:
    """The charges of calendar year `year`, counted up to `end` (31 December or earlier)."""
    return [
        charge
        for case in cases
        for charge in case_charges(case, config, end)
        if charge.month.year == year
    ]


def total(charges: Iterable[Charge]) -> Decimal:
    return sum((c.amount for c in charges), Decimal(0))


def months_billed(charges: Iterable[Charge]) -> Decimal:
    """Accompaniment months among `charges` (whole months, or prorata shares)."""
    return sum((c.quantity for c in charges if c.kind == ACCOMPANIMENT), Decimal(0))


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)
