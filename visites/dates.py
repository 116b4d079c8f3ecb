"""Dates as French users write them, and calendar-month arithmetic."""

from __future__ import annotations

import contextlib
import re
from datetime import date

from dateutil.relativedelta import relativedelta

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_FRENCH = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")

# Dates outside this range are typing mistakes (2105 for 2015), never real casework.
EARLIEST = date(1900, 1, 1)
LATEST = date(2099, 12, 31)

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


def parse_date(text: str) -> date:
    """Read `2015-01-31` or `31/01/2015`. Raise ValueError with a French message."""
    if len(text) == 10 and text[4] == "-" and text[7] == "-":  # the stored form, quickly
        with contextlib.suppress(ValueError):
            value = date.fromisoformat(text)
            if EARLIEST <= value <= LATEST:
                return value
    text = text.strip()
    if match := _ISO.fullmatch(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := _FRENCH.fullmatch(text):
        day, month, year = (int(g) for g in match.groups())
    else:
        raise ValueError(f"date illisible « {text} » : écrivez AAAA-MM-JJ ou JJ/MM/AAAA")
    try:
        value = date(year, month, day)
    except ValueError:
        raise ValueError(f"date impossible « {text} » (ce jour n'existe pas)") from None
    if not EARLIEST <= value <= LATEST:
        raise ValueError(f"date hors plage « {text} » (entre 1900 et 2099)")
    return value


def add_months(start: date, months: int) -> date:
    """`months` calendar months after `start`, clamped at month end (31/12 + 2 → 28 or 29/02)."""
    return start + relativedelta(months=months)


def days_past(deadline: date | None, today: date) -> int:
    """Days from `deadline` to `today` when it has passed; 0 otherwise (or without deadline)."""
    if deadline is None or today <= deadline:
        return 0
    return (today - deadline).days


def short(value: date | None) -> str:
    """31/12/2015, or an empty string."""
    return value.strftime("%d/%m/%Y") if value else ""


def long(value: date) -> str:
    """« 12 janvier 2015 », « 1er mars 2015 »."""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"
