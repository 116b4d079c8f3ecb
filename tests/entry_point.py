"""The real `visites` entry point, in a subprocess with a timeout: what a hostile input must
never do (a Python traceback, a hang) is seen from outside, as a user would see it."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.reliability_kit import child_environment

TIMEOUT_SECONDS = 60  # a hang fails the test instead of blocking the suite


@dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str


def visites(folder: Path | None, *args: str, timeout: float = TIMEOUT_SECONDS) -> Ran:
    """`python -m visites [--cases FOLDER] ARGS…`; never a traceback, never past `timeout`."""
    where = ["--cases", str(folder)] if folder is not None else []
    done = subprocess.run(
        [sys.executable, "-m", "visites", *where, *args],
        env=child_environment(), capture_output=True, text=True, timeout=timeout,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert "Traceback" not in done.stderr, (args, done.stderr)
    return Ran(done.returncode, done.stdout, done.stderr)


def refused(folder: Path | None, *args: str, code: int = 1) -> Ran:
    """A run that must be refused with `code` and one French line on stderr."""
    ran = visites(folder, *args)
    assert ran.code == code, (args, ran.code, ran.out, ran.err)
    return ran
