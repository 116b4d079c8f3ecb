"""People read labels, never codes: in the terminal, md, html, csv, xlsx and `show`; `--json`
keeps the codes. (The history's phrases: tests/test_git.py.)"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import referral

pytest_plugins = ("year2015",)  # the `year` fixture: the year 2015 built through the CLI

CODES = ("budget-impayes", "acces-aux-droits", "usage-du-logement")
LABELS = ("Budget / impayés", "Dettes", "Emploi", "Santé")  # the year's problem domains


def xlsx_text(path: Path) -> str:
    from openpyxl import load_workbook

    book = load_workbook(path)
    return "\n".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row)


def test_the_bilan_names_problem_domains_in_words_in_every_format(run, year, tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    texts = {"terminal": run("bilan", "2015").out}
    for suffix in ("md", "html", "csv", "xlsx"):
        target = tmp_path / f"bilan.{suffix}"
        assert run("bilan", "2015", "--output", str(target)).code == 0
        texts[suffix] = (xlsx_text(target) if suffix == "xlsx"
                         else target.read_bytes().decode("utf-8-sig"))  # fmt: skip
    for name, text in texts.items():
        for label in LABELS:
            assert label in text.replace("&#39;", "'"), (name, label)
        assert not any(code in text for code in CODES), name
    assert json.loads(run("bilan", "2015", "--json").out)["problem_domains"]["budget-impayes"] == 2


def test_show_reads_labels_and_json_keeps_codes(run, year) -> None:
    shown = run("show", year["A"]).out
    assert "Budget / impayés, Emploi" in shown and "budget-impayes" not in shown
    assert "entrée dans les lieux" in shown and "rencontre tripartite" in shown
    assert json.loads(run("show", year["A"], "--json").out)["case"]["diagnostic"]["problems"] == [
        "budget-impayes", "emploi"]  # fmt: skip


def test_a_problem_domain_added_in_the_settings_shows_as_written(run, cases: Path) -> None:
    settings = cases / "visites.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("demarches-administratives]",
                                     "demarches-administratives, Mobilité]"),
                        encoding="utf-8")  # fmt: skip
    case_id = referral(run)
    assert run("consent", case_id, "--date", "2015-01-20").code == 0
    result = run("diagnose", case_id, "--problem", "Mobilité", "--problem", "sante")
    assert result.code == 0, result.err
    assert "Mobilité, Santé" in run("show", case_id).out
    bilan = run("bilan", "2015", "--format", "md").out
    assert "| Mobilité" in bilan and "| Santé" in bilan
