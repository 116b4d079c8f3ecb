"""`visites demo`: a fictional folder built through the workflow, the same for the same seed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import snapshot

from visites.cli import main
from visites.paths import KEY_FILE


def demo(folder: Path, households: int, *extra: str) -> None:
    assert main(["demo", str(folder), "--households", str(households), *extra]) == 0


def cases_of(folder: Path) -> dict[str, bytes]:
    """Every file but git's and the folder's key: a secret drawn afresh for each folder, seed
    or no seed (it keys the fingerprints of erased households)."""
    files = snapshot(folder).items()
    return {name: raw for name, raw in files if not name.startswith(".") and name != KEY_FILE}


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
    # Nothing after the end of the period, but the appointments planned ahead of it.
    facts = "\n".join(raw.decode().split("rendez_vous:")[0] for raw in cases_of(folder).values())
    assert "date: 2027" not in facts


def test_demo_refuses_an_existing_folder(tmp_path: Path) -> None:
    demo(tmp_path / "a", 3)
    assert main(["demo", str(tmp_path / "a"), "--households", "3"]) == 1


@pytest.mark.slow
def test_ten_thousand_households_pass_check(tmp_path: Path) -> None:
    folder = tmp_path / "big"
    demo(folder, 10_000)
    assert main(["--cases", str(folder), "check"]) == 0


def test_demo_appointments_are_done_missed_or_ahead_and_cases_change_hands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import date

    folder = tmp_path / "demo"
    demo(folder, 60, "--years", "2024-2026")
    capsys.readouterr()
    shown = []
    for start in ("2024-01-01", "2025-01-01", "2026-01-01", "2027-01-01"):  # 366 days at most
        assert main(["--cases", str(folder), "agenda", "--from", start, "--days", "365",
                     "--json"]) == 0  # fmt: skip
        shown += [i for i in json.loads(capsys.readouterr().out) if i["type"] == "rdv"]
    past = [i for i in shown if i["date"] <= "2026-12-31"]
    ahead = [i for i in shown if i["date"] > "2026-12-31"]
    assert {i["status"] for i in past} == {"done", "missed"}  # none « à renseigner »
    assert ahead and {i["status"] for i in ahead} == {"planned"}
    assert all(date.fromisoformat(i["date"]).weekday() < 5 for i in ahead)
    slots = [(i["referent"], i["date"], i["time"]) for i in shown]
    assert len(slots) == len(set(slots))  # nobody booked twice at once
    text = "\n".join(raw.decode() for raw in cases_of(folder).values())
    cover = "{nom: Karim Benali, depuis: 2025-07-01, jusqu_au: 2025-08-31, note: Congé d'été.}"
    assert cover in text  # Claire Dubois's summer leave
    assert "note: Rééquilibrage des portefeuilles." in text or "note: Demande du ménage." in text
    assert main(["--cases", str(folder), "status", "--json", "--today", "2025-07-15",
                 "--referent", "Claire Dubois"]) == 0  # fmt: skip
    assert json.loads(capsys.readouterr().out) == []  # every open case of hers is covered
    covered = {name[:-5] for name, raw in cases_of(folder).items() if cover in raw.decode()}
    assert main(["--cases", str(folder), "status", "--json", "--today", "2025-07-15",
                 "--referent", "Karim Benali"]) == 0  # fmt: skip
    assert covered & {row["id"] for row in json.loads(capsys.readouterr().out)}
