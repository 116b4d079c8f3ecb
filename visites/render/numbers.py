"""Numbers as French readers expect them: `1 380 €`, `12,5 %`, `49,3`. Dates: visites.dates.

Thousands are separated, and units kept on the number's line, by a no-break space.
"""

from __future__ import annotations

from decimal import Decimal

from visites.dates import MONTHS, long, short

NBSP = "\u00a0"

__all__ = ["MONTHS", "NBSP", "euros", "long", "month_name", "number", "percent", "short"]


def number(value: int | float | Decimal | None, decimals: int | None = None) -> str:
    """`1 380`, `49,3`; whole values without decimals unless `decimals` is given; `—` for None."""
    if value is None:
        return "—"
    value = Decimal(str(value))
    if decimals is None:
        decimals = 0 if value == value.to_integral_value() else 2
        if decimals and value == value.quantize(Decimal("0.1")):
            decimals = 1
    text = f"{value:,.{decimals}f}"  # 1,380.50
    return text.replace(",", NBSP).replace(".", ",")


def euros(value: int | float | Decimal | None) -> str:
    """`1 380 €`, `1 380,50 €`: cents only when there are some."""
    if value is None:
        return "—"
    value = Decimal(str(value))
    decimals = 0 if value == value.to_integral_value() else 2
    return f"{number(value, decimals)}{NBSP}€"


def percent(value: int | float | Decimal | None) -> str:
    """`12,5 %` (one decimal)."""
    return "—" if value is None else f"{number(value, 1)}{NBSP}%"


def month_name(month: int) -> str:
    """`janvier` … `décembre`."""
    return MONTHS[month - 1]
