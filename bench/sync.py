"""What a sync costs, at 55 and at 10,000 cases, against plain git (issue #11). Run by hand:

    .venv/bin/python bench/sync.py [--work /tmp/sync-bench] [--runs 5] [--sizes 55,10000]

For each size: the demo folder (`visites demo DIR --households N --seed 1 --years 2015-2026`,
built once and reused), a bare remote cloned from it, and two clones A and B, each synced
once (warm). Each measure: A changes 10 cases and pushes; B changes 10 other cases, then
B runs either `visites sync` or `git pull --no-rebase && git push` (the
same kind of change, merged without conflict), timed as a child process. Two shapes of
change: the 10 cases edited and committed together (one commit a side), and 10 `visites
event` commands (one commit each: ten 10,000-entry trees for git to send each way). The
measures of all sizes, shapes and both tools are interleaved, so that a busy machine weighs
on all alike; each figure is the median of --runs measures. The goals, measured in this run:

- `visites sync` at 10,000 ÷ the same at 55                     goal ≤ 1.3
- `visites sync` at 10,000 − `git pull && git push` at 10,000    goal ≤ 0.5 s

Also printed: the first `visites status` of a fresh clone at the largest size (the index is
built then, with a progress bar on a terminal), for information.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent
VISITES = str(BIN / "visites")
DEMO_YEARS = "2015-2026"
GOAL_RATIO = 1.3
GOAL_ABOVE_GIT = 0.5


def run(args: list[str], cwd: Path | None = None) -> None:
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(
            f"échec ({done.returncode}) : {' '.join(args)}\n{done.stdout}{done.stderr}"
        )


def timed(args: list[str], cwd: Path | None = None) -> float:
    started = time.perf_counter()
    run(args, cwd)
    return time.perf_counter() - started


def git(folder: Path, *args: str) -> None:
    run(["git", "-C", str(folder), *args])


def demo(work: Path, size: int) -> Path:
    folder = work / f"demo-{size}"
    if not (folder / "visites.yaml").exists():
        shutil.rmtree(folder, ignore_errors=True)
        print(f"construction du dossier de démonstration de {size} ménages…", flush=True)
        run(
            [
                VISITES,
                "demo",
                str(folder),
                "--households",
                str(size),
                "--seed",
                "1",
                "--years",
                DEMO_YEARS,
            ]
        )
    return folder


class Pair:
    """A bare remote made from a demo folder and two clones of it."""

    def __init__(self, work: Path, size: int) -> None:
        self.size = size
        base = work / f"paire-{size}"
        shutil.rmtree(base, ignore_errors=True)
        base.mkdir(parents=True)
        self.remote = base / "equipe.git"
        git(work, "clone", "-q", "--bare", str(demo(work, size)), str(self.remote))
        self.a, self.b = base / "a", base / "b"
        for clone in (self.a, self.b):
            git(base, "clone", "-q", str(self.remote), str(clone))
            git(clone, "config", "user.name", f"Poste {clone.name}")
            git(clone, "config", "user.email", f"{clone.name}@example.org")
            run([VISITES, "--cases", str(clone), "sync"])  # the first sync of a clone
        # Cases referred before this year: an event dated today comes after their referral.
        this_year = time.localtime().tm_year
        self.ids = sorted(
            p.stem
            for p in self.a.glob("[0-9][0-9][0-9][0-9]-*.yaml")
            if int(p.stem[:4]) < this_year
        )
        self.turn = 0

    def prepare(self, shape: str) -> None:
        """A: 10 cases changed and pushed; B: 10 other cases changed, not pushed. `shape`:
        "commandes", one `visites event` each (10 commits a side), or "lot", the 10 files
        edited by hand and committed together (one commit a side)."""
        start = (self.turn * 20) % (len(self.ids) - 20)
        self.turn += 1
        for clone, ids in ((self.a, self.ids[start : start + 10]),
                           (self.b, self.ids[start + 10 : start + 20])):  # fmt: skip
            if shape == "commandes":
                for case_id in ids:
                    visites(clone, "event", case_id, "--kind", "telephone", "--note", "appel")
            else:
                for case_id in ids:
                    with (clone / f"{case_id}.yaml").open("a", encoding="utf-8") as out:
                        out.write(f"# relu ({clone.name}, passage {self.turn})\n")
                git(clone, "commit", "-qam", "relecture de 10 dossiers", "--no-verify")
            if clone == self.a:
                run([VISITES, "--cases", str(self.a), "sync"])

    def visites_sync(self) -> float:
        return timed([VISITES, "--cases", str(self.b), "sync"])

    def git_sync(self) -> float:
        started = time.perf_counter()
        git(self.b, "pull", "-q", "--no-rebase", "--no-edit")
        git(self.b, "push", "-q")
        return time.perf_counter() - started


def visites(folder: Path, *args: str) -> None:
    """A command in this process (setting up a measure, not measured)."""
    from visites.cli import main

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = main(["--cases", str(folder), *args])
    if code != 0:
        raise SystemExit(f"échec : visites {' '.join(args)}")


def first_status(work: Path, pair: Pair) -> float:
    fresh = work / f"paire-{pair.size}" / "neuf"
    shutil.rmtree(fresh, ignore_errors=True)
    git(work, "clone", "-q", str(pair.remote), str(fresh))
    seconds = timed(
        [VISITES, "--cases", str(fresh), "status", "--overdue", "--today", "2026-12-31"]
    )
    shutil.rmtree(fresh, ignore_errors=True)
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/sync-bench"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="55,10000")
    args = parser.parse_args()
    os.environ.pop("VISITES_CASES", None)
    args.work.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    pairs = {size: Pair(args.work, size) for size in sizes}
    measures: dict[tuple[str, int, str], list[float]] = {}
    shapes = ("lot", "commandes")
    for _ in range(args.runs + 1):  # the first round warms up, not counted
        for shape in shapes:
            for size, pair in pairs.items():
                for tool in ("visites", "git"):
                    pair.prepare(shape)
                    seconds = pair.visites_sync() if tool == "visites" else pair.git_sync()
                    measures.setdefault((shape, size, tool), []).append(seconds)
    median = {key: statistics.median(values[1:]) for key, values in measures.items()}
    small, large = min(sizes), max(sizes)
    met = True
    for shape in shapes:
        what = ("un enregistrement de 10 dossiers de chaque côté" if shape == "lot"
                else "10 commandes visites event de chaque côté (10 enregistrements)")  # fmt: skip
        print(f"\nMédianes de {args.runs} mesures, {what}, dossiers différents, chauds :")
        print(f"{'taille':>8} {'visites sync':>14} {'git pull+push':>14} {'écart':>8}")
        for size in sizes:
            ours, plain = median[(shape, size, "visites")], median[(shape, size, "git")]
            print(f"{size:>8} {ours:>13.2f}s {plain:>13.2f}s {ours - plain:>7.2f}s")
        ratio = median[(shape, large, "visites")] / median[(shape, small, "visites")]
        plain_ratio = median[(shape, large, "git")] / median[(shape, small, "git")]
        above = median[(shape, large, "visites")] - median[(shape, large, "git")]
        print(f"visites sync {large} ÷ {small} : {ratio:.2f} (objectif ≤ {GOAL_RATIO}) ; "
              f"git seul : {plain_ratio:.2f}")  # fmt: skip
        print(f"visites sync − git à {large} : {above:.2f} s (objectif ≤ {GOAL_ABOVE_GIT} s)")
        met = met and ratio <= GOAL_RATIO and above <= GOAL_ABOVE_GIT
    print(
        f"\npremier status d'un clone neuf à {large} (index construit) : "
        f"{first_status(args.work, pairs[large]):.2f} s"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
