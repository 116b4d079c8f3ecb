"""Excel workbooks (openpyxl, imported only here) as people use them: numbers are numbers
(counts, euros, percentages, days, each with its number format), dates are dates, and every
sheet prints on A4 (one page wide, the header row on every page, long texts wrapped, a title
and page numbers in the margins)."""

from __future__ import annotations

import io
import re
import textwrap
import zipfile
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from visites.comparison import Comparison
from visites.render.cells import Days, Euros, Number, Rate
from visites.render.sections import Section, sections, subtitle, title
from visites.reports import Bilan
from visites.tracking import COLUMNS, NOT_GATHERED, SuiviRow

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

# Number formats, written in Excel's own notation (`,` thousands, `.` decimals): LibreOffice
# and Excel show them in the reader's language (`8 510,00 €`, `28,4 %` in French).
DATE_FORMAT = "DD/MM/YYYY"
EURO_FORMAT = '#,##0.00 "€";-#,##0.00 "€"'
RATE_FORMAT = "0.0 %"
COUNT_FORMAT = "#,##0"

LINE_HEIGHT = 15  # points: one line of 11-point text, with its leading
LABEL_WIDTH = 58  # characters: the bilan's first column
VALUE_WIDTH = 16  # characters: the bilan's figures
TEXT_WIDTH = 16  # characters: a text column of the tableau de suivi wraps beyond this
# The height an A4 portrait page gives the rows, in points: 842 less 2 × 58 of margins
# (the title and the page number sit in them), less 10 for safety. A bilan section that
# would cross a page starts on the next one.
PAGE_HEIGHT = 715


def _number_format(decimals: int, unit: str = "") -> str:
    digits = COUNT_FORMAT + ("." + "0" * decimals if decimals else "")
    return f'{digits} "{unit}"' if unit else digits


def typed(cell: object) -> tuple[Any, str | None]:
    """What a spreadsheet cell holds for a bilan cell: its number and number format, or its
    text as it is."""
    if isinstance(cell, Rate):
        return float(cell.fraction), RATE_FORMAT
    if isinstance(cell, Euros):
        return _plain(cell.value), EURO_FORMAT
    if isinstance(cell, Days):
        return _plain(cell.value), _number_format(cell.decimals, "j")
    if isinstance(cell, Number):
        return _plain(cell.value), _number_format(cell.decimals, cell.unit)
    return (str(cell) if isinstance(cell, str) else cell), None


def _plain(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


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


def _header(
    sheet: Worksheet, headers: list[str], wrap: bool = False, aligned: tuple[str, ...] = ()
) -> None:
    """A header row: bold on a pale band, ruled below; each header aligned like its column
    (`aligned`: left, center or right, by column; left when not given)."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    sheet.append(headers)
    rule = Side(style="thin", color="9AA5B1")
    for index, cell in enumerate(sheet[sheet.max_row]):
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEF3F9")
        cell.border = Border(bottom=rule)
        horizontal = aligned[index] if index < len(aligned) else "left"
        cell.alignment = Alignment(horizontal=horizontal, wrap_text=wrap, vertical="bottom",
                                   indent=1 if horizontal == "right" else 0)  # fmt: skip


def _margin_text(text: str) -> str:
    """Text for a page header or footer: `&` starts a code there, so it is doubled."""
    return text.replace("&", "&&")


def print_setup(sheet: Worksheet, heading: str, *, landscape: bool, title_rows: str | None) -> None:
    """A4, fit to one page wide (as many pages down as needed), `title_rows` repeated on every
    page, `heading` at the top of each page and « Page N sur M » at the bottom."""
    from openpyxl.worksheet.page import PageMargins

    setup = sheet.page_setup
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.orientation = "landscape" if landscape else "portrait"
    setup.fitToWidth, setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    # Inches, as the format counts them: 1.5 cm at the sides, 2 cm at the top and bottom,
    # with the heading and the page numbers 0.8 cm from the edge.
    sheet.page_margins = PageMargins(left=0.6, right=0.6, top=0.8, bottom=0.8,
                                     header=0.3, footer=0.3)  # fmt: skip
    sheet.print_options.horizontalCentered = True
    if title_rows:
        sheet.print_title_rows = title_rows
    for margin in (sheet.oddHeader, sheet.evenHeader):
        margin.center.text = _margin_text(heading)
        margin.center.size = 9
    for margin in (sheet.oddFooter, sheet.evenFooter):
        margin.center.text = "Page &P sur &N"
        margin.center.size = 9


# How the tableau de suivi aligns each kind of column (text: left).
_ALIGN = {"date": "center", "int": "right", "euros": "right"}


def _lines(text: str, width: float) -> int:
    """How many lines `text` takes once wrapped in a column `width` characters wide."""
    usable = max(1, int(width) - 1)
    return sum(max(1, len(textwrap.wrap(part, usable))) for part in text.split("\n"))


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
    _header(sheet, headers, wrap=True, aligned=aligned)
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
        sheet.append([_number(row[key]) if row[key] != "" else None for key, _, _ in COLUMNS])
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
                height = max(height, _lines(str(cell.value), width))
            if cell.value == NOT_GATHERED:  # a status, not a value: set apart
                cell.font = withheld
                cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
                height = max(height, _lines(NOT_GATHERED, width))
        # A few points more than the text: rows read apart from each other and the header.
        sheet.row_dimensions[sheet.max_row].height = LINE_HEIGHT * height + 4
    sheet.row_dimensions[1].height = LINE_HEIGHT * max(
        _lines(h, w) for h, w in zip(headers, widths, strict=True)
    )
    sheet.freeze_panes = "B2"  # the header row and the ID column stay in view
    sheet.auto_filter.ref = sheet.dimensions
    print_setup(sheet, heading or sheet_title, landscape=True, title_rows="1:1")
    return _save(workbook)


# Heights on paper, in points, given to every row of the bilan sheet so that LibreOffice and
# Excel lay the pages out alike (and `bilan_xlsx` can keep each section on one page).
TITLE_HEIGHT, SECTION_TITLE_HEIGHT = 22, 20


def _append(sheet: Worksheet, values: list[Any], height: float) -> int:
    """Add a row `height` points high (a blank one for no values); return its number."""
    sheet.append(values or [None])  # a row of one empty cell: `max_row` counts it
    sheet.row_dimensions[sheet.max_row].height = height
    return sheet.max_row


def _parts(text: str, width: float, most: int = 20) -> list[str]:
    """`text` cut between words into parts of at most `most` lines (none for no text)."""
    lines = textwrap.wrap(text, max(1, int(width) - 1))
    return [" ".join(lines[i : i + most]) for i in range(0, len(lines), most)]


def _section_height(section: Section, width: float) -> float:
    """A section's height on paper, in points: blank row, title, header, rows, note."""
    rows = sum(_lines(str(row[0]), LABEL_WIDTH) for row in section.rows) or 1
    note = _lines(section.note, width) if section.note else 0
    return SECTION_TITLE_HEIGHT + LINE_HEIGHT * (2 + rows + note)


def bilan_xlsx(b: Bilan, programme: str) -> bytes:
    """The bilan's tables on one sheet (numbers as numbers, each section kept on one page),
    and the spending month by month."""
    from openpyxl import Workbook

    workbook = Workbook()
    heading = title(b, programme)
    _bilan_sheet(workbook.active, b, heading)
    _months_sheet(workbook.create_sheet("Dépenses par mois"), b, heading)
    return _save(workbook)


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
    _append(sheet, [heading], TITLE_HEIGHT)
    sheet["A1"].font = Font(bold=True, size=14)
    _append(sheet, [subtitle(b)], LINE_HEIGHT)
    wrap = Alignment(wrap_text=True, vertical="top")
    figure = Alignment(horizontal="right", vertical="top", indent=1)
    used = first = TITLE_HEIGHT + LINE_HEIGHT  # points of the page already used
    for section in tables:
        needed = _section_height(section, full_width)
        if used + needed > PAGE_HEIGHT and used > first:
            sheet.row_breaks.append(Break(id=sheet.max_row))  # the section starts a page
            used = 0
        used += needed
        _append(sheet, [], LINE_HEIGHT)
        here = _append(sheet, [section.title], SECTION_TITLE_HEIGHT)
        sheet.cell(here, 1).font = Font(bold=True, size=12)
        aligned = ("left", *["right"] * (len(section.header) - 1))
        _header(sheet, list(section.header), aligned=aligned)
        sheet.row_dimensions[sheet.max_row].height = LINE_HEIGHT
        for row in section.rows or [("aucun",)]:
            cells = [typed(cell) for cell in row]
            lines = _lines(str(row[0]), LABEL_WIDTH)
            here = _append(sheet, [value for value, _ in cells], LINE_HEIGHT * lines)
            for index, (_, number_format) in enumerate(cells, start=1):
                if number_format:
                    sheet.cell(here, index).number_format = number_format
                if index > 1:  # under its header, one space in from the edge
                    sheet.cell(here, index).alignment = figure
            sheet.cell(here, 1).alignment = wrap
        # Across the whole table, wrapped: a long note never spills into empty columns. A
        # very long one (late IDs of a large folder) takes several rows: a row never splits
        # across pages, and a spreadsheet row is at most 409 points high.
        for part in _parts(section.note, full_width):
            here = _append(sheet, [part], LINE_HEIGHT * _lines(part, full_width))
            sheet.merge_cells(f"A{here}:{last}{here}")
            sheet.cell(here, 1).font = Font(italic=True, color="4A5568")
            sheet.cell(here, 1).alignment = wrap
    print_setup(sheet, heading, landscape=False, title_rows=None)


def _months_sheet(sheet: Worksheet, b: Bilan, heading: str) -> None:
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    headers = ["Mois", "Diagnostics", "Accompagnement", "Total", "Cumul", "Budget"]
    _header(sheet, headers, aligned=("left", *["right"] * 5))
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
    print_setup(sheet, comparison.title(c, programme), landscape=False, title_rows="1:2")
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
