"""Tests for french.py.

Every scenario is checked through three paths:
* ``CliRunner.invoke(app)`` (the app's own ``main``, what ``app()`` does),
* ``french.execute(command, args)`` in-process (what the console-script entry point runs),
* a real subprocess running this file as a script (``__main__`` below).
"""

from __future__ import annotations

import enum
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from visites.cli import french, french_errors

HERE = Path(__file__).resolve().parent

PROG = "visites"
WIDE = {"COLUMNS": "200", "TERMINAL_WIDTH": "200"}

# English fragments that must never reach the user.
ENGLISH = [
    "Usage",
    "Commands",
    "Show this message",
    "Missing",
    "No such",
    "Error",
    "Try ",
    "Aborted",
    "default:",
    "[required]",
    "env var",
    "Invalid value",
    "Got unexpected",
    "requires",
    "Did you mean",
    "is not one of",
    "Input should",
    "Choose from",
    "does not exist",
    "COMMAND",
    "[ARGS]",
    "<int",
    "<str>",
    "<path>",
    "<bool>",
    "Traceback",
]


class Mode(enum.StrEnum):
    rapide = "rapide"
    complet = "complet"


def make_app() -> typer.Typer:
    """A small app shaped like `visites`: group + callback option + commands."""
    app = typer.Typer(add_completion=False, help="Gestion des visites.")

    @app.callback()
    def main(
        cases: Annotated[
            Path,
            typer.Option(
                "--cases",
                metavar="DIR",
                help="Dossier des cas.",
                envvar="VISITES_CASES",
            ),
        ] = Path("cas"),
    ) -> None:
        """Gestion des visites."""

    @app.command()
    def orient(
        patient: Annotated[str, typer.Argument(help="Identifiant du patient.")],
        site: Annotated[str, typer.Option(help="Site de la visite.")],
        nombre: Annotated[
            int, typer.Option("--nombre", "-n", help="Nombre de visites.", min=1)
        ] = 3,
        mode: Annotated[Mode, typer.Option(help="Mode d'orientation.")] = Mode.rapide,
    ) -> None:
        """Orienter un patient."""
        typer.echo(f"orient {patient} {site} {nombre} {mode.value}")

    @app.command()
    def export(
        sortie: Annotated[
            Path, typer.Option(help="Fichier de sortie.", exists=True, dir_okay=False)
        ],
        abandon: Annotated[bool, typer.Option(help="Abandonner.")] = False,
        interrompre: Annotated[bool, typer.Option(help="Simuler Ctrl-C.")] = False,
        code: Annotated[int, typer.Option(help="Code de sortie.")] = 0,
    ) -> None:
        """Exporter les visites."""
        if abandon:
            raise typer.Abort()
        if interrompre:
            raise KeyboardInterrupt
        if code:
            raise typer.Exit(code)
        typer.echo(f"export {sortie.name}")

    french.frenchify(app)
    return app


# --------------------------------------------------------------------------
# The three ways of running the app; each returns (exit code, stdout, stderr)
# --------------------------------------------------------------------------


def run(app: typer.Typer, args: list[str] | None = None, prog_name: str = PROG) -> int:
    """Build the French click command of `app` and run it, as `visites.cli.main` does."""
    return french.execute(typer.main.get_command(app), args, prog_name)


def via_clirunner(args: list[str], env: dict[str, str] | None = None):
    from typer.testing import CliRunner

    result = CliRunner().invoke(make_app(), args, prog_name=PROG, env={**WIDE, **(env or {})})
    return result.exit_code, result.stdout, result.stderr


def via_run(args: list[str], env: dict[str, str] | None = None):
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    old = {k: os.environ.get(k) for k in {**WIDE, **(env or {})}}
    os.environ.update({**WIDE, **(env or {})})
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = run(make_app(), args, prog_name=PROG)
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return code, out.getvalue(), err.getvalue()


def via_subprocess(args: list[str], env: dict[str, str] | None = None):
    proc = subprocess.run(
        [sys.executable, __file__, *args],
        check=False,
        capture_output=True,
        text=True,
        env={**os.environ, **WIDE, **(env or {})},
        timeout=60,
    )
    return proc.returncode, proc.stdout, proc.stderr


RUNNERS = {"clirunner": via_clirunner, "run": via_run, "subprocess": via_subprocess}


def pytest_generate_tests(metafunc):
    if "invoke" in metafunc.fixturenames:
        metafunc.parametrize("invoke", list(RUNNERS.values()), ids=list(RUNNERS))


def _english_pattern(word: str) -> str:
    # Whole words only: "COMMAND" must not match "COMMANDE".
    left = r"\b" if word[0].isalnum() else ""
    right = r"\b" if word[-1].isalnum() else ""
    return left + re.escape(word) + right


def assert_french(text: str) -> None:
    found = [word for word in ENGLISH if re.search(_english_pattern(word), text)]
    assert not found, f"English left {found!r} in:\n{text}"


# --------------------------------------------------------------------------
# Help screens
# --------------------------------------------------------------------------


def test_group_help(invoke):
    code, out, err = invoke(["--help"])
    assert code == 0, err
    assert "Utilisation : visites [OPTIONS] COMMANDE [ARGUMENTS]..." in out
    assert "Options" in out
    assert "Commandes" in out
    assert "Afficher cette aide et quitter." in out
    assert "[variable d'environnement : VISITES_CASES]" in out
    assert "[défaut : cas]" in out
    assert "orient" in out and "Orienter un patient." in out
    assert_french(out + err)


def test_subcommand_help(invoke):
    code, out, err = invoke(["orient", "--help"])
    assert code == 0, err
    assert "Utilisation : visites orient [OPTIONS]" in out
    assert "Arguments" in out
    assert "[obligatoire]" in out
    assert "[défaut : 3]" in out
    assert "<entier>" in out
    assert "<texte>" in out
    assert "<rapide|complet>" in out
    assert "Afficher cette aide et quitter." in out
    assert_french(out + err)


def test_subcommand_help_export(invoke):
    code, out, err = invoke(["export", "--help"])
    assert code == 0, err
    assert "Utilisation : visites export [OPTIONS]" in out
    assert "<fichier>" in out  # Path with dir_okay=False
    assert "<booléen>" in out
    assert "[défaut : 0]" in out
    assert_french(out + err)


def test_plain_help_without_rich():
    """TYPER_USE_RICH=0: click's plain formatter must be French too."""
    for args in (["--help"], ["orient", "--help"]):
        code, out, err = via_subprocess(args, env={"TYPER_USE_RICH": "0"})
        assert code == 0, err
        assert "Utilisation : visites" in out
        assert "Options :" in out
        assert "Afficher cette aide et quitter." in out
        assert_french(out + err)
    assert "Commandes :" in via_subprocess(["--help"], {"TYPER_USE_RICH": "0"})[1]
    out = via_subprocess(["orient", "--help"], {"TYPER_USE_RICH": "0"})[1]
    assert "obligatoire" in out and "défaut : 3" in out


# --------------------------------------------------------------------------
# Usage errors: exit 2, French message naming the culprit, help hint
# --------------------------------------------------------------------------


def check_usage_error(invoke, args, *expected, hint="visites orient"):
    code, out, err = invoke(args)
    assert code == 2, (code, out, err)
    assert "erreur : " in err, err
    for fragment in expected:
        assert fragment in err, f"{fragment!r} not in:\n{err}"
    assert f"Essayez « {hint} --help » pour l'aide." in err, err
    assert_french(out + err)
    return err


def test_missing_option(invoke):
    check_usage_error(invoke, ["orient", "P1"], "option manquante « --site ».")


def test_missing_argument(invoke):
    err = check_usage_error(invoke, ["orient", "--site", "x"], "argument manquant « patient ».")
    assert err.startswith("Utilisation : visites orient [OPTIONS]")


def test_unknown_option(invoke):
    check_usage_error(invoke, ["orient", "P1", "--site", "x", "--foo"], "option inconnue : --foo")


def test_unknown_option_suggestion(invoke):
    check_usage_error(
        invoke,
        ["orient", "P1", "--sit", "x"],
        "option inconnue : --sit. Vouliez-vous dire « --site » ?",
    )


def test_unknown_group_option(invoke):
    check_usage_error(invoke, ["--foo"], "option inconnue : --foo", hint="visites")


def test_bad_int(invoke):
    check_usage_error(
        invoke,
        ["orient", "P1", "--site", "x", "-n", "abc"],
        "valeur invalide pour « --nombre / -n » : « abc » n'est pas un nombre entier valide.",
    )


def test_int_below_minimum(invoke):
    check_usage_error(
        invoke,
        ["orient", "P1", "--site", "x", "--nombre", "0"],
        "« --nombre / -n »",
        "supérieure ou égale à 1",
    )


def test_bad_choice(invoke):
    check_usage_error(
        invoke,
        ["orient", "P1", "--site", "x", "--mode", "lent"],
        "valeur invalide pour « --mode » : « lent » n'est pas un choix valide "
        "(choix possibles : rapide, complet).",
    )


def test_extra_argument(invoke):
    check_usage_error(invoke, ["orient", "P1", "P2", "--site", "x"], "argument(s) en trop : P2")


def test_option_requires_value(invoke):
    check_usage_error(invoke, ["orient", "P1", "--site"], "l'option « --site » attend une valeur.")


def test_group_option_requires_value(invoke):
    check_usage_error(
        invoke, ["--cases"], "l'option « --cases » attend une valeur.", hint="visites"
    )


def test_unknown_command(invoke):
    check_usage_error(
        invoke,
        ["orien"],
        "commande inconnue : « orien ». Vouliez-vous dire « orient » ?",
        hint="visites",
    )


def test_missing_command(invoke):
    check_usage_error(invoke, [], "commande manquante.", hint="visites")


def test_path_does_not_exist(invoke, tmp_path):
    missing = tmp_path / "absent.csv"
    check_usage_error(
        invoke,
        ["export", "--sortie", str(missing)],
        f"valeur invalide pour « --sortie » : le fichier « {missing} » n'existe pas.",
        hint="visites export",
    )


def test_path_is_a_directory(invoke, tmp_path):
    check_usage_error(
        invoke,
        ["export", "--sortie", str(tmp_path)],
        "est un dossier (un fichier est attendu).",
        hint="visites export",
    )


# --------------------------------------------------------------------------
# Success, Exit, Abort, Ctrl-C
# --------------------------------------------------------------------------


def test_success(invoke):
    code, out, err = invoke(["orient", "P1", "--site", "nord", "-n", "2"])
    assert (code, err) == (0, "")
    assert out.strip() == "orient P1 nord 2 rapide"


def test_exit_code_is_kept(invoke, tmp_path):
    target = tmp_path / "f.csv"
    target.write_text("")
    code, _out, _err = invoke(["export", "--sortie", str(target), "--code", "3"])
    assert code == 3


def test_abort(invoke, tmp_path):
    target = tmp_path / "f.csv"
    target.write_text("")
    code, out, err = invoke(["export", "--sortie", str(target), "--abandon"])
    assert code == 1
    assert err.strip() == "Abandon."
    assert_french(out + err)


def test_keyboard_interrupt(invoke, tmp_path):
    target = tmp_path / "f.csv"
    target.write_text("")
    code, out, err = invoke(["export", "--sortie", str(target), "--interrompre"])
    assert code == 1
    assert err.strip() == "Abandon."
    assert_french(out + err)


# --------------------------------------------------------------------------
# Unit tests and guards
# --------------------------------------------------------------------------


def test_translate_message_table():
    cases = {
        "No such option: --x": "option inconnue : --x",
        "Got unexpected extra argument(s) (a b)": "argument(s) en trop : a b",
        "Option '--x' requires 2 arguments.": "l'option « --x » attend 2 valeurs.",
        "Option '--x' does not take a value.": "l'option « --x » n'accepte pas de valeur.",
        "Argument 'src' takes 2 values.": "l'argument « src » attend 2 valeurs.",
        "'2024' does not match the formats '%Y-%m-%d'.": "« 2024 » ne correspond à "
        "aucun des formats %Y-%m-%d.",
        "2 values are required, but 1 given.": "2 valeurs sont attendues, 1 fournies.",
        "dir 'x' is not writable.": "le dossier « x » n'est pas accessible en écriture.",
        "Message déjà en français.": "Message déjà en français.",
    }
    for english, expected in cases.items():
        assert french_errors.translate_message(english) == expected


def test_frenchify_is_idempotent_and_sets_classes():
    app = make_app()
    french.frenchify(app)
    command = typer.main.get_command(app)
    assert isinstance(command, french.FrenchGroup)
    assert all(isinstance(sub, french.FrenchCommand) for sub in command.commands.values())


def test_custom_command_class_keeps_its_behaviour():
    class Loud(typer.core.TyperCommand):
        marker = "loud"

    app = typer.Typer(add_completion=False)

    @app.command(cls=Loud)
    def one(n: int) -> None:
        """Un."""

    @app.command()
    def two() -> None:
        """Deux."""

    french.frenchify(app)
    command = typer.main.get_command(app)
    assert isinstance(command.commands["one"], Loud)
    assert isinstance(command.commands["one"], french._FrenchMixin)
    assert isinstance(command.commands["two"], french.FrenchCommand)
    code, _out, err = via_run_app(app, ["one", "x"])
    assert code == 2 and "n'est pas un nombre entier valide" in err


def test_sub_app_and_deprecated_command():
    app = typer.Typer(add_completion=False)
    cas = typer.Typer(help="Gérer les cas.")
    app.add_typer(cas, name="cas")

    @cas.command()
    def liste(mode: Annotated[Mode, typer.Option(help="Mode.")]) -> None:
        """Lister les cas."""

    @cas.command(deprecated=True)
    def vieux() -> None:
        """Ancienne commande."""
        typer.echo("fait")

    french.frenchify(app)
    code, out, err = via_run_app(app, ["cas", "--help"])
    assert code == 0 and "Utilisation : visites cas [OPTIONS] COMMANDE" in out
    assert "(obsolète)" in out
    assert_french(out + err)

    code, out, err = via_run_app(app, ["cas", "liste"])
    assert code == 2
    assert "option manquante « --mode ». Choisissez parmi :" in err
    assert "Essayez « visites cas liste --help » pour l'aide." in err
    assert_french(out + err)

    code, out, err = via_run_app(app, ["cas", "vieux"])
    assert (code, out.strip()) == (0, "fait")
    assert "la commande « vieux » est obsolète" in err
    assert_french(out + err)


def via_run_app(app, args):
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run(app, args, prog_name=PROG)
    return code, out.getvalue(), err.getvalue()


def test_import_does_not_load_rich():
    code = (
        "import sys; from visites.cli import french; "
        "print(sorted(m for m in ('rich', 'typer.rich_utils', 'pydantic') "
        "if m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"


def test_usage_error_path_does_not_load_rich():
    code = (
        "import sys; from visites.cli import main; "
        "rc = main(['orient', '2015-001', '--foo']); "
        "print(rc, 'rich' in sys.modules)"
    )
    proc = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True)
    assert proc.stdout.strip() == "2 False", proc.stderr
    assert "option inconnue : --foo" in proc.stderr


def test_a_system_error_has_one_wording_on_the_command_line_and_in_the_store():
    import errno

    from visites.cli.typer_adapter import exceptions
    from visites.errors import reason

    denied = PermissionError(errno.EACCES, "Permission denied", "/x/sortie.csv")
    error = exceptions.BadParameter("Permission denied")
    error.__cause__ = denied
    assert french_errors.french_error_message(error) == (
        "valeur invalide : « /x/sortie.csv » : droits insuffisants."
    )
    assert reason(denied) == "droits insuffisants"


def test_one_translator_words_pydantic_errors_in_files_and_on_the_command_line():
    from visites.errors import validation_message

    error = {"type": "int_parsing", "loc": ("menage", "membres", 0, "naissance"), "input": "abc"}
    assert validation_message(error) == "naissance : nombre entier attendu"
    assert validation_message(error, typed=True) == "« abc » n'est pas un nombre entier valide."


if __name__ == "__main__":
    sys.exit(run(make_app(), prog_name=PROG))
