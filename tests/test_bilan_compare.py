"""`bilan YEAR --compare OTHER`: two years over the same period, side by side, in every
format, with the change for every figure."""

from __future__ import annotations

import html
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from visites.comparison import same_period
from visites.render.comparison import Figure, _merged_label, change, figure

pytest_plugins = ("year_projects",)  # the `projects` fixture
NBSP = "\u00a0"


def out(run, *args: str) -> str:
    result = run(*args)
    assert result.code == 0, (args, result.err)
    return result.out


# ---------------------------------------------------------------------------- the period


def test_both_years_cover_the_same_period() -> None:
    assert same_period((2015, 2016), date(2016, 6, 30)) == (date(2015, 6, 30), date(2016, 6, 30))
    assert same_period((2015, 2016), date(2020, 1, 1)) == (date(2015, 12, 31), date(2016, 12, 31))
    # A 29 February falls back to the 28th in a year without one.
    assert same_period((2015, 2016), date(2016, 2, 29)) == (date(2015, 2, 28), date(2016, 2, 29))
    # The year in progress decides, whichever is asked first.
    assert same_period((2016, 2015), date(2016, 3, 1)) == (date(2016, 3, 1), date(2015, 3, 1))


def test_json_gives_both_bilans_each_as_bilan_year_json_over_the_period(run, projects) -> None:
    compared = json.loads(out(run, "bilan", "2016", "--compare", "2015", "--today", "30/06/2016",
                              "--json"))  # fmt: skip
    assert list(compared) == ["years", "bilans"]
    assert compared["years"] == [2015, 2016] and list(compared["bilans"]) == ["2015", "2016"]
    alone_2015 = json.loads(out(run, "bilan", "2015", "--today", "30/06/2015", "--json"))
    alone_2016 = json.loads(out(run, "bilan", "2016", "--today", "30/06/2016", "--json"))
    assert compared["bilans"]["2015"] == alone_2015 and alone_2015["end"] == "2015-06-30"
    assert compared["bilans"]["2016"] == alone_2016
    for key in ("objectives", "arrears", "effort_rate"):
        assert key in compared["bilans"]["2015"]
    # The earlier year comes first whichever is asked first; whole past years run to 31/12.
    swapped = json.loads(out(run, "bilan", "2015", "--compare", "2016", "--json"))
    assert swapped["years"] == [2015, 2016]
    assert swapped["bilans"]["2015"] == json.loads(out(run, "bilan", "2015", "--json"))


def test_a_comparison_with_the_same_year_or_a_year_not_begun_is_a_usage_error(run, projects):
    same = run("bilan", "2015", "--compare", "2015")
    assert same.code == 2 and "--compare 2015 : choisissez une autre année que 2015" in same.err
    early = run("bilan", "2015", "--compare", "2017", "--today", "2016-05-01")
    assert early.code == 2 and "l'année 2017 n'a pas commencé" in early.err


# ---------------------------------------------------------------------------- the layout


def test_cells_are_read_back_with_their_unit_and_the_change_is_signed() -> None:
    assert figure(f"1{NBSP}380{NBSP}€") == Figure(f"1{NBSP}380{NBSP}€", Decimal(1380), "€")
    assert figure(f"28,4{NBSP}%").value == Decimal("28.4")
    assert figure("9 j").unit == "j" and figure("5 mois").value == 5
    assert figure("—").value is None and figure("Nantes").value is None
    assert change(figure("3"), figure("5")).text == "+2"
    assert change(figure(f"1{NBSP}380{NBSP}€"), figure(f"230{NBSP}€")).text == f"−1{NBSP}150{NBSP}€"
    assert change(figure(f"28,4{NBSP}%"), figure(f"30,5{NBSP}%")).text == f"+2,1{NBSP}pts"
    assert change(figure("4"), figure("4")).text == "="
    assert change(figure("—"), figure("4")).text == "—"


def test_labels_differing_by_a_figure_or_the_periods_date_are_one_row() -> None:
    assert _merged_label("Diagnostics (9)", "Diagnostics (12)") == "Diagnostics"
    assert _merged_label("Accompagnement (19 mois)", "Accompagnement (3 mois)") == "Accompagnement"
    pending = "En attente de réponse au"
    assert _merged_label(f"{pending} 30/06/2015", f"{pending} 30/06/2016") == f"{pending} 30/06"


def rows(text: str) -> list[list[str]]:
    return [[c.strip() for c in line.strip("|").split("|")] for line in text.splitlines()
            if line.startswith("|")]  # fmt: skip


def test_markdown_puts_both_years_and_the_change_on_every_row(run, projects) -> None:
    text = out(run, "bilan", "2016", "--compare", "2015", "--format", "md")
    assert text.startswith("# Les visites sociales — bilans 2015 et 2016 comparés\n")
    assert "Années civiles 2015 et 2016, du 1er janvier au 31 décembre" in text
    table = rows(text)
    assert ["Indicateur", "2015", "2016", "Évolution"] in table
    # Objectives ended: 5 in 2015, 1 in 2016; arrears first totals 5 500 € and 0 €.
    assert ["Objectifs du projet d'accompagnement", "5", "1", "−4"] in table
    assert ["Dette à l'orientation (total)", f"5{NBSP}500{NBSP}€", f"0{NBSP}€",
            f"−5{NBSP}500{NBSP}€"] in table  # fmt: skip
    assert ["Part atteinte ou partiellement atteinte", f"40,0{NBSP}%", f"100,0{NBSP}%",
            f"+60,0{NBSP}pts"] in table  # fmt: skip
    assert ["Taux d'effort médian", f"31,7{NBSP}%", "—", "—"] in table
    # Referrals: 6 in 2015, none in 2016 (T is from 2014); the commune row exists for both.
    assert ["Orientations reçues", "6", "0", "−6"] in table and ["Nantes", "6", "0", "−6"] in table
    assert "## Dépenses par mois" in text and any(r[0] == "décembre" for r in table)


def test_over_the_first_half_both_years_stop_at_30_june(run, projects) -> None:
    text = out(run, "bilan", "2016", "--compare", "2015", "--today", "2016-06-30", "--format",
               "md")  # fmt: skip
    assert "Du 1er janvier au 30 juin de chaque année" in text
    table = rows(text)
    # By 30/06/2015, no accompaniment had ended; by 30/06/2016, R's (1 objective).
    assert ["Objectifs du projet d'accompagnement", "0", "1", "+1"] in table
    assert ["En attente de réponse au 30/06", "0", "0", "="] in table
    months = [r[0] for r in table if r[0] in ("juin", "juillet")]
    assert months == ["juin"]


def test_csv_has_one_line_per_figure_with_numbers_a_spreadsheet_reads(run, projects) -> None:
    text = out(run, "bilan", "2016", "--compare", "2015", "--format", "csv")
    lines = text.splitlines()
    assert lines[0] == "Rubrique;Indicateur;2015;2016;Évolution;Unité"
    assert "Dette locative;Ménages dont la dette a baissé;2;0;-2;nombre" in lines
    assert "Dette locative;Dette à l'orientation (total);5500;0;-5500;euros" in lines
    assert "Objectifs des accompagnements terminés;dont atteints;1;1;0;nombre" in lines
    rate = "Part atteinte ou partiellement atteinte;40;100;60;pourcentage (évolution en points)"
    assert f"Objectifs des accompagnements terminés;{rate}" in lines
    assert "Taux d'effort;Taux d'effort médian;31,70;;;pourcentage (évolution en points)" in lines
    # A figure one year lacks (« — ») leaves its cell empty; the unit is the other year's.
    earlier = out(run, "bilan", "2015", "--compare", "2014", "--format", "csv").splitlines()
    assert any(line.startswith("Diagnostics sociaux;Durée médiane;;") and line.endswith(";jours")
               for line in earlier)  # fmt: skip


def test_xlsx_holds_numbers_with_their_formats_and_prints_on_a4(run, projects, tmp_path) -> None:
    from openpyxl import load_workbook

    target = tmp_path / "comparaison.xlsx"
    written = out(run, "bilan", "2016", "--compare", "2015", "--output", str(target))
    assert f"Bilans 2015 et 2016 comparés écrits : {target}" in written
    assert target.stat().st_mode & 0o077 == 0
    sheet = load_workbook(target).active
    assert sheet.title == "Bilans 2015-2016"
    found = {row[0].value: [c.value for c in row[1:4]] for row in sheet.iter_rows()
             if row[0].value}  # fmt: skip
    assert found["Dette à l'orientation (total)"] == [5500, 0, -5500]
    assert found["Part atteinte ou partiellement atteinte"] == [0.4, 1, 60]
    assert found["Objectifs du projet d'accompagnement"] == [5, 1, -4]
    cells = {row[0].value: row for row in sheet.iter_rows() if row[0].value}
    assert "€" in cells["Dette à l'orientation (total)"][1].number_format
    assert cells["Part atteinte ou partiellement atteinte"][1].number_format == "0.0 %"
    assert "pts" in cells["Part atteinte ou partiellement atteinte"][3].number_format
    assert int(sheet.page_setup.paperSize) == 9 and sheet.page_setup.fitToWidth == 1


def test_html_has_one_chart_of_the_key_figures_and_every_table(run, projects, tmp_path) -> None:
    page = out(run, "bilan", "2016", "--compare", "2015", "--format", "html")
    assert page.count("<svg") == 1 and "<script" not in page
    assert "http" not in page.split("<svg")[0]  # no resource fetched from the network
    chart = page[page.index("<svg") :]
    assert "Chiffres clés" in chart and "2015" in chart and "2016" in chart
    text = html.unescape(page)
    assert '<td>Objectifs du projet d\'accompagnement</td><td class="n">5</td>' in text
    assert "@page { size: A4" in page


@pytest.mark.parametrize("columns", ["80"])
def test_the_terminal_comparison_fits_80_columns(run, projects, monkeypatch, columns) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    text = out(run, "bilan", "2016", "--compare", "2015")
    assert max(len(line) for line in text.splitlines()) <= 80
    flat = " ".join(text.split())
    assert "Dette à l'orientation (total) 5 500 € 0 € −5 500 €" in flat.replace(NBSP, " ")
    assert "Évolution : 2016 par rapport à 2015" in flat


def test_every_format_of_the_demo_comparison_is_written(run, projects, tmp_path: Path) -> None:
    for suffix in ("md", "html", "csv", "xlsx"):
        target = tmp_path / f"comparaison.{suffix}"
        assert run("bilan", "2016", "--compare", "2015", "--output", str(target)).code == 0
        assert target.stat().st_size > 500
