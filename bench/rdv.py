"""`rdv` against `event` on demo folders: the overlap check must not make `rdv` slower than
`event` as the folder grows (it reads the index, not the case files).

Run by hand, with the project installed, on demo folders made by `visites demo`:

    python bench/rdv.py /tmp/visites-bench/demo-55 /tmp/visites-bench/demo-10000 [--runs 7]

Each run is a subprocess of the installed `visites`, as users run it; the runs of every
measure are interleaved, and the medians are printed with their ratios. The folders are
changed (events and appointments are added to one case): use copies.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

VISITES = str(Path(sys.executable).parent / "visites")


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def open_case(folder: Path) -> str:
    """An open case of the folder (rdv plans on open cases only)."""
    import json

    found = subprocess.run([VISITES, "--cases", str(folder), "status", "--json"], check=True,
                           capture_output=True, text=True).stdout  # fmt: skip
    return json.loads(found)[0]["id"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--runs", type=int, default=7)
    options = parser.parse_args()
    soon = date.today() + timedelta(days=30)
    times: dict[tuple[str, str], list[float]] = {}
    cases = {folder: open_case(folder) for folder in options.folders}  # also warms the index
    for run in range(options.runs):
        for folder, case_id in cases.items():
            base = [VISITES, "--cases", str(folder)]
            event = [*base, "event", case_id, "--kind", "telephone"]
            hour = f"{8 + run % 10:02d}:{(run * 7) % 60:02d}"
            rdv = [*base, "rdv", case_id, "--date", soon.isoformat(), "--time", hour]
            for name, args in (("event", event), ("rdv", rdv)):
                times.setdefault((folder.name, name), []).append(timed(args))
    print(f"médiane de {options.runs} exécutions (s)")
    for folder in options.folders:
        e = statistics.median(times[(folder.name, "event")])
        r = statistics.median(times[(folder.name, "rdv")])
        print(f"  {folder.name:>14}  event {e:.3f}  rdv {r:.3f}  rdv ÷ event {r / e:.2f}")
    small, large = options.folders[0].name, options.folders[-1].name
    for name in ("event", "rdv"):
        ratio = statistics.median(times[(large, name)]) / statistics.median(times[(small, name)])
        print(f"  {name} {large} ÷ {small} : {ratio:.2f}")


if __name__ == "__main__":
    main()
