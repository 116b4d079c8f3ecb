"""CSV for spreadsheet users in France: `;` between cells, UTF-8 with a BOM (Excel reads the
accents right), dates as 31/12/2015, decimal commas."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from visites.render import numbers
from visites.render.sections import MONTH_HEADER, month_rows, sections
from visites.reports import Bilan
from visites.tracking import COLUMNS, SuiviRow


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
