"""`visites demo`: a fictional folder built through the workflow, the same for the same seed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import snapshot

from visites.cli import main


def demo(folder: Path, households: int, *extra: str) -> None:
    assert main(["demo", str(folder), "--households", str(households), *extra]) == 0


def cases_of(folder: Path) -> dict[str, bytes]:
    return {name: raw for name, raw in snapshot(folder).items() if not name.startswith(".")}


def test_same_seed_same_bytes_other_seed_other_cases(tmp_path: Path) -> None:
    demo(tmp_path / "a", 25, "--seed", "7")
    demo(tmp_path / "b", 25, "--seed", "7")
    demo(tmp_path / "c", 25, "--seed", "8")
    assert cases_of(tmp_path / "a") == cases_of(tmp_path / "b")
    assert cases_of(tmp_path / "a") != cases_of(tmp_path / "c")
    assert len([n for n in cases_of(tmp_path / "a") if n[0].isdigit()]) == 25


def test_demo_covers_every_phase_and_passes_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "demo"
    demo(folder, 60, "--years", "2024-2026")
    capsys.readouterr()
    assert main(["--cases", str(folder), "check"]) == 0
    assert "60 dossiers vérifiés : aucune erreur, 0 avertissement" in capsys.readouterr().out
    assert main(["--cases", str(folder), "status", "--all", "--json", "--today", "2026-12-31"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {row["phase"] for row in rows} == {"referral", "diagnostic", "accompaniment", "closed"}
    assert any(row["days_overdue"] for row in rows)
    text = "\n".join(raw.decode() for raw in cases_of(folder).values())
    for step in (
        "refus:",
        "renouvellements:",
        "cloture:",
        "mesure:",
        "evenements:",
        "objectifs:",
        "statut: atteint",
        "finances:",
        "dette_locative:",
        "plan_apurement:",
    ):
        assert step in text, step
    assert "date: 2027" not in text  # nothing after the end of the period


def test_demo_refuses_an_existing_folder(tmp_path: Path) -> None:
    demo(tmp_path / "a", 3)
    assert main(["demo", str(tmp_path / "a"), "--households", "3"]) == 1


@pytest.mark.slow
def test_ten_thousand_households_pass_check(tmp_path: Path) -> None:
    folder = tmp_path / "big"
    demo(folder, 10_000)
    assert main(["--cases", str(folder), "check"]) == 0
