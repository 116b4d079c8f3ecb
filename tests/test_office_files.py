"""Office files as people use them: in the bilan and the tableau de suivi, numbers are numbers
(a spreadsheet adds them up), dates are dates, and every sheet prints on A4."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from test_export_suivi import widen

from visites.render import numbers
from visites.render.cells import Days, Euros, Number, Rate
from visites.render.csv import number_text

pytest_plugins = ("year2015",)  # the `year` fixture: the year 2015 built through the CLI

FRENCH_NUMBER = re.compile(r"-?\d+(,\d+)?")  # 3220,00 · 28,4 · 12: no space, no unit


def read_csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig")), delimiter=";"))


def french_decimal(text: str) -> Decimal:
    assert FRENCH_NUMBER.fullmatch(text), text
    return Decimal(text.replace(",", "."))


@pytest.fixture
def bilan_files(run, year, tmp_path: Path) -> Path:
    for suffix in ("csv", "xlsx"):
        result = run("bilan", "2015", "--output", str(tmp_path / f"bilan.{suffix}"))
        assert result.code == 0, result.err
    return tmp_path


def test_number_cells_print_as_before_and_keep_their_value() -> None:
    amount = numbers.euros(Decimal("1380.50"))
    assert amount == "1\u00a0380,50\u00a0€" and isinstance(amount, Euros)
    assert amount.value == Decimal("1380.50")
    count = numbers.number(1380)
    assert count == "1\u00a0380" and isinstance(count, Number) and count.is_whole
    rate = numbers.percent(28.4)
    assert rate == "28,4\u00a0%" and isinstance(rate, Rate) and rate.fraction == Decimal("0.284")
    assert numbers.number(None) == "—" and not isinstance(numbers.number(None), Number)
    # Text everywhere text is expected: padding, f-strings, concatenation.
    assert f"[{count}]" == "[1\u00a0380]" and count.rjust(6) == " 1\u00a0380"
    with pytest.raises(AttributeError):
        count.value = Decimal(0)  # type: ignore[misc]
    assert number_text(Decimal("3220"), 2) == "3220,00"
    assert number_text(Decimal("-5.5"), 1) == "-5,5"


def test_bilan_xlsx_figures_are_numbers_with_number_formats(bilan_files: Path) -> None:
    from openpyxl import load_workbook

    sheet = load_workbook(bilan_files / "bilan.xlsx")["Bilan 2015"]
    rows = {
        row[0].value: row[1]
        for row in sheet.iter_rows(min_col=1, max_col=2)
        if isinstance(row[0].value, str)
    }
    total = rows["Total"]
    assert total.value == 8510 and isinstance(total.value, int)
    assert "€" in total.number_format and "0.00" in total.number_format
    consumed = rows["Consommation du budget"]
    assert consumed.value == pytest.approx(0.284) and consumed.number_format == "0.0 %"
    referrals = rows["Orientations reçues"]
    assert referrals.value == 11 and referrals.number_format == "#,##0"
    median = rows["Durée médiane"]  # 50 days
    assert median.value == 50 and median.number_format == '#,##0 "j"'
    mean = rows["Durée moyenne"]  # 49.3 days
    assert mean.value == pytest.approx(49.3) and mean.number_format == '#,##0.0 "j"'
    # No figure is left as text: right of every label (not a bold header), a number or « — ».
    figures = [row[1].value for row in sheet.iter_rows(min_col=1, max_col=2)
               if row[1].value is not None and not row[1].font.bold]  # fmt: skip
    assert len(figures) > 40
    assert all(isinstance(v, int | float) or v == "—" for v in figures), figures


def test_bilan_and_suivi_sheets_print_on_a4_one_page_wide(run, bilan_files: Path) -> None:
    from openpyxl import load_workbook

    suivi = bilan_files / "suivi.xlsx"
    result = run("export", "suivi", "--output", str(suivi), "--today", "2015-12-31")
    assert result.code == 0, result.err
    sheets = [*load_workbook(bilan_files / "bilan.xlsx").worksheets,
              load_workbook(suivi).active]  # fmt: skip
    for sheet in sheets:
        setup = sheet.page_setup
        assert (setup.paperSize, setup.fitToWidth, setup.fitToHeight) == (9, 1, 0), sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert "&P" in sheet.oddFooter.center.text and "&N" in sheet.oddFooter.center.text
        assert "Les visites sociales" in sheet.oddHeader.center.text
        assert sheet.page_margins.left >= 0.5
    bilan, months, table = sheets
    assert bilan.page_setup.orientation == "portrait"
    assert table.page_setup.orientation == "landscape"  # 16 columns
    assert months.print_title_rows == "$1:$1" and table.print_title_rows == "$1:$1"
    assert "31/12/2015" in table.oddHeader.center.text
    assert all(cell.alignment.wrap_text for cell in table[1])  # headers wrap, not widen
    # A long note is wrapped within the table's width, never left to spill over.
    note = next(c for c in bilan["A"] if str(c.value).startswith("Hors délai"))
    assert note.alignment.wrap_text and note.coordinate in bilan.merged_cells
    assert bilan.row_dimensions[note.row].height >= 30  # two lines at least


def test_suivi_xlsx_has_real_dates_and_whole_day_delays(run, year, cases, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    widen(cases)  # the convention shows H's delay, recorded without consent
    target = tmp_path / "suivi.xlsx"
    result = run("export", "suivi", "--output", str(target), "--today", "2015-12-31")
    assert result.code == 0, result.err
    sheet = load_workbook(target).active
    header = [c.value for c in sheet[1]]
    by_id = {row[0].value: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(2)}
    h = by_id[year["H"]]  # diagnostic due 20/12/2015, 11 days late on 31/12
    assert h["Retard (jours)"].value == 11 and h["Retard (jours)"].number_format == "#,##0"
    assert isinstance(h["Échéance"].value, datetime) and h["Échéance"].number_format == (
        "DD/MM/YYYY"
    )
    assert h["Retard (jours)"].font.bold  # the late ones stand out on paper


def test_bilan_csv_numbers_read_as_numbers_in_a_french_spreadsheet(run, bilan_files) -> None:
    rows = read_csv(bilan_files / "bilan.csv")
    assert rows[0] == ["Rubrique", "Indicateur", "Valeur"]
    by_label = {(r[0], r[1]): r[2:] for r in rows[1:]}
    assert by_label[("Coûts et budget", "Total (€)")] == ["8510,00"]
    assert by_label[("Coûts et budget", "Consommation du budget (%)")] == ["28,4"]
    assert by_label[("Diagnostics sociaux", "Durée moyenne (jours)")] == ["49,3"]
    assert by_label[("Orientations reçues", "Orientations reçues")] == ["11"]
    # The elision: « d'avril », « d'août », « d'octobre »; « de mars ».
    months = {r[0] for r in rows if r[0].startswith("Dépenses")}
    assert {"Dépenses d'avril", "Dépenses d'août", "Dépenses d'octobre", "Dépenses de mars"} <= (
        months
    )
    assert not any("de avril" in r[0] or "de août" in r[0] for r in rows)
    # Every figure is a bare French number (or « — »), and says the same as --json.
    figures = [cell for r in rows[1:] for cell in r[2:]]
    assert figures and all(FRENCH_NUMBER.fullmatch(c) or c == "—" for c in figures), figures
    assert not any("\u00a0" in c for c in figures)
    import json

    report = json.loads(run("bilan", "2015", "--json").out)
    assert (
        french_decimal(by_label[("Coûts et budget", "Reste (€)")][0])
        == (report["budget"]["remaining"])
    )
    august = by_label[("Dépenses d'août", "Cumul (€)")][0]
    assert french_decimal(august) == report["costs"]["by_month"][7]["cumulative"]


def test_suivi_csv_dates_and_delays_read_as_dates_and_numbers(run, year, tmp_path) -> None:
    target = tmp_path / "suivi.csv"
    result = run("export", "suivi", "--output", str(target), "--today", "2015-12-31")
    assert result.code == 0, result.err
    rows = read_csv(target)
    header = rows[0]
    delays = []
    for row in rows[1:]:
        cells = dict(zip(header, row, strict=True))
        delays.append(cells["Retard (jours)"])
        # A whole number, or the consent rule's words for a household that did not agree.
        assert re.fullmatch(r"\d+", cells["Retard (jours)"]) or cells["Retard (jours)"] == (
            "accord non recueilli"
        )
        assert re.fullmatch(r"\d\d/\d\d/\d{4}", cells["Orientation reçue"])
    assert any(re.fullmatch(r"\d+", delay) for delay in delays)


def test_french_plurals_and_elision() -> None:
    assert numbers.quantity(1, "dossier") == "1 dossier"
    assert numbers.quantity(0, "dossier") == "0 dossier"
    assert numbers.quantity(3, "dossier") == "3 dossiers"
    assert numbers.quantity(2, "an") == "2 ans"
    assert numbers.quantity(1200, "ménage touché") == "1\u00a0200 ménages touchés"
    assert numbers.quantity(2, "fichier illisible ignoré") == "2 fichiers illisibles ignorés"
    assert numbers.plural(5, "mois", "mois") == "mois"
    assert [numbers.de(m) for m in ("avril", "août", "octobre", "mars", "Orvault")] == [
        "d'avril", "d'août", "d'octobre", "de mars", "d'Orvault"]  # fmt: skip


def test_days_cells_are_typed_too() -> None:
    from visites.render.sections import days, months

    cell = days(12.5)
    assert cell == "12,5 j" and isinstance(cell, Days) and cell.value == Decimal("12.5")
    assert days(None) == "—"
    assert months(Decimal("6.7")) == "6,7 mois" and months(Decimal("6.7")).unit == "mois"
