"""Benchmarks of `visites` on demo folders of 55, 1,000 and 10,000 households.

Run by hand (not part of the test suite), with the project installed:

    python bench/run.py [--runs 5] [--work /tmp/visites-bench] [--reuse] [--sizes 55,1000,10000]

Every command runs as a subprocess of the installed `visites`, as users run it. Each figure
is the median of --runs runs, the runs of all measures interleaved so that a busy machine
weighs on all of them alike. The goals are ratios measured in the same run:

- status --overdue cold (no index) ÷ the CSafeLoader floor (a Python process that only
  yaml.load()s the same files with PyYAML's libyaml loader)          goal ≤ 1.15
- status --overdue warm at 10,000 ÷ warm at 55                       goal ≤ 1.5
- status --overdue warm at 10,000 ÷ the floor at 10,000              goal ≤ 0.05
- bilan YEAR warm at 10,000 ÷ warm at 55                             goal ≤ 2
- event ID at 10,000 ÷ at 55                                         goal ≤ 1.2
- visites --help ÷ python -c "import typer"                          goal ≤ 1.3

Peak memory is each child's own maximum resident size (os.wait4).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent
VISITES = str(BIN / "visites")
TODAY = "2026-12-31"  # the demo's end of period (--years 2015-2026)
BILAN_YEAR = "2025"
EVENT_CASE = "2020-001"
FLOOR = """
import sys, yaml
from pathlib import Path
for path in sorted(Path(sys.argv[1]).glob("[0-9]*.yaml")):
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
"""


def timed(args: list[str]) -> tuple[float, int]:
    """Wall time (s) and peak resident memory (KB) of one child process."""
    start = time.perf_counter()
    child = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    err = child.stderr.read().decode() if child.stderr else ""
    if child.returncode != 0:
        raise SystemExit(f"échec ({child.returncode}) : {' '.join(args)}\n{err}")
    return elapsed, usage.ru_maxrss


def build(work: Path, size: int, reuse: bool) -> Path:
    folder = work / f"demo-{size}"
    if reuse and folder.is_dir():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    subprocess.run([VISITES, "demo", str(folder), "--households", str(size)], check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    print(f"  demo {size:>6} ménages : {time.perf_counter() - started:6.1f} s")
    return folder


def has_bilan() -> bool:
    probe = subprocess.run([VISITES, "bilan", "--help"], capture_output=True)
    return probe.returncode == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", type=Path, default=Path("/tmp/visites-bench"))
    parser.add_argument("--reuse", action="store_true", help="garder les dossiers déjà créés")
    parser.add_argument("--sizes", default="55,1000,10000")
    options = parser.parse_args()
    sizes = [int(s) for s in options.sizes.split(",")]
    small, large = sizes[0], sizes[-1]
    options.work.mkdir(parents=True, exist_ok=True)

    print("Dossiers de démonstration :")
    folders = {size: build(options.work, size, options.reuse) for size in sizes}
    print(f"  check à {large} :", end=" ", flush=True)
    check = subprocess.run([VISITES, "--cases", str(folders[large]), "check"],
                           capture_output=True, text=True)  # fmt: skip
    print((check.stdout + check.stderr).strip().splitlines()[-1], f"(code {check.returncode})")
    bilan = has_bilan()

    def status(size: int) -> list[str]:
        return [VISITES, "--cases", str(folders[size]), "status", "--overdue", "--today", TODAY]

    measures: dict[str, list[str] | None] = {}
    for size in sizes:
        measures[f"floor {size}"] = [sys.executable, "-c", FLOOR, str(folders[size])]
        measures[f"cold {size}"] = status(size)
        measures[f"warm {size}"] = status(size)
        if bilan:
            measures[f"bilan {size}"] = [
                VISITES,
                "--cases",
                str(folders[size]),
                "bilan",
                BILAN_YEAR,
            ]
        measures[f"event {size}"] = [VISITES, "--cases", str(folders[size]), "event", EVENT_CASE,
                                     "--kind", "telephone", "--date", "2025-06-02"]  # fmt: skip
    measures["help"] = [VISITES, "--help"]
    measures["import typer"] = [sys.executable, "-c", "import typer"]

    times: dict[str, list[float]] = {name: [] for name in measures}
    memory: dict[str, int] = {}
    for size in sizes:  # warm the index once, and the file system cache
        timed(status(size))
    for round_ in range(options.runs):
        print(f"  tour {round_ + 1}/{options.runs}", flush=True)
        for name, args in measures.items():
            if name.startswith("cold"):
                shutil.rmtree(folders[int(name.split()[1])] / ".visites-cache", ignore_errors=True)
            elapsed, peak = timed(args)
            times[name].append(elapsed)
            memory[name] = max(memory.get(name, 0), peak)
            if name.startswith("cold"):
                timed(args)  # leave the index warm for the next measure

    median = {name: statistics.median(values) for name, values in times.items()}
    print(f"\nMédianes de {options.runs} mesures (s) et mémoire maximale (Mo) :")
    for name in measures:
        spread = f"[{min(times[name]):.3f} – {max(times[name]):.3f}]"
        print(f"  {name:<14} {median[name]:8.3f} s {spread:<20} {memory[name] / 1024:7.1f} Mo")

    def ratio(label: str, top: str, bottom: str, goal: float) -> None:
        value = median[top] / median[bottom]
        verdict = "OK" if value <= goal else "NON ATTEINT"
        print(f"  {label:<52} {value:7.3f}  (objectif ≤ {goal}) {verdict}")

    print("\nRapports :")
    for size in sizes:
        ratio(f"status --overdue à froid ÷ plancher CSafeLoader, {size}",
              f"cold {size}", f"floor {size}", 1.15)  # fmt: skip
    ratio(f"status --overdue à chaud, {large} ÷ {small}", f"warm {large}", f"warm {small}", 1.5)
    ratio(f"status --overdue à chaud {large} ÷ plancher {large}",
          f"warm {large}", f"floor {large}", 0.05)  # fmt: skip
    if bilan:
        ratio(f"bilan {BILAN_YEAR} à chaud, {large} ÷ {small}",
              f"bilan {large}", f"bilan {small}", 2)  # fmt: skip
    else:
        print(
            "  bilan : commande absente de cette branche (issue 3) : mesure à refaire après fusion"
        )
    ratio(f"event {EVENT_CASE}, {large} ÷ {small}", f"event {large}", f"event {small}", 1.2)
    ratio("visites --help ÷ python -c 'import typer'", "help", "import typer", 1.3)


if __name__ == "__main__":
    main()
