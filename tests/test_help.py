"""Every command's help: French argument names, French examples at the end, no line broken
inside « … »; a mistyped command or option gets « Vouliez-vous dire … ? »; every confirmation
goes through the one French helper."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import visites
from visites.cli import app, lazy, main

GROUP = lazy.group(app)
COMMANDS = [name for name, info in GROUP.pending.items() if not info.hidden]
# A new command's argument names one of these, or a new French name added here.
FRENCH_ARGUMENTS = {"ID", "MODÈLE", "ANNÉE", "DOSSIER", "suivi|ID", "BASE", "LOCALE",
                    "DISTANTE", "NOM", "SHELL", "N", "FICHIER"}  # fmt: skip


def help_of(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    assert main([*args, "--help"]) == 0
    return capsys.readouterr().out


def test_the_walk_sees_every_command() -> None:
    assert {"new-referral", "status", "document", "completion", "bilan"} <= set(COMMANDS)


@pytest.mark.parametrize("columns", ["60", "80"])
@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_every_help_ends_with_french_examples_and_keeps_quotations_whole(
    command: str, columns: str, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    text = help_of(capsys, *([command] if command else []))
    lines = text.rstrip("\n").splitlines()
    heading = max(i for i, line in enumerate(lines) if line.strip() == "Exemples :")
    examples = [line.strip() for line in lines[heading + 1 :] if line.strip()]
    assert examples and examples[0].startswith(("visites ", "(")), (command, examples)
    assert all(line.startswith(("visites ", "(", "--", "EDITOR=")) for line in examples), examples
    for line in lines:
        depth = 0
        for char in line:
            depth += {"«": 1, "»": -1}.get(char, 0)
            assert depth in (0, 1), line
        assert depth == 0, f"{command}: a line breaks inside « … »: {line!r}"
        assert "\ue000" not in line and "\ue001" not in line


@pytest.mark.parametrize("command", COMMANDS)
def test_arguments_have_french_names_in_the_usage_line(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    built = GROUP.get_command(None, command)
    for param in built.params:
        if param.param_type_name == "argument":
            assert param.metavar in FRENCH_ARGUMENTS, (command, param.name, param.metavar)
    usage = help_of(capsys, command).splitlines()[0]
    assert "{" not in usage and "_" not in usage.split("[OPTIONS]")[-1], usage


def test_a_mistyped_command_gets_a_suggestion(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["statut"]) == 2
    err = capsys.readouterr().err
    assert "erreur : commande inconnue : « statut ». Vouliez-vous dire « status » ?" in err
    assert main(["pré-commit-check"]) == 2  # a hidden command is never suggested
    assert "pre-commit-check" not in capsys.readouterr().err


def test_a_mistyped_option_gets_a_suggestion(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--overdu"]) == 2
    err = capsys.readouterr().err
    assert "erreur : option inconnue : --overdu. Vouliez-vous dire « --overdue » ?" in err


def test_every_confirmation_goes_through_the_french_helper() -> None:
    package = Path(visites.__file__).parent
    asking = package / "cli" / "asking.py"
    offenders = []
    for path in sorted(package.rglob("*.py")):
        if path == asking:
            continue
        source = path.read_text(encoding="utf-8")
        if re.search(r"\b(typer|click)\.confirm\(|\[[yYoO]/[nN]\]", source):
            offenders.append(str(path.relative_to(package)))
    assert not offenders, f"use visites.cli.asking.confirm / confirmed: {offenders}"
