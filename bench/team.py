"""The long run of the team simulation (tests/team_model.py): several seeded runs of three
clones of a bare remote doing random work, with syncs SIGKILLed at random points, then the
checker. Prints the figures published in the README (« Fiabilité »).

    .venv/bin/python bench/team.py                      # 6 runs × 300 operations
    .venv/bin/python bench/team.py --runs 2 --operations 100 --seed 7

Exit status 1 if any promise was broken (an event lost or misplaced, an ID naming two
households, an erasure undone, clones that differ or fail `visites check`).
"""

from __future__ import annotations

import argparse
import collections
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.team_kit import isolated_git  # noqa: E402
from tests.team_model import Simulation  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=6)
    parser.add_argument("--operations", type=int, default=300)
    parser.add_argument("--kill-rate", type=float, default=0.4, help="share of syncs killed")
    parser.add_argument("--seed", type=int, default=2015)
    parser.add_argument("--keep", action="store_true", help="keep the folders of broken runs")
    args = parser.parse_args()
    total: collections.Counter[str] = collections.Counter()
    failures = 0
    started = time.perf_counter()
    for run in range(args.runs):
        work = Path(tempfile.mkdtemp(prefix=f"visites-team-{run}-"))
        isolated_git(work)
        seed = args.seed + run
        simulation = Simulation(
            work, seed=seed, operations=args.operations, kill_rate=args.kill_rate
        )
        simulation.run()
        broken = simulation.check()
        figures = simulation.figures.counts
        total.update(figures)
        total["runs"] += 1
        print(
            f"run {run + 1}/{args.runs} (seed {seed}): {figures['operations']} operations, "
            f"{figures['kills']} kills, {figures['cases']} new cases, {figures['events']} "
            f"events, {len(broken)} broken",
            flush=True,
        )
        for line in broken[:20]:
            print("   ", line)
        if broken:
            failures += 1
            if args.keep:
                print("    kept:", work)
                continue
        shutil.rmtree(work, ignore_errors=True)
    seconds = time.perf_counter() - started
    print(
        f"\n{total['runs']} runs, {seconds:.0f} s, Python {platform.python_version()}, "
        f"{platform.system()}"
    )
    for key, value in sorted(total.items()):
        print(f"  {key}: {value}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
