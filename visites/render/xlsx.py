"""Excel workbooks (openpyxl, imported only here): a header row, frozen panes, real date and
number cells, column widths that fit."""

from __future__ import annotations

import io
from datetime import date
from typing import TYPE_CHECKING, Any

from visites.render.sections import sections, subtitle, title
from visites.reports import Bilan
from visites.tracking import COLUMNS, NOT_GATHERED, SuiviRow

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

DATE_FORMAT = "DD/MM/YYYY"
EURO_FORMAT = '#,##0.00 "€";-#,##0.00 "€"'


def _fit_columns(sheet: Worksheet, minimum: int = 6, maximum: int = 60) -> None:
    """Each column as wide as its longest cell (dates count as 10 characters)."""
    from openpyxl.utils import get_column_letter

    widths: dict[int, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            length = 10 if isinstance(cell.value, date) else len(str(cell.value))
            widths[cell.column] = max(widths.get(cell.column, 0), length)
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = max(
            minimum, min(maximum, width + 2)
        )


def _save(workbook: Any) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _header(sheet: Worksheet, headers: list[str]) -> None:
    from openpyxl.styles import Font, PatternFill

    sheet.append(headers)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEF3F9")


def suivi_xlsx(rows: list[SuiviRow], sheet_title: str = "Tableau de suivi") -> bytes:
    """The tableau de suivi: one row per case, dates as real dates, header frozen."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    _header(sheet, [header for _, header, _ in COLUMNS])
    for row in rows:
        sheet.append([row[key] if row[key] != "" else None for key, _, _ in COLUMNS])
    for index, (_, _, kind) in enumerate(COLUMNS, start=1):
        if kind == "date":
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = DATE_FORMAT
    from openpyxl.styles import Alignment, Font

    withheld = Font(italic=True, color="6B7280")  # a status, not a value: set apart
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.value == NOT_GATHERED:
                cell.font, cell.alignment = withheld, Alignment(horizontal="center")
    sheet.freeze_panes = "B2"  # the header row and the ID column stay in view
    sheet.auto_filter.ref = sheet.dimensions
    _fit_columns(sheet, maximum=30)
    _print_on_a4(sheet)
    return _save(workbook)


def _print_on_a4(sheet: Worksheet) -> None:
    """Landscape A4, every column on the page's width, the header row on every page."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages as the rows need
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.oddFooter.center.text = "Page &P / &N"


def bilan_xlsx(b: Bilan, programme: str) -> bytes:
    """The bilan's tables on one sheet, and the spending month by month as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"Bilan {b.year}"
    sheet.append([title(b, programme)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([subtitle(b)])
    for section in sections(b):
        sheet.append([])
        sheet.append([section.title])
        sheet[f"A{sheet.max_row}"].font = Font(bold=True, size=12)
        _header(sheet, list(section.header))
        for row in section.rows:
            sheet.append(list(row))
        if section.note:
            sheet.append([section.note])
            sheet[f"A{sheet.max_row}"].font = Font(italic=True, color="4A5568")
    _fit_columns(sheet, maximum=70)
    sheet.column_dimensions["A"].width = 55

    months = workbook.create_sheet("Dépenses par mois")
    _header(months, ["Mois", "Diagnostics", "Accompagnement", "Total", "Cumul", "Budget"])
    budget = float(b.budget.amount) if b.budget.amount is not None else None
    for m in b.costs.by_month:
        if m.month > b.end.month:
            break
        months.append([date(b.year, m.month, 1), float(m.diagnostics), float(m.accompaniment),
                       float(m.total), float(m.cumulative), budget])  # fmt: skip
    for row in months.iter_rows(min_row=2):
        row[0].number_format = "MMMM YYYY"
        for cell in row[1:]:
            cell.number_format = EURO_FORMAT
    months.freeze_panes = "A2"
    _fit_columns(months, minimum=14)
    return _save(workbook)
