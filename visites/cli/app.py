"""The Typer app, its global options, and the one place where errors become French text.

Commands stay thin: parse, call the service or the core, render. Heavy modules (pydantic,
YAML, Rich) are imported inside the commands, so `visites --help` starts fast.
"""

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from visites.cli.lazy import LazyGroup
from visites.environment import acting_user

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import TypeVar

    from visites.store import Folder

    T = TypeVar("T")

app = typer.Typer(
    name="visites",
    help="Suivi des dossiers du programme « Les visites sociales » : orientations reçues, "
    "adhésions, diagnostics, orientations, accompagnements, échéances.",
    add_completion=False,
    no_args_is_help=True,
    epilog="Chaque commande a son aide : visites COMMANDE --help. Complétion dans le shell : "
    "visites completion --help.\n\n\b\nExemples :\n  visites status --overdue\n"
    "  visites show 2015-002",
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    cls=LazyGroup,
)

# A string, made a Path here: typer coerces Path options through pydantic, which a command
# served from the index cache (status) would otherwise import for this option alone.
CasesOption = Annotated[
    str | None,
    typer.Option(
        "--cases",
        help="Dossier des cas (sinon $VISITES_CASES, le dossier parent qui contient "
        "visites.yaml, ou ./cases).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Sortie JSON (pour les scripts).")]
DateOption = Annotated[
    str | None,
    typer.Option("--date", help="Date (AAAA-MM-JJ ou JJ/MM/AAAA) ; par défaut aujourd'hui.",
                 show_default=False),
]  # fmt: skip
# The household's profile, the same options in `new-referral` and `household`.
TypologyOption = Annotated[
    str | None, typer.Option(help="Typologie du ménage (liste de visites.yaml).")
]
SizeOption = Annotated[int | None, typer.Option(help="Nombre de personnes du ménage (1 à 20).")]
NoPriorityOption = Annotated[
    bool, typer.Option("--no-priority", help="Le ménage ne relève d'aucun public prioritaire.")
]
HousingOption = Annotated[
    str | None, typer.Option(help="Type de logement : T1, T2, T3, T4, T5 ou T6+.")
]


@app.callback()
def main_options(ctx: typer.Context, cases: CasesOption = None) -> None:
    """Suivi des dossiers du programme « Les visites sociales »."""
    ctx.obj = {"cases": Path(cases) if cases else None}


def folder(ctx: typer.Context) -> "Folder":
    """The case folder named by --cases, $VISITES_CASES, visites.yaml's folder or ./cases."""
    from visites.store import Folder, find_root

    return Folder(find_root(ctx.obj["cases"] if ctx.obj else None))


def today() -> date:
    """The real date (the core never reads the clock itself)."""
    return date.today()


def day(text: str | None, option: str, default: date | None = None) -> date:
    """A date typed by the user; an impossible one is a usage error (exit 2) that names the
    option and says what is wrong (« --date : mois 13 impossible »)."""
    from visites.dates import DateProblem, parse_date
    from visites.errors import UsageProblem

    if text is None:
        if default is None:
            raise UsageProblem(f"{option} : date manquante")
        return default
    try:
        return parse_date(text)
    except DateProblem as error:
        raise UsageProblem(f"{option} : {error.reason}") from None


def fact_day(text: str | None, option: str, today: date) -> date:
    """The date of something that happened (an adhesion, an event): by default today, and
    never after it (« --date : le 01/04/2027 est dans le futur »)."""
    from visites.dates import short
    from visites.errors import UsageProblem

    when = day(text, option, today)
    if when > today:
        raise UsageProblem(f"{option} : le {short(when)} est dans le futur")
    return when


def optional_day(text: str | None, option: str) -> date | None:
    return None if text is None else day(text, option)


def listed(option: str, match: "Callable[..., T]", typed: str, *args: Any, **kwargs: Any) -> "T":
    """`match(typed, *args)` (a function of `visites.matching`), its refusal a usage error
    naming the option: « --commune : commune « Coueronn » hors de la liste de visites.yaml.
    Vouliez-vous dire « Couëron » ? ». `new_flag=` names the flag that adds a value to an
    open list (`--new-commune`)."""
    from visites.errors import UsageProblem
    from visites.matching import Unmatched

    new_flag = kwargs.pop("new_flag", None)
    try:
        return match(typed, *args, **kwargs)
    except Unmatched as error:
        how = f"ajoutez {new_flag} pour l'inscrire dans visites.yaml" if new_flag else None
        raise UsageProblem(f"{option} : {error.message(how)}") from None
    except ValueError as error:  # a control character…
        raise UsageProblem(f"{option} : {error}") from None


def examples(*lines: str) -> str:
    """A command's help epilog: one or two French examples, printed as written (never
    re-wrapped). `@app.command(epilog=examples("visites status --overdue"))`."""
    return "\b\nExemples :\n" + "\n".join(f"  {line}" for line in lines)


def print_json(value: Any) -> None:
    import json  # not at the top: `visites --help` should not pay for it

    typer.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def author(by: str | None) -> str | None:
    """Who acts: --by, else $VISITES_USER."""
    return acting_user(by)


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the app; every user error becomes French text and an exit code."""
    from visites import notices, readprogress
    from visites.cli import lazy
    from visites.cli.day_view import case_folder_without_command as _day_view_folder
    from visites.cli.french import execute
    from visites.environment import COMPLETE, completion_request
    from visites.errors import InvalidFile, VisitesError
    from visites.render.progressbar import bar

    readprogress.install(bar)  # a long first read of the folder shows a bar on a terminal
    if request := completion_request():  # a TAB in a shell (visites completion)
        from visites.cli.typer_adapter import shell_complete

        return shell_complete(lazy.group(app), "visites", COMPLETE, request)
    try:
        root = _day_view_folder(sys.argv[1:] if argv is None else argv)
        if root is not None:
            from visites.cli.day_view import day_view

            day_view(root)
            return 0
        return execute(lazy.group(app), argv, prog_name="visites")
    except InvalidFile as error:
        for problem in error.problems:
            if problem.is_error:
                typer.echo(f"erreur : {problem}", err=True)
        return error.exit_code
    except VisitesError as error:
        typer.echo(f"erreur : {error}", err=True)
        return error.exit_code
    finally:  # what a command that did its job still has to say (a commit made later…)
        for text in notices.drain():
            typer.echo(f"avertissement : {text}", err=True)


if __name__ == "__main__":
    sys.exit(main())
