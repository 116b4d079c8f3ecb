"""What the bilan's new figures cost: objectives, arrears and effort rate, and `--compare`,
against the whole bilan, in the same process, on demo households generated in memory.

    .venv/bin/python bench/progress.py [--households 10000] [--runs 7]

Every figure is the median of --runs runs, interleaved (the fastest run is printed too: on
a busy machine it is the steadier of the two). Goals (ratios of the same run):
- the three new figures ÷ the whole bilan                         goal ≤ 0.25
- the comparison of two years ÷ two bilans                        goal ≤ 1.1
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from visites import demo, progress  # noqa: E402
from visites.comparison import comparison  # noqa: E402
from visites.config import Config  # noqa: E402
from visites.reports import bilan  # noqa: E402

TODAY = date(2026, 12, 31)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    options = parser.parse_args()
    config = Config()
    cases = list(demo.households(options.households, 1, 2015, 2026, config, TODAY))
    with_project = sum(1 for c in cases if c.objectives or c.finances)
    end = date(2025, 12, 31)

    def new_figures() -> None:
        progress.objective_figures(cases, 2025, end)
        progress.arrears_figures(cases, 2025, end)
        progress.effort_rate_figures(cases, 2025, end)

    measures = {
        "bilan 2025": lambda: bilan(cases, 2025, config, end),
        "nouveaux chiffres": new_figures,
        "deux bilans": lambda: (
            bilan(cases, 2024, config, date(2024, 12, 31)),
            bilan(cases, 2025, config, end),
        ),  # fmt: skip
        "comparaison": lambda: comparison(cases, (2024, 2025), config, TODAY),
    }
    times: dict[str, list[float]] = {name: [] for name in measures}
    for _ in range(options.runs):
        for name, measure in measures.items():
            start = time.perf_counter()
            measure()
            times[name].append(time.perf_counter() - start)
    median = {name: statistics.median(values) for name, values in times.items()}
    fastest = {name: min(values) for name, values in times.items()}
    print(f"{len(cases)} ménages ({with_project} avec objectifs ou finances), "
          f"{options.runs} passages : médiane (plus rapide)")  # fmt: skip
    for name in measures:
        print(f"  {name:<20} {median[name] * 1000:8.1f} ms ({fastest[name] * 1000:.1f} ms)")
    for label, top, bottom, goal in (
        ("nouveaux chiffres ÷ bilan entier", "nouveaux chiffres", "bilan 2025", "0,25"),
        ("comparaison ÷ deux bilans       ", "comparaison", "deux bilans", "1,1"),
    ):  # fmt: skip
        print(f"{label} : {median[top] / median[bottom]:.2f} "
              f"({fastest[top] / fastest[bottom]:.2f}) (objectif ≤ {goal})")  # fmt: skip


if __name__ == "__main__":
    main()
