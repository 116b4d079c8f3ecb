"""Machinery shared by the reliability tests and the long run (bench/reliability.py).

Crashes are real: `visites` runs in a child process that gets SIGKILL. Concurrent writers are
real processes. Nothing here hooks into the product; it only watches the folder from outside.
"""

from __future__ import annotations

import contextlib
import io
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from visites.cli import main
from visites.store import LOCK_FILE, TEMP_PREFIX

CASE = "2015-001"  # the case the crashing commands write to
OTHER = "2015-002"  # a case no command touches: it must stay byte-identical
EVENT = ("event", CASE, "--kind", "visite", "--date", "2015-02-03", "--note", "Visite à domicile.")
ORIENT = ("orient", CASE, "--to", "accompagnement", "--date", "2015-03-10",
          "--recommendations", "Plan d'apurement avec le bailleur.")  # fmt: skip
COMMANDS = {"event": EVENT, "orient": ORIENT}
NEW_REFERRAL = ("new-referral", "--household", "Famille Essai", "--commune", "Nantes",
                "--context", "entree", "--referrer", "Mme Lebrun",
                "--date", "2015-01-12")  # fmt: skip


def visites(folder: Path, *args: str) -> tuple[int, str, str]:
    """`visites --cases folder args…` in this process, through the real entry point."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--cases", str(folder), *args])
    return code, out.getvalue(), err.getvalue()


def ok(folder: Path, *args: str) -> str:
    code, out, err = visites(folder, *args)
    assert code == 0, f"visites {' '.join(args)} → {code}\n{err}"
    return out


def child_environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("VISITES_CASES", "VISITES_USER")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def command_line(folder: Path, args: tuple[str, ...]) -> list[str]:
    return [sys.executable, "-m", "visites", "--cases", str(folder), *args]


def make_template(root: Path, autocommit: bool = True) -> Path:
    """A folder with a case in diagnostic (with history and a hand comment) and another one.

    `autocommit=False`: the store alone, without the git commit that follows each write."""
    folder = root / ("modele" if autocommit else "modele-sans-git")
    ok(root, "init", str(folder))
    if not autocommit:
        settings = folder / "visites.yaml"
        text = settings.read_text(encoding="utf-8")
        settings.write_text(text.replace("autocommit: true", "autocommit: false"), "utf-8")
    for household in ("Famille Essai", "Famille Témoin"):
        ok(folder, "new-referral", "--household", household, "--commune", "Nantes",
           "--context", "entree", "--referrer", "Mme Lebrun", "--date", "2015-01-12")  # fmt: skip
    ok(folder, "consent", CASE, "--date", "2015-01-20")
    for day in ("2015-01-20", "2015-01-27"):
        ok(folder, "event", CASE, "--kind", "telephone", "--date", day, "--note", "Appel.")
    path = folder / f"{CASE}.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# Note à la main.\n", encoding="utf-8")
    ok(folder, "check")
    return folder


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(TEMP_PREFIX))


def files(folder: Path) -> dict[str, bytes]:
    """Every file of the folder but the lock and temp files, byte for byte."""
    return {
        p.name: p.read_bytes()
        for p in sorted(folder.iterdir())
        if p.is_file() and p.name != LOCK_FILE and not p.name.startswith(TEMP_PREFIX)
    }


@dataclass(frozen=True)
class Expected:
    """A command, the folder before it and after it, and how long it takes."""

    name: str
    args: tuple[str, ...]
    before: dict[str, bytes]
    after: dict[str, bytes]
    seconds: float


def expected(template: Path, work: Path, name: str) -> Expected:
    """Run the command to its end on a copy: the "new" version of every file."""
    args = COMMANDS[name]
    copy = work / f"attendu-{name}"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(template, copy)
    started = time.perf_counter()
    done = subprocess.run(command_line(copy, args), env=child_environment(), capture_output=True)
    seconds = time.perf_counter() - started
    assert done.returncode == 0, done.stderr.decode()
    before, after = files(template), files(copy)
    assert before[f"{CASE}.yaml"] != after[f"{CASE}.yaml"]
    return Expected(name, args, before, after, seconds)


@dataclass(frozen=True)
class Kill:
    """What one SIGKILL left behind."""

    killed: bool  # False: the command had already finished when the signal came
    version: str  # "old" or "new": which version of the case file survived
    leftovers: int  # temp files found before the next command cleaned them


MOMENTS = ("anywhere", "write", "git")


def kill_once(template: Path, work: Path, plan: Expected, rng: random.Random, moment: str) -> Kill:
    """Start the command, SIGKILL it and its children, and check what is on disk.
    AssertionError if anything is lost or corrupt, or if the next command does not run cleanly.

    `moment`: "anywhere", after a random delay between 0 and the command's usual duration;
    "write", as soon as its temp file appears (inside the write itself); "git", as soon as
    git takes its index lock (the commit that follows the write). Plus a random spin."""
    folder = work / "victime"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(template, folder)
    child = subprocess.Popen(
        command_line(folder, plan.args),
        env=child_environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the kill takes git with it
    )
    if moment == "anywhere":
        time.sleep(rng.uniform(0, plan.seconds))
    else:
        index_lock = folder / ".git" / "index.lock"
        seen = (lambda: bool(leftovers(folder))) if moment == "write" else index_lock.exists
        deadline = time.monotonic() + 10 * plan.seconds + 5
        while child.poll() is None and not seen() and time.monotonic() < deadline:
            pass
        for _ in range(rng.randrange(0, 20_000)):  # a few microseconds to a few milliseconds
            pass
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, signal.SIGKILL)  # like a power cut: visites and its git, at once
    code = child.wait()
    killed = code == -signal.SIGKILL
    assert killed or code == 0, f"{plan.name}: exit {code} without a kill"
    return verify(folder, plan, killed)


def verify(folder: Path, plan: Expected, killed: bool) -> Kill:
    """Each file is the old or the new version whole; check passes; the next command runs."""
    now = files(folder)
    assert now.keys() == plan.before.keys(), f"files changed: {sorted(now)}"
    name = f"{CASE}.yaml"
    for other, content in now.items():
        if other != name:
            assert content == plan.before[other], f"{other} changed"
    if now[name] == plan.before[name]:
        version = "old"
    elif now[name] == plan.after[name]:
        version = "new"
    else:
        raise AssertionError(f"{name} is neither the old nor the new version:\n{now[name]!r}")
    assert killed or version == "new"
    left = len(leftovers(folder))
    ok(folder, "check")
    ok(folder, "event", CASE, "--kind", "absence", "--date", "2015-04-01")
    assert leftovers(folder) == [], "temp files survive the next command"
    ok(folder, "check")
    return Kill(killed, version, left)


# ---------------------------------------------------------------------------- concurrent writers

WRITER = """
import sys, time
from pathlib import Path
from visites.cli import main
folder, case, label, count, go = sys.argv[1:4] + [int(sys.argv[4]), Path(sys.argv[5])]
while not go.exists():  # start both writers at the same moment
    time.sleep(0.001)
failed = 0
for i in range(count):
    code = main(["--cases", folder, "event", case, "--kind", "visite", "--date", "2015-02-03",
                 "--note", f"{label}-{i}"])
    failed += code != 0
sys.exit(failed)
"""

REFERRER = """
import sys, time
from pathlib import Path
from visites.cli import main
folder, count, go = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
while not go.exists():
    time.sleep(0.001)
failed = 0
for i in range(count):
    code = main(["--cases", folder, "new-referral", "--household", f"Famille {i}",
                 "--commune", "Nantes", "--context", "entree", "--referrer", "Mme Lebrun",
                 "--date", "2015-03-01"])
    failed += code != 0
sys.exit(failed)
"""


def run_together(folder: Path, scripts: list[list[str]]) -> list[int]:
    """Start one Python process per argument list, release them at once, wait for all."""
    go = folder.parent / f"go-{folder.name}"
    go.unlink(missing_ok=True)
    children = [
        subprocess.Popen(
            [sys.executable, "-c", *argv, str(go)],
            env=child_environment(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for argv in scripts
    ]
    time.sleep(0.2)  # not needed for correctness: lets both finish importing first
    go.touch()
    codes = []
    for child in children:
        _, err = child.communicate(timeout=300)
        codes.append(child.returncode)
        assert child.returncode == 0, err.decode()
    go.unlink()
    return codes


def event_notes(folder: Path, case_id: str) -> list[str]:
    import json

    shown = json.loads(ok(folder, "show", case_id, "--json"))
    return [e.get("note", "") for e in shown["case"].get("events", [])]


def concurrent_events(folder: Path, count: int, same_case: bool) -> dict[str, list[str]]:
    """Two processes × `count` events, on one case or on one case each. Notes per case."""
    targets = [CASE, CASE] if same_case else [CASE, OTHER]
    run_together(
        folder,
        [[WRITER, str(folder), case, f"p{n}", str(count)] for n, case in enumerate(targets)],
    )
    return {case: event_notes(folder, case) for case in set(targets)}


def concurrent_referrals(folder: Path, count: int) -> list[str]:
    """Two processes × `count` new referrals. The IDs of the case files afterwards."""
    run_together(folder, [[REFERRER, str(folder), str(count)] for _ in range(2)])
    return sorted(p.stem for p in folder.glob("2015-*.yaml"))
