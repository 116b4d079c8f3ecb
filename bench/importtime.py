"""Where a visites command's start-up goes: `python -X importtime`, read back.

Run by hand (not part of the test suite), with the project installed:

    python bench/importtime.py [--runs 5] [--who importlib.metadata,pydantic] -- ARGS…
    python bench/importtime.py -- --cases /tmp/visites-bench/demo-10000 status --overdue

It runs `python -X importtime -m visites ARGS` --runs times (stdout discarded) and prints,
each time the median over the runs:
- the top-level imports by cumulative time (what the process pays for each first import; a
  module imported inside a function, at run time, is top-level too);
- the modules with the largest own time;
- for each module named by --who, the chain of imports that brought it in.

-X importtime itself slows imports down (≈ 1.5×): read the figures as shares, and time
the command with bench/run.py.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
from collections import defaultdict

LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def parse(text: str) -> list[tuple[str, int, int, int]]:
    """(module, own µs, cumulative µs, depth) of each import, in the order printed: a
    module's imports come before it, one level deeper."""
    rows = []
    for line in text.splitlines():
        if match := LINE.match(line):
            rows.append((match[4], int(match[1]), int(match[2]), (len(match[3]) - 1) // 2))
    return rows


def parents(rows: list[tuple[str, int, int, int]]) -> dict[str, str]:
    """The module that first imported each module."""
    found: dict[str, str] = {}
    pending: list[int] = []
    for i, (name, _, _, depth) in enumerate(rows):
        while pending and rows[pending[-1]][3] > depth:
            found[rows[pending.pop()][0]] = name
        pending.append(i)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--who", default="importlib.metadata,pydantic.plugin._loader,pydantic")
    parser.add_argument("args", nargs="+", help="les arguments de visites (après --)")
    options = parser.parse_args()

    own: dict[str, list[int]] = defaultdict(list)
    cumulative: dict[str, list[int]] = defaultdict(list)
    top_level: set[str] = set()
    chain: dict[str, str] = {}
    for _ in range(options.runs):
        command = [sys.executable, "-X", "importtime", "-m", "visites", *options.args]
        child = subprocess.run(command, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)  # fmt: skip
        rows = parse(child.stderr)
        for name, self_us, cum_us, depth in rows:
            own[name].append(self_us)
            cumulative[name].append(cum_us)
            if depth == 0:
                top_level.add(name)
        chain = parents(rows)

    def ms(values: list[int]) -> float:
        return statistics.median(values) / 1000

    total = sum(ms(cumulative[name]) for name in top_level)
    print(f"Importations (médianes de {options.runs}, sous -X importtime) : {total:.1f} ms")
    print("Premier niveau, temps cumulé :")
    for name in sorted(top_level, key=lambda n: -ms(cumulative[n]))[: options.top]:
        print(f"  {ms(cumulative[name]):7.1f} ms  {name}")
    print("Temps propre :")
    for name in sorted(own, key=lambda n: -ms(own[n]))[: options.top]:
        print(f"  {ms(own[name]):7.1f} ms  {name}")
    print("Qui importe :")
    for name in filter(None, options.who.split(",")):
        if name not in cumulative:
            print(f"  {name} : pas importé")
            continue
        path = [name]
        while path[-1] in chain:
            path.append(chain[path[-1]])
        print(f"  {name} ({ms(cumulative[name]):.1f} ms) : {' ← '.join(path)}")


if __name__ == "__main__":
    main()
