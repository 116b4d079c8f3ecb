"""Dates as French users write them, and calendar-month arithmetic."""

from __future__ import annotations

import contextlib
import re
from datetime import date

from dateutil.relativedelta import relativedelta

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_FRENCH = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_FRENCH_SHORT = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2})")

# Dates outside this range are typing mistakes (2105 for 2015), never real casework.
EARLIEST = date(1900, 1, 1)
LATEST = date(2099, 12, 31)

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


class DateProblem(ValueError):
    """A date that cannot be read or cannot exist. `reason` says what is wrong (« mois 13
    impossible », « le 30 février n'existe pas »), for a message that names the option; the
    text of the exception names the date too, for a message about a file."""

    def __init__(self, text: str, reason: str, kind: str = "date impossible") -> None:
        self.text, self.reason = text, reason
        super().__init__(f"{kind} « {text} » : {reason}")


def parse_date(text: str) -> date:
    """Read `2015-01-31`, `31/01/2015` or `31/01/15`. Raise DateProblem (a ValueError) with
    a French message."""
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
    elif match := _FRENCH_SHORT.fullmatch(text):  # 12/01/15: this century
        day, month, year = (int(g) for g in match.groups())
        year += 2000
    else:
        raise DateProblem(text, "écrivez JJ/MM/AAAA ou AAAA-MM-JJ", "date illisible")
    if not EARLIEST.year <= year <= LATEST.year:
        raise DateProblem(text, f"année {year} hors plage (entre 1900 et 2099)", "date hors plage")
    if not 1 <= month <= 12:
        raise DateProblem(text, f"mois {month} impossible")
    try:
        return date(year, month, day)
    except ValueError:
        pass
    if not 1 <= day <= 31:
        raise DateProblem(text, f"jour {day} impossible")
    if month == 2 and day == 29:
        raise DateProblem(text, f"le 29 février {year} n'existe pas ({year} n'est pas bissextile)")
    raise DateProblem(text, f"le {day} {MONTHS[month - 1]} n'existe pas")


def month_first(text: str) -> date | None:
    """The date `text` is when read month first (`01/20/2015` → 20 January), when it cannot
    be read day first; else None. For a hint: the file was written in English."""
    day, _, rest = text.strip().partition("/")
    month, _, year = rest.partition("/")
    if not (day.isdigit() and month.isdigit() and year.isdigit()) or int(day) > 12:
        return None
    try:
        parse_date(text)
    except DateProblem:
        with contextlib.suppress(DateProblem):
            return parse_date(f"{month}/{day}/{year}")
    return None


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
