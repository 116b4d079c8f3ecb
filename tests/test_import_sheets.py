"""`visites import` of tableaux as people keep them: a French Excel csv imported for real, a row
of totals under the households, « St-Nazaire », month-first dates, a present row whose cell
cannot be read, and a dry run that says when the import would be refused."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from tests.conftest import Run, snapshot
from tests.import_kit import HEADINGS, PHASES, Household, cells, csv_file, workbook


def as_text(row: list[object]) -> list[object]:
    return [c.strftime("%d/%m/%Y") if isinstance(c, date) else c for c in row]


def test_a_french_excel_csv_with_a_bom_imports_every_phase(
    run: Run, cases: Path, tmp_path: Path
) -> None:
    rows = [as_text(cells(h, n)) for n, h in enumerate(PHASES)]
    french = csv_file(tmp_path / "suivi-2015.csv", HEADINGS, rows)
    assert french.read_bytes().startswith(b"\xef\xbb\xbf") and b";" in french.read_bytes()
    done = run("import", str(french))
    assert done.code == 0, done.err
    assert "8 dossiers créés (2015-001 … 2015-008)" in done.out
    found = {c["id"]: c["phase"] for c in json.loads(run("status", "--all", "--json").out)}
    assert sorted(found.values()) == ["accompaniment", "closed", "closed", "closed", "closed",
                                      "closed", "diagnostic", "referral"]  # fmt: skip
    first = (cases / "2015-001.yaml").read_text(encoding="utf-8")
    assert "nom: Famille Attente" in first and "\ufeff" not in first  # the BOM is not a heading
    assert "origine:\n  fichier: suivi-2015.csv\n  ligne: 2\n" in first  # a csv has no sheet
    again = run("import", str(french))
    assert again.code == 0 and "Rien à importer depuis suivi-2015.csv" in again.out


def test_a_row_of_totals_is_left_out_and_said(run: Run, cases: Path, tmp_path: Path) -> None:
    rows = [cells(h, 0) for h in PHASES[:2]]
    total = [None] * len(HEADINGS)
    total[0] = "Total : 2 ménages"
    sheet = workbook(tmp_path / "suivi.xlsx", [*rows, total, [None, "Sous-total"]])
    done = run("import", str(sheet))
    assert done.code == 0, done.err
    assert "2 dossiers créés" in done.out
    assert ("avertissement : suivi.xlsx:Suivi 2015:ligne 4: ligne de total (« Total : 2 ménages "
            "») non reprise") in done.err  # fmt: skip
    assert "ligne 5: ligne de total (« Sous-total »)" in done.err
    # A household whose name only starts like it is a household.
    named = Household("Totalement Fictive", "Nantes", date(2015, 4, 1))
    sheet = workbook(tmp_path / "autre.xlsx", [cells(named, 0)])
    assert "1 dossier créé" in run("import", str(sheet)).out


def test_saint_abbreviated_is_the_commune_of_the_list(run: Run, cases: Path, tmp_path: Path):
    rows = [cells(Household(name, commune, date(2015, 1, 5 + n)), 0) for n, (name, commune) in
            enumerate([("Famille Une", "St Nazaire"), ("Famille Deux", "ste-luce-sur-loire"),
                       ("Famille Trois", "St-Herblain")])]  # fmt: skip
    done = run("import", str(workbook(tmp_path / "s.xlsx", rows)), "--json")
    assert done.code == 0, done.err
    communes = [json.loads(run("show", f"2015-00{n}", "--json").out)["case"]["household"]
                ["commune"] for n in (1, 2, 3)]  # fmt: skip
    assert communes == ["Saint-Nazaire", "Sainte-Luce-sur-Loire", "Saint-Herblain"]
    assert run("new-referral", "--household", "Famille Quatre", "--commune", "St Nazaire",
               "--context", "entree", "--referrer", "Mme Lebrun", "--date",
               "2015-02-01").code == 0  # fmt: skip


def test_month_first_dates_fail_with_a_hint_and_change_nothing(
    run: Run, cases: Path, tmp_path: Path
) -> None:
    row = as_text(cells(PHASES[2], 0))
    row[HEADINGS.index("Date de la fiche")] = "01/07/2015"  # ambiguous: read as 1 July
    row[HEADINGS.index("Date adhésion")] = "01/15/2015"  # 15 January, month first
    sheet = csv_file(tmp_path / "export.csv", HEADINGS, [row], ",", "cp1252")
    before = snapshot(cases)
    result = run("import", str(sheet))
    assert result.code == 1
    assert ("erreur : export.csv:ligne 2: colonne « Date adhésion » : date impossible « "
            "01/15/2015 » : mois 15 impossible ; mois et jour inversés ? (dates au format anglais "
            "MM/JJ/AAAA") in result.err  # fmt: skip
    assert "« Date de la fiche »" not in result.err  # 01/07/2015 is a French date too
    after = snapshot(cases)
    after.pop(".visites.lock", None)
    assert after == before
    row[HEADINGS.index("Date adhésion")] = "31/13/2015"  # wrong either way: no hint
    csv_file(sheet, HEADINGS, [row], ",", "cp1252")
    assert "inversés" not in run("import", str(sheet)).err


def test_a_dry_run_with_problems_says_the_import_would_be_refused(
    run: Run, cases: Path, tmp_path: Path
) -> None:
    rows = [cells(h, 0) for h in PHASES[:3]]
    rows[1][HEADINGS.index("Date de la fiche")] = "2015-13-01"
    result = run("import", str(workbook(tmp_path / "s.xlsx", rows)), "--dry-run")
    assert result.code == 1
    assert ("2 lignes sans problème ; elles seraient créées une fois les problèmes corrigés :"
            in result.out)  # fmt: skip
    assert "seraient créés" not in result.out
    assert "l'import serait refusé : 1 problème, sur 1 ligne" in result.err
    rows = [rows[1]]
    result = run("import", str(workbook(tmp_path / "t.xlsx", rows)), "--dry-run")
    assert result.code == 1 and "Aucune ligne sans problème." in result.out


def test_a_present_row_whose_cell_cannot_be_read_shows_the_cell_not_an_empty_one(
    run: Run, cases: Path, tmp_path: Path
) -> None:
    rows = [cells(h, 0) for h in PHASES[:3]]
    assert run("import", str(workbook(tmp_path / "s.xlsx", rows))).code == 0
    rows[2][HEADINGS.index("Date adhésion")] = "15-01-2015"
    result = run("import", str(workbook(tmp_path / "s.xlsx", rows)), "--dry-run")
    assert result.code == 0, result.err  # a row already present is never a failure
    assert (
        "ligne 4 → 2015-003 : « Date adhésion » : tableau illisible (date illisible « "
        "15-01-2015 » : écrivez JJ/MM/AAAA ou AAAA-MM-JJ), dossier 15/01/2015"
    ) in result.out
    found = json.loads(run("import", str(tmp_path / "s.xlsx"), "--dry-run", "--json").out)
    difference = found["present"][2]["differences"][0]
    assert difference["sheet"] == {"unreadable": "date illisible « 15-01-2015 » : écrivez "
                                   "JJ/MM/AAAA ou AAAA-MM-JJ"}  # fmt: skip


def test_a_referent_off_the_list_fails_its_row_unless_the_mapping_adds_them(
    run: Run, cases: Path, tmp_path: Path
) -> None:
    settings = cases / "visites.yaml"
    text = settings.read_text(encoding="utf-8")
    assert "  referents: []" in text
    settings.write_text(text.replace("  referents: []", "  referents: [Claire Dubois]", 1),
                        encoding="utf-8")  # fmt: skip
    headings = ["Nom", "Commune", "Date de la fiche", "Contexte", "Prescripteur", "Référente"]
    rows = [
        ["Famille Une", "Nantes", "05/01/2015", "Entrée", "Mme Lebrun", "claire dubois"],
        ["Famille Deux", "Rezé", "06/01/2015", "Entrée", "Mme Lebrun", "Sophie Martin"],
    ]
    sheet = workbook(tmp_path / "s.xlsx", rows, headings, sheet="Suivi")  # fmt: skip
    refused = run("import", str(sheet))
    assert refused.code == 1
    assert ("erreur : s.xlsx:Suivi:ligne 3: colonne « Référente » : référent(e) « Sophie Martin » "
            "hors de la liste de visites.yaml") in refused.err  # fmt: skip
    assert not (cases / "2015-001.yaml").exists()
    mapping = tmp_path / "m.yaml"
    mapping.write_text('nouvelles_valeurs:\n  referents: ["Sophie Martin"]\n', encoding="utf-8")
    done = run("import", str(sheet), "--mapping", str(mapping))
    assert done.code == 0, done.err
    assert "Ajouté à visites.yaml : référent(e) « Sophie Martin »." in done.out
    assert "referents: [Claire Dubois, Sophie Martin]" in settings.read_text(encoding="utf-8")
    shown = [json.loads(run("show", f"2015-00{n}", "--json").out)["case"]["referent"]
             for n in (1, 2)]  # fmt: skip
    assert shown == ["Claire Dubois", "Sophie Martin"]
