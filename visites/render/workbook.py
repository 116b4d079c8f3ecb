"""What every workbook of visites shares (openpyxl, imported only inside functions): number
formats and typed cells, the header row, the notes, rows of a given height, A4 print set-up,
and bytes that do not depend on the moment they were written. The workbooks themselves are
in `render.xlsx`."""

from __future__ import annotations

import io
import re
import textwrap
import zipfile
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from visites.render.cells import Days, Euros, Number, Rate

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

# Number formats, written in Excel's own notation (`,` thousands, `.` decimals): LibreOffice
# and Excel show them in the reader's language (`8 510,00 €`, `28,4 %` in French).
DATE_FORMAT = "DD/MM/YYYY"
EURO_FORMAT = '#,##0.00 "€";-#,##0.00 "€"'
RATE_FORMAT = "0.0 %"
COUNT_FORMAT = "#,##0"

LINE_HEIGHT = 15  # points: one line of 11-point text, with its leading


def number_format(decimals: int, unit: str = "") -> str:
    digits = COUNT_FORMAT + ("." + "0" * decimals if decimals else "")
    return f'{digits} "{unit}"' if unit else digits


def typed(cell: object) -> tuple[Any, str | None]:
    """What a spreadsheet cell holds for a bilan cell: its number and number format, or its
    text as it is."""
    if isinstance(cell, Rate):
        return float(cell.fraction), RATE_FORMAT
    if isinstance(cell, Euros):
        return plain(cell.value), EURO_FORMAT
    if isinstance(cell, Days):
        return plain(cell.value), number_format(cell.decimals, "j")
    if isinstance(cell, Number):
        return plain(cell.value), number_format(cell.decimals, cell.unit)
    return (str(cell) if isinstance(cell, str) else cell), None


def plain(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def cell_value(value: Any) -> Any:
    """Amounts (Decimal) as numbers a spreadsheet computes with."""
    return float(value) if isinstance(value, Decimal) else value


def save(workbook: Any) -> bytes:
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


def header_row(
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


def lines_of(text: str, width: float) -> int:
    """How many lines `text` takes once wrapped in a column `width` characters wide."""
    usable = max(1, int(width) - 1)
    return sum(max(1, len(textwrap.wrap(part, usable))) for part in text.split("\n"))


def append_row(sheet: Worksheet, values: list[Any], height: float) -> int:
    """Add a row `height` points high (a blank one for no values); return its number."""
    sheet.append(values or [None])  # a row of one empty cell: `max_row` counts it
    sheet.row_dimensions[sheet.max_row].height = height
    return sheet.max_row


def parts_of(text: str, width: float, most: int = 20) -> list[str]:
    """`text` cut between words into parts of at most `most` lines (none for no text)."""
    lines = textwrap.wrap(text, max(1, int(width) - 1))
    return [" ".join(lines[i : i + most]) for i in range(0, len(lines), most)]


def note_row(sheet: Worksheet, row: int, text: str, columns: int) -> None:
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
