"""The bilan annuel and the spending follow-up: yearly figures computed from the cases. Pure.

`bilan(cases, year, config, end)` counts each indicator of the comité de pilotage for the
calendar year `year`, cut at `end` (31 December, or an earlier day for a bilan in progress).
Money comes from `money` (one source for every amount), deadlines from `deadlines`, what the
accompaniments changed (objectives, arrears, effort rate) from `progress`.
The field names below are the `--json` keys that scripts rely on: rename none of them.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from visites import money, progress
from visites.config import Config
from visites.deadlines import diagnostic_due
from visites.model import CONTACT_KINDS, Case, Context, Outcome
from visites.publics import Publics, publics
from visites.referents import referent_on

NO_OUTCOME = "non renseignée"
NO_REFERENT = "non désigné(e)"


@dataclass(frozen=True)
class Referrals:
    total: int
    entree: int
    en_cours: int
    by_commune: dict[str, int]
    by_referrer: dict[str, int]
    by_month: list[int]  # January first


@dataclass(frozen=True)
class Consents:
    accepted: int
    refused: int
    pending: int  # referred on or before the end date, neither adhesion nor refusal by then
    median_delay_days: float | None  # referral → adhesion, adhesions of the year


@dataclass(frozen=True)
class Diagnostics:
    started: int
    completed: int
    late: int
    late_ids: list[str]
    stopped: int  # closed during the diagnostic, without an orientation
    median_days: float | None
    mean_days: float | None


@dataclass(frozen=True)
class Orientations:
    sans_suite: int
    remobilisation: int
    accompagnement: int
    droit_commun: int
    measures: dict[str, int]


@dataclass(frozen=True)
class Accompaniments:
    months: Decimal
    active: int
    started: int
    ended: int
    mean_months_ended: Decimal | None


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


@dataclass(frozen=True)
class Households:
    reached: int
    target: int | None


@dataclass(frozen=True)
class Bilan:
    """Every figure of the bilan annuel of one calendar year."""

    year: int
    end: date
    billing: str
    referrals: Referrals
    consents: Consents
    diagnostics: Diagnostics
    orientations: Orientations
    accompaniment: Accompaniments
    events: dict[str, int]
    problem_domains: dict[str, int]
    outcomes: dict[str, int]
    costs: Costs
    budget: BudgetLine
    households: Households
    publics: Publics  # who was reached: profile, priority publics, partners (`publics`)
    objectives: progress.ObjectiveFigures
    arrears: progress.ArrearsFigures
    effort_rate: progress.EffortRateFigures


def report_end(year: int, today: date) -> date:
    """The report's end date: 31 December, or `today` when the year is not over."""
    return min(date(year, 12, 31), today)


def bilan(cases: Iterable[Case], year: int, config: Config, end: date) -> Bilan:
    """The bilan of calendar year `year`, with every fact dated after `end` ignored."""
    cases = list(cases)

    def in_year(day: date | None) -> bool:
        return day is not None and day.year == year and day <= end

    charges = money.year_charges(cases, year, config, end)
    costs = _costs(charges, year)
    reached = {c.case_id for c in charges}
    budget = config.budgets.get(year)
    return Bilan(
        year=year,
        end=end,
        billing=config.billing.accompaniment,
        referrals=_referrals([c for c in cases if in_year(c.referral.date)]),
        consents=_consents(cases, in_year, end),
        diagnostics=_diagnostics(cases, in_year, config, end),
        orientations=_orientations(
            [c for c in cases if c.orientation and in_year(c.orientation.date)]
        ),  # fmt: skip
        accompaniment=_accompaniments(cases, charges, in_year, config, end),
        events=_events(cases, in_year),
        problem_domains=_ranked(
            p
            for c in cases
            if c.adhesion and in_year(c.adhesion.date) and c.diagnostic
            for p in dict.fromkeys(c.diagnostic.problems)
        ),
        outcomes=_ranked(_outcome(c) for c in cases if in_year(c.closed_on) and not c.refusal),
        costs=_with_per_household(costs, len(reached)),
        budget=_budget_line(budget.amount if budget else None, costs.total),
        households=Households(reached=len(reached), target=budget.households if budget else None),
        publics=publics(cases, year, end, config.lists),
        objectives=progress.objective_figures(cases, year, end),
        arrears=progress.arrears_figures(cases, year, end),
        effort_rate=progress.effort_rate_figures(cases, year, end),
    )


# ------------------------------------------------------------------------------ sections


def _referrals(received: list[Case]) -> Referrals:
    by_month = [0] * 12
    for case in received:
        by_month[case.referral.date.month - 1] += 1
    return Referrals(
        total=len(received),
        entree=sum(1 for c in received if c.referral.context is Context.ENTREE),
        en_cours=sum(1 for c in received if c.referral.context is Context.EN_COURS),
        by_commune=_ranked(c.household.commune for c in received),
        by_referrer=_ranked(c.referral.referrer for c in received),
        by_month=by_month,
    )


def _consents(cases: list[Case], in_year: Callable[[date | None], bool], end: date) -> Consents:
    accepted = [c for c in cases if c.adhesion and in_year(c.adhesion.date)]
    delays = [(c.adhesion.date - c.referral.date).days for c in accepted if c.adhesion]
    return Consents(
        accepted=len(accepted),
        refused=sum(1 for c in cases if c.refusal and in_year(c.refusal.date)),
        pending=sum(1 for c in cases if _pending_on(c, end)),
        median_delay_days=_median(delays),
    )


def _pending_on(case: Case, end: date) -> bool:
    """Referred by `end`, with no adhesion, refusal nor closure dated on or before it."""
    if case.referral.date > end:
        return False
    steps = (case.adhesion, case.refusal, case.closure)
    return not any(step and step.date <= end for step in steps)


def _diagnostics(
    cases: list[Case], in_year: Callable[[date | None], bool], config: Config, end: date
) -> Diagnostics:
    started = [c for c in cases if c.adhesion and in_year(c.adhesion.date)]
    completed = [c for c in cases if c.adhesion and c.orientation and in_year(c.orientation.date)]
    stopped = [
        c for c in cases if c.adhesion and not c.orientation and c.closure and
        in_year(c.closure.date)
    ]  # fmt: skip
    late = []
    completed_ids = {c.id for c in completed}  # a set: `case in completed` is quadratic
    for case in cases:
        limit = diagnostic_due(case, config)
        if limit is None or case.adhesion is None or case.adhesion.date > end:
            continue
        finished = case.diagnostic_end
        if case.id in completed_ids and finished and finished > limit:
            late.append(case.id)  # completed in the year, after its due date
        elif (finished is None or finished > end) and limit < end:
            late.append(case.id)  # still open at the end date, due date passed
    durations = [
        (c.orientation.date - c.adhesion.date).days for c in completed if c.orientation and
        c.adhesion
    ]  # fmt: skip
    return Diagnostics(
        started=len(started),
        completed=len(completed),
        late=len(late),
        late_ids=late,
        stopped=len(stopped),
        median_days=_median(durations),
        mean_days=round(statistics.fmean(durations), 1) if durations else None,
    )


def _orientations(decided: list[Case]) -> Orientations:
    count = Counter(c.orientation.to for c in decided if c.orientation)
    measures = Counter(
        c.orientation.measure for c in decided if c.orientation and c.orientation.measure
    )
    return Orientations(
        sans_suite=count[Outcome.SANS_SUITE],
        remobilisation=count[Outcome.REMOBILISATION],
        accompagnement=count[Outcome.ACCOMPAGNEMENT],
        droit_commun=count[Outcome.DROIT_COMMUN],
        measures=dict(sorted(measures.items(), key=lambda kv: (-kv[1], kv[0]))),
    )


def _accompaniments(
    cases: list[Case],
    charges: list[money.Charge],
    in_year: Callable[[date | None], bool],
    config: Config,
    end: date,
) -> Accompaniments:
    monthly = [c for c in charges if c.kind == money.ACCOMPANIMENT]
    ended = [c for c in cases if c.accompaniment and in_year(c.accompaniment_end)]
    # The length of an ended accompaniment is its billed months, all years together.
    lengths = [money.months_billed(money.accompaniment_charges(c, config, end)) for c in ended]
    mean = sum(lengths, Decimal(0)) / len(lengths) if lengths else None
    return Accompaniments(
        months=money.months_billed(monthly).quantize(money.CENT).normalize(),
        active=len({c.case_id for c in monthly}),
        started=sum(1 for c in cases if c.accompaniment and in_year(c.accompaniment.start)),
        ended=len(ended),
        mean_months_ended=mean.quantize(Decimal("0.1")) if mean is not None else None,
    )


def _events(cases: list[Case], in_year: Callable[[date | None], bool]) -> dict[str, int]:
    count = Counter(e.kind for c in cases for e in c.events if in_year(e.date))
    return {kind: count[kind] for kind in CONTACT_KINDS}


def _outcome(case: Case) -> str:
    return (case.closure.outcome if case.closure else None) or NO_OUTCOME


def _costs(charges: list[money.Charge], year: int) -> Costs:
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


def _with_per_household(costs: Costs, reached: int) -> Costs:
    if not reached:
        return costs
    per = (costs.total / reached).quantize(money.CENT)
    return Costs(**{**costs.__dict__, "per_household": per})


def _budget_line(amount: Decimal | None, spent: Decimal) -> BudgetLine:
    if amount is None:
        return BudgetLine(None, None, None)
    pct = (spent * 100 / amount).quantize(Decimal("0.1")) if amount else None
    return BudgetLine(amount=amount, remaining=amount - spent, consumed_pct=pct)


# ------------------------------------------------------------------------------ spending


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
    costs = _costs(charges, year)
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
        budget=_budget_line(budget.amount if budget else None, costs.total),
        projection=projection,
        lines=lines,
    )


# ------------------------------------------------------------------------------ helpers


def _ranked(values: Iterable[str]) -> dict[str, int]:
    """Counts, largest first, then alphabetical."""
    return dict(sorted(Counter(values).items(), key=lambda kv: (-kv[1], kv[0])))


def _median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None
