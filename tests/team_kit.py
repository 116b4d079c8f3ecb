"""A team of clones of one bare remote, for the sync tests and the long run (bench/team.py).

Everything goes through the real CLI: `visites` in this process (fast), or as a child process
when it must be killed. Kills are real SIGKILLs of the whole process group (visites, its git
and git's merge driver, as when a laptop's battery dies), at a chosen point: the Nth call of
the merge driver, a git ref update (before or after a commit, the fetch, the push), or after
a delay. The points are reached through git's own configuration, given in the environment
(GIT_CONFIG_COUNT…): nothing here hooks into visites itself.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from visites.cli import main

KILLER = """\
import os, signal, subprocess, sys
from pathlib import Path
counter = Path(os.environ["VISITES_TEST_COUNTER"])
point = os.environ["VISITES_TEST_KILL"]
kind, _, arg = point.partition(":")
if sys.argv[1] == "driver":
    n = int(counter.read_text() or 0) + 1 if counter.exists() else 1
    counter.write_text(str(n))
    if kind == "driver" and n == int(arg):
        os.killpg(os.getpgrp(), signal.SIGKILL)
    driver = "visites.services.sync.mergedriver"
    sys.exit(subprocess.call([sys.executable, "-m", driver, *sys.argv[2:]]))
else:  # reference-transaction STATE, with "<old> <new> <ref>" lines on stdin
    state, refs = sys.argv[2], sys.stdin.read()
    wanted_state, _, wanted_ref = arg.partition(":")
    if kind == "ref" and state == wanted_state and wanted_ref in refs:
        n = int(counter.read_text() or 0) + 1 if counter.exists() else 1
        counter.write_text(str(n))
        os.killpg(os.getpgrp(), signal.SIGKILL)
"""


KILL_POINTS = [
    "driver:1",  # the merge driver's first file: index locked, nothing merged yet
    "ref:prepared:ORIG_HEAD",  # git merge starting
    "ref:prepared:refs/heads",  # the merge commit being written (the branch's lock held)
    "ref:committed:refs/heads",  # merge committed, not pushed
    "ref:prepared:refs/remotes",  # during the fetch
]


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str


def run(folder: Path, *args: str) -> Outcome:
    """`visites --cases folder args…` in this process, through the real entry point."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--cases", str(folder), *args])
    return Outcome(code, out.getvalue(), err.getvalue())


def ok(folder: Path, *args: str) -> str:
    done = run(folder, *args)
    assert done.code == 0, f"visites {' '.join(args)} → {done.code}\n{done.out}{done.err}"
    return done.out


def git(folder: Path, *args: str, check: bool = True) -> str:
    done = subprocess.run(
        ["git", "-C", str(folder), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "LC_ALL": "C"},
    )
    if check and done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)}: {done.stderr}")
    return done.stdout


def isolated_git(home: Path) -> None:
    """Git reads no personal or system configuration (no signing, no identity)."""
    os.environ["GIT_CONFIG_GLOBAL"] = str(home / "gitconfig")
    os.environ["GIT_CONFIG_NOSYSTEM"] = "1"
    for name in (
        "GIT_AUTHOR_NAME",
        "GIT_AUTHOR_EMAIL",
        "GIT_COMMITTER_NAME",
        "GIT_COMMITTER_EMAIL",
        "GIT_DIR",
        "GIT_WORK_TREE",
        "VISITES_CASES",
        "VISITES_USER",
    ):
        os.environ.pop(name, None)


@dataclass(frozen=True)
class Clone:
    """One worker's clone of the team's folder."""

    name: str
    path: Path

    def run(self, *args: str) -> Outcome:
        return run(self.path, *args)

    def ok(self, *args: str) -> str:
        return ok(self.path, *args)

    def git(self, *args: str, check: bool = True) -> str:
        return git(self.path, *args, check=check)

    def referral(self, household: str, day: str = "2015-01-12", **extra: str) -> str:
        args = [
            "new-referral",
            "--household",
            household,
            "--commune",
            "Nantes",
            "--context",
            "entree",
            "--referrer",
            "Mme Prescriptrice",
            "--date",
            day,
        ]
        for key, value in extra.items():
            args += [f"--{key.replace('_', '-')}", value]
        return self.ok(*args).strip().splitlines()[-1]

    def event(self, case_id: str, note: str, day: str = "2015-02-03", kind: str = "visite") -> None:
        self.ok("event", case_id, "--kind", kind, "--date", day, "--note", note)

    def case(self, case_id: str) -> dict:
        return json.loads(self.ok("show", case_id, "--json"))["case"]

    def notes(self, case_id: str) -> list[str]:
        return [e.get("note", "") for e in self.case(case_id).get("events", [])]

    def text(self, case_id: str) -> str:
        return (self.path / f"{case_id}.yaml").read_text(encoding="utf-8")

    def head(self) -> str:
        return self.git("rev-parse", "HEAD").strip()

    def leftovers(self) -> list[str]:
        """What a killed sync may leave: git's locks, merge state, merge temp files."""
        found = [p.name for p in self.path.glob(".merge_file_*")]
        git_dir = self.path / ".git"
        found += [str(p.relative_to(git_dir)) for p in git_dir.rglob("*.lock")]
        if (git_dir / "MERGE_HEAD").exists():
            found.append("MERGE_HEAD")
        return sorted(found)

    def sync_killed(self, point: str, work: Path, timeout: float = 120) -> bool:
        """`visites sync` in a child process, SIGKILLed (with its git and merge driver) at
        `point`: "driver:N" (the Nth call of the merge driver), "ref:STATE:REF" (git's
        reference-transaction for REF in STATE: prepared, committed), or "after:SECONDS".
        True if the kill happened, False if the sync ended first."""
        tools = work / "kill-tools"
        tools.mkdir(exist_ok=True)
        killer = tools / "killer.py"
        killer.write_text(KILLER, encoding="utf-8")
        hook = tools / "hooks" / "reference-transaction"
        hook.parent.mkdir(exist_ok=True)
        hook.write_text(f'#!/bin/sh\nexec {sys.executable} {killer} ref "$@"\n')
        hook.chmod(0o755)
        counter = tools / f"counter-{self.name}"
        counter.unlink(missing_ok=True)
        env = {k: v for k, v in os.environ.items() if k not in ("VISITES_CASES", "VISITES_USER")}
        env.update(
            {
                "VISITES_TEST_KILL": point,
                "VISITES_TEST_COUNTER": str(counter),
                "PYTHONDONTWRITEBYTECODE": "1",
                "GIT_CONFIG_COUNT": "2",
                "GIT_CONFIG_KEY_0": "merge.visites.driver",
                "GIT_CONFIG_VALUE_0": f"{sys.executable} {killer} driver %O %A %B %P",
                "GIT_CONFIG_KEY_1": "core.hooksPath",
                "GIT_CONFIG_VALUE_1": str(hook.parent),
            }
        )
        child = subprocess.Popen(
            [sys.executable, "-m", "visites", "--cases", str(self.path), "sync"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: the kill takes git with it
        )
        if point.startswith("after:"):
            time.sleep(float(point.split(":", 1)[1]))
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGKILL)
        try:
            code = child.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
            raise AssertionError(f"sync on {self.name} hung") from None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGKILL)  # anything the kill point left running
        return code == -signal.SIGKILL


_TEMPLATES: dict[tuple[tuple[str, ...], int], Path] = {}


def make_team(root: Path, names: tuple[str, ...] = ("a", "b"), cases: int = 3) -> list[Clone]:
    """A bare remote `equipe.git` made from a new folder with `cases` referrals, and one
    clone per name, each with its own git identity, already synced once.

    Built once per process and shape, then copied (the clones pointed at the copy of the
    remote): the same bytes, a fraction of the time."""
    key = (names, cases)
    if key not in _TEMPLATES:
        template = Path(tempfile.mkdtemp(prefix="visites-equipe-"))
        atexit.register(shutil.rmtree, template, True)
        _build_team(template, names, cases)
        _TEMPLATES[key] = template
    template = _TEMPLATES[key]
    for name in ("equipe.git", *names):
        shutil.copytree(template / name, root / name, symlinks=True)
    clones = [Clone(name, root / name) for name in names]
    for clone in clones:
        clone.git("config", "remote.origin.url", str(root / "equipe.git"))
    return clones


def _build_team(root: Path, names: tuple[str, ...], cases: int) -> list[Clone]:
    remote = root / "equipe.git"
    git(root, "init", "-q", "--bare", str(remote))
    first = root / names[0]
    ok(root, "init", str(first))
    git(first, "remote", "add", "origin", str(remote))
    clones = [Clone(names[0], first)]
    for number in range(cases):
        clones[0].referral(f"Famille Départ {number + 1}")
    for clone in clones:
        _identify(clone)
    clones[0].ok("sync")
    for name in names[1:]:
        path = root / name
        git(root, "clone", "-q", str(remote), str(path))
        clone = Clone(name, path)
        _identify(clone)
        clone.ok("sync")  # the first sync of a clone: driver installed, files made private
        clones.append(clone)
    return clones


def _identify(clone: Clone) -> None:
    clone.git("config", "user.name", f"Poste {clone.name.upper()}")
    clone.git("config", "user.email", f"{clone.name}@example.org")


def households(folder: Path) -> dict[str, str]:
    """Case ID → household name, from the files of a folder."""
    found = {}
    for path in sorted(folder.glob("[0-9][0-9][0-9][0-9]-*.yaml")):
        match = re.search(r"(?m)^  nom: (.+)$", path.read_text(encoding="utf-8"))
        found[path.stem] = match.group(1).strip() if match else ""
    return found


def tree(folder: Path) -> dict[str, bytes]:
    """The tracked content of a folder's work tree (what must be identical on every clone)."""
    names = git(folder, "ls-files", "-z").split("\0")
    return {n: (folder / n).read_bytes() for n in names if n and (folder / n).is_file()}


def shell_copy(source: Path, target: Path) -> None:
    shutil.copytree(source, target, symlinks=True)
