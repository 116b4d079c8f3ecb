"""Benchmarks of `visites` on demo folders of 55, 1,000 and 10,000 households.

Run by hand (not part of the test suite), with the project installed:

    python bench/run.py [--runs 5] [--work /tmp/visites-bench] [--reuse] [--sizes 55,1000,10000]
                        [--no-peers] [--todoman-venv DIR]

Every command runs as a subprocess of the installed `visites`, as users run it. Each figure
is the median of --runs runs, the runs of all measures interleaved so that a busy machine
weighs on all of them alike. The goals are ratios measured in the same run (the largest size
written 10,000, the smallest 55):

- status --overdue warm at 10,000 ÷ the trivial Typer app              goal ≤ 1.2
- visites --help ÷ the trivial Typer app                              goal ≤ 1.1
- visites status at 55 ÷ the trivial Typer app                        goal ≤ 1.1
- status --overdue warm at 10,000 ÷ taskwarrior's `task overdue`       goal ≤ 1.3
- status --overdue cold (no index) ÷ the CSafeLoader floor (a Python process that only
  yaml.load()s the same files with PyYAML's libyaml loader)          goal ≤ 1.15
- status --overdue warm at 10,000 ÷ warm at 55                       goal ≤ 1.5
- status --overdue warm at 10,000 ÷ the floor at 10,000              goal ≤ 0.05
- bilan YEAR warm at 10,000 ÷ warm at 55                             goal ≤ 2
- event ID at 10,000 ÷ at 55                                         goal ≤ 1.2
- visites --help ÷ python -c "import typer"                          goal ≤ 1.3
- peak memory of status --overdue at 10,000: cold ≤ 250 MB, warm ≤ 50 MB

The trivial Typer app (bench/trivial_app.py: one command, three options, prints « ok ») runs
with the same interpreter: it is what any Typer command costs, the floor of the stack.

The peers, when installed (skipped with a note otherwise), get as many items as the largest
folder has households, in private folders under --work:
- taskwarrior (`apt-get install taskwarrior`): that many pending tasks imported as JSON
  (`task import`), as many of them overdue as the largest demo folder has overdue cases at
  its --today; `task overdue` and `task list` are measured (TASKRC and TASKDATA point into
  --work, so the user's own tasks are never read);
- todoman, in a virtual environment of its own (not a dependency of visites, and its
  libraries must not change visites' own):
      python3 -m venv /tmp/visites-bench/todoman-venv
      /tmp/visites-bench/todoman-venv/bin/pip install todoman
  (--todoman-venv, by default todoman-venv under --work): that many `.ics` todos written
  with the icalendar library it brings; `todo list` is measured, its cache warmed first.

Each ratio is the ratio of the medians; the bracket after it is the lowest and highest
ratio of one round (both sides measured within seconds of each other): the noise.
Peak memory is each child's own maximum resident size (os.wait4), never below this
process's own (16 to 27 MB here, shared until the child execs): a small figure is an upper
bound.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent
VISITES = str(BIN / "visites")
TRIVIAL_APP = [sys.executable, str(Path(__file__).with_name("trivial_app.py")),
               "--name", "visites", "--count", "3", "--verbose"]  # fmt: skip
TODAY = "2026-12-31"  # the demo's end of period (--years 2015-2026)
BILAN_YEAR = "2025"
EVENT_CASE = "2020-001"
FLOOR = """
import sys, yaml
from pathlib import Path
for path in sorted(Path(sys.argv[1]).glob("[0-9]*.yaml")):
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
"""
ICS_WRITER = """
import datetime as dt, json, sys
from pathlib import Path
from icalendar import Calendar, Todo
now = dt.datetime.now(dt.UTC).replace(microsecond=0)
for i, due in enumerate(json.load(sys.stdin)):
    calendar, item = Calendar(), Todo()
    calendar.add("prodid", "-//visites bench//FR")
    calendar.add("version", "2.0")
    uid = f"bench-{i:05d}@visites"
    for key, value in (("uid", uid), ("summary", f"Tâche {i}"), ("dtstamp", now),
                       ("due", dt.datetime.fromisoformat(due)), ("status", "NEEDS-ACTION")):
        item.add(key, value)
    calendar.add_component(item)
    (Path(sys.argv[1]) / f"{uid}.ics").write_bytes(calendar.to_ical())
"""


def timed(args: list[str], env: dict[str, str] | None = None) -> tuple[float, int]:
    """Wall time (s) and peak resident memory (KB) of one child process. The peak includes
    this process's own resident size, which the child shares until it execs (16 to 27 MB):
    a smaller figure means « at most that »."""
    start = time.perf_counter()
    child = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
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


def overdue_count(folder: Path) -> int:
    """How many cases `status --overdue` lists in `folder` at TODAY: the peers get as many."""
    listed = subprocess.run(
        [VISITES, "--cases", str(folder), "status", "--overdue", "--today", TODAY, "--json"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return len(json.loads(listed.stdout))


def due_dates(count: int, overdue: int) -> list[dt.datetime]:
    """`count` due dates: the first `overdue` ones 1 to 60 days ago, the others 30 days or
    more ahead (a --reuse'd set stays right for a month)."""
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    late = [now - dt.timedelta(days=1 + i % 60) for i in range(overdue)]
    return late + [now + dt.timedelta(days=30 + i % 300) for i in range(overdue, count)]


def taskwarrior(
    work: Path, count: int, overdue: int, reuse: bool
) -> tuple[str, dict[str, str]] | None:
    """`task` and the environment of a private taskwarrior holding `count` pending tasks,
    `overdue` of them overdue; None (and a note) when taskwarrior is not installed."""
    task = shutil.which("task")
    if task is None:
        print("  taskwarrior : absent, non mesuré (apt-get install taskwarrior)")
        return None
    home = work / "taskwarrior"
    env = {**os.environ, "TASKRC": str(home / "taskrc"), "TASKDATA": str(home / "data")}

    def counted(query: str) -> int:
        found = subprocess.run([task, query, "count"], env=env, capture_output=True, text=True)
        return int(found.stdout.strip() or 0) if found.returncode == 0 else -1

    reusable = reuse and (home / "taskrc").is_file()
    if reusable and (counted("+PENDING"), counted("+OVERDUE")) == (count, overdue):
        return task, env
    shutil.rmtree(home, ignore_errors=True)
    (home / "data").mkdir(parents=True)
    (home / "taskrc").write_text(
        f"data.location={home / 'data'}\nconfirmation=off\nverbose=nothing\n"
    )
    stamp = "%Y%m%dT%H%M%SZ"
    entry = (dt.datetime.now(dt.UTC) - dt.timedelta(days=400)).strftime(stamp)
    tasks = [
        {"uuid": f"00000000-0000-4000-8000-{i:012d}", "status": "pending", "entry": entry,
         "description": f"Tâche {i}", "project": f"p{i % 20}", "due": due.strftime(stamp)}
        for i, due in enumerate(due_dates(count, overdue))
    ]  # fmt: skip
    (home / "tasks.json").write_text(json.dumps(tasks))
    subprocess.run([task, "import", str(home / "tasks.json")], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    found = (counted("+PENDING"), counted("+OVERDUE"))
    print(f"  taskwarrior : {found[0]} tâches, dont {found[1]} en retard")
    return task, env


def todoman(work: Path, venv: Path, count: int, overdue: int, reuse: bool) -> list[str] | None:
    """`todo list` over a private todoman list holding `count` todos, `overdue` of them
    overdue; None (and a note) when todoman is not installed in `venv`."""
    todo, python = venv / "bin" / "todo", venv / "bin" / "python"
    if not todo.exists() or not python.exists():
        print(f"  todoman : absent de {venv}, non mesuré "
              f"(python3 -m venv {venv} && {venv}/bin/pip install todoman)")  # fmt: skip
        return None
    home = work / "todoman"
    folder, config = home / "lists" / "bench", home / "config.py"
    command = [str(todo), "--config", str(config), "list"]
    if reuse and config.is_file() and sum(1 for _ in folder.glob("*.ics")) == count:
        return command
    shutil.rmtree(home, ignore_errors=True)
    folder.mkdir(parents=True)
    config.write_text(
        f'path = "{home / "lists"}/*"\ncache_path = "{home / "cache.sqlite3"}"\n'
        'date_format = "%Y-%m-%d"\ntime_format = "%H:%M"\n'
    )
    # Written by todoman's own Python, with the icalendar it brings (and out of this
    # process, whose resident size is the floor of every child's peak memory: see timed).
    dues = json.dumps([due.isoformat() for due in due_dates(count, overdue)])
    subprocess.run([str(python), "-c", ICS_WRITER, str(folder)], input=dues, text=True,
                   check=True)  # fmt: skip
    print(f"  todoman : {count} tâches, dont {overdue} en retard")
    return command


def has_bilan() -> bool:
    probe = subprocess.run([VISITES, "bilan", "--help"], capture_output=True)
    return probe.returncode == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", type=Path, default=Path("/tmp/visites-bench"))
    parser.add_argument("--reuse", action="store_true", help="garder les dossiers déjà créés")
    parser.add_argument("--sizes", default="55,1000,10000")
    parser.add_argument("--no-peers", action="store_true", help="sans taskwarrior ni todoman")
    parser.add_argument("--todoman-venv", type=Path, help="environnement de todoman "
                        "(par défaut : todoman-venv dans --work)")  # fmt: skip
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
    overdue = overdue_count(folders[large])
    print(f"  status --overdue à {large} au {TODAY} : {overdue} dossiers en retard")
    print("Comparaisons :" + (" non mesurées (--no-peers)" if options.no_peers else ""))
    task = None if options.no_peers else taskwarrior(options.work, large, overdue, options.reuse)
    venv = options.todoman_venv or options.work / "todoman-venv"
    todo = None if options.no_peers else todoman(options.work, venv, large, overdue, options.reuse)

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
        if size == small:  # what a user types, on a small folder (before `event` rewrites one)
            measures[f"status {size}"] = [VISITES, "--cases", str(folders[size]), "status"]
        measures[f"event {size}"] = [VISITES, "--cases", str(folders[size]), "event", EVENT_CASE,
                                     "--kind", "telephone", "--date", "2025-06-02"]  # fmt: skip
    measures["help"] = [VISITES, "--help"]
    measures["trivial app"] = TRIVIAL_APP
    measures["import typer"] = [sys.executable, "-c", "import typer"]
    environments: dict[str, dict[str, str]] = {}
    if task is not None:
        for report in ("overdue", "list"):
            measures[f"task {report}"] = [task[0], report]
            environments[f"task {report}"] = task[1]
    if todo is not None:
        measures["todo list"] = todo

    times: dict[str, list[float]] = {name: [] for name in measures}
    memory: dict[str, int] = {}
    for size in sizes:  # warm the index once, and the file system cache
        timed(status(size))
    for name in ("trivial app", "task overdue", "task list", "todo list"):
        if name in measures:  # todoman's cache, taskwarrior's first garbage collection
            timed(measures[name], environments.get(name))
    load_before = os.getloadavg()
    for round_ in range(options.runs):
        print(f"  tour {round_ + 1}/{options.runs}", flush=True)
        for name, args in measures.items():
            if name.startswith("cold"):
                shutil.rmtree(folders[int(name.split()[1])] / ".visites-cache", ignore_errors=True)
            elapsed, peak = timed(args, environments.get(name))
            times[name].append(elapsed)
            memory[name] = max(memory.get(name, 0), peak)
            if name.startswith("cold"):
                timed(args)  # leave the index warm for the next measure

    load_after = os.getloadavg()
    median = {name: statistics.median(values) for name, values in times.items()}
    print(f"\nMédianes de {options.runs} mesures (s) et mémoire maximale (Mo) :")
    for name in measures:
        spread = f"[{min(times[name]):.3f} – {max(times[name]):.3f}]"
        print(f"  {name:<14} {median[name]:8.3f} s {spread:<20} {memory[name] / 1024:7.1f} Mo")
    print(f"  charge de la machine (1 min) : {load_before[0]:.2f} avant, {load_after[0]:.2f} après "
          f"({os.cpu_count()} cœurs)")  # fmt: skip

    def ratio(label: str, top: str, bottom: str, goal: float | None) -> None:
        if top not in median or bottom not in median:
            print(f"  {label:<56}    —     (non mesuré)")
            return
        value = median[top] / median[bottom]
        rounds = [a / b for a, b in zip(times[top], times[bottom], strict=True)]
        spread = f"[{min(rounds):.2f} – {max(rounds):.2f}]"
        if goal is None:
            print(f"  {label:<56} {value:7.3f} {spread:<13} (pour information)")
            return
        verdict = "OK" if value <= goal else "NON ATTEINT"
        print(f"  {label:<56} {value:7.3f} {spread:<13} (objectif ≤ {goal}) {verdict}")

    print("\nRapports (médianes ; entre crochets, le plus bas et le plus haut d'un tour) :")
    ratio(f"status --overdue à chaud {large} ÷ appli Typer triviale",
          f"warm {large}", "trivial app", 1.2)  # fmt: skip
    ratio("visites --help ÷ appli Typer triviale", "help", "trivial app", 1.1)
    ratio(f"visites status à {small} ÷ appli Typer triviale", f"status {small}", "trivial app", 1.1)
    ratio(f"status --overdue à chaud {large} ÷ task overdue", f"warm {large}", "task overdue", 1.3)
    ratio(f"status --overdue à chaud {large} ÷ task list", f"warm {large}", "task list", None)
    ratio(f"status --overdue à chaud {large} ÷ todo list", f"warm {large}", "todo list", None)
    ratio("appli Typer triviale ÷ task overdue", "trivial app", "task overdue", None)
    if task is None or todo is None:
        print("  (comparaisons absentes : voir « Comparaisons » plus haut)")
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
    for kind, goal in (("cold", 250), ("warm", 50)):
        peak = memory[f"{kind} {large}"] / 1024
        verdict = "OK" if peak <= goal else "NON ATTEINT"
        print(f"  mémoire maximale, status --overdue {'à froid' if kind == 'cold' else 'à chaud'}"
              f" {large} : {peak:.0f} Mo (objectif ≤ {goal} Mo) {verdict}")  # fmt: skip


if __name__ == "__main__":
    main()
