"""The household's finances: dated statements, the latest known figures, the change in rent
arrears and the effort rate (taux d'effort). Pure.

A statement records only the figures given that day. The latest known value of each figure
is the one of the most recent statement that has it; the arrears' first figure is the one of
the earliest statement that has one. Statements are taken in date order (the file keeps
them so; a same-day statement counts after the ones before it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Generic, TypeVar

from visites.model import Statement

T = TypeVar("T")
FIGURES = ("arrears", "resources", "rent", "housing_benefit", "repayment_plan")


@dataclass(frozen=True)
class Known(Generic[T]):
    """A figure and the day of the statement that gave it."""

    value: T
    date: date


@dataclass(frozen=True)
class Situation:
    """What the statements say, figure by figure: the latest known values."""

    statements: int
    first_arrears: Known[Decimal] | None
    arrears: Known[Decimal] | None
    resources: Known[Decimal] | None
    rent: Known[Decimal] | None
    housing_benefit: Known[Decimal] | None
    repayment_plan: Known[bool] | None

    @property
    def arrears_change(self) -> Decimal | None:
        """Latest arrears minus the first figure (negative: the debt went down)."""
        if self.arrears is None or self.first_arrears is None:
            return None
        return self.arrears.value - self.first_arrears.value

    @property
    def effort_rate(self) -> Decimal | None:
        """(rent − housing benefit) ÷ resources from the latest known values."""
        return effort_rate(
            self.rent.value if self.rent else None,
            self.housing_benefit.value if self.housing_benefit else None,
            self.resources.value if self.resources else None,
        )


def in_order(statements: Iterable[Statement]) -> list[Statement]:
    """The statements by date (stable: same-day statements keep the file's order)."""
    return sorted(statements, key=lambda s: s.date)


def situation(statements: Iterable[Statement]) -> Situation:
    """The latest known value of each figure, and the first arrears figure."""
    ordered = in_order(statements)
    latest: dict[str, Known] = {}
    first_arrears = None
    for statement in ordered:
        for name in FIGURES:
            value = getattr(statement, name)
            if value is not None:
                latest[name] = Known(value, statement.date)
        if first_arrears is None and statement.arrears is not None:
            first_arrears = Known(statement.arrears, statement.date)
    return Situation(len(ordered), first_arrears, **{n: latest.get(n) for n in FIGURES})


def effort_rate(
    rent: Decimal | None, housing_benefit: Decimal | None, resources: Decimal | None
) -> Decimal | None:
    """(rent − housing benefit) ÷ resources, a fraction (0.25 = 25 %). Housing benefit not
    given counts 0; None without rent, or when resources are missing or 0."""
    if rent is None or not resources:
        return None
    return (rent - (housing_benefit or Decimal(0))) / resources


def arrears_span(statements: Iterable[Statement]) -> tuple[Decimal, Decimal] | None:
    """The first and the last arrears figure, in date order; None without any."""
    figures = [s.arrears for s in in_order(statements) if s.arrears is not None]
    return (figures[0], figures[-1]) if figures else None


def first_effort_rate(statements: Iterable[Statement]) -> Decimal | None:
    """The effort rate at the first statement that gives both resources and rent (its
    housing benefit, 0 when not given); None when no statement does, or resources are 0."""
    for statement in in_order(statements):
        if statement.resources is not None and statement.rent is not None:
            return effort_rate(statement.rent, statement.housing_benefit, statement.resources)
    return None
