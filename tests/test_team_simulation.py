"""The team simulation (tests/team_model.py) in small: three clones, random operations and
syncs, some syncs SIGKILLed, then every promise of issue #11 checked. The long run, with
hundreds of kills, is bench/team.py."""

from __future__ import annotations

from pathlib import Path

from tests.team_model import Simulation


def test_three_clones_with_random_work_and_killed_syncs_lose_nothing(tmp_path: Path) -> None:
    simulation = Simulation(tmp_path, seed=2015, operations=35, kill_rate=0.5)
    simulation.run()
    broken = simulation.check()
    assert broken == [], "\n".join(broken)
    figures = simulation.figures
    assert figures["events"] > 0 and figures["events kept"] > 0
    assert figures["syncs"] > 0
    assert figures["kills"] > 0, "the run must kill at least one sync"
    assert figures["events lost"] == figures["events misplaced or doubled"] == 0
