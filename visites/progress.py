"""What the accompaniments changed, for the bilan: objectives reached, rent arrears, effort
rate. Pure; `reports.bilan` gathers these with the other figures of the year.

Every figure takes the cases as they stood on the bilan's end date (`end`): a status or a
statement dated later is not known yet. The `--json` keys are the field names below, and the
status codes verbatim (`ObjectiveFigures.as_json`).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from visites import finances
from visites.model import OBJECTIVE_STATUSES, Case
from visites.objectives import DONE, status_on

RATE = Decimal("0.0001")  # rates are fractions, to four decimals (0.3091 = 30,91 %)


def _in(year: int, end: date, day: date | None) -> bool:
    return day is not None and day.year == year and day <= end


@dataclass(frozen=True)
class ObjectiveFigures:
    """The objectives of the accompaniments that ended in the year, by final status."""

    total: int
    by_status: dict[str, int]  # every status code, in the vocabulary's order
    rate_reached: Decimal  # (atteint + partiel) ÷ total; 0 when there are none

    def as_json(self) -> dict[str, Any]:
        """`{"total", "en-cours", "atteint", "partiel", "non-atteint", "abandonne",
        "rate_reached"}`: the status codes are keys, verbatim."""
        return {"total": self.total, **self.by_status, "rate_reached": self.rate_reached}


@dataclass(frozen=True)
class ArrearsFigures:
    """Rent arrears of the cases closed in the year that have at least one figure."""

    households: int
    first_total: Decimal  # the sum of each case's first figure (« dette à l'orientation »)
    last_total: Decimal  # the sum of each case's last figure
    reduced: int  # last figure below the first
    cleared: int  # last figure 0
    repayment_plans: int  # households, among all cases, with a plan recorded in the year


@dataclass(frozen=True)
class EffortRateFigures:
    """The effort rate of the households whose diagnostic began in the year, each at its
    first statement giving resources and rent."""

    median: Decimal | None
    households: int


def objective_figures(cases: Iterable[Case], year: int, end: date) -> ObjectiveFigures:
    """Objectives of the accompaniments ended in `year` (up to `end`), at their final status."""
    counts = dict.fromkeys(OBJECTIVE_STATUSES, 0)
    for case in cases:
        if case.accompaniment is None or not _in(year, end, case.accompaniment_end):
            continue
        for objective in case.objectives:
            final = status_on(objective, end)
            if final is not None:
                counts[final.status] += 1
    total = sum(counts.values())
    reached = sum(counts[code] for code in DONE)
    rate = (Decimal(reached) / total).quantize(RATE) if total else Decimal(0)
    return ObjectiveFigures(total=total, by_status=counts, rate_reached=rate)


def arrears_figures(cases: Iterable[Case], year: int, end: date) -> ArrearsFigures:
    """First and last arrears of the cases closed in `year` (up to `end`); the repayment
    plans recorded by a statement dated in the year, among all cases."""
    spans = []
    plans = 0
    for case in cases:
        known = [s for s in case.finances if s.date <= end]
        if any(s.repayment_plan and _in(year, end, s.date) for s in known):
            plans += 1
        if _in(year, end, case.closed_on) and (span := finances.arrears_span(known)):
            spans.append(span)
    return ArrearsFigures(
        households=len(spans),
        first_total=sum((first for first, _ in spans), Decimal(0)),
        last_total=sum((last for _, last in spans), Decimal(0)),
        reduced=sum(1 for first, last in spans if last < first),
        cleared=sum(1 for _, last in spans if last == 0),
        repayment_plans=plans,
    )


def effort_rate_figures(cases: Iterable[Case], year: int, end: date) -> EffortRateFigures:
    """The median effort rate of the households whose diagnostic began in `year`."""
    rates = []
    for case in cases:
        if case.adhesion is None or not _in(year, end, case.adhesion.date):
            continue
        rate = finances.first_effort_rate(s for s in case.finances if s.date <= end)
        if rate is not None:
            rates.append(rate)
    median = statistics.median(rates).quantize(RATE) if rates else None
    return EffortRateFigures(median=median, households=len(rates))
