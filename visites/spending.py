"""The year's spending: month by month, against its budget, and (`visites costs`) by
référent(e) or commune with a year-end projection. Pure; every amount comes from `money`.

The bilan (`reports`) shows the same costs and budget line. The field names are the
`--json` keys that scripts rely on: rename none of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from visites import money
from visites.config import Config
from visites.model import Case
from visites.referents import NOBODY, referent_on

NO_REFERENT = NOBODY  # a charge of a case nobody was designated for


@dataclass(frozen=True)
class MonthCost:
    month: int
    diagnostics: Decimal
    accompaniment: Decimal
    total: Decimal
    cumulative: Decimal


@dataclass(frozen=True)
class Costs:
    diagnostics: Decimal
    accompaniment: Decimal
    total: Decimal
    diagnostics_count: int
    per_household: Decimal | None
    by_month: list[MonthCost]


@dataclass(frozen=True)
class BudgetLine:
    amount: Decimal | None
    remaining: Decimal | None
    consumed_pct: Decimal | None


def year_costs(charges: list[money.Charge]) -> Costs:
    """The year's charges month by month, and their totals."""
    by_month, running = [], Decimal(0)
    for month in range(1, 13):
        of_month = [c for c in charges if c.month.month == month]
        diagnostics = money.total(c for c in of_month if c.kind == money.DIAGNOSTIC)
        accompaniment = money.total(c for c in of_month if c.kind == money.ACCOMPANIMENT)
        running += diagnostics + accompaniment
        by_month.append(
            MonthCost(month, diagnostics, accompaniment, diagnostics + accompaniment, running)
        )
    diagnostics = money.total(c for c in charges if c.kind == money.DIAGNOSTIC)
    accompaniment = money.total(c for c in charges if c.kind == money.ACCOMPANIMENT)
    return Costs(
        diagnostics=diagnostics,
        accompaniment=accompaniment,
        total=diagnostics + accompaniment,
        diagnostics_count=sum(1 for c in charges if c.kind == money.DIAGNOSTIC),
        per_household=None,
        by_month=by_month,
    )


def budget_line(amount: Decimal | None, spent: Decimal) -> BudgetLine:
    """What `spent` leaves of the budget `amount` (none when no budget is set)."""
    if amount is None:
        return BudgetLine(None, None, None)
    pct = (spent * 100 / amount).quantize(Decimal("0.1")) if amount else None
    return BudgetLine(amount=amount, remaining=amount - spent, consumed_pct=pct)


@dataclass(frozen=True)
class CostLine:
    """Spending of the year for one referent or one commune."""

    key: str
    households: int
    diagnostics: int
    months: Decimal
    amount: Decimal


@dataclass(frozen=True)
class Spending:
    """`visites costs`: the year's spending to date against its budget, and where it goes."""

    year: int
    end: date
    costs: Costs
    budget: BudgetLine
    projection: Decimal  # year-end total at the pace of the months begun so far
    lines: list[CostLine]


def spending(
    cases: Iterable[Case], year: int, config: Config, end: date, by: str = "month"
) -> Spending:
    """Spending of `year` up to `end`, by month, referent or commune, with a projection."""
    cases = list(cases)
    charges = money.year_charges(cases, year, config, end)
    costs = year_costs(charges)
    months_begun = end.month if end.year == year else 12
    projection = (costs.total * 12 / months_begun).quantize(money.CENT)
    budget = config.budgets.get(year)
    lines: list[CostLine] = []
    if by in ("referent", "commune"):
        by_id = {c.id: c for c in cases}

        def owner(charge: money.Charge) -> str:
            case = by_id[charge.case_id]
            if by == "commune":
                return case.household.commune
            # Whoever held the case on the charge's day: a case handed over is split.
            return referent_on(case, money.charge_day(case, charge)) or NO_REFERENT

        groups: dict[str, list[money.Charge]] = {}
        for charge in charges:
            groups.setdefault(owner(charge), []).append(charge)
        lines = [
            CostLine(
                key=key,
                households=len({c.case_id for c in group}),
                diagnostics=sum(1 for c in group if c.kind == money.DIAGNOSTIC),
                months=money.months_billed(group).quantize(money.CENT).normalize(),
                amount=money.total(group),
            )
            for key, group in groups.items()
        ]
        lines.sort(key=lambda line: (-line.amount, line.key))
    return Spending(
        year=year,
        end=end,
        costs=costs,
        budget=budget_line(budget.amount if budget else None, costs.total),
        projection=projection,
        lines=lines,
    )
