"""`visites import`: an existing tableau de suivi (xlsx, csv) brought in, all or nothing,
through the workflow's own moves; again, it creates nothing; an erased household stays out."""

from __future__ import annotations

import json
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import Run, referral, snapshot
from tests.import_kit import (
    HEADINGS,
    PHASES,
    Household,
    cells,
    cli_steps,
    csv_file,
    phases_workbook,
    referral_args,
    workbook,
)
from visites import import_mapping
from visites.config import Config


def git_log(cases: Path) -> list[str]:
    return subprocess.run(["git", "-C", str(cases), "log", "--format=%s"], capture_output=True,
                          text=True, check=True).stdout.splitlines()  # fmt: skip


def imported(run: Run, *args: str) -> dict:
    result = run("import", *args, "--json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def cases_json(run: Run) -> dict[str, dict]:
    result = run("status", "--all", "--json")
    return {c["id"]: c for c in json.loads(result.out)}


def case_of(run: Run, case_id: str) -> dict:
    return json.loads(run("show", case_id, "--json").out)["case"]


# ---------------------------------------------------------------------------- reading


def test_french_headings_are_recognised_whatever_their_case_accents_and_punctuation() -> None:
    spellings = {
        "Date d'orientation": "date_orientation", "DATE DE LA FICHE": "date_orientation",
        "date fiche": "date_orientation", "Réf. bailleur": "reference_bailleur",
        "REF BAILLEUR": "reference_bailleur", "N° de bail": "reference_bailleur",
        "Ménage": "nom", "nom du menage": "nom", "Référent(e)": "referent",
        "Date d’adhésion": "date_adhesion", "Refus": "date_refus", "Date de fin": "date_cloture",
        "Clôture": "date_cloture", "Orientation": "orientation", "Issue": "issue",
        "Prescripteur": "prescripteur", "Contexte": "contexte", "Commune": "commune",
    }  # fmt: skip
    for heading, code in spellings.items():
        assert import_mapping.recognised(heading) == code, heading
    assert import_mapping.recognised("Couleur") is None
    assert import_mapping.heading_suggestions("Date d'adhésion du ménage")[0] == "Date d'adhésion"


def test_abbreviations_are_guessed_only_for_the_written_mapping() -> None:
    lists = Config().lists
    among = import_mapping.choices("orientation", lists)
    assert import_mapping.abbreviation("Accomp. perso", among) == "accompagnement"
    assert import_mapping.abbreviation("Remob.", among) == "remobilisation"
    assert import_mapping.abbreviation("S/suite", among) == "sans-suite"
    assert import_mapping.abbreviation("Autre", among) is None
    with pytest.raises(ValueError, match="orientation « Accomp. perso » inconnue"):
        import_mapping.matched("orientation", "Accomp. perso", lists, import_mapping.Mapping())


def test_every_phase_imports_from_a_sheet_with_dates_as_cells_and_as_text(
    run: Run, cases: Path, tmp_path: Path
) -> None:
    sheet = phases_workbook(tmp_path / "suivi-2015.xlsx")
    result = run("import", str(sheet))
    assert result.code == 0, result.err
    assert "feuille « Suivi 2015 », en-têtes ligne 2, 8 lignes" in result.out
    assert "8 dossiers créés (2015-001 … 2015-008)" in result.out
    found = cases_json(run)
    phases = {case_id: found[case_id]["phase"] for case_id in found}
    assert phases == {
        "2015-001": "referral", "2015-002": "closed", "2015-003": "diagnostic",
        "2015-004": "closed", "2015-005": "closed", "2015-006": "closed",
        "2015-007": "accompaniment", "2015-008": "closed",
    }  # fmt: skip
    orientations = [case_of(run, f"2015-00{n}").get("orientation", {}).get("to")
                    for n in range(4, 9)]  # fmt: skip
    assert orientations == ["sans-suite", "remobilisation", "droit-commun", "accompagnement",
                            "accompagnement"]  # fmt: skip
    commun = case_of(run, "2015-006")
    assert commun["orientation"]["measure"] == "ASLL"
    assert commun["closure"]["outcome"] == "relais droit commun"
    diagnostic = case_of(run, "2015-003")
    assert diagnostic["diagnostic"]["problems"] == ["budget-impayes", "sante"]
    assert diagnostic["finances"][0]["arrears"] == 1240.5  # « 1 240,50 € »
    assert case_of(run, "2015-002")["refusal"]["date"] == "2015-01-20"  # « 20/01/15 »
    closure = case_of(run, "2015-008")["closure"]
    assert closure == {"date": "2015-11-30", "outcome": "maintien dans le logement"}
    text = (cases / "2015-005.yaml").read_text(encoding="utf-8")
    assert "commune: Couëron" in text and "origine:\n  fichier: suivi-2015.xlsx\n" in text
    assert "  feuille: Suivi 2015\n  ligne: 7\n" in text
    assert run("check").code == 0
    # One commit for the whole import, which names no file (a name may be typed in it).
    subject = git_log(cases)[0]
    assert subject.startswith("import : 8 dossiers depuis un tableau .xlsx (empreinte ")
    assert "suivi" not in subject


def test_ids_follow_the_referral_year_in_the_order_of_the_referral_dates(
    run: Run, cases: Path, tmp_path: Path
) -> None:
    referral(run, "Famille Déjà", date="2015-01-02")  # 2015-001
    run("delete", "2015-001", "--yes")  # erased: its number is never given again
    rows = [
        Household("Famille Mars", "Nantes", date(2015, 3, 1)),
        Household("Famille Décembre", "Nantes", date(2014, 12, 1)),
        Household("Famille Janvier", "Nantes", date(2015, 1, 10)),
        Household("Famille Novembre", "Nantes", date(2014, 11, 3)),
    ]
    sheet = workbook(tmp_path / "t.xlsx", [cells(h, 0) for h in rows])
    found = imported(run, str(sheet))
    ids = {c["row"]: c["id"] for c in found["created"]}
    assert ids == {2: "2015-003", 3: "2014-002", 4: "2015-002", 5: "2014-001"}


def test_a_csv_with_semicolons_and_a_bom_and_an_old_excels_csv_are_read(
    run: Run, cases: Path, tmp_path: Path
) -> None:
    rows = [cells(h, n) for n, h in enumerate(PHASES[:3])]
    text_rows = [[c.strftime("%d/%m/%Y") if isinstance(c, date) else c for c in r] for r in rows]
    french = csv_file(tmp_path / "export.csv", HEADINGS, text_rows)
    assert french.read_bytes().startswith(b"\xef\xbb\xbf")
    done = run("import", str(french), "--dry-run")
    assert done.code == 0, done.err
    assert "UTF-8 avec BOM, séparateur « ; »" in done.out
    assert "3 dossiers seraient créés" in done.out
    old = csv_file(tmp_path / "ancien.csv", HEADINGS, text_rows, ",", "cp1252")
    done = run("import", str(old))
    assert done.code == 0, done.err
    assert "Windows-1252 (latin-1, ancien Excel), séparateur « , »" in done.out
    assert case_of(run, "2015-002")["household"]["commune"] == "Rezé"  # é from cp1252


# ---------------------------------------------------------------------------- all or nothing


def test_a_bad_row_fails_the_whole_import_and_each_problem_names_sheet_row_and_column(
    run: Run, cases: Path, tmp_path: Path
) -> None:
    rows = [cells(h, 0) for h in PHASES[:3]]
    bad = cells(Household("Famille Erreur", "Nantes", date(2015, 2, 1), adhesion=date(2015, 2, 9)),
                0)  # fmt: skip
    bad[HEADINGS.index("Date adhésion")] = "31/02/2015"
    bad[HEADINGS.index("commune")] = "Nantess"
    early = cells(Household("Famille Tôt", "Nantes", date(2015, 2, 10),
                            adhesion=date(2015, 2, 1)), 0)  # fmt: skip
    sheet = workbook(tmp_path / "suivi.xlsx", [*rows, bad, early], sheet="Suivi")
    before = snapshot(cases)
    commits = git_log(cases)
    result = run("import", str(sheet))
    assert result.code == 1
    lines = result.err.splitlines()
    assert ("erreur : suivi.xlsx:Suivi:ligne 5: colonne « Date adhésion » : date impossible "
            "« 31/02/2015 » : le 31 février n'existe pas") in lines  # fmt: skip
    assert any(line.startswith("erreur : suivi.xlsx:Suivi:ligne 5: colonne « commune » : commune "
                               "« Nantess » hors de la liste") and "« Nantes »" in line
               for line in lines)  # fmt: skip
    assert any(line.startswith("erreur : suivi.xlsx:Suivi:ligne 6: colonne « Date adhésion » : ")
               and "12/02/2015" not in line for line in lines), lines  # fmt: skip
    assert lines[-1] == ("erreur : suivi.xlsx:Suivi: import refusé : 3 problèmes, sur 2 lignes ; "
                         "aucun dossier créé")  # fmt: skip
    after = snapshot(cases)
    after.pop(".visites.lock", None)  # the lock's own file, ignored by git
    assert after == before and git_log(cases) == commits


def test_a_required_column_missing_is_said_once_and_a_default_may_stand_in(
    run: Run, cases: Path, tmp_path: Path
) -> None:
    headings = ["Nom", "Commune", "Date d'orientation", "Prescripteur"]
    sheet = workbook(tmp_path / "s.xlsx", [["Famille Un", "Nantes", "02/03/2015", "M. Petit"],
                                           ["Famille Deux", "Rezé", "03/03/2015", "M. Petit"]],
                     headings)  # fmt: skip
    result = run("import", str(sheet))
    assert result.code == 1
    assert result.err.count("aucune colonne pour « contexte") == 1
    mapping = tmp_path / "m.yaml"
    mapping.write_text("par_defaut:\n  contexte: en cours de location\n", encoding="utf-8")
    assert imported(run, str(sheet), "--mapping", str(mapping))["counts"] == {
        "2015": {"referral": 2}}  # fmt: skip
    assert case_of(run, "2015-002")["referral"]["context"] == "en-cours"


# ---------------------------------------------------------------------------- again


def test_importing_the_same_file_again_creates_nothing_says_so_and_exits_0(
    run: Run, cases: Path, tmp_path: Path
) -> None:
    sheet = phases_workbook(tmp_path / "suivi-2015.xlsx")
    assert run("import", str(sheet)).code == 0
    before, commits = snapshot(cases), git_log(cases)
    again = run("import", str(sheet))
    assert again.code == 0, again.err
    assert "Rien à importer depuis suivi-2015.xlsx : aucun nouveau dossier." in again.out
    assert "8 lignes déjà présentes dans le dossier de cas" in again.out
    assert "ligne 3 → 2015-001" in again.out
    assert snapshot(cases) == before and git_log(cases) == commits


def test_a_dry_run_writes_nothing_and_lists_where_the_sheet_and_the_case_differ(
    run: Run, cases: Path, tmp_path: Path
) -> None:
    sheet = phases_workbook(tmp_path / "suivi.xlsx")
    assert run("import", str(sheet)).code == 0
    assert run("close", "2015-007", "--date", "2015-12-15", "--outcome", "relogement ou "
               "mutation").code == 0  # fmt: skip
    changed = list(PHASES)
    changed[2] = Household(**{**PHASES[2].__dict__, "commune": "Orvault"})
    new = Household("Famille Nouvelle", "Nantes", date(2015, 6, 1), ref="LOG-44-00099")
    phases_workbook(sheet, [*changed, new])
    before = snapshot(cases)
    result = run("import", str(sheet), "--dry-run")
    assert result.code == 0, result.err
    assert "Import à blanc : rien n'est écrit." in result.out
    assert "1 dossier serait créé" in result.out and "2015 : orientation reçue 1" in result.out
    assert "ligne 11   → 2015-009  Famille Nouvelle (Nantes), reçue le 01/06/2015" in result.out
    assert ("ligne 5 → 2015-003 : « commune » : tableau Orvault, dossier Saint-Herblain"
            in result.out)  # fmt: skip
    assert ("ligne 9 → 2015-007 : « Clôture » : tableau (vide), dossier 15/12/2015 ; « Issue » "
            ": tableau (vide), dossier relogement ou mutation") in result.out  # fmt: skip
    assert "ligne 3 → 2015-001 : aucune différence" in result.out
    assert snapshot(cases) == before
    differences = {p["id"]: p["differences"] for p in imported(run, str(sheet), "--dry-run")[
        "present"]}  # fmt: skip
    assert differences["2015-003"] == [{"field": "commune", "column": "commune",
                                        "sheet": "Orvault", "case": "Saint-Herblain"}]  # fmt: skip


def test_a_row_whose_landlord_reference_is_a_case_already_is_skipped_never_duplicated(
    run: Run, cases: Path, tmp_path: Path
) -> None:
    typed = referral(run, "Famille Saisie", date="2015-01-07", landlord_ref="log 44 00003")
    sheet = phases_workbook(tmp_path / "suivi.xlsx")
    found = imported(run, str(sheet))
    assert {"row": 5, "id": typed} in [{"row": p["row"], "id": p["id"]} for p in found["present"]]
    assert len(found["created"]) == 7 and typed not in {c["id"] for c in found["created"]}


# ---------------------------------------------------------------------------- the mapping


def test_an_unknown_column_is_named_and_its_cells_go_to_the_notes_when_the_mapping_says_so(
    run: Run, cases: Path, tmp_path: Path
) -> None:
    headings = [*HEADINGS, "Couleur", "Observations"]
    rows = [[*cells(h, 0), colour, note] for h, colour, note in
            ((PHASES[0], "rouge", "Rappeler en mars"), (PHASES[1], None, None))]  # fmt: skip
    sheet = workbook(tmp_path / "s.xlsx", rows, headings)
    plain = run("import", str(sheet), "--dry-run")
    assert plain.code == 0
    assert ("avertissement : colonne « Couleur » non reconnue : 1 cellule non reprise. Pour les "
            "garder dans les notes des dossiers") in plain.err  # fmt: skip
    assert "Observations" not in plain.err  # a known heading for the notes
    mapping = tmp_path / "m.yaml"
    mapping.write_text("colonnes:\n  Couleur: notes\n", encoding="utf-8")
    done = run("import", str(sheet), "--mapping", str(mapping))
    assert done.code == 0 and "Couleur" not in done.err
    origin = case_of(run, "2015-001")["origin"]
    assert origin["notes"] == [{"column": "Couleur", "text": "rouge"},
                               {"column": "Observations", "text": "Rappeler en mars"}]  # fmt: skip
    assert "Rappeler en mars" in run("show", "2015-001").out
    assert case_of(run, "2015-002")["origin"]["notes"] == []


def test_the_written_mapping_is_corrected_and_passed_back(
    run: Run, cases: Path, tmp_path: Path
) -> None:
    headings = ["Nom", "Commune", "Date d'orientation", "Contexte", "Prescripteur",
                "Date d'adhésion du ménage", "Orientation", "Date de décision",
                "Couleur"]  # fmt: skip
    rows = [
        ["Famille Une", "Bouaye", "12/01/2015", "Entrée", "Mme Lebrun", "20/01/2015",
         "Accomp. perso", "10/03/2015", "bleu"],
        ["Famille Deux", "nantes", "13/01/2015", "En cours", "Mme Lebrun", "21/01/2015",
         "Remob.", "10/03/2015", None],
        ["Famille Trois", "Rezé", "14/01/2015", "En cours", "Mme Lebrun", "21/01/2015",
         "DC", "10/03/2015", None],
    ]  # fmt: skip
    sheet = workbook(tmp_path / "tableau.xlsx", rows, headings)
    refused = run("import", str(sheet))
    assert refused.code == 1
    assert ("tableau.xlsx:Suivi 2015: colonne « Date d'adhésion du ménage » non reconnue, proche "
            "de « Date d'adhésion »") in refused.err  # fmt: skip
    assert "dites ce qu'elle contient dans une correspondance (--write-mapping" in refused.err
    assert "avertissement : colonne « Couleur » non reconnue" in refused.err
    assert "orientation « Accomp. perso » inconnue" in refused.err
    assert "commune « Bouaye » hors de la liste" in refused.err
    mapping = tmp_path / "correspondance.yaml"
    written = run("import", str(sheet), "--write-mapping", str(mapping))
    assert written.code == 0, written.err
    assert f"--mapping {mapping}" in written.out
    text = mapping.read_text(encoding="utf-8")
    assert '"Accomp. perso": accompagnement' in text and "# à vérifier" in text
    assert '"DC": droit-commun' in text and '"Remob.": remobilisation' in text
    assert '"Couleur":' in text and "à décider : colonne non reconnue" in text
    assert re.search(r'"Date d\'adhésion du ménage": +date_adhesion', text)
    assert "# à vérifier : en-tête proche de « Date d'adhésion »" in text
    assert "communes: []" in text and "« Bouaye »" not in text and '"Bouaye"' in text
    assert run("import", str(sheet), "--write-mapping", str(mapping)).code == 2  # never over it
    # The person decides: the adhesion's heading is right, Bouaye is a new commune, the colour
    # goes to the notes.
    text = text.replace("communes: []", 'communes: ["Bouaye"]')
    text = re.sub(r'("Couleur": +)ignorer', r"\1notes", text)
    mapping.write_text(text, encoding="utf-8")
    measure = run("import", str(sheet), "--mapping", str(mapping))
    assert measure.code == 1  # a rule of the workflow, in the words of a sheet
    assert ("tableau.xlsx:Suivi 2015:ligne 4: colonne « Orientation » : une orientation « "
            "droit-commun » demande une mesure (colonne Mesure)") in measure.err  # fmt: skip
    text = text.replace('"DC": droit-commun', '"DC": remobilisation')
    mapping.write_text(text, encoding="utf-8")
    done = run("import", str(sheet), "--mapping", str(mapping))
    assert done.code == 0, done.err
    assert "Ajouté à visites.yaml : commune « Bouaye »." in done.out
    assert case_of(run, "2015-001")["orientation"]["to"] == "accompagnement"
    assert case_of(run, "2015-001")["household"]["commune"] == "Bouaye"
    assert case_of(run, "2015-001")["origin"]["notes"] == [{"column": "Couleur", "text": "bleu"}]
    assert case_of(run, "2015-002")["orientation"]["to"] == "remobilisation"
    assert case_of(run, "2015-003")["orientation"]["to"] == "remobilisation"
    assert "Bouaye" in (cases / "visites.yaml").read_text(encoding="utf-8")
    changed = subprocess.run(["git", "-C", str(cases), "show", "--name-only", "--format="],
                             capture_output=True, text=True, check=True).stdout.split()  # fmt: skip
    assert changed == ["2015-001.yaml", "2015-002.yaml", "2015-003.yaml", "visites.yaml"]


def test_a_mapping_file_that_says_something_wrong_names_its_line(
    run: Run, cases: Path, tmp_path: Path
) -> None:
    sheet = phases_workbook(tmp_path / "s.xlsx")
    mapping = tmp_path / "m.yaml"
    mapping.write_text("colonnes:\n  Nom: nom\n  Commune: comune\nvaleur:\n  x: y\n",
                       encoding="utf-8")  # fmt: skip
    result = run("import", str(sheet), "--mapping", str(mapping))
    assert result.code == 1
    assert f"{mapping}:3: colonne « Commune » : champ « comune » inconnu. Vouliez-vous dire " \
           "« commune » ?" in result.err  # fmt: skip
    assert f"{mapping}:4: section « valeur » inconnue. Vouliez-vous dire « valeurs » ?" in (
        result.err)  # fmt: skip


# ---------------------------------------------------------------------------- erased stays erased


def test_an_erased_household_never_comes_back_and_the_registry_holds_no_reference(
    run: Run, cases: Path, tmp_path: Path
) -> None:
    sheet = phases_workbook(tmp_path / "suivi.xlsx")
    assert run("import", str(sheet)).code == 0
    assert run("delete", "2015-002", "--yes").code == 0
    assert run("anonymise", "2015-004", "--yes").code == 0
    registry = (cases / "registre.yaml").read_text(encoding="utf-8")
    assert registry.count("type: empreinte, source: import") == 4  # lease and name, each
    assert "LOG-44" not in registry and "Famille" not in registry and "refus" not in registry
    found = imported(run, str(sheet))
    assert found["created"] == [] and found["erased"] == [{"row": 4, "imported": True},
                                                          {"row": 6, "imported": True}]  # fmt: skip
    text = run("import", str(sheet)).out
    assert "2 lignes non reprises, ménage effacé du dossier de cas :" in text
    assert "ligne 4 : déjà importé puis effacé" in text
    # A household typed, then erased, is not brought back by an import either.
    typed = referral(run, "Famille Tapée", date="2015-05-05", landlord_ref="LOG-44-00077")
    run("delete", typed, "--yes")
    again = workbook(tmp_path / "t.xlsx", [cells(Household("Famille Tapée", "Nantes",
                     date(2015, 5, 5), ref="LOG-44-00077"), 0)])  # fmt: skip
    assert imported(run, str(again))["erased"] == [{"row": 2, "imported": False}]


def test_the_registry_key_is_made_at_init_tracked_and_needed(
    run: Run, cases: Path, tmp_path: Path
) -> None:
    key = cases / "registre.cle"
    assert key.stat().st_mode & 0o777 == 0o600
    tracked = subprocess.run(["git", "-C", str(cases), "ls-files"], capture_output=True,
                             text=True, check=True).stdout.split()  # fmt: skip
    assert "registre.cle" in tracked
    assert "registre.cle merge=union" in (cases / ".gitattributes").read_text()
    sheet = phases_workbook(tmp_path / "suivi.xlsx")
    run("import", str(sheet))
    run("delete", "2015-001", "--yes")
    key.unlink()
    refused = run("import", str(sheet))
    assert refused.code == 1 and "la clé du registre (registre.cle) manque" in refused.err


# ---------------------------------------------------------------------------- the bilan


def test_the_bilan_of_an_imported_year_equals_the_bilan_of_the_same_cases_typed(
    run: Run, cases: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from visites.cli import main

    sheet = phases_workbook(tmp_path / "suivi.xlsx")
    assert run("import", str(sheet)).code == 0
    imported_bilan = json.loads(run("bilan", "2015", "--json").out)
    typed = tmp_path / "saisis"
    assert main(["init", str(typed)]) == 0
    for h in sorted(PHASES, key=lambda h: h.referral):
        capsys.readouterr()
        assert main(["--cases", str(typed), *referral_args(h)]) == 0
        case_id = capsys.readouterr().out.strip().splitlines()[-1]
        for step in cli_steps(h, case_id):
            assert main(["--cases", str(typed), *step]) == 0, step
    capsys.readouterr()
    assert main(["--cases", str(typed), "bilan", "2015", "--json"]) == 0
    typed_bilan = json.loads(capsys.readouterr().out)
    assert imported_bilan == typed_bilan
    assert imported_bilan["referrals"]["total"] == 8


def test_the_file_the_mapping_and_the_sheet_complete(
    run: Run, cases: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    from tests.test_completion import completions

    workbook(tmp_path / "suivi-2015.xlsx", [], sheet="Année 2015")
    (tmp_path / "suivi.csv").write_text("Nom\n")
    (tmp_path / "correspondance.yaml").write_text("colonnes: {}\n")
    (tmp_path / "notes.txt").write_text("")
    monkeypatch.chdir(tmp_path)
    prefix = f"visites --cases {cases} import"
    assert completions(capsys, monkeypatch, f"{prefix} su") == ["suivi-2015.xlsx", "suivi.csv"]
    assert completions(capsys, monkeypatch, f"{prefix} suivi.csv --mapping c") == [
        "correspondance.yaml"
    ]
    assert completions(capsys, monkeypatch, f"{prefix} suivi-2015.xlsx --sheet ann") == [
        "Année\\ 2015"
    ]


def test_a_file_that_cannot_be_read_is_refused_in_one_french_line(
    run: Run, cases: Path, tmp_path: Path
) -> None:
    book = phases_workbook(tmp_path / "suivi.xlsx")
    old = tmp_path / "suivi.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    broken = tmp_path / "abime.xlsx"
    broken.write_bytes(b"PK\x03\x04 pas un classeur")
    (tmp_path / "vide.csv").write_bytes(b"\xef\xbb\xbf\r\n;;\r\n")
    expected = [
        ((str(old),), 2, "suivi.xls : format .xls non lu ; enregistrez le classeur en .xlsx"),
        ((str(tmp_path / "absent.xlsx"),), 1, "absent.xlsx : fichier introuvable"),
        ((str(broken),), 1, "abime.xlsx : classeur illisible ou abîmé"),
        ((str(book), "--sheet", "Suivi 2016"), 2,
         "--sheet : feuille « Suivi 2016 » absente. Vouliez-vous dire « Suivi 2015 » ?"),
        ((str(tmp_path / "vide.csv"),), 1, "vide.csv : il est vide"),
        ((str(tmp_path / "vide.csv"), "--sheet", "x"), 2, "est un fichier CSV, sans feuilles"),
    ]  # fmt: skip
    before = snapshot(cases)
    for args, code, message in expected:
        result = run("import", *args)
        assert result.code == code, (args, result.err)
        assert message in result.err and "Traceback" not in result.err, result.err
        assert len(result.err.strip().splitlines()) == 1, result.err
    after = snapshot(cases)
    after.pop(".visites.lock", None)
    assert after == before


def test_a_folder_made_before_the_key_gets_one_with_its_first_erasure(
    run: Run, cases: Path, tmp_path: Path
) -> None:
    (cases / "registre.cle").unlink()
    subprocess.run(["git", "-C", str(cases), "-c", "user.name=T", "-c", "user.email=t@example.org",
                    "commit", "-qam", "ancien"], check=True)  # fmt: skip
    case_id = referral(run, "Famille Ancienne", landlord_ref="LOG-9")
    assert run("delete", case_id, "--yes").code == 0
    assert (cases / "registre.cle").is_file()
    shown = subprocess.run(["git", "-C", str(cases), "show", "--name-only", "--format="],
                           capture_output=True, text=True, check=True).stdout.split()  # fmt: skip
    assert {f"{case_id}.yaml", "registre.yaml", "registre.cle"} <= set(shown)
    sheet = workbook(tmp_path / "t.xlsx", [cells(Household("Famille Ancienne", "Nantes",
                     date(2015, 1, 12), ref="LOG-9"), 0)])  # fmt: skip
    assert imported(run, str(sheet))["erased"] == [{"row": 2, "imported": False}]
