"""The long reliability run: the tests of tests/test_reliability.py and test_hostile_files.py,
many more times. Prints the figures published in the README (« Fiabilité »).

    .venv/bin/python bench/reliability.py                  # 240 kills, 2 × 25 events, 3,300 files
    .venv/bin/python bench/reliability.py --kills 1000 --seed 7

Exit status 1 if anything was lost, corrupt, or raised a traceback.
"""

from __future__ import annotations

import argparse
import collections
import platform
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import hypothesis  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402

from tests import hostile_kit, reliability_kit  # noqa: E402


def crashes(work: Path, kills: int, seed: int) -> dict[str, int]:
    """`kills` SIGKILLs, half on `event`, half on `orient`; half at a random moment of the
    command, half inside the write itself. Each one checked by reliability_kit.verify.
    The folder does not auto-commit: this is the store's promise (git: see git_crashes)."""
    import random

    rng = random.Random(seed)
    template = reliability_kit.make_template(work, autocommit=False)
    plans = [reliability_kit.expected(template, work, name) for name in ("event", "orient")]
    figures: collections.Counter[str] = collections.Counter()
    for n in range(kills):
        plan = plans[n % 2]
        moment = "write" if n % 4 >= 2 else "anywhere"
        try:
            kill = reliability_kit.kill_once(template, work, plan, rng, moment)
        except AssertionError:
            traceback.print_exc()
            figures["lost or corrupt"] += 1
            continue
        figures["kills"] += 1
        figures["files checked"] += len(plan.before)
        figures[f"case file afterwards: {kill.version} version"] += 1
        if not kill.killed:
            figures["command had already finished"] += 1
        if kill.leftovers:
            figures["killed inside the write (temp file left, then cleaned)"] += 1
    figures.setdefault("lost or corrupt", 0)
    for plan in plans:
        figures[f"{plan.name} duration (ms)"] = round(plan.seconds * 1000)
    return dict(figures)


def git_crashes(work: Path, kills: int, seed: int) -> dict[str, int]:
    """Kills while git commits the written file (git.autocommit: true, the default)."""
    import random

    rng = random.Random(seed)
    template = reliability_kit.make_template(work, autocommit=True)
    plan = reliability_kit.expected(template, work, "event")
    figures = {"kills during the git commit": 0, "lost or corrupt": 0,
               "next command broken": 0}  # fmt: skip
    for _ in range(kills):
        figures["kills during the git commit"] += 1
        try:
            kill = reliability_kit.kill_once(template, work, plan, rng, "git")
        except AssertionError as error:
            # The case file was checked first (old or new, whole); then the next command ran.
            broken = str(error).startswith("visites event")
            key = "next command broken" if broken else "lost or corrupt"
            figures[key] = figures.get(key, 0) + 1
            print(f"git crash: {str(error).splitlines()[-1]}", file=sys.stderr)
            continue
        figures[f"case file afterwards: {kill.version} version"] = (
            figures.get(f"case file afterwards: {kill.version} version", 0) + 1
        )
    return figures


def concurrency(work: Path) -> dict[str, int]:
    """2 processes × 25 events on one case, then on two cases; 2 × 10 new referrals."""
    template = reliability_kit.make_template(work / "concurrence")
    figures = {}
    same = shutil.copytree(template, work / "meme-dossier")
    notes = reliability_kit.concurrent_events(same, 25, same_case=True)[reliability_kit.CASE]
    kept = [n for n in notes if n.startswith("p")]
    figures["events written to one case by 2 × 25 commands, kept"] = len(set(kept))
    order = "".join(n[1] for n in kept)
    figures["  switches between the two writers in the file"] = sum(
        a != b for a, b in zip(order, order[1:], strict=False)
    )
    two = shutil.copytree(template, work / "deux-dossiers")
    notes_by_case = reliability_kit.concurrent_events(two, 25, same_case=False)
    figures["events written to two cases by 2 × 25 commands, kept"] = sum(
        len([n for n in notes if n.startswith("p")]) for notes in notes_by_case.values()
    )
    referrals = shutil.copytree(template, work / "orientations")
    ids = reliability_kit.concurrent_referrals(referrals, 10)
    figures["new referrals by 2 × 10 commands, unique IDs"] = len(set(ids)) - 2
    for folder in (same, two, referrals):
        reliability_kit.ok(folder, "check")
    return figures


def returns_none(prop: Callable[[bytes], object]) -> Callable[[bytes], None]:
    def example(raw: bytes) -> None:
        prop(raw)

    return example


def hostile(examples: int, random_seed: int) -> dict[str, int]:
    """Hypothesis examples of hostile case files through the three properties."""
    options = settings(
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    properties = [
        (hostile_kit.parses_to_located_problems, examples),
        (hostile_kit.accepted_file_survives_a_rewrite, examples // 2),
        (hostile_kit.commands_report_and_never_write, max(examples // 10, 1)),
    ]
    failures = 0
    for prop, count in properties:
        test = given(hostile_kit.hostile_files())(returns_none(prop))
        test = hypothesis.seed(random_seed)(settings(options, max_examples=count)(test))
        try:
            test()
        except Exception:
            traceback.print_exc()
            failures += 1
    tried = hostile_kit.TRIED
    return {
        "hostile files parsed (each checked for file:line problems)": tried["parse"],
        "  of which accepted, then rewritten with an event": tried["rewrite"],
        "  of which accepted, rewrite refused with file:line": tried["rewrite refused"],
        "hostile files through check, status and event": tried["cli"],
        "tracebacks or failed properties": failures,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=240)
    parser.add_argument("--examples", type=int, default=3000, help="hostile files parsed")
    parser.add_argument("--seed", type=int, default=2015)
    args = parser.parse_args()
    command = f"python bench/reliability.py --kills {args.kills} --examples {args.examples} " \
              f"--seed {args.seed}"  # fmt: skip
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="visites-fiabilite-") as work:
        figures = {
            "Crashes (SIGKILL)": crashes(Path(work) / "crash", args.kills, args.seed),
            "Crashes during the git commit": git_crashes(Path(work) / "git", 20, args.seed),
            "Concurrent writers": concurrency(Path(work)),
            "Hostile files (hypothesis)": hostile(args.examples, args.seed),
        }
    print(f"\nvisites reliability run — {platform.python_version()}, {platform.system()}, "
          f"{time.perf_counter() - started:.0f} s")  # fmt: skip
    for section, values in figures.items():
        print(f"\n{section}")
        for name, value in values.items():
            print(f"  {name:<62} {value:>6}")
    print(f"\nReproduce: {command}")
    crash, git_crash, concurrent, files = figures.values()
    sound = (
        crash["lost or corrupt"] == 0
        and git_crash["lost or corrupt"] == 0
        and concurrent["events written to one case by 2 × 25 commands, kept"] == 50
        and concurrent["events written to two cases by 2 × 25 commands, kept"] == 50
        and concurrent["new referrals by 2 × 10 commands, unique IDs"] == 20
        and files["tracebacks or failed properties"] == 0
    )
    print("Result: " + ("nothing lost, nothing corrupt, no traceback" if sound else "FAILURES"))
    return 0 if sound else 1


if __name__ == "__main__":
    sys.exit(main())
