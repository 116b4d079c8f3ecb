"""The bilan annuel, through the CLI: every figure worked out by hand from the issue's rules."""

from __future__ import annotations

import json
from pathlib import Path

pytest_plugins = ("year2015",)  # the `year` fixture: the year 2015 built through the CLI


def bilan_json(run, *args: str) -> dict:
    result = run("bilan", "2015", "--json", *args)
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_bilan_2015_matches_the_figures_counted_by_hand(run, year):
    b = bilan_json(run)
    assert b["year"] == 2015
    assert b["end"] == "2015-12-31"  # a past year runs to 31 December

    # Referrals dated in 2015: A B C D E F L G H I J = 11 (K is from 2014, M from 2016).
    # Entrée: A D F L H J = 6; en cours: B C E G I = 5.
    # Communes: Nantes A D E G J = 5; Saint-Herblain B I = 2; Rezé C H = 2; Orvault L = 1;
    # Saint-Nazaire F = 1. Referrers: Mme Lebrun A D E L H J = 6; M. Morel B C F G I = 5.
    r = b["referrals"]
    assert (r["total"], r["entree"], r["en_cours"]) == (11, 6, 5)
    assert r["by_commune"] == {"Nantes": 5, "Rezé": 2, "Saint-Herblain": 2, "Orvault": 1,
                               "Saint-Nazaire": 1}  # fmt: skip
    assert r["by_referrer"] == {"Mme Lebrun": 6, "M. Morel": 5}
    assert r["by_month"] == [1, 1, 1, 1, 1, 2, 0, 0, 1, 1, 1, 1]  # June: F and L

    # Adhesions in 2015: A B D E F L G H I = 9 (K consented in 2014). Refused: C = 1.
    # Pending on 31/12: J (referred 01/12, no answer); M is referred after the end date.
    # Referral → adhesion delays: A 8, B 8, D 14, E 7, F 2, L 10, G 9, H 15, I 9 days;
    # sorted 2 7 8 8 9 9 10 14 15: median 9.
    c = b["consents"]
    assert (c["accepted"], c["refused"], c["pending"]) == (9, 1, 1)
    assert c["median_delay_days"] == 9

    # Started = the 9 adhesions. Completed = orientations dated in 2015: A B D E F G K = 7.
    # Due dates (adhesion + 2 months): A 20/03 (oriented 10/03), B 10/04 (20/04: late),
    # D 15/06 (20/05), E 11/07 (01/07), F 03/08 (01/07), G 10/11 (30/10), K 15/02 (16/02:
    # late). Still open on 31/12: H due 20/12 (late), I due 25/01/2016 (not yet).
    # L stopped during its diagnostic (closed 10/07): neither completed nor late. Late = 3.
    # Durations: A 49, B 69, D 35, E 51, F 28, G 50, K 63 days; median 50,
    # mean 345 / 7 = 49.29 → 49.3.
    d = b["diagnostics"]
    assert (d["started"], d["completed"], d["late"], d["stopped"]) == (9, 7, 3, 1)
    assert sorted(d["late_ids"]) == sorted([year["B"], year["K"], year["H"]])
    assert (d["median_days"], d["mean_days"]) == (50, 49.3)

    # Orientations of 2015: sans suite D; remobilisation E; accompagnement A F G K;
    # droit commun B (ASLL).
    o = b["orientations"]
    assert (o["sans_suite"], o["remobilisation"], o["accompagnement"], o["droit_commun"]) == (
        1, 1, 4, 1)  # fmt: skip
    assert o["measures"] == {"ASLL": 1}

    # Months begun in 2015: K Feb–Apr 3, A Mar–Sep 7, F Jul–Dec 6 (the example),
    # G Oct–Dec 3 (the second example) = 19. Active 4, started 4 (all in 2015),
    # ended 2 (K 03/04, A 15/09; F ends in 2016). Mean length of those ended: (3 + 7) / 2 = 5.
    a = b["accompaniment"]
    assert (a["months"], a["active"], a["started"], a["ended"]) == (19, 4, 4, 2)
    assert a["mean_months_ended"] == 5

    # Events dated in 2015: visits A 03/02, K 15/01 (K's 2014 visit is out); tripartite A;
    # phone B; missed appointment F.
    assert b["events"] == {"visite": 2, "tripartite": 1, "telephone": 1, "courrier": 0,
                           "entretien": 0, "absence": 1}  # fmt: skip
    # Problem domains of the diagnostics started in 2015: A budget+emploi, B dettes+budget,
    # H santé (K's isolement belongs to 2014's diagnostics).
    assert b["problem_domains"] == {"budget-impayes": 2, "dettes": 1, "emploi": 1, "sante": 1}
    # Closed in 2015 (refusal C aside): A maintien, E maintien, B relais, K relogement,
    # L rupture, D sans suite without an outcome.
    assert b["outcomes"] == {"maintien dans le logement": 2, "non renseignée": 1,
                             "relais droit commun": 1, "relogement ou mutation": 1,
                             "rupture ou abandon": 1}  # fmt: skip

    # Costs: 9 diagnostics × 460 = 4 140; 19 months × 230 = 4 370; total 8 510.
    # Budget 30 000: remaining 21 490, consumed 8 510 / 30 000 = 28.37 % → 28.4.
    # Households reached: the 9 diagnostics started + K (accompaniment months only) = 10;
    # target 55; cost per household 851.
    assert b["costs"]["diagnostics"] == 4140
    assert b["costs"]["accompaniment"] == 4370
    assert b["costs"]["total"] == 8510
    assert b["costs"]["per_household"] == 851
    assert b["budget"] == {"amount": 30000, "remaining": 21490, "consumed_pct": 28.4}
    assert b["households"] == {"reached": 10, "target": 55}
    # June: diagnostics of F (03/06) and L (20/06) + A's June month = 1 150.
    june = b["costs"]["by_month"][5]
    assert (june["diagnostics"], june["accompaniment"], june["cumulative"]) == (920, 230, 4370)


def test_bilan_cut_at_today_counts_open_steps_up_to_that_day(run, year):
    b = bilan_json(run, "--today", "30/06/2015")
    assert b["end"] == "2015-06-30"
    # Referred by 30/06: A B C D E F L = 7; adhesions A B D E F L = 6; nobody pending.
    assert b["referrals"]["total"] == 7
    assert (b["consents"]["accepted"], b["consents"]["pending"]) == (6, 0)
    # Oriented by 30/06: K A B D = 4; late: K and B (E, F, L are open but not yet due).
    assert (b["diagnostics"]["completed"], b["diagnostics"]["late"]) == (4, 2)
    # A is open on 30/06 (closed in September): March to June = 4, plus K's 3 = 7 months.
    assert b["accompaniment"]["months"] == 7
    # 6 × 460 + 7 × 230 = 2 760 + 1 610 = 4 370.
    assert b["costs"]["total"] == 4370


FIRST_TARIFF = "    accompagnement_mensuel: 230    # euros par mois d'accompagnement\n"


def add_tariff(cases: Path, since: str, diagnostic: int, monthly: int) -> None:
    """Add a dated tariff under the first one in visites.yaml, as a coordinator would."""
    settings = cases / "visites.yaml"
    text = settings.read_text()
    assert FIRST_TARIFF in text
    added = f"  - depuis: {since}\n    diagnostic: {diagnostic}\n"
    added += f"    accompagnement_mensuel: {monthly}\n"
    settings.write_text(text.replace(FIRST_TARIFF, FIRST_TARIFF + added))


def test_a_tariff_dated_2017_leaves_the_2015_bilan_unchanged(run, year, cases: Path):
    before = run("bilan", "2015", "--json").out
    add_tariff(cases, "2017-01-01", 600, 300)
    assert run("check").code == 0
    after = run("bilan", "2015", "--json")
    assert after.code == 0, after.err
    assert after.out == before


def test_a_tariff_dated_mid_2015_bills_later_months_at_the_new_price(run, year, cases: Path):
    add_tariff(cases, "2015-07-01", 500, 250)
    b = bilan_json(run)
    # Diagnostics: A B D E F L before 01/07 at 460 (2 760), G H I after at 500 (1 500).
    assert b["costs"]["diagnostics"] == 2760 + 1500
    # Months before July: K 3, A Mar–Jun 4 = 7 × 230 = 1 610; from July: A 3, F 6, G 3 = 12
    # × 250 = 3 000.
    assert b["costs"]["accompaniment"] == 1610 + 3000


def test_bilan_terminal_report_fits_80_columns(run, year, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    result = run("bilan", "2015")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert max(len(line) for line in lines) <= 80
    text = result.out.replace("\u00a0", " ")
    for figure in ("8 510 €", "28,4 %", "30 000 €", "Diagnostics hors délai", "31/12/2015"):
        assert figure in text


def test_bilan_documents_in_every_format(run, year, tmp_path: Path):
    for suffix in ("md", "html", "csv", "xlsx"):
        target = tmp_path / f"bilan.{suffix}"
        result = run("bilan", "2015", "--output", str(target))
        assert result.code == 0, result.err
        assert target.stat().st_mode & 0o077 == 0  # private like the case files
    markdown = (tmp_path / "bilan.md").read_text().replace("\u00a0", " ")
    assert "# Les visites sociales — bilan 2015" in markdown
    assert "| Total                    |  8 510 € |" in markdown
    assert "28,4 %" in markdown and "█" in markdown
    page = (tmp_path / "bilan.html").read_text()
    # Four charts of the activity (the objectives and arrears among them), one of « Publics ».
    assert page.count("<svg") == 5 and "<script" not in page and "http" not in page.split(
        "<svg")[0]  # fmt: skip
    assert "@page { size: A4" in page
    rows = (tmp_path / "bilan.csv").read_bytes().decode("utf-8-sig").splitlines()
    assert rows[0] == "Rubrique;Indicateur;Valeur"
    assert "Coûts et budget;Total (€);8510,00" in rows  # a number a spreadsheet can add up
    from openpyxl import load_workbook

    book = load_workbook(tmp_path / "bilan.xlsx")
    assert book.sheetnames == ["Bilan 2015", "Dépenses par mois"]
    months = book["Dépenses par mois"]
    assert months["E13"].value == 8510  # the cumulative spending at December, a number


def test_bilan_to_an_unwritable_place_is_refused_and_writes_nothing(run, year, tmp_path):
    missing = tmp_path / "absent" / "bilan.md"
    result = run("bilan", "2015", "--output", str(missing))
    assert result.code == 1
    assert "écriture impossible" in result.err and "Traceback" not in result.err
    folder = tmp_path / "bilan.md"
    folder.mkdir()
    result = run("bilan", "2015", "--output", str(folder))
    assert result.code == 1 and "écriture impossible" in result.err
    assert list(folder.iterdir()) == [] and sorted(p.name for p in tmp_path.iterdir()) == [
        "bilan.md", "dossiers"]  # fmt: skip


def test_bilan_output_must_match_its_format(run, year, tmp_path):
    result = run("bilan", "2015", "--format", "md", "--output", str(tmp_path / "b.html"))
    assert result.code == 2 and "--format md" in result.err
    result = run("bilan", "2015", "--output", str(tmp_path / "2015-001.yaml"))
    assert result.code == 2 and "extension attendue" in result.err
    assert list(tmp_path.glob("b.*")) == []


def test_bilan_of_a_year_not_begun_is_a_usage_error(run, year):
    result = run("bilan", "2016", "--today", "2015-12-31")
    assert result.code == 2 and "n'a pas commencé" in result.err


def test_bilan_of_the_demo_folder_is_readable_in_80_columns(monkeypatch, capsys):
    from visites.cli import main

    demo = Path(__file__).parent.parent / "cases"
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["--cases", str(demo), "bilan", "2015"]) == 0
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "Coûts et budget" in out and "Dépenses par mois" in out
