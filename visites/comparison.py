"""Two bilans side by side over the same period of their years (`bilan 2016 --compare 2015`).
Pure.

Both years are cut at the same day of the year: the earlier of their own end dates, moved to
each year (`--today 30/06/2016` takes 2016 and 2015 each up to 30 June). A 29 February falls
back to the 28th in a year without one.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from visites.config import Config
from visites.model import Case
from visites.reports import Bilan, bilan, report_end


@dataclass(frozen=True)
class Comparison:
    """`--json`: `{"years": [2015, 2016], "bilans": {"2015": {…}, "2016": {…}}}`."""

    years: list[int]  # the earlier year first
    bilans: dict[str, Bilan]

    @property
    def first(self) -> Bilan:
        return self.bilans[str(self.years[0])]

    @property
    def second(self) -> Bilan:
        return self.bilans[str(self.years[1])]


def same_period(years: tuple[int, int], today: date) -> tuple[date, date]:
    """The end dates of `years` (in that order) over the same period: each year's own end
    (31 December, or `today` for a year in progress), the earliest day of the year of the
    two, applied to both."""
    month, day = min((end.month, end.day) for end in (report_end(y, today) for y in years))
    return _on(years[0], month, day), _on(years[1], month, day)


def _on(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def comparison(
    cases: Iterable[Case], years: tuple[int, int], config: Config, today: date
) -> Comparison:
    """The bilans of both `years` over the same period, the earlier year first."""
    cases = list(cases)
    earlier, later = sorted(years)
    ends = same_period((earlier, later), today)
    bilans = {
        str(year): bilan(cases, year, config, end)
        for year, end in zip((earlier, later), ends, strict=True)
    }
    return Comparison(years=[earlier, later], bilans=bilans)
