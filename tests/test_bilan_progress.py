"""The bilan's new sections: objectives, rent arrears, effort rate. Every figure is worked
out by hand from the cases of `year_projects` (read its docstring first)."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest

pytest_plugins = ("year_projects",)  # the `projects` fixture


def bilan_json(run, year: str = "2015", *extra: str) -> dict:
    result = run("bilan", year, "--json", *extra)
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_the_new_bilan_keys_match_the_figures_worked_out_by_hand(run, projects) -> None:
    b = bilan_json(run)
    # Objectives of the accompaniments ended in 2015: P (closed 01/10) and Q (30/11); R's
    # accompaniment ends in 2016, so its objective waits for the 2016 bilan.
    # P: atteint, partiel, en cours; Q: non atteint, abandonné. Total 5.
    # Reached = atteint + partiel = 2; 2 / 5 = 0,4.
    assert b["objectives"] == {"total": 5, "en-cours": 1, "atteint": 1, "partiel": 1,
                               "non-atteint": 1, "abandonne": 1, "rate_reached": 0.4}  # fmt: skip
    assert list(b["objectives"]) == ["total", "en-cours", "atteint", "partiel", "non-atteint",
                                     "abandonne", "rate_reached"]  # fmt: skip
    # Cases closed in 2015 with an arrears figure: T (closed 08/01: 500 → 450), P (3 000 → 0),
    # S (1 200, its only figure: first and last), Q (800 → 950). R has no figure; U, V are open.
    # First total 500 + 3 000 + 1 200 + 800 = 5 500; last 450 + 0 + 1 200 + 950 = 2 600.
    # Reduced: T and P; cleared: P. Repayment plans dated 2015, all cases: P (01/05) and
    # R (01/12); T's is from 2014, U's « no plan » is not one.
    assert b["arrears"] == {"households": 4, "first_total": 5500, "last_total": 2600,
                            "reduced": 2, "cleared": 1, "repayment_plans": 2}  # fmt: skip
    # Diagnostics begun in 2015: P, Q, R, S, U, V (T's in 2014). At the first statement giving
    # resources and rent: P (600 − 200) / 1 200 = 0,3333; R 450 / 900 = 0,5 (no benefit: 0);
    # U (700 − 250) / 1 500 = 0,3; V 250 / 1 000 = 0,25. Q never gives both in one statement;
    # S's resources are 0. Sorted 0,25 0,3 0,3333 0,5: median (0,3 + 0,3333…) / 2 = 0,3167.
    assert b["effort_rate"] == {"median": 0.3167, "households": 4}


def test_the_figures_take_the_cases_as_they_stood_on_the_end_date(run, projects) -> None:
    b = bilan_json(run, "2015", "--today", "15/10/2015")
    # Ended by 15/10: P only: atteint, partiel, en cours; 2 / 3 = 0,6667.
    assert b["objectives"] == {"total": 3, "en-cours": 1, "atteint": 1, "partiel": 1,
                               "non-atteint": 0, "abandonne": 0,
                               "rate_reached": 0.6667}  # fmt: skip
    # Closed by 15/10: T, P, S: first 500 + 3 000 + 1 200 = 4 700, last 450 + 0 + 1 200 =
    # 1 650. Plans by then: P (R's comes on 01/12).
    assert b["arrears"] == {"households": 3, "first_total": 4700, "last_total": 1650,
                            "reduced": 2, "cleared": 1, "repayment_plans": 1}  # fmt: skip
    assert b["effort_rate"] == {"median": 0.3167, "households": 4}


def test_a_year_without_any_gives_zero_rates_and_a_null_median(run, projects) -> None:
    b = bilan_json(run, "2016")
    # 2016: R's accompaniment ends (01/03): its one objective, atteint on 01/10/2015.
    assert b["objectives"]["total"] == 1 and b["objectives"]["rate_reached"] == 1
    # R has no arrears figure; no plan dated 2016; no diagnostic begun in 2016.
    assert b["arrears"] == {"households": 0, "first_total": 0, "last_total": 0, "reduced": 0,
                            "cleared": 0, "repayment_plans": 0}  # fmt: skip
    assert b["effort_rate"] == {"median": None, "households": 0}
    b = bilan_json(run, "2014")
    assert b["objectives"]["total"] == 0 and b["objectives"]["rate_reached"] == 0
    assert b["arrears"]["repayment_plans"] == 1  # T's plan, dated 01/12/2014


def test_the_suivi_first_figure_is_the_bilan_first_figure(run, projects, tmp_path) -> None:
    import csv
    import io

    target = tmp_path / "suivi.csv"
    assert run("export", "suivi", "--output", str(target)).code == 0
    rows = list(csv.reader(io.StringIO(target.read_bytes().decode("utf-8-sig")), delimiter=";"))
    by_id = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    p = by_id[projects["P"]]  # the one household that agreed to exchanges
    assert (p["Dette à l'orientation"], p["Dernière dette connue"]) == ("3000,00", "0,00")
    others = [by_id[projects[k]]["Dette à l'orientation"] for k in "QRSTUV"]
    assert others == ["accord non recueilli"] * 6  # withheld without the household's consent


NBSP = "\u00a0"


def test_every_format_shows_the_new_figures(run, projects, tmp_path: Path) -> None:
    for suffix in ("md", "html", "csv", "xlsx"):
        assert run("bilan", "2015", "--output", str(tmp_path / f"bilan.{suffix}")).code == 0
    # (label, as people read it, as a French spreadsheet reads the csv, the xlsx number)
    wanted = [("Objectifs du projet d'accompagnement", "5", "5", 5),
              ("dont abandonnés", "1", "1", 1),
              ("Part atteinte ou partiellement atteinte", f"40,0{NBSP}%", "40,0", 0.4),
              ("Dette à l'orientation (total)", f"5{NBSP}500{NBSP}€", "5500,00", 5500),
              ("Dernière dette connue (total)", f"2{NBSP}600{NBSP}€", "2600,00", 2600),
              ("Ménages dont la dette a baissé", "2", "2", 2),
              ("Ménages dont la dette est soldée", "1", "1", 1),
              ("Ménages avec un plan d'apurement noté dans l'année", "2", "2", 2),
              ("Taux d'effort médian", f"31,7{NBSP}%", "31,7", 0.317)]  # fmt: skip
    markdown = (tmp_path / "bilan.md").read_text(encoding="utf-8")
    csv_rows = (tmp_path / "bilan.csv").read_bytes().decode("utf-8-sig").splitlines()
    page = html.unescape((tmp_path / "bilan.html").read_text(encoding="utf-8"))
    terminal = run("bilan", "2015").out
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "bilan.xlsx")["Bilan 2015"]
    cells = {row[0].value: row[1].value for row in sheet.iter_rows() if row[0].value}
    for label, text, csv_value, number in wanted:
        assert any(label in line and line.rstrip(" |").endswith(text)
                   for line in markdown.splitlines()), label  # fmt: skip
        # The csv's label carries the unit (« (€) », « (%) »); the value is a number.
        assert any(line.split(";")[1].startswith(label) and line.endswith(f";{csv_value}")
                   for line in csv_rows), label  # fmt: skip
        assert f'<td>{label}</td><td class="n">{text}</td>' in page, label
        typed = next(value for key, value in cells.items() if str(key).startswith(label))
        assert typed == pytest.approx(number, abs=0.001), label
        assert any(label[:30] in line and text in line for line in terminal.splitlines()), label
    # The html has a chart of the new figures: objectives by status and the arrears.
    assert page.count("<svg") == 5
    chart = next(c for c in page.split("<svg") if "Objectifs des accompagnements terminés" in c)
    assert "Objectifs des accompagnements terminés" in chart and "Dette locative" in chart
