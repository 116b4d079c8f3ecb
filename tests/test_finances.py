"""The household's finances: amounts as people type them, dated statements, the latest known
values, the change in arrears and the effort rate."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import Run, referral, snapshot
from hypothesis import given
from hypothesis import strategies as st

from visites import finances
from visites.amounts import parse_amount, to_amount
from visites.disclosure import NOT_GATHERED
from visites.model import Statement
from visites.render import numbers
from visites.store import Folder

# ---------------------------------------------------------------------------- amounts


@pytest.mark.parametrize(
    "typed, amount",
    [
        ("1240", "1240"),
        ("1 240", "1240"),
        ("1240,50", "1240.50"),
        ("1 240,50 €", "1240.50"),
        ("1\u00a0240,50\u00a0€", "1240.50"),  # no-break space, as word processors write it
        ("1\u202f240,50 €", "1240.50"),  # narrow no-break space, as spreadsheets write it
        ("12 345 €", "12345"),
        ("1240€", "1240"),
        ("2 400 EUR", "2400"),
        ("180,5", "180.5"),
        ("1240.50", "1240.50"),
        ("0", "0"),
        (" 75 euros ", "75"),
    ],
)
def test_amounts_are_read_in_every_french_form(typed: str, amount: str) -> None:
    assert parse_amount(typed) == Decimal(amount)


@pytest.mark.parametrize(
    "typed, reason",
    [
        ("", "montant vide"),
        ("douze", "illisible"),
        ("12 40", "illisible"),  # thousands are groups of three
        ("1.240", "ambigu"),  # one thousand two hundred and forty, or 1,24?
        ("-50", "négatif"),
        ("1240,555", "au plus deux décimales"),
        ("1 000 000", "trop grand"),
    ],
)
def test_what_is_not_an_amount_is_told_in_french(typed: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_amount(typed)


def test_numbers_from_a_file_or_a_cell_are_amounts_too() -> None:
    assert to_amount(1240) == Decimal(1240)
    assert to_amount(1240.5) == Decimal("1240.5")  # not the float's binary expansion
    assert to_amount("1 240,50 €") == Decimal("1240.50")
    for wrong in (True, float("nan"), -1, 0.001, [1]):
        with pytest.raises(ValueError):
            to_amount(wrong)


@given(st.decimals(min_value=0, max_value=999_999, places=2, allow_nan=False))
def test_an_amount_shown_in_french_reads_back_as_itself(amount: Decimal) -> None:
    assert parse_amount(numbers.euros(amount)) == amount
    assert parse_amount(numbers.number(amount, 2)) == amount


# ---------------------------------------------------------------------------- statements


def ok(run: Run, *args: str) -> str:
    result = run(*args)
    assert result.code == 0, (args, result.err)
    return result.out


def test_a_statement_records_only_the_amounts_given_as_yaml_numbers(run, cases) -> None:
    case_id = referral(run, "Famille Budget", "2015-01-12")
    resources = "1\u00a0100"
    out = ok(run, "finances", case_id, "--date", "2015-01-12", "--arrears", "1 240,50 €",
             "--resources", resources, "--rent", "520", "--housing-benefit", "180,5")  # fmt: skip
    assert f"Dossier {case_id} : situation financière du 12/01/2015 enregistrée." in out
    assert "Taux d'effort (derniers montants connus) : 30,9\u00a0%." in out
    ok(run, "finances", case_id, "--date", "2015-01-15", "--arrears", "1 000")
    text = (cases / f"{case_id}.yaml").read_text(encoding="utf-8")
    assert (
        """finances:
  - date: 2015-01-12
    dette_locative: 1240.5
    ressources: 1100
    loyer: 520
    aide_logement: 180.5
  - date: 2015-01-15
    dette_locative: 1000
"""
        in text
    )
    first, second = Folder(cases).read(case_id).case.finances
    assert first.arrears == Decimal("1240.50") and second.resources is None


def test_a_statement_without_any_amount_or_with_a_wrong_one_changes_nothing(run, cases) -> None:
    case_id = referral(run, "Famille Budget", "2015-01-12")
    before = snapshot(cases)
    empty = run("finances", case_id, "--date", "2015-01-12")
    assert empty.code == 2 and "rien à enregistrer : donnez --arrears" in empty.err
    wrong = run("finances", case_id, "--arrears", "mille euros")
    assert wrong.code == 2 and "--arrears : montant « mille euros » illisible" in wrong.err
    negative = run("finances", case_id, "--rent", "-520")
    assert negative.code == 2 and "--rent : montant « -520 » négatif" in negative.err
    assert snapshot(cases) == before


def test_a_housing_benefit_above_the_rent_is_kept_with_a_warning(run, cases) -> None:
    case_id = referral(run, "Famille Budget", "2015-01-12")
    result = run("finances", case_id, "--date", "2015-01-12", "--resources", "1100",
                 "--rent", "650", "--housing-benefit", "1 240")  # fmt: skip
    assert result.code == 0, result.err
    warning = "situation financière du 12/01/2015 : l'APL / AL dépasse le loyer"
    assert f"avertissement : dossier {case_id} : {warning}" in result.err
    later = run("finances", case_id, "--date", "2015-01-12", "--arrears", "100")
    assert later.code == 0 and later.err == ""  # about the statement just added only
    checked = run("check")
    assert checked.code == 0 and f"{case_id}.yaml:" in checked.err and warning in checked.err


def test_statements_go_from_the_referral_to_the_closure_in_date_order(run, cases) -> None:
    case_id = referral(run, "Famille Budget", "2015-01-12")
    before = run("finances", case_id, "--date", "2015-01-11", "--arrears", "100")
    assert before.code == 1 and "avant l'orientation reçue (12/01/2015)" in before.err
    ok(run, "finances", case_id, "--date", "2015-03-01", "--arrears", "300")
    ok(run, "finances", case_id, "--date", "2015-02-01", "--arrears", "200")  # goes first
    ok(run, "consent", case_id, "--date", "2015-01-20")
    ok(run, "orient", case_id, "--to", "sans-suite", "--date", "2015-04-01")
    after = run("finances", case_id, "--date", "2015-04-02", "--arrears", "0")
    assert after.code == 1 and "après la clôture (01/04/2015)" in after.err
    ok(run, "finances", case_id, "--date", "2015-04-01", "--arrears", "0")  # the closing day
    case = Folder(cases).read(case_id).case
    assert [(s.date.month, s.arrears) for s in case.finances] == [
        (2, 200), (3, 300), (4, 0)]  # fmt: skip
    assert case.last_contact == date(2015, 4, 1)


def test_check_reports_hand_written_amounts_with_their_line(run, cases) -> None:
    case_id = referral(run, "Famille Budget", "2015-01-12")
    path = cases / f"{case_id}.yaml"
    base = path.read_text(encoding="utf-8")
    end = len(base.splitlines())  # the line numbers of what is added below start after it
    path.write_text(base + "finances:\n  - date: 2015-01-12\n    dette_locative: 1 240,50 €\n")
    assert run("check").code == 0  # a French amount written by hand is an amount
    assert Folder(cases).read(case_id).case.finances[0].arrears == Decimal("1240.50")
    path.write_text(base + "finances:\n  - date: 2015-01-12\n    loyer: beaucoup\n"
                    "  - date: 2015-01-10\n    ressources: 900\n")  # fmt: skip
    result = run("check")
    assert result.code == 1
    assert f"{case_id}.yaml:{end + 3}: loyer : montant « beaucoup » illisible" in result.err
    path.write_text(base + "finances:\n  - date: 2015-01-13\n    loyer: 500\n"
                    "  - date: 2015-01-12\n  - date: 2015-01-14\n    loyer: 500\n")  # fmt: skip
    text = run("check").err
    line = f"{case_id}.yaml:{end + 4}"
    assert f"{line}: situation financière du 12/01/2015 avant la précédente" in text
    assert f"{line}: relevé sans montant" in text


# ---------------------------------------------------------------------------- figures


def statement(day: int, **figures: object) -> Statement:
    return Statement(date=date(2015, 1, day), **figures)


def test_the_latest_known_value_of_each_amount_is_the_latest_statement_that_has_it() -> None:
    known = finances.situation([
        statement(5, arrears=2400, resources=1100, rent=520, housing_benefit=180),
        statement(20, arrears=1800, repayment_plan=True),
        statement(10, rent=540),  # out of order in the list: dates decide
    ])  # fmt: skip
    assert (known.arrears.value, known.arrears.date) == (1800, date(2015, 1, 20))
    assert (known.rent.value, known.rent.date) == (540, date(2015, 1, 10))
    assert known.resources.value == 1100 and known.housing_benefit.value == 180
    assert known.repayment_plan.value is True
    assert known.first_arrears.value == 2400 and known.arrears_change == -600
    assert known.effort_rate == Decimal(540 - 180) / 1100
    assert known.statements == 3


def test_the_effort_rate_needs_resources_and_counts_a_missing_benefit_as_zero() -> None:
    assert finances.effort_rate(Decimal(600), None, Decimal(1200)) == Decimal("0.5")
    assert finances.effort_rate(Decimal(600), Decimal(200), Decimal(1000)) == Decimal("0.4")
    assert finances.effort_rate(Decimal(600), None, Decimal(0)) is None
    assert finances.effort_rate(Decimal(600), None, None) is None
    assert finances.effort_rate(None, Decimal(100), Decimal(1000)) is None
    assert finances.situation([statement(1, rent=500)]).effort_rate is None
    assert finances.situation([]).arrears_change is None


def test_show_gives_the_latest_values_the_change_in_arrears_and_the_effort_rate(run, cases):
    case_id = referral(run, "Famille Budget", "2015-01-12")
    ok(run, "finances", case_id, "--date", "2015-01-12", "--arrears", "2 400", "--resources",
       "1 100", "--rent", "520")  # fmt: skip
    ok(run, "finances", case_id, "--date", "2015-03-02", "--arrears", "1 800,50",
       "--repayment-plan")  # fmt: skip
    out = " ".join(ok(run, "show", case_id).replace("\u00a0", " ").split())
    assert "Situation financière (confidentiel)" in out
    assert "Dette locative 1 800,50 € (au 02/03/2015)" in out
    assert (
        "Évolution de la dette −599,50 € depuis le premier montant (2 400 € au 12/01/2015)" in out
    )
    assert "Taux d'effort 47,3 % (APL / AL non renseignée : comptée 0)" in out
    assert "Plan d'apurement signé (au 02/03/2015)" in out
    assert (
        "dette locative 2 400 €, ressources mensuelles 1 100 €, loyer charges comprises 520 €"
        in out
    )
    cut = " ".join(ok(run, "show", case_id, "--today", "2015-02-01").replace("\u00a0", " ").split())
    assert "Dette locative 2 400 € (au 12/01/2015)" in cut and "Plan d'apurement" not in cut
    shown = json.loads(ok(run, "show", case_id, "--json"))["case"]["finances"]
    assert shown[1] == {"date": "2015-03-02", "arrears": 1800.5, "repayment_plan": True}


def test_anonymise_keeps_the_amounts(run, cases) -> None:
    case_id = referral(run, "Famille Budget", "2015-01-12")
    ok(run, "finances", case_id, "--date", "2015-01-12", "--arrears", "2 400", "--resources",
       "1 100", "--rent", "520", "--housing-benefit", "180", "--repayment-plan")  # fmt: skip
    ok(run, "close", case_id, "--date", "2015-02-01")
    before = Folder(cases).read(case_id).case.finances
    ok(run, "anonymise", case_id, "--today", "2018-01-01", "--yes")
    assert Folder(cases).read(case_id).case.finances == before


# ---------------------------------------------------------------------------- the suivi


def suivi(run: Run, tmp_path: Path, *extra: str) -> dict[str, dict[str, str]]:
    import csv
    import io

    target = tmp_path / "suivi.csv"
    ok(run, "export", "suivi", "--output", str(target), *extra)
    rows = list(csv.reader(io.StringIO(target.read_bytes().decode("utf-8-sig")), delimiter=";"))
    return {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}


def test_the_suivi_shows_arrears_only_for_a_household_that_agreed_to_exchanges(
    run, cases, tmp_path
) -> None:
    agreed = referral(run, "Famille Accord", "2015-01-12")
    ok(run, "consent", agreed, "--date", "2015-01-20", "--share")
    silent = referral(run, "Famille Discrète", "2015-01-13")
    ok(run, "consent", silent, "--date", "2015-01-20")
    for case_id in (agreed, silent):
        ok(run, "finances", case_id, "--date", "2015-01-20", "--arrears", "2 400,50",
           "--resources", "1 111", "--rent", "522")  # fmt: skip
        ok(run, "finances", case_id, "--date", "2015-03-01", "--arrears", "1 800")
    rows = suivi(run, tmp_path, "--today", "2015-12-31")
    first, last = "Dette à l'orientation", "Dernière dette connue"
    assert (rows[agreed][first], rows[agreed][last]) == ("2400,50", "1800,00")
    # Without the household's own consent: withheld (« accord non recueilli »).
    assert (rows[silent][first], rows[silent][last]) == (NOT_GATHERED, NOT_GATHERED)
    text = (tmp_path / "suivi.csv").read_bytes().decode("utf-8-sig")
    assert "1111" not in text and "522" not in text  # resources and rent never go there
    # As it stood: on 15/02 the last known figure was the first one.
    earlier = suivi(run, tmp_path, "--today", "2015-02-15")
    assert (earlier[agreed][first], earlier[agreed][last]) == ("2400,50", "2400,50")
    ok(run, "share", agreed, "--withdraw")
    assert suivi(run, tmp_path)[agreed][first] == NOT_GATHERED
    # The xlsx holds the figure as a number, in euros.
    from openpyxl import load_workbook

    ok(run, "share", agreed, "--date", "2015-03-02")
    target = tmp_path / "suivi.xlsx"
    ok(run, "export", "suivi", "--output", str(target))
    sheet = load_workbook(target).active
    header = [cell.value for cell in sheet[1]]
    cell = sheet.cell(row=2, column=header.index(first) + 1)
    assert cell.value == 2400.5 and "€" in cell.number_format
