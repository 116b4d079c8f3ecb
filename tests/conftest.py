"""Fixtures: a fresh case folder, and a runner that goes through the real CLI entry point."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from visites.cli import main


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str


Run = Callable[..., Outcome]


@pytest.fixture(autouse=True)
def _own_git_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Git reads no personal or system configuration in tests (no signing, no identity)."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME",
                 "GIT_COMMITTER_EMAIL", "GIT_DIR", "GIT_WORK_TREE", "VISUAL",
                 "EDITOR"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def cases(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An initialised, empty case folder (created by `visites init`)."""
    monkeypatch.delenv("VISITES_CASES", raising=False)
    monkeypatch.delenv("VISITES_USER", raising=False)
    folder = tmp_path / "dossiers"
    assert main(["init", str(folder)]) == 0
    return folder


@pytest.fixture
def run(cases: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    """`run("status", "--json")` runs `visites --cases <folder> status --json` in-process."""
    capsys.readouterr()

    def invoke(*args: str) -> Outcome:
        code = main(["--cases", str(cases), *args])
        captured = capsys.readouterr()
        return Outcome(code, captured.out, captured.err)

    return invoke


def referral(
    run: Run, household: str = "Famille Essai", date: str = "2015-01-12", **extra: str
) -> str:
    """Record a referral through the CLI and return its new ID."""
    args = ["new-referral", "--household", household, "--commune", extra.pop("commune", "Nantes"),
            "--context", extra.pop("context", "entree"), "--referrer", "Mme Prescriptrice",
            "--date", date]  # fmt: skip
    for key, value in extra.items():
        args += [f"--{key.replace('_', '-')}", value]
    result = run(*args)
    assert result.code == 0, result.err
    return result.out.strip()


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of the folder, byte for byte."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }
