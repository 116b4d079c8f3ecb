"""Shell completion: commands, options, case IDs (from the file names) and list values, asked
as the shell scripts ask them, then a real bash driven in tmux."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import Run, referral
from visites.cli import main


def completions(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, line: str
) -> list[str]:
    """What bash gets for a TAB at the end of `line` (the protocol of the bash script)."""
    words = shlex.split(line)
    current = len(words) if line.endswith(" ") else len(words) - 1
    monkeypatch.setenv("_VISITES_COMPLETE", "complete_bash")
    monkeypatch.setenv("COMP_WORDS", line)
    monkeypatch.setenv("COMP_CWORD", str(current))
    capsys.readouterr()
    assert main([]) == 0
    monkeypatch.delenv("_VISITES_COMPLETE")
    return capsys.readouterr().out.splitlines()


def test_commands_options_and_values_complete(
    run: Run, cases: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = referral(run)
    referral(run, household="Famille Deux")
    referral(run, household="Famille Trois", date="2016-02-01")
    prefix = f"visites --cases {cases}"
    assert completions(capsys, monkeypatch, f"{prefix} sh") == ["show", "share"]
    assert "--overdue" in completions(capsys, monkeypatch, f"{prefix} status --o")
    assert completions(capsys, monkeypatch, f"{prefix} show 2015-") == ["2015-001", "2015-002"]
    assert completions(capsys, monkeypatch, f"{prefix} export s") == ["suivi"]
    commune = completions(capsys, monkeypatch, f"{prefix} new-referral --commune coue")
    assert commune == ["Couëron"]  # typed without its accent
    assert completions(capsys, monkeypatch, f"{prefix} new-referral --commune la\\ c") == [
        "La\\ Chapelle-sur-Erdre"  # escaped for bash: one word
    ]
    problems = completions(capsys, monkeypatch, f"{prefix} diagnose {first} --problem s")
    assert problems == ["sante"]
    phases = completions(capsys, monkeypatch, f"{prefix} status --phase ")
    assert phases == ["orientation-recue", "diagnostic", "accompagnement", "cloture"]
    kinds = completions(capsys, monkeypatch, f"{prefix} event {first} --kind t")
    assert kinds == ["tripartite", "telephone"]
    models = completions(capsys, monkeypatch, f"{prefix} document {first} a")
    assert models == ["avis-bailleur", "attestation-accompagnement"]
    assert completions(capsys, monkeypatch, f"{prefix} costs --by r") == ["referent"]
    outcome = completions(capsys, monkeypatch, f"{prefix} close {first} --outcome rel")
    assert outcome == ["relogement\\ ou\\ mutation", "relais\\ droit\\ commun"]


def test_referents_complete_from_the_settings(
    cases: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = cases / "visites.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "  referents: []", "  referents: [Claire Dubois, {nom: Claude Ancien, actif: false}]"
    ), encoding="utf-8")  # fmt: skip
    line = f"visites --cases {cases} new-referral --referent cl"
    assert completions(capsys, monkeypatch, line) == ["Claire\\ Dubois"]  # active ones only
    line = f"visites --cases {cases} status --referent cl"  # a search: everyone
    assert completions(capsys, monkeypatch, line) == ["Claire\\ Dubois", "Claude\\ Ancien"]


def test_the_scripts_print_and_install(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for shell, marker in (("bash", "complete -o default -F"), ("zsh", "compdef"),
                          ("fish", "complete --command visites")):  # fmt: skip
        capsys.readouterr()
        assert main(["completion", shell]) == 0
        script = capsys.readouterr().out
        assert marker in script and "_VISITES_COMPLETE=complete_" in script
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("SHELL", "/bin/bash")
    (tmp_path / ".bashrc").write_text("alias ll='ls -l'")
    for _ in range(2):  # twice: the rc file sources it once
        assert main(["completion", "--install"]) == 0
    rc = (tmp_path / ".bashrc").read_text()
    assert rc.startswith("alias ll='ls -l'\n")
    assert rc.count("source '") == 1 and (tmp_path / ".bash_completions" / "visites.sh").is_file()
    assert main(["completion", "--install", "fish"]) == 0
    assert (tmp_path / ".config" / "fish" / "completions" / "visites.fish").is_file()
    assert main(["completion", "tcsh"]) == 2
    assert "shell « tcsh » non pris en charge" in capsys.readouterr().err


# ---------------------------------------------------------------------------- bash in tmux


class Tmux:
    """A private tmux server running one interactive bash."""

    def __init__(self, tmp: Path, env: dict[str, str]) -> None:
        self.socket = str(tmp / "tmux.sock")  # a private server, gone with the test's folder
        self.tmp = tmp
        self.tmux("new-session", "-d", "-s", "t", "-x", "150", "-y", "20",
                  "bash --norc --noprofile", env=env)  # fmt: skip

    def tmux(self, *args: str, env: dict[str, str] | None = None) -> str:
        result = subprocess.run(["tmux", "-S", self.socket, *args], capture_output=True,
                                text=True, env=env, check=True, timeout=30)  # fmt: skip
        return result.stdout

    def type(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "t", *keys)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "t")

    def wait_for(self, line: str, seconds: float = 60) -> str:
        """Wait until a line of the screen ends with `line` (the completed command line)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            shown = self.screen()
            if any(row.rstrip().endswith(line) for row in shown.splitlines()):
                return shown
            time.sleep(0.2)
        raise AssertionError(f"{line!r} never shown:\n{self.screen()}")

    def wait_for_prompt(self, seconds: float = 60) -> None:
        """Wait until bash waits on an empty prompt (keys typed before would be lost)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            rows = [row.rstrip() for row in self.screen().splitlines() if row.strip()]
            if rows and rows[-1] == "$":
                return
            time.sleep(0.1)
        raise AssertionError(f"no prompt:\n{self.screen()}")

    def close(self) -> None:
        subprocess.run(["tmux", "-S", self.socket, "kill-server"], capture_output=True,
                       timeout=30)  # fmt: skip


@pytest.mark.skipif(not shutil.which("tmux") or not shutil.which("bash"), reason="tmux, bash")
def test_bash_completes_a_case_id_a_commune_and_a_problem_domain(
    run: Run, cases: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    referral(run)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    program = bin_dir / "visites"  # the installed command, as a person runs it
    program.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m visites "$@"\n')
    program.chmod(0o755)
    capsys.readouterr()
    assert main(["completion", "bash"]) == 0
    script = tmp_path / "visites.bash"
    script.write_text(capsys.readouterr().out)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "HOME": str(tmp_path),
           "VISITES_CASES": str(cases), "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
           "PS1": "$ ", "TERM": "xterm"}  # fmt: skip
    env.pop("TMUX", None)
    shell = Tmux(tmp_path, env)
    try:
        shell.type(f"source {script}; PS1='$ '; clear", "Enter")
        shell.wait_for_prompt()
        for typed, completed in (
            ("visites show 2015-0", " show 2015-001"),
            ("visites new-referral --commune coue", " --commune Couëron"),
            ("visites diagnose 2015-001 --problem acc", " --problem acces-aux-droits"),
            ("visites new-referral --commune la\\ ch", " --commune La\\ Chapelle-sur-Erdre"),
        ):
            shell.type(typed, "Tab")
            shell.wait_for(completed)
            shell.type("C-c")  # a fresh prompt for the next one
            shell.wait_for_prompt()
    finally:
        shell.close()


def test_zsh_and_fish_get_the_same_values(
    run: Run, cases: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    referral(run)
    line = f"visites --cases {cases} diagnose 2015-001 --problem acc"
    monkeypatch.setenv("_TYPER_COMPLETE_ARGS", line)
    for request, expected in (
        ("complete_zsh", """_arguments '*: :(("acces-aux-droits":"Accès aux droits"))'"""),
        ("complete_fish", "acces-aux-droits\tAccès aux droits"),
    ):
        monkeypatch.setenv("_VISITES_COMPLETE", request)
        monkeypatch.setenv("_TYPER_COMPLETE_FISH_ACTION", "get-args")
        capsys.readouterr()
        assert main([]) == 0
        assert capsys.readouterr().out.strip() == expected


def test_the_other_commands_complete_their_own_values(
    run: Run, cases: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    referral(run)
    prefix = f"visites --cases {cases}"
    assert completions(capsys, monkeypatch, f"{prefix} rdv 2015-001 --kind t") == [
        "tripartite", "telephone"
    ]  # fmt: skip
    assert "CAF" in completions(capsys, monkeypatch, f"{prefix} partner 2015-001 --add C")
    assert completions(capsys, monkeypatch, f"{prefix} household 2015-001 --typology fam") == [
        "famille-monoparentale"
    ]
