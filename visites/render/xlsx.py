"""Excel workbooks as people use them: numbers are numbers (counts, euros, percentages, days,
each with its number format), dates are dates, and every sheet prints on A4 (one page wide,
the header row on every page, long texts wrapped, a title and page numbers in the margins).
The tableau de suivi, the bilan and the comparison are here; what they share (formats, rows,
print set-up) is `render.workbook`. openpyxl is imported only in the functions that write."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from visites.comparison import Comparison
from visites.render.sections import Section, sections, subtitle, title
from visites.render.workbook import (
    COUNT_FORMAT,
    DATE_FORMAT,
    EURO_FORMAT,
    LINE_HEIGHT,
    append_row,
    cell_value,
    header_row,
    lines_of,
    note_row,
    parts_of,
    print_setup,
    save,
    typed,
)
from visites.reports import Bilan
from visites.tracking import COLUMNS, NOT_GATHERED, SuiviRow

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

LABEL_WIDTH = 58  # characters: the bilan's first column
VALUE_WIDTH = 16  # characters: the bilan's figures
TEXT_WIDTH = 16  # characters: a text column of the tableau de suivi wraps beyond this
# The height an A4 portrait page gives the rows, in points: 842 less 2 × 58 of margins
# (the title and the page number sit in them), less 10 for safety. A bilan section that
# would cross a page starts on the next one.
PAGE_HEIGHT = 715


# How the tableau de suivi aligns each kind of column (text: left).
_ALIGN = {"date": "center", "int": "right", "euros": "right"}


def suivi_xlsx(
    rows: list[SuiviRow], sheet_title: str = "Tableau de suivi", heading: str | None = None
) -> bytes:
    """The tableau de suivi: one row per case, dates as real dates, delays as whole numbers,
    header frozen and repeated on every printed page; landscape, one page wide."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    headers = [header for _, header, _ in COLUMNS]
    aligned = tuple(_ALIGN.get(kind, "left") for _, _, kind in COLUMNS)
    header_row(sheet, headers, wrap=True, aligned=aligned)
    widths = []
    for index, (key, header, kind) in enumerate(COLUMNS, start=1):
        longest = max((len(str(r[key])) for r in rows if r[key] not in (None, "")), default=0)
        if kind == "date":
            longest = 10
        # Text columns wrap past TEXT_WIDTH; a header wraps at its spaces.
        word = max(len(w) for w in header.split())
        width = max(word, min(longest, TEXT_WIDTH), 5 if kind == "int" else 6) + 2
        widths.append(width)
        sheet.column_dimensions[get_column_letter(index)].width = width
    late = Font(bold=True, color="B42318")
    withheld = Font(italic=True, color="6B7280")
    for row in rows:
        sheet.append([cell_value(row[key]) if row[key] != "" else None for key, _, _ in COLUMNS])
        height = 1
        for cell, (_, _, kind), width in zip(sheet[sheet.max_row], COLUMNS, widths, strict=True):
            cell.alignment = Alignment(
                horizontal=_ALIGN.get(kind, "left"),
                vertical="center",
                wrap_text=kind == "text",
                indent=1 if kind == "int" else 0,
            )
            if kind == "date":
                cell.number_format = DATE_FORMAT
            elif kind == "euros":
                cell.number_format = EURO_FORMAT
            elif kind == "int":
                cell.number_format = COUNT_FORMAT
                if cell.value:
                    cell.font = late  # days overdue: what the groupe de suivi looks for
            elif cell.value is not None:
                height = max(height, lines_of(str(cell.value), width))
            if cell.value == NOT_GATHERED:  # a status, not a value: set apart
                cell.font = withheld
                cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
                height = max(height, lines_of(NOT_GATHERED, width))
        # A few points more than the text: rows read apart from each other and the header.
        sheet.row_dimensions[sheet.max_row].height = LINE_HEIGHT * height + 4
    sheet.row_dimensions[1].height = LINE_HEIGHT * max(
        lines_of(h, w) for h, w in zip(headers, widths, strict=True)
    )
    sheet.freeze_panes = "B2"  # the header row and the ID column stay in view
    sheet.auto_filter.ref = sheet.dimensions
    print_setup(sheet, heading or sheet_title, landscape=True, title_rows="1:1")
    return save(workbook)


# Heights on paper, in points, given to every row of the bilan sheet so that LibreOffice and
# Excel lay the pages out alike (and `bilan_xlsx` can keep each section on one page).
TITLE_HEIGHT, SECTION_TITLE_HEIGHT = 22, 20


def _section_height(section: Section, width: float) -> float:
    """A section's height on paper, in points: blank row, title, header, rows, note."""
    rows = sum(lines_of(str(row[0]), LABEL_WIDTH) for row in section.rows) or 1
    note = lines_of(section.note, width) if section.note else 0
    return SECTION_TITLE_HEIGHT + LINE_HEIGHT * (2 + rows + note)


def bilan_xlsx(b: Bilan, programme: str) -> bytes:
    """The bilan's tables on one sheet (numbers as numbers, each section kept on one page),
    and the spending month by month."""
    from openpyxl import Workbook

    workbook = Workbook()
    heading = title(b, programme)
    _bilan_sheet(workbook.active, b, heading)
    _months_sheet(workbook.create_sheet("Dépenses par mois"), b, heading)
    return save(workbook)


def _bilan_sheet(sheet: Worksheet, b: Bilan, heading: str) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.pagebreak import Break

    sheet.title = f"Bilan {b.year}"
    tables = sections(b)
    columns = max(len(s.header) for s in tables)
    sheet.column_dimensions["A"].width = LABEL_WIDTH
    for index in range(2, columns + 1):
        sheet.column_dimensions[get_column_letter(index)].width = VALUE_WIDTH
    full_width = LABEL_WIDTH + VALUE_WIDTH * (columns - 1)
    last = get_column_letter(columns)
    append_row(sheet, [heading], TITLE_HEIGHT)
    sheet["A1"].font = Font(bold=True, size=14)
    append_row(sheet, [subtitle(b)], LINE_HEIGHT)
    wrap = Alignment(wrap_text=True, vertical="top")
    figure = Alignment(horizontal="right", vertical="top", indent=1)
    used = first = TITLE_HEIGHT + LINE_HEIGHT  # points of the page already used
    for section in tables:
        needed = _section_height(section, full_width)
        if used + needed > PAGE_HEIGHT and used > first:
            sheet.row_breaks.append(Break(id=sheet.max_row))  # the section starts a page
            used = 0
        used += needed
        append_row(sheet, [], LINE_HEIGHT)
        here = append_row(sheet, [section.title], SECTION_TITLE_HEIGHT)
        sheet.cell(here, 1).font = Font(bold=True, size=12)
        aligned = ("left", *["right"] * (len(section.header) - 1))
        header_row(sheet, list(section.header), aligned=aligned)
        sheet.row_dimensions[sheet.max_row].height = LINE_HEIGHT
        for row in section.rows or [("aucun",)]:
            cells = [typed(cell) for cell in row]
            lines = lines_of(str(row[0]), LABEL_WIDTH)
            here = append_row(sheet, [value for value, _ in cells], LINE_HEIGHT * lines)
            for index, (_, number_format) in enumerate(cells, start=1):
                if number_format:
                    sheet.cell(here, index).number_format = number_format
                if index > 1:  # under its header, one space in from the edge
                    sheet.cell(here, index).alignment = figure
            sheet.cell(here, 1).alignment = wrap
        # Across the whole table, wrapped: a long note never spills into empty columns. A
        # very long one (late IDs of a large folder) takes several rows: a row never splits
        # across pages, and a spreadsheet row is at most 409 points high.
        for part in parts_of(section.note, full_width):
            here = append_row(sheet, [part], LINE_HEIGHT * lines_of(part, full_width))
            sheet.merge_cells(f"A{here}:{last}{here}")
            sheet.cell(here, 1).font = Font(italic=True, color="4A5568")
            sheet.cell(here, 1).alignment = wrap
    print_setup(sheet, heading, landscape=False, title_rows=None)


def _months_sheet(sheet: Worksheet, b: Bilan, heading: str) -> None:
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    headers = ["Mois", "Diagnostics", "Accompagnement", "Total", "Cumul", "Budget"]
    header_row(sheet, headers, aligned=("left", *["right"] * 5))
    budget = float(b.budget.amount) if b.budget.amount is not None else None
    for m in b.costs.by_month:
        if m.month > b.end.month:
            break
        sheet.append([date(b.year, m.month, 1), float(m.diagnostics), float(m.accompaniment),
                      float(m.total), float(m.cumulative), budget])  # fmt: skip
    for row in sheet.iter_rows(min_row=2):
        row[0].number_format = "MMMM YYYY"
        row[0].alignment = Alignment(horizontal="left")
        for cell in row[1:]:
            cell.number_format = EURO_FORMAT
    sheet.freeze_panes = "A2"
    for index in range(1, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 16
    print_setup(sheet, f"{heading} — dépenses par mois", landscape=False, title_rows="1:1")


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
    cell.value = int(value) if value == value.to_integral_value() else float(value)
    number_format = _FORMATS[figure.unit][1 if change else 0]
    decimals = "." + "0" * figure.decimals if figure.decimals else ""
    cell.number_format = number_format.replace("{d}", decimals)


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
        header_row(sheet, list(section.header))
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
            note_row(sheet, sheet.max_row, section.note, columns=4)
    sheet.column_dimensions["A"].width = 52
    for letter in "BCD":
        sheet.column_dimensions[letter].width = 14
    print_setup(sheet, comparison.title(c, programme), landscape=False, title_rows="1:2")
    return save(workbook)
