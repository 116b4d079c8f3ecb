"""French and ISO dates, calendar-month arithmetic."""

from datetime import date

import pytest

from visites import dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2015-01-31", date(2015, 1, 31)),
        ("31/01/2015", date(2015, 1, 31)),
        ("1/2/2015", date(2015, 2, 1)),
        (" 2016-02-29 ", date(2016, 2, 29)),
    ],
)
def test_iso_and_french_dates_are_read(text: str, expected: date) -> None:
    assert dates.parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("2015-02-30", "impossible"),
        ("30/02/2015", "impossible"),
        ("2015-13-01", "impossible"),
        ("2015/01/31", "illisible"),
        ("31-01-2015", "illisible"),
        ("demain", "illisible"),
        ("", "illisible"),
        ("2150-01-01", "hors plage"),
    ],
)
def test_impossible_dates_are_refused_in_french(text: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        dates.parse_date(text)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2015, 1, 20), 2, date(2015, 3, 20)),
        (date(2014, 12, 31), 2, date(2015, 2, 28)),  # clamped at month end
        (date(2015, 12, 31), 2, date(2016, 2, 29)),  # leap year
        (date(2015, 8, 31), 6, date(2016, 2, 29)),
        (date(2015, 3, 31), 1, date(2015, 4, 30)),
        (date(2015, 11, 15), 2, date(2016, 1, 15)),  # across the year
    ],
)
def test_calendar_months_clamp_at_month_end(start: date, months: int, expected: date) -> None:
    assert dates.add_months(start, months) == expected


def test_french_display() -> None:
    assert dates.short(date(2015, 12, 31)) == "31/12/2015"
    assert dates.long(date(2015, 1, 12)) == "12 janvier 2015"
    assert dates.long(date(2015, 3, 1)) == "1er mars 2015"
    assert dates.long(date(2015, 8, 15)) == "15 août 2015"
