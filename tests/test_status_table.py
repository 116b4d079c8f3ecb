"""`visites status` in a terminal: one line per case, fitted to the width, nothing cut unseen."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import referral

from visites.phases import Phase
from visites.render.plain_table import Column, cut, layout, render, width
from visites.render.terminal import status_lines
from visites.status import StatusRow

DEMO = Path(__file__).parent.parent / "cases"  # the fictional households of the README
HEADERS = ("Dossier", "Ménage", "Étape", "Échéance")


def demo_status(monkeypatch, capsys, columns: int, *args: str) -> list[str]:
    from visites.cli import main

    monkeypatch.setenv("COLUMNS", str(columns))
    assert main(["--cases", str(DEMO), "status", "--today", "2015-06-30", *args]) == 0
    return capsys.readouterr().out.splitlines()


@pytest.mark.parametrize("columns", [80, 60])
def test_status_fits_the_terminal_with_french_headers_and_readable_steps(
    monkeypatch, capsys, columns: int
) -> None:
    lines = demo_status(monkeypatch, capsys, columns)
    assert lines[0] == "Dossiers ouverts au 30/06/2015"
    assert max(width(line) for line in lines) <= columns
    assert all(header in lines[1] for header in HEADERS)
    body = lines[3 : 3 + 8]  # the demo folder has 8 open cases on 30/06/2015
    assert all(line[:4] == "2015" for line in body)  # one line per case, none wrapped
    for step in ("adhésion à recueillir", "diagnostic à terminer", "révision"):
        assert any(step in line for line in body), step  # never cut
    assert lines[11] == "8 dossiers, dont 5 en retard."
    assert "\x1b[" not in "\n".join(lines)  # no colour when not a terminal


def test_every_cut_is_marked_and_a_dropped_column_is_said(monkeypatch, capsys) -> None:
    lines = demo_status(monkeypatch, capsys, 80)
    text = "\n".join(lines)
    # At 80 columns « Famille Martin-Roux » does not fit beside the référent(e): cut, marked.
    assert "Famille Martin-Roux" not in text and "Famille Martin-R" in text
    import json

    cases = json.loads("\n".join(demo_status(monkeypatch, capsys, 80, "--json")))
    for line, case in zip(lines[3:11], cases, strict=True):
        assert line.startswith(case["id"])
        for name in (case["household"], case["referent"]):
            # Whole, or its beginning and « … »: never cut unseen.
            shown = name in line or any(name[:n] + "…" in line for n in range(1, len(name)))
            assert shown, (line, name)
    assert "Colonne Commune masquée faute de place (80 colonnes)" in text
    wide = "\n".join(demo_status(monkeypatch, capsys, 140))
    assert "…" not in wide and "Famille Martin-Roux" in wide and "Saint-Herblain" in wide
    assert "masquée" not in wide


def test_status_for_one_referent_names_them_once(monkeypatch, capsys) -> None:
    lines = demo_status(monkeypatch, capsys, 80, "--referent", "Claire Dubois")
    assert lines[0] == "Dossiers ouverts au 30/06/2015 — Claire Dubois"
    assert "Référent(e)" not in lines[1] and "Commune" in lines[1]
    assert "Famille Martin-Roux" in "\n".join(lines)  # the room the column left


def test_the_landlords_deadline_is_marked_and_explained(monkeypatch, capsys) -> None:
    lines = demo_status(monkeypatch, capsys, 80)
    assert any("15/06/2015*" in line for line in lines)
    assert "* date butoir du bailleur" in lines


def test_status_is_coloured_on_a_terminal_only(run, cases: Path) -> None:
    import os
    import pty

    referral(run, date="2015-01-12")
    command = [sys.executable, "-m", "visites", "--cases", str(cases), "status", "--today",
               "2015-06-30"]  # fmt: skip
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")}
    leader, follower = pty.openpty()
    try:
        subprocess.run(command, stdout=follower, env={**environment, "COLUMNS": "80"},
                       check=True, timeout=60)  # fmt: skip
        on_terminal = os.read(leader, 65536).decode()
    finally:
        os.close(leader)
        os.close(follower)
    assert "\x1b[1;31m" in on_terminal  # the delay in bold red
    piped = subprocess.run(command, capture_output=True, text=True, check=True, timeout=60,
                           env={**environment, "COLUMNS": "80"})  # fmt: skip
    assert "\x1b[" not in piped.stdout and "jours" not in piped.stdout
    assert "adhésion à recueillir" in piped.stdout


def row(household: str, phase: Phase = Phase.DIAGNOSTIC, late: int = 3) -> StatusRow:
    return StatusRow(id="2015-001", household=household, commune="Saint-Sébastien-sur-Loire",
                     referent="Aurélie Mahé", phase=phase, due=date(2015, 3, 1),
                     reason="fin du diagnostic", days_overdue=late)  # fmt: skip


def test_wide_and_combining_characters_take_their_width_on_screen() -> None:
    assert width("Ménage") == 6
    assert width("Me\u0301nage") == 6  # « é » written as e + combining acute
    assert width("山田") == 4  # two wide characters
    assert cut("山田太郎", 5) == "山田…" and width(cut("山田太郎", 5)) == 5
    assert cut("Me\u0301nage Dupont", 4) == "Me\u0301n…"
    for columns in (40, 60, 80):
        lines = status_lines([row("Famille 山田-Me\u0301nard " * 2)], date(2015, 3, 4),
                             "Dossiers en retard", columns)  # fmt: skip
        assert max(width(line) for line in lines) <= columns, lines


def test_the_table_writer_narrows_flexible_columns_then_drops_columns() -> None:
    columns = [Column("A"), Column("Nom", flexible=True, minimum=6),
               Column("Lieu", flexible=True, minimum=6, drop=1)]  # fmt: skip
    rows = [["2015-001", "Famille Martin-Roux", "Saint-Nazaire"]]
    assert layout(columns, rows, 80).widths == (8, 19, 13)  # room for everything
    narrowed = layout(columns, rows, 30)
    assert narrowed.shown == (0, 1, 2) and sum(narrowed.widths) + 2 == 30
    dropped = layout(columns, rows, 18)
    assert dropped.shown == (0, 1) and dropped.dropped(columns) == ["Lieu"]
    lines = render(columns, rows, 18)
    assert lines[2] == "2015-001 Famille…" and all(width(line) <= 18 for line in lines)
