"""CSV for spreadsheet users in France: `;` between cells, UTF-8 with a BOM (Excel reads the
accents right), dates as 31/12/2015, decimal commas.

Numbers are written so that a French spreadsheet reads them as numbers: no thousands
separator, no unit in the cell (`3220,00`, `28,4`, `12`). The unit goes in the header: the
column's (« Retard (jours) ») or, in the bilan, where a column holds different figures, the
row's label (« Total (€) », « Consommation du budget (%) »).
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any

from visites.comparison import Comparison
from visites.render import numbers
from visites.render.cells import Days, Euros, Number
from visites.render.comparison import compared_sections
from visites.render.sections import MONTH_HEADER, month_rows, sections
from visites.reports import Bilan
from visites.tracking import COLUMNS, SuiviRow
from visites.vocabulary import UNIT_LABELS

# The unit of a row of figures, as the row's label shows it.
_UNITS = {Days: "jours"}


def number_text(value: Decimal | int, decimals: int) -> str:
    """`3220,00`, `28,4`, `12`: what a spreadsheet in French reads as a number."""
    return f"{Decimal(value):.{decimals}f}".replace(".", ",")


def _figure(cell: str) -> str:
    """A bilan cell as a spreadsheet reads it: its number when it is one, else its text."""
    if isinstance(cell, Euros):
        return number_text(cell.value, 2)
    if isinstance(cell, Number):
        return number_text(cell.value, cell.decimals)
    return cell


def _unit(cells: tuple[str, ...]) -> str:
    """The unit shared by the figures of a row (« € », « % », « jours »), or ""."""
    units = {_UNITS.get(type(c), c.unit) for c in cells if isinstance(c, Number)}
    return units.pop() if len(units) == 1 else ""


def _labelled(label: str, cells: tuple[str, ...]) -> str:
    """« Total (€) »; « Diagnostics (46), en € » after a label that has its own brackets."""
    unit = _unit(cells)
    if not unit:
        return label
    return f"{label}, en {unit}" if label.endswith(")") else f"{label} ({unit})"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return numbers.short(value)
    if isinstance(value, Decimal):  # 1240,50: a number to a spreadsheet set to French
        shown = f"{value:.0f}" if value == value.to_integral_value() else f"{value:.2f}"
        return shown.replace(".", ",")
    return str(value)


def _encode(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def suivi_csv(rows: list[SuiviRow]) -> bytes:
    """The tableau de suivi, one line per case under a header line: dates as 31/12/2015,
    delays as whole numbers of days, amounts in euros with their cents."""
    table = [[header for _, header, _ in COLUMNS]]
    table += [[_suivi_cell(row[key], kind) for key, _, kind in COLUMNS] for row in rows]
    return _encode(table)


def _suivi_cell(value: Any, kind: str) -> str:
    """An amount of the tableau de suivi always with its cents (`1800,00`), as the bilan's."""
    if kind == "euros" and isinstance(value, Decimal):
        return number_text(value, 2)
    return _cell(value)


def bilan_csv(b: Bilan) -> bytes:
    """The bilan as `Rubrique;Indicateur;Valeur` lines, then the spending month by month."""
    table = [["Rubrique", "Indicateur", "Valeur"]]
    for section in sections(b):
        table += [[section.title, _labelled(label, tuple(values)), *map(_figure, values)]
                  for label, *values in section.rows]  # fmt: skip
    for row in month_rows(b.costs, b.end.month):
        month, *values = row
        table += [[f"Dépenses {numbers.de(month)}", _labelled(header, (value,)), _figure(value)]
                  for header, value in zip(MONTH_HEADER[1:], values, strict=True)]  # fmt: skip
    return _encode(table)


def comparison_csv(c: Comparison) -> bytes:
    """Two bilans as `Rubrique;Indicateur;2015;2016;Évolution;Unité` lines: each figure a
    number a spreadsheet reads (`1240,50`, `-13`), its unit in the last column."""
    first, second = c.years
    table = [["Rubrique", "Indicateur", str(first), str(second), "Évolution", "Unité"]]
    for section in compared_sections(c):
        for r in section.rows:
            figures = [_cell(f.value) for f in (r.first, r.second, r.change)]
            unit = r.first.unit if r.first.value is not None else r.second.unit
            table.append([section.title, r.label, *figures, UNIT_LABELS[unit]])
    return _encode(table)
