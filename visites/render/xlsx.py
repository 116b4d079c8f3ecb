"""Excel workbooks (openpyxl, imported only here): a header row, frozen panes, real date and
number cells, column widths that fit."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from visites.comparison import Comparison
from visites.render.sections import sections, subtitle, title
from visites.reports import Bilan
from visites.tracking import COLUMNS, SuiviRow

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


def _number(value: Any) -> Any:
    """Amounts (Decimal) as numbers a spreadsheet computes with."""
    return float(value) if isinstance(value, Decimal) else value


def _save(workbook: Any) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _reproducible(buffer.getvalue())


_NO_DATE = (1980, 1, 1, 0, 0, 0)  # the zip format's first day
_STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def _reproducible(content: bytes) -> bytes:
    """The workbook without the moment it was written (zip entries, document properties):
    the same figures give the same bytes, as the other formats do."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = _STAMP.sub(rb"\g<1>1980-01-01T00:00:00Z\g<2>", data)
            entry = zipfile.ZipInfo(item.filename, date_time=_NO_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = item.external_attr
            target.writestr(entry, data)
    return out.getvalue()


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
        sheet.append([_number(row[key]) if row[key] != "" else None for key, _, _ in COLUMNS])
    formats = {"date": DATE_FORMAT, "euros": EURO_FORMAT}
    for index, (_, _, kind) in enumerate(COLUMNS, start=1):
        if kind in formats:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = formats[kind]
    sheet.freeze_panes = "B2"  # the header row and the ID column stay in view
    sheet.auto_filter.ref = sheet.dimensions
    _fit_columns(sheet)
    return _save(workbook)


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
    notes = []  # laid out once the widths are known: a note wraps across the table
    for section in sections(b):
        sheet.append([])
        sheet.append([section.title])
        sheet[f"A{sheet.max_row}"].font = Font(bold=True, size=12)
        _header(sheet, list(section.header))
        for row in section.rows:
            sheet.append(list(row))
        if section.note:
            sheet.append([section.note])
            notes.append((section, sheet.max_row))
    _fit_columns(sheet, maximum=70)
    sheet.column_dimensions["A"].width = 55
    for section, row in notes:
        _note(sheet, row, section.note, columns=2)
    _a4(sheet)

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
    _a4(months, title_rows="1:1")
    return _save(workbook)


# Number formats of a compared figure, by unit ({d}: the decimals, when the value has some);
# percentages are stored as fractions, their change in points.
_FORMATS = {
    "": ("#,##0{d}", '+#,##0{d};-#,##0{d};"="'),
    "€": (EURO_FORMAT, '+#,##0.00 "€";-#,##0.00 "€";"="'),
    "%": ("0.0 %", '+0.0" pts";-0.0" pts";"="'),
    "j": ('0{d} "j"', '+0{d} "j";-0{d} "j";"="'),
    "mois": ('0{d} "mois"', '+0{d} "mois";-0{d} "mois";"="'),
}


def _figure_cell(cell: Any, figure: Any, change: bool = False) -> None:
    """A compared figure as a number with its unit's format; a text stays text."""
    if figure.value is None:
        cell.value = figure.text
        return
    value = figure.value / 100 if figure.unit == "%" and not change else figure.value
    whole = figure.value == figure.value.to_integral_value()
    cell.value = int(value) if value == value.to_integral_value() else float(value)
    number_format = _FORMATS[figure.unit][1 if change else 0]
    cell.number_format = number_format.replace("{d}", "" if whole else ".0#")


def comparison_xlsx(c: Comparison, programme: str) -> bytes:
    """Two bilans side by side on one sheet that prints on A4: every figure a number."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from visites.render import comparison

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"Bilans {c.years[0]}-{c.years[1]}"
    sheet.append([comparison.title(c, programme)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([comparison.subtitle(c)])
    for section in comparison.compared_sections(c):
        sheet.append([])
        sheet.append([section.title])
        sheet[f"A{sheet.max_row}"].font = Font(bold=True, size=12)
        _header(sheet, list(section.header))
        for cell in sheet[sheet.max_row][1:]:
            cell.alignment = Alignment(horizontal="right")
        for row in section.rows:
            sheet.append([row.label])
            number = sheet.max_row
            cells = [sheet.cell(row=number, column=column) for column in (2, 3, 4)]
            _figure_cell(cells[0], row.first)
            _figure_cell(cells[1], row.second)
            _figure_cell(cells[2], row.change, change=True)
            for cell in cells:  # a « — » sits where the number would
                cell.alignment = Alignment(horizontal="right")
        if section.note:
            sheet.append([section.note])
            _note(sheet, sheet.max_row, section.note, columns=4)
    sheet.column_dimensions["A"].width = 52
    for letter in "BCD":
        sheet.column_dimensions[letter].width = 14
    _a4(sheet)
    return _save(workbook)


def _note(sheet: Worksheet, row: int, text: str, columns: int) -> None:
    """The note `text` written in `row`, in small italics, wrapped across the table's
    `columns` (merged) and as tall as its lines: printed whole, never cut at the page's edge."""
    import math

    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    cell = sheet.cell(row=row, column=1)
    cell.font = Font(italic=True, color="4A5568", size=9)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    last = get_column_letter(columns)
    sheet.merge_cells(f"A{row}:{last}{row}")
    width = sum(sheet.column_dimensions[get_column_letter(c)].width or 10
                for c in range(1, columns + 1))  # fmt: skip
    sheet.row_dimensions[row].height = 12 * math.ceil(len(text) / (width * 1.2))


def _a4(sheet: Worksheet, title_rows: str = "1:2") -> None:
    """Portrait A4, as wide as the page, the title rows repeated on every page."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = title_rows
