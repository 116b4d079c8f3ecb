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

from visites.render import numbers
from visites.render.cells import Days, Euros, Number
from visites.render.sections import MONTH_HEADER, month_rows, sections
from visites.reports import Bilan
from visites.tracking import COLUMNS, SuiviRow

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
    return str(value)


def _encode(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def suivi_csv(rows: list[SuiviRow]) -> bytes:
    """The tableau de suivi, one line per case under a header line: dates as 31/12/2015,
    delays as whole numbers of days."""
    table = [[header for _, header, _ in COLUMNS]]
    table += [[_cell(row[key]) for key, _, _ in COLUMNS] for row in rows]
    return _encode(table)


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
