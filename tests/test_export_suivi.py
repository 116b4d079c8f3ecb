"""`visites export suivi`: the tableau de suivi for the landlord, and nothing confidential
in it nor in any bilan document."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml
from casefile_walk import hidden_text_fields, plant

from visites.config import PARTNERS, PROBLEM_DOMAINS
from visites.model import Case

pytest_plugins = ("year2015",)  # the `year` fixture: the year 2015 built through the CLI


class PlainDumper(yaml.SafeDumper):
    """Hand-edited case files have no YAML anchors (the reader refuses them)."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def read_csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig")), delimiter=";"))


def test_suivi_csv_has_one_row_per_case_with_status_deadline_and_outcome(run, year, tmp_path):
    target = tmp_path / "suivi.csv"
    result = run("export", "suivi", "--output", str(target), "--today", "2015-12-31",
                 "--year", "2015")  # fmt: skip
    assert result.code == 0, result.err
    rows = read_csv(target)
    assert rows[0] == ["Dossier", "Réf. bailleur", "Commune", "Contexte", "Orientation reçue",
                       "Réponse du ménage", "Date de la réponse", "Accord d'échanges", "Phase",
                       "Échéance", "Motif de l'échéance", "Retard (jours)", "Orientation",
                       "Date d'orientation", "Mesure", "Clôture", "Issue",
                       "Typologie du ménage", "Taille du ménage", "Publics prioritaires",
                       "Logement", "Dette à l'orientation", "Dernière dette connue"]  # fmt: skip
    by_id = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    # Open during 2015: every case but M (referred in 2016).
    assert set(by_id) == {v for k, v in year.items() if k != "M"}
    a = by_id[year["A"]]  # consented to exchanges: everything shareable
    assert a["Accord d'échanges"] == "oui (20/01/2015)"
    assert (a["Réponse du ménage"], a["Date de la réponse"]) == ("adhésion", "20/01/2015")
    assert (a["Phase"], a["Orientation"]) == ("clôturé", "accompagnement personnalisé")
    assert (a["Clôture"], a["Issue"]) == ("15/09/2015", "maintien dans le logement")
    assert a["Réf. bailleur"] == "LOG-2015-01-12"
    h = by_id[year["H"]]  # no consent: what the landlord knows, never the phase or delays
    assert h["Accord d'échanges"] == "non recueilli"
    assert (h["Phase"], h["Échéance"], h["Retard (jours)"]) == (
        "en cours", "accord non recueilli", "accord non recueilli")  # fmt: skip
    b = by_id[year["B"]]
    assert (b["Orientation"], b["Mesure"], b["Phase"]) == (
        "accord non recueilli", "accord non recueilli", "clôturé")  # fmt: skip
    c = by_id[year["C"]]  # a refusal is the household's answer: the landlord is told
    assert (c["Réponse du ménage"], c["Date de la réponse"]) == ("refus", "20/03/2015")
    assert c["Issue"] == "accord non recueilli"
    assert by_id[year["J"]]["Réponse du ménage"] == "en attente"
    assert "sans accord d'échanges" in result.err  # the coordinator is told before sending


def test_suivi_xlsx_has_a_frozen_header_real_dates_and_fitting_widths(run, year, tmp_path):
    from openpyxl import load_workbook

    target = tmp_path / "suivi.xlsx"
    result = run("export", "suivi", "--format", "xlsx", "--output", str(target))
    assert result.code == 0, result.err
    sheet = load_workbook(target).active
    assert sheet.freeze_panes == "B2"
    assert sheet["A1"].value == "Dossier" and sheet["A1"].font.bold
    assert sheet.max_row == 1 + len(year)  # every case when no --year is given
    referral = sheet["E2"]
    assert isinstance(referral.value, datetime) and referral.value.date() == date(2014, 12, 10)
    assert referral.number_format == "DD/MM/YYYY"
    # Text columns wrap instead of widening the page: a context reads on two lines at most.
    context = sheet.column_dimensions["D"].width
    assert 2 * context >= len("en cours de location") and sheet["D2"].alignment.wrap_text
    assert sheet.column_dimensions["A"].width < 20


def test_export_of_an_unknown_target_is_a_usage_error(run, year, tmp_path):
    result = run("export", "bilan", "--output", str(tmp_path / "x.csv"))
    assert result.code == 2
    assert "export : cible inconnue « bilan » ; valeurs possibles : suivi" in result.err
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.parametrize("widened", [False, True], ids=["par défaut", "convention élargie"])
def test_no_confidential_value_reaches_the_suivi_nor_any_bilan(
    run, year, cases, tmp_path, widened: bool
):
    if widened:  # every shareable column on every row: still nothing confidential
        widen(cases)
    # Plant a unique marker in every confidential or personal text field of every case,
    # creating the optional ones (members, events, diagnostic texts…) where they are absent.
    markers: dict[str, tuple[str, str]] = {}
    for path in sorted(cases.glob("20*.yaml")):
        tree = yaml.safe_load(path.read_text())
        referral_day = tree["orientation_recue"]["date"]
        tree["menage"]["membres"] = [{"prenom": "x", "role": "x"}]
        tree["evenements"] = [*tree.get("evenements", []),
                              {"date": referral_day, "type": "courrier", "note": "x",
                               "partenaire": "x"}]  # fmt: skip
        tree["rendez_vous"] = [{"date": referral_day, "heure": "10:00", "lieu": "x", "note": "x",
                                "annulation": {"date": referral_day, "note": "x"}}]  # fmt: skip
        tree["referents"] = [{"nom": "Karim Benali", "depuis": referral_day, "note": "x"}]
        tree["partenaires"] = [{"partenaire": "x", "debut": referral_day, "note": "x"}]
        if "adhesion" in tree:
            tree.setdefault("diagnostic", {})
        if "accompagnement" in tree:  # an objective, with a noted status
            start = tree["accompagnement"]["debut"]
            tree["objectifs"] = [{"numero": 1, "texte": "x", "problematique": "x",
                                  "statuts": [{"date": start, "statut": "en-cours",
                                               "note": "x"}]}]  # fmt: skip
        # As `visites import` leaves it: the spreadsheet row, and a column sent to the notes.
        tree["origine"] = {"fichier": "x", "feuille": "x", "ligne": 2,
                           "notes": [{"colonne": "x", "texte": "x"}]}  # fmt: skip
        plant(tree, Case, markers, prefix=path.stem)
        path.write_text(yaml.dump(tree, Dumper=PlainDumper, allow_unicode=True, sort_keys=False))
    # The planted partner codes join the settings' list, so that the files stay valid.
    codes = [m for m, (model, key) in markers.items() if key == "partenaire"]
    settings = cases / "visites.yaml"
    document = yaml.safe_load(settings.read_text(encoding="utf-8"))
    lists = document.setdefault("listes", {})
    lists["partenaires"] = [*codes, *lists.get("partenaires", PARTNERS)]
    # An objective's problem domain is a value of the settings' list: the markers join it.
    domains = [m for m, field in markers.items() if field == ("Objective", "problematique")]
    lists["problematiques"] = [*domains, *lists.get("problematiques", PROBLEM_DOMAINS)]
    settings.write_text(yaml.dump(document, Dumper=PlainDumper, allow_unicode=True,
                                  sort_keys=False), encoding="utf-8")  # fmt: skip
    check = run("check")
    assert check.code == 0, check.out + check.err
    # Every such field of the model received a marker somewhere (a new field would too).
    assert set(markers.values()) == hidden_text_fields(Case)

    documents: dict[str, str] = {}
    for fmt in ("csv", "xlsx"):
        out = tmp_path / f"suivi.{fmt}"
        assert run("export", "suivi", "--output", str(out)).code == 0
        documents[f"suivi.{fmt}"] = readable(out)
    for fmt in ("md", "html", "csv", "xlsx"):
        out = tmp_path / f"bilan.{fmt}"
        assert run("bilan", "2015", "--output", str(out)).code == 0
        documents[f"bilan.{fmt}"] = readable(out)
    documents["bilan --json"] = run("bilan", "2015", "--json").out
    documents["bilan"] = run("bilan", "2015").out
    for by in ("month", "referent", "commune"):
        documents[f"costs --by {by}"] = run("costs", "2015", "--by", by).out
    # The landlord's own lease reference is a column of the suivi by contract (shareable,
    # though personal): it may appear there, and nowhere else. The partners mobilised are
    # counted in the bilan (the households per partner, as problem domains): a partner's
    # code may be a row there, never next to a household.
    by_contract = {("Referral", "reference_bailleur")}
    counted = {("Involvement", "partenaire")}
    for name, text in documents.items():
        allowed = by_contract if name.startswith("suivi") else counted
        leaked = [m for m in markers if m in text and markers[m] not in allowed]
        assert leaked == [], f"{name} contains {[markers[m] for m in leaked]}"
    # Problem domains are confidential: counted in the bilan, never listed per case.
    for name in ("suivi.csv", "suivi.xlsx"):
        assert not [d for d in PROBLEM_DOMAINS if d in documents[name]]


def widen(cases: Path, name: str = "Convention LNH – Anef Ferrer du 5 janvier 2015") -> None:
    """Set the partnership's convention that shows every shareable column without consent."""
    settings = cases / "visites.yaml"
    document = yaml.safe_load(settings.read_text(encoding="utf-8"))
    document["convention"] = {"nom": name, "suivi_complet_sans_accord": True}
    settings.write_text(yaml.dump(document, Dumper=PlainDumper, allow_unicode=True,
                                  sort_keys=False), encoding="utf-8")  # fmt: skip


def readable(path: Path) -> str:
    """A document's whole text; for a workbook, every cell of every sheet."""
    if path.suffix != ".xlsx":
        return path.read_bytes().decode("utf-8-sig")
    from openpyxl import load_workbook

    book = load_workbook(path)
    return "\n".join(
        str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row
        if cell.value is not None
    )  # fmt: skip
