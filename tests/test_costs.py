"""`visites costs`: spending to date against the budget, by month, referent or commune."""

from __future__ import annotations

import json

pytest_plugins = ("year2015",)  # the `year` fixture: the year 2015 built through the CLI


def costs_json(run, *args: str) -> dict:
    result = run("costs", *args, "--json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_costs_to_date_project_the_year_at_the_current_pace(run, year):
    spent = costs_json(run, "2015", "--today", "2015-06-30")
    # To 30/06: 6 diagnostics (2 760) + 7 months (1 610) = 4 370 over 6 months begun,
    # so 4 370 / 6 × 12 = 8 740 by 31 December at this pace.
    assert spent["costs"]["total"] == 4370
    assert spent["projection"] == 8740
    assert spent["budget"] == {"amount": 30000, "remaining": 25630, "consumed_pct": 14.6}


def test_costs_by_referent_and_by_commune_add_up_to_the_total(run, year):
    by_referent = costs_json(run, "2015", "--by", "referent")
    lines = {line["key"]: line for line in by_referent["lines"]}
    # Claire Dubois: diagnostics A B D L G I (6 × 460) + months A 7, G 3 (10 × 230) = 5 060.
    # Karim Benali: diagnostics E F H (3 × 460) + months K 3, F 6 (9 × 230) = 3 450.
    assert lines["Claire Dubois"]["amount"] == 5060
    assert lines["Karim Benali"]["amount"] == 3450
    assert lines["Karim Benali"]["households"] == 4  # E F H and K
    assert sum(line["amount"] for line in by_referent["lines"]) == 8510
    by_commune = costs_json(run, "2015", "--by", "commune")
    assert sum(line["amount"] for line in by_commune["lines"]) == 8510
    assert by_commune["lines"][0]["key"] == "Nantes"  # the largest first


def test_costs_in_the_terminal_show_the_budget_and_the_projection(run, year, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    result = run("costs", "2015", "--today", "2015-06-30")
    assert result.code == 0, result.err
    text = result.out.replace("\u00a0", " ")
    assert "4 370 € sur 30 000 € (14,6 %)" in text
    assert "Projection au 31/12 au rythme actuel : 8 740 € — dans le budget" in text
    assert "juin" in text and "█" in text and "juillet" not in text
    assert max(len(line) for line in result.out.splitlines()) <= 80


def test_costs_by_an_unknown_grouping_is_a_usage_error(run, year):
    result = run("costs", "2015", "--by", "semaine")
    assert result.code == 2
    assert "valeurs possibles : mois, referent, commune" in result.err


def test_costs_by_matches_case_and_accents_and_suggests_a_near_miss(run, year):
    assert costs_json(run, "2015", "--by", "Référent") == costs_json(
        run, "2015", "--by", "referent"
    )
    assert costs_json(run, "2015", "--by", "MOIS") == costs_json(run, "2015")
    near = run("costs", "2015", "--by", "comune")
    assert near.code == 2 and "Vouliez-vous dire « commune » ?" in near.err
