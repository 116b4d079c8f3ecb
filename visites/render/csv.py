"""CSV for spreadsheet users in France: `;` between cells, UTF-8 with a BOM (Excel reads the
accents right), dates as 31/12/2015, decimal commas."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any

from visites.comparison import Comparison
from visites.render import french
from visites.render.comparison import compared_sections
from visites.render.sections import MONTH_HEADER, month_rows, sections
from visites.reports import Bilan
from visites.tracking import COLUMNS, SuiviRow
from visites.vocabulary import UNIT_LABELS


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return french.short(value)
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
    """The tableau de suivi, one line per case under a header line."""
    table = [[header for _, header, _ in COLUMNS]]
    table += [[_cell(row[key]) for key, _, _ in COLUMNS] for row in rows]
    return _encode(table)


def bilan_csv(b: Bilan) -> bytes:
    """The bilan as `Rubrique;Indicateur;Valeur` lines, then the spending month by month."""
    table = [["Rubrique", "Indicateur", "Valeur"]]
    for section in sections(b):
        table += [[section.title, *row] for row in section.rows]
    for row in month_rows(b.costs, b.end.month):
        month, *values = row
        table += [[f"Dépenses de {month}", header, value]
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
