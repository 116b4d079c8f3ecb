"""A tableau de suivi read from its file: an Excel workbook (.xlsx, one sheet) or a CSV file
as spreadsheets export them (`;` or `,`, UTF-8 with or without a BOM, or Windows-1252 as an
old Excel writes it: detected, and said). The header row is found, blank rows are skipped,
each row keeps the number the spreadsheet shows. Shell: files only, never prints.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from visites.errors import UsageProblem, VisitesError, reason
from visites.import_mapping import recognised
from visites.import_rows import cell_text
from visites.matching import Choice, Unmatched, match

WORKBOOKS = (".xlsx", ".xlsm")
TEXTS = (".csv", ".txt")
_SEARCHED = 20  # the header row is among the first rows that hold something
_UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Sheet:
    """The rows of one sheet: `headings` (unique, in column order), then each row's number
    and cells (as many as headings)."""

    source: str  # the file's name, as messages say it
    sheet: str | None  # None for a CSV file
    headings: tuple[str, ...]
    header_row: int
    rows: tuple[tuple[int, tuple[object, ...]], ...]
    how: str  # how it was read, in French (« UTF-8 avec BOM, séparateur « ; » »)
    totals: tuple[tuple[int, str], ...] = ()  # rows of totals left out: number, first cell

    @property
    def where(self) -> str:
        """`suivi-2015.xlsx:Suivi` or `suivi.csv`: the start of every problem's line."""
        return f"{self.source}:{self.sheet}" if self.sheet else self.source


def read(path: Path, sheet: str | None = None) -> Sheet:
    """The sheet `sheet` of `path` (the first one by default), or a CSV file."""
    suffix = path.suffix.lower()
    if suffix in (".xls", ".ods", ".numbers"):
        raise UsageProblem(f"{path.name} : format {suffix} non lu ; enregistrez le classeur en "
                           ".xlsx, ou exportez la feuille en .csv")  # fmt: skip
    if suffix not in (*WORKBOOKS, *TEXTS):
        raise UsageProblem(f"{path.name} : un classeur .xlsx ou un fichier .csv est attendu")
    if not path.is_file():
        raise VisitesError(f"{path} : fichier introuvable")
    if suffix in TEXTS:
        if sheet is not None:
            raise UsageProblem(f"--sheet : {path.name} est un fichier CSV, sans feuilles")
        return _read_csv(path)
    return _read_workbook(path, sheet)


def _read_workbook(path: Path, wanted: str | None) -> Sheet:
    import zipfile

    from openpyxl import load_workbook  # heavy: only for an import

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as error:
        detail = reason(error) if isinstance(error, OSError) else "classeur illisible ou abîmé"
        raise VisitesError(f"{path.name} : {detail}") from None
    try:
        names = list(book.sheetnames)
        if wanted is None:
            name = names[0]
            others = f" (le classeur en a {len(names)} : {', '.join(names)} ; --sheet pour " \
                     "une autre)" if len(names) > 1 else ""  # fmt: skip
        else:
            try:
                name = match(wanted, [Choice(n) for n in names], "feuille", unknown="absente").value
            except Unmatched as error:
                raise UsageProblem(f"--sheet : {error}") from None
            others = ""
        rows = [(n, tuple(r)) for n, r in enumerate(book[name].iter_rows(values_only=True), 1)]
    finally:
        book.close()
    return _sheet(path.name, name, rows, f"feuille « {name} »{others}")


def _read_csv(path: Path) -> Sheet:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise VisitesError(f"{path.name} : lecture impossible : {reason(error)}") from None
    text, encoding = decoded(raw)
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, start = [], 1
    try:
        for cells in reader:
            rows.append((start, tuple(cells)))
            start = reader.line_num + 1
    except csv.Error as error:
        raise VisitesError(f"{path.name}:ligne {start} : CSV illisible ({error})") from None
    shown = {";": "« ; »", ",": "« , »", "\t": "tabulation"}[delimiter]
    return _sheet(path.name, None, rows, f"{encoding}, séparateur {shown}")


def decoded(raw: bytes) -> tuple[str, str]:
    """The text of a CSV file, and its encoding in French: UTF-8 (with its BOM, as Excel
    writes it, or without), else Windows-1252 (an old Excel's « CSV »), else latin-1."""
    if raw.startswith(_UTF8_BOM):
        return raw[len(_UTF8_BOM) :].decode("utf-8", "replace"), "UTF-8 avec BOM"
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "Windows-1252 (latin-1, ancien Excel)"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "ISO-8859-1 (latin-1)"


def _delimiter(text: str) -> str:
    """`;` (a French Excel's CSV), `,` or a tab: the one the first line holds most of,
    outside quotes."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    outside = "".join(part for i, part in enumerate(first.split('"')) if i % 2 == 0)
    counts = {d: outside.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ";"


def _sheet(source: str, name: str | None, rows: Sequence[tuple[int, tuple]], how: str) -> Sheet:
    filled = [(n, cells) for n, cells in rows if any(cell_text(c) for c in cells)]
    if not filled:
        raise VisitesError(f"{source} : {'la feuille « ' + name + ' » est' if name else 'il est'}"
                           " vide")  # fmt: skip
    header_at = _header(filled)
    number, header = filled[header_at]
    body = filled[header_at + 1 :]
    width = max(len(header), *(len(cells) for _, cells in body)) if body else len(header)
    headings = _headings(header, width, body)
    size = len(headings)
    totals = [(n, total) for n, cells in body if (total := _total(cells, size))]
    body = [(n, cells) for n, cells in body if not _total(cells, size)]
    kept = tuple((n, tuple((*cells, *([None] * size)))[:size]) for n, cells in body)
    return Sheet(source, name, headings, number, kept, how, tuple(totals))


def _total(cells: Sequence[object], size: int) -> str | None:
    """The first text of a row of totals (« Total : 37 », « Sous-total 2015 »), kept under
    many a tableau: a row that starts with that word and fills at most half the columns. A
    household is never named « Total »."""
    texts = [text for c in cells if (text := cell_text(c))]
    first = next((t for t in texts if not t.replace(" ", "").isdigit()), None)
    words = first.casefold().replace("-", " ").split() if first else []
    starts = words[:1] == ["total"] or words[:2] == ["sous", "total"] or (
        words[:1] and words[0].startswith(("total:", "soustotal")))  # fmt: skip
    return first if starts and len(texts) <= max(2, size // 2) else None


def _header(rows: Sequence[tuple[int, tuple]]) -> int:
    """The header's place: the first row naming two known columns (a title may stand above
    it), else the first row that holds something."""
    for place, (_, cells) in enumerate(rows[:_SEARCHED]):
        texts = [cell_text(c) for c in cells]
        if sum(1 for t in texts if t and recognised(t)) >= 2:
            return place
    return 0


def _headings(header: Iterable[object], width: int, body: Sequence[tuple[int, tuple]]) -> tuple:
    """Each column's heading, unique; a column with data and no heading is named by its
    letter; trailing columns with neither are dropped."""
    texts = [cell_text(c) for c in header]
    texts += [None] * (width - len(texts))
    used = [i for i in range(width) if texts[i] or any(
        i < len(cells) and cell_text(cells[i]) for _, cells in body)]  # fmt: skip
    last = max(used, default=-1)
    found: list[str] = []
    for index in range(last + 1):
        heading = " ".join((texts[index] or f"(sans titre, colonne {_letter(index)})").split())
        if heading in found:
            heading = f"{heading} ({sum(1 for h in found if h.startswith(heading)) + 1})"
        found.append(heading)
    return tuple(found)


def _letter(index: int) -> str:
    """A spreadsheet's column letter: 0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
