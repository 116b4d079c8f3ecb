"""Two bilans side by side, laid out once for every format (terminal, md, html, csv, xlsx).

The comparison is built from the bilan's own sections (`sections.sections`): every table of
the bilan, present or to come, is compared the same way, row by row, with the change between
the two years. Rows are matched by their label; a label that carries a figure or a date
(« Diagnostics (9) », « En attente de réponse au 30/06/2015 ») is matched with the figure
masked, and shown without what differs. A row one year lacks (a commune with no referral)
counts 0 there.

The cells of the bilan's sections are French text today (`numbers.number`, `numbers.euros`…):
`figure` reads their number and unit back, in one place, so that the change can be computed
and the workbook can hold numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from visites.comparison import Comparison
from visites.dates import MONTHS
from visites.render import numbers
from visites.render.sections import Section, sections
from visites.reports import Bilan

NBSP = numbers.NBSP
COUNT, EUROS, PERCENT, DAYS, MONTHS_UNIT = "", "€", "%", "j", "mois"
_SUFFIXES = ((f"{NBSP}€", EUROS), (f"{NBSP}%", PERCENT), (" j", DAYS), (" mois", MONTHS_UNIT))
_TOKEN = re.compile(r"\d[\d\u00a0\u202f/,.]*\d|\d")
_DATE = re.compile(r"(\d\d/\d\d)/\d{4}")
_DIFFERS = "\x00"


@dataclass(frozen=True)
class Figure:
    """One cell: the text as the bilan shows it, its number and unit when it has one."""

    text: str
    value: Decimal | None = None
    unit: str = COUNT


@dataclass(frozen=True)
class ComparedRow:
    label: str
    first: Figure
    second: Figure
    change: Figure


@dataclass(frozen=True)
class ComparedSection:
    title: str
    header: tuple[str, str, str, str]  # what the rows are, the two years, « Évolution »
    rows: list[ComparedRow]
    note: str = ""


def figure(text: str) -> Figure:
    """The number and unit of a bilan cell (`1 380 €`, `28,4 %`, `9 j`, `5 mois`, `12`);
    a text or `—` has none."""
    unit, body = COUNT, text
    for suffix, name in _SUFFIXES:
        if text.endswith(suffix):
            unit, body = name, text[: -len(suffix)]
            break
    try:
        value = Decimal(body.replace(NBSP, "").replace(",", "."))
    except InvalidOperation:
        return Figure(text)
    return Figure(text, value, unit) if value.is_finite() else Figure(text)


def change(first: Figure, second: Figure) -> Figure:
    """The change from `first` to `second`: `+3`, `−230 €`, `+2,1 pts`, `=` when none."""
    if first.value is None or second.value is None or first.unit != second.unit:
        return Figure("—")
    difference = second.value - first.value
    if difference == 0:
        return Figure("=", difference, first.unit)
    sign = "+" if difference > 0 else "−"
    size = abs(difference)
    match first.unit:
        case "€":
            shown = numbers.euros(size)
        case "%":
            shown = f"{numbers.number(size, 1)}{NBSP}pts"
        case "j" | "mois":
            shown = f"{numbers.number(size)} {first.unit}"
        case _:
            shown = numbers.number(size)
    return Figure(sign + shown, difference, first.unit)


def compared_sections(c: Comparison) -> list[ComparedSection]:
    """Every section of the bilan, then the spending by month, for both years."""
    first, second = c.first, c.second
    found = [
        _compared(a, b, c.years) for a, b in zip(sections(first), sections(second), strict=True)
    ]
    found.append(_months(first, second, c.years))
    return found


def _compared(a: Section, b: Section, years: list[int]) -> ComparedSection:
    """One section of both years, row by row."""
    pairs: list[tuple[str, str | None, str | None]] = []  # label, first cell, second cell
    unmatched = _cells(b)
    for label, cell in _cells(a):
        other = _match(label, unmatched)
        if other is None:
            pairs.append((label, cell, None))
            continue
        unmatched.remove(other)
        pairs.append((_merged_label(label, other[0]), cell, other[1]))
    pairs += [(label, None, cell) for label, cell in unmatched]
    rows = []
    for label, one, two in pairs:
        x, y = figure(one) if one is not None else None, figure(two) if two is not None else None
        x = x or _zero(y)
        y = y or _zero(x)
        rows.append(ComparedRow(label, x, y, change(x, y)))
    if _masked(a.note) == _masked(b.note):  # the same words, the period's own dates
        note = _merged_label(a.note, b.note)
    else:
        note = " ".join(
            f"{year} : {text}" for year, text in zip(years, (a.note, b.note), strict=True) if text
        )
    return ComparedSection(a.title, (a.header[0], str(years[0]), str(years[1]), "Évolution"),
                           rows, note)  # fmt: skip


def _cells(section: Section) -> list[tuple[str, str]]:
    """(label, cell) for each figure of the section: a table with several columns of figures
    gives one line per column (« label — column »)."""
    if len(section.header) == 2:
        return [(row[0], row[1]) for row in section.rows]
    return [(f"{row[0]} — {column}", cell) for row in section.rows
            for column, cell in zip(section.header[1:], row[1:], strict=True)]  # fmt: skip


def _zero(other: Figure | None) -> Figure:
    """What a row one year lacks counts: nothing (a commune with no referral)."""
    unit = other.unit if other else COUNT
    return Figure(numbers.euros(0) if unit == EUROS else "0", Decimal(0), unit)


def _masked(label: str) -> str:
    return _TOKEN.sub("#", label)


def _match(label: str, rows: list[tuple[str, str]]) -> tuple[str, str] | None:
    """The row of the other year with the same label, or the same label but its figures."""
    for row in rows:
        if row[0] == label:
            return row
    masked = _masked(label)
    for row in rows:
        if _masked(row[0]) == masked:
            return row
    return None


def _merged_label(a: str, b: str) -> str:
    """One label for two that differ by a figure or a date: the same day of two years
    keeps its day (« au 30/06 »); a figure between brackets goes; any other becomes « … »."""
    if a == b:
        return a
    texts, left, right = _TOKEN.split(a), _TOKEN.findall(a), _TOKEN.findall(b)
    out = texts[0]
    for index, (x, y) in enumerate(zip(left, right, strict=True)):
        same_day = _DATE.fullmatch(x) and _DATE.fullmatch(y) and x[:5] == y[:5]
        out += x if x == y else x[:5] if same_day else _DIFFERS
        out += texts[index + 1]
    out = re.sub(rf"\s*\([^()]*{_DIFFERS}[^()]*\)", "", out)
    return out.replace(_DIFFERS, "…")


def _months(first: Bilan, second: Bilan, years: list[int]) -> ComparedSection:
    """The spending of each month of the period, both years."""
    last = min(first.end.month, second.end.month)
    rows = []
    for a, b in zip(first.costs.by_month, second.costs.by_month, strict=True):
        if a.month > last:
            break
        x, y = figure(numbers.euros(a.total)), figure(numbers.euros(b.total))
        rows.append(ComparedRow(numbers.month_name(a.month), x, y, change(x, y)))
    header = ("Mois", str(years[0]), str(years[1]), "Évolution")
    return ComparedSection("Dépenses par mois", header, rows)


# ---------------------------------------------------------------------------- headings


def title(c: Comparison, programme: str) -> str:
    return f"{programme} — bilans {c.years[0]} et {c.years[1]} comparés"


def subtitle(c: Comparison) -> str:
    end = c.second.end
    if (end.month, end.day) == (12, 31):
        return f"Années civiles {c.years[0]} et {c.years[1]}, du 1er janvier au 31 décembre"
    day = "1er" if end.day == 1 else str(end.day)
    return f"Du 1er janvier au {day} {MONTHS[end.month - 1]} de chaque année : même période"


def key_figures(c: Comparison) -> list[tuple[str, int, int]]:
    """The counts the chart and the headline show, for both years."""

    def counts(b: Bilan) -> list[int]:
        o = b.objectives.by_status
        return [b.referrals.total, b.consents.accepted, b.diagnostics.started,
                b.accompaniment.active, b.households.reached, o["atteint"] + o["partiel"],
                b.arrears.reduced]  # fmt: skip

    labels = ["orientations reçues", "adhésions", "diagnostics commencés",
              "accompagnements actifs", "ménages touchés", "objectifs atteints ou partiels",
              "ménages dont la dette a baissé"]  # fmt: skip
    return list(zip(labels, counts(c.first), counts(c.second), strict=True))
