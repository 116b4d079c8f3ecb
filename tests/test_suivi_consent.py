"""The tableau de suivi without the household's consent to exchanges: only what the landlord
sent or knows; orientation, measure, outcome, deadlines and delays read « accord non
recueilli ». One table (visites/disclosure.py) says it, the README shows it, and a setting
named after the partnership's convention widens it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from test_export_suivi import PlainDumper, read_csv, readable, widen

from visites import disclosure
from visites.disclosure import NOT_GATHERED, Audience, Column, audience, check_table

pytest_plugins = ("year2015",)

README = Path(__file__).resolve().parents[1] / "README.md"
# What the issue allows the landlord to see without consent, and what it must not.
KNOWN = {"Dossier", "Réf. bailleur", "Commune", "Contexte", "Orientation reçue",
         "Réponse du ménage", "Date de la réponse", "Accord d'échanges"}  # fmt: skip
HIDDEN = {"Échéance", "Motif de l'échéance", "Retard (jours)", "Orientation",
          "Date d'orientation", "Mesure", "Clôture", "Issue",
          # the household's profile: the landlord knows it, but the suivi shows it only with
          # the household's consent (issue « publics »)
          "Typologie du ménage", "Taille du ménage", "Publics prioritaires",
          "Logement"}  # fmt: skip


def table(run, tmp_path: Path, fmt: str, *extra: str) -> list[dict[str, str]]:
    """The exported tableau de suivi as rows of header → text, read back from the file."""
    out = tmp_path / f"suivi.{fmt}"
    result = run("export", "suivi", "--output", str(out), "--today", "2015-12-31", *extra)
    assert result.code == 0, result.err
    if fmt == "csv":
        rows = read_csv(out)
    else:
        from openpyxl import load_workbook

        sheet = load_workbook(out).active
        cells = sheet.iter_rows(values_only=True)
        rows = [["" if c is None else str(c) for c in row] for row in cells]
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_the_table_shows_what_the_issue_allows_and_hides_the_rest() -> None:
    seen = {c.header: audience(c) for c in disclosure.LANDLORD_COLUMNS}
    assert {h for h, a in seen.items() if a is Audience.ALWAYS} == KNOWN
    assert {h for h, a in seen.items() if a is Audience.CONSENT} == HIDDEN | {"Phase"}
    phase = next(c for c in disclosure.LANDLORD_COLUMNS if c.key == "phase")
    assert phase.reduced is not None  # « en cours » / « clôturé », never the phase


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_row_without_consent_holds_no_orientation_measure_outcome_or_delay(
    run, year, tmp_path, fmt: str
) -> None:
    rows = table(run, tmp_path, fmt)
    without = [r for r in rows if r["Accord d'échanges"] == "non recueilli"]
    with_consent = [r for r in rows if r["Accord d'échanges"].startswith("oui")]
    assert len(without) >= 8 and len(with_consent) == 2  # K and A consented
    for row in without:
        assert {row[h] for h in HIDDEN} == {NOT_GATHERED}, row
        assert row["Phase"] in ("en cours", "clôturé"), row
        assert row["Dossier"] and row["Commune"] and row["Orientation reçue"]
    for row in with_consent:
        assert NOT_GATHERED not in row.values(), row
        assert row["Phase"] == "clôturé" and row["Orientation"] == "accompagnement personnalisé"
    by_id = {r["Dossier"]: r for r in rows}
    assert by_id[year["G"]]["Phase"] == "en cours"  # in accompaniment: never said
    assert by_id[year["B"]]["Phase"] == "clôturé"


def plant_consent_level_values(cases: Path, year: dict[str, str]) -> dict[str, str]:
    """Markers as the measure and outcomes of A (consent) and B (no consent), the markers
    added to the folder's lists. Return marker → the case's letter."""
    settings = cases / "visites.yaml"
    document = yaml.safe_load(settings.read_text(encoding="utf-8"))
    planted = {"MESUREMARQUEB": "B", "ISSUEMARQUEB": "B", "ISSUEMARQUEA": "A"}
    document["listes"]["mesures"] += ["MESUREMARQUEB"]
    document["listes"]["issues"] += ["ISSUEMARQUEA", "ISSUEMARQUEB"]
    settings.write_text(yaml.dump(document, Dumper=PlainDumper, allow_unicode=True,
                                  sort_keys=False), encoding="utf-8")  # fmt: skip
    for letter, measure, outcome in (("A", None, "ISSUEMARQUEA"),
                                     ("B", "MESUREMARQUEB", "ISSUEMARQUEB")):  # fmt: skip
        path = cases / f"{year[letter]}.yaml"
        tree = yaml.safe_load(path.read_text(encoding="utf-8"))
        if measure:
            tree["orientation"]["mesure"] = measure
        tree["cloture"]["issue"] = outcome
        path.write_text(yaml.dump(tree, Dumper=PlainDumper, allow_unicode=True,
                                  sort_keys=False), encoding="utf-8")  # fmt: skip
    return planted


@pytest.mark.parametrize("widened", [False, True], ids=["par défaut", "convention élargie"])
def test_consent_level_markers_reach_only_the_rows_that_may_show_them(
    run, year, cases, tmp_path, widened: bool
) -> None:
    planted = plant_consent_level_values(cases, year)
    if widened:
        widen(cases)
    assert run("check").code == 0
    for fmt in ("csv", "xlsx"):
        out = tmp_path / f"suivi.{fmt}"
        result = run("export", "suivi", "--output", str(out))
        assert result.code == 0, result.err
        text = readable(out)
        for marker, letter in planted.items():
            shown = letter == "A" or widened  # A consented; B did not
            assert (marker in text) is shown, (fmt, marker, widened)
        if widened:
            assert "en vertu de « Convention LNH – Anef Ferrer du 5 janvier 2015 »" in result.err
        else:
            assert "« accord non recueilli »" in result.err


def test_the_widening_setting_must_name_its_convention(run, year, cases) -> None:
    settings = cases / "visites.yaml"
    text = settings.read_text(encoding="utf-8")
    widened = text.replace("suivi_complet_sans_accord: false", "suivi_complet_sans_accord: true")
    settings.write_text(widened, encoding="utf-8")
    result = run("check")
    assert result.code == 1
    line = next(n for n, t in enumerate(text.splitlines(), 1) if t.startswith("convention:"))
    assert f"{settings}:{line}: " in result.err
    assert "demande le nom de la convention" in result.err


def test_a_column_reading_a_confidential_field_cannot_join_the_table() -> None:
    def leak(facts):
        return facts.get("diagnostic.situation")

    with pytest.raises(ValueError, match="confidentiel"):
        check_table((Column("situation", "Situation", "text", ("diagnostic.situation",), leak),))
    # A reduced form may read only what the landlord knows.
    sneaky = Column("vers", "Vers", "text", ("orientation.vers",), leak, reduced=leak,
                    reduced_reads=("orientation.vers",))  # fmt: skip
    with pytest.raises(ValueError, match="forme réduite"):
        check_table((sneaky,))


def test_a_new_column_takes_its_audience_from_the_fields_it_reads() -> None:
    later = Column("recommendations", "Préconisations", "text", ("orientation.preconisations",),
                   lambda f: f.get("orientation.preconisations"))  # fmt: skip
    assert audience(later) is Audience.CONSENT
    known = Column("deadline", "Date butoir", "date", ("orientation_recue.date_butoir",),
                   lambda f: f.get("orientation_recue.date_butoir"))  # fmt: skip
    assert audience(known) is Audience.ALWAYS
    check_table((later, known))


def test_the_readme_shows_the_table_column_by_column() -> None:
    text = README.read_text(encoding="utf-8")
    assert disclosure.who_sees_what() in text, (
        "README « Qui voit quoi » : recopiez la table de visites.disclosure.who_sees_what()"
    )


def test_the_suivi_workbook_prints_on_a4_and_sets_withheld_cells_apart(run, year, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "suivi.xlsx"
    assert run("export", "suivi", "--output", str(out)).code == 0
    sheet = load_workbook(out).active
    setup = sheet.page_setup
    assert (int(setup.paperSize), setup.orientation) == (int(sheet.PAPERSIZE_A4), "landscape")
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth == 1
    assert sheet.print_title_rows.replace("$", "") == "1:1"  # the header on every page
    withheld = [c for row in sheet.iter_rows(min_row=2) for c in row if c.value == NOT_GATHERED]
    assert withheld and all(c.font.italic for c in withheld)
