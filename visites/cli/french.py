"""French localisation for a Typer application (typer 0.29.x, vendored click).

Typer and its vendored click (``typer._click``) print English text: help
screens ("Usage:", "Show this message and exit.", "[default: ...]", panel
titles) and usage errors ("No such option", "Missing option", pydantic
coercion messages...).  This module makes a Typer app fully French:

* ``frenchify(app)`` walks the Typer app (and its sub-apps) and sets the
  ``cls=`` of every group / command to a French subclass (``FrenchGroup`` /
  ``FrenchCommand``, or a French variant of a custom class).  These classes
  use a French ``Context``/``HelpFormatter`` ("Utilisation : "), a French
  help option, French metavars and French type labels, and render usage
  errors themselves, in French, on stderr.
* ``run(app, args, prog_name)`` is the console-script entry point: it runs
  the app and returns the exit code (0, 1 for "Abandon.", 2 for usage errors,
  or whatever ``typer.Exit(code)`` carried).

Only two pieces of global state are touched, both lazily and idempotently:
``typer.core._`` (the gettext hook typer.core uses for a few help strings)
and the text constants of ``typer.rich_utils`` (only set right before a rich
help screen is rendered, so importing this module does not import rich).

The app must be created with ``typer.Typer(add_completion=False)``:
shell completion is not supported (``frenchify`` turns it off otherwise).
"""

from __future__ import annotations

import errno
import inspect
import re
import sys
import weakref
from collections.abc import Callable, Sequence
from typing import Any

import typer
import typer.core
from typer import _click
from typer._click import exceptions as click_exc
from typer.core import TyperCommand, TyperGroup
from typer.models import Context as TyperContext
from typer.models import DefaultPlaceholder

__all__ = [
    "FrenchCommand",
    "FrenchContext",
    "FrenchGroup",
    "FrenchHelpFormatter",
    "execute",
    "french_error_message",
    "frenchify",
    "run",
    "translate_message",
]

# --------------------------------------------------------------------------
# French texts
# --------------------------------------------------------------------------

USAGE_PREFIX = "Utilisation : "
HELP_OPTION_TEXT = "Afficher cette aide et quitter."
ABORTED_TEXT = "Abandon."
ERROR_PREFIX = "erreur : "
TRY_HELP_TEXT = "Essayez « {command} {option} » pour l'aide."
SUBCOMMAND_METAVAR = "COMMANDE [ARGUMENTS]..."

_ENGLISH_HELP_OPTION_TEXT = "Show this message and exit."
_ENGLISH_SUBCOMMAND_METAVAR = "COMMAND [ARGS]..."

# Strings that typer.core passes through gettext (``_``).  Mostly used by the
# plain (non-rich) help renderer.
_CORE_CATALOG = {
    "(dynamic)": "(dynamique)",
    "Aborted!": ABORTED_TEXT,
    "default: {default}": "défaut : {default}",
    "required": "obligatoire",
    "env var: {var}": "variable d'environnement : {var}",
    "Arguments": "Arguments",
    "Options": "Options",
    "Commands": "Commandes",
    "Missing command.": "commande manquante.",
    "No such command {name!r}.": "commande inconnue : « {name} ».",
}

# typer.rich_utils module constants, computed once at its import time.
_RICH_CONSTANTS = {
    "DEPRECATED_STRING": "(obsolète) ",
    "DEFAULT_STRING": "[défaut : {}]",
    "ENVVAR_STRING": "[variable d'environnement : {}]",
    "REQUIRED_LONG_STRING": "[obligatoire]",
    "ARGUMENTS_PANEL_TITLE": "Arguments",
    "OPTIONS_PANEL_TITLE": "Options",
    "COMMANDS_PANEL_TITLE": "Commandes",
    "ERRORS_PANEL_TITLE": "Erreur",
    "ABORTED_TEXT": ABORTED_TEXT,
    "RICH_HELP": "Essayez [blue]« {command_path} {help_option} »[/] pour l'aide.",
}

# Type labels shown in help ("<int>", "<path>", "<int range>"...).
_TYPE_LABELS = {
    "str": "texte",
    "int": "entier",
    "float": "réel",
    "bool": "booléen",
    "path": "chemin",
    "Path": "chemin",
    "file": "fichier",
    "dir": "dossier",
    "datetime": "date",
    "date": "date",
    "Decimal": "décimal",
    "list": "liste",
    "bytes": "octets",
}
_TYPE_TOKEN = r"[A-Za-z_]\w*"

_PARAM_KINDS = {
    "option": "option manquante",
    "argument": "argument manquant",
    "parameter": "paramètre manquant",
}

_PATH_LABELS = {"file": "le fichier", "dir": "le dossier", "path": "le chemin"}

_ERRNO_TEXTS = {
    errno.ENOENT: "fichier ou dossier introuvable",
    errno.EACCES: "permission refusée",
    errno.EPERM: "opération non permise",
    errno.EISDIR: "c'est un dossier",
    errno.ENOTDIR: "ce n'est pas un dossier",
    errno.EEXIST: "le fichier existe déjà",
    errno.ENOSPC: "plus d'espace disponible sur le périphérique",
    errno.EROFS: "système de fichiers en lecture seule",
}


def _q(text: str) -> str:
    """French quotation marks."""
    return f"« {text} »"


def _unquote_list(text: str) -> str:
    """ "'a', 'b'" -> "a, b" (lists of Python reprs produced by typer)."""
    return re.sub(r"'([^']*)'", r"\1", text)


def _path_label(kind: str) -> str:
    return _PATH_LABELS.get(kind, "le chemin")


# Regex table for the English messages built with f-strings by typer / click.
# Each pattern must match the *whole* message.  Plain strings (not
# re.compile) so that nothing is compiled at import time.
_MESSAGE_TABLE: list[tuple[str, Callable[[re.Match[str]], str]]] = [
    (r"No such option: (.*)", lambda m: f"option inconnue : {m[1]}"),
    (
        r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)",
        lambda m: f"argument(s) en trop : {m[1]}",
    ),
    (
        r"Option '(.+)' requires an argument\.",
        lambda m: f"l'option {_q(m[1])} attend une valeur.",
    ),
    (
        r"Option '(.+)' requires (\d+) arguments\.",
        lambda m: f"l'option {_q(m[1])} attend {m[2]} valeurs.",
    ),
    (
        r"Option '(.+)' does not take a value\.",
        lambda m: f"l'option {_q(m[1])} n'accepte pas de valeur.",
    ),
    (
        r"Argument '(.+)' takes (\d+) values\.",
        lambda m: f"l'argument {_q(m[1])} attend {m[2]} valeurs.",
    ),
    (r"Missing command\.", lambda m: "commande manquante."),
    (
        r"No such command '(.*)'\.",
        lambda m: f"commande inconnue : {_q(m[1])}.",
    ),
    (
        r"'(.*)' is not one of (.*)\.",
        lambda m: (
            f"{_q(m[1])} n'est pas un choix valide (choix possibles : {_unquote_list(m[2])})."
        ),
    ),
    (
        r"'(.*)' does not match the formats (.*)\.",
        lambda m: f"{_q(m[1])} ne correspond à aucun des formats {_unquote_list(m[2])}.",
    ),
    (
        r"(\d+) values are required, but (\d+) given\.",
        lambda m: f"{m[1]} valeurs sont attendues, {m[2]} fournies.",
    ),
    (
        r"value is not a valid tuple",
        lambda m: "la valeur n'est pas un n-uplet valide.",
    ),
    (r"None is not a valid string", lambda m: "aucune valeur fournie."),
    (
        r"Value must be an iterable\.",
        lambda m: "une liste de valeurs est attendue.",
    ),
    (
        r"Value (.+) is not a valid (.+)\.",
        lambda m: f"la valeur {m[1]} n'est pas valide (type attendu : {m[2]}).",
    ),
    (
        r"(file|dir|path) '(.*)' does not exist\.",
        lambda m: f"{_path_label(m[1])} {_q(m[2])} n'existe pas.",
    ),
    (
        r"(file|dir|path) '(.*)' is a file\.",
        lambda m: f"{_q(m[2])} est un fichier (un dossier est attendu).",
    ),
    (
        r"(file|dir|path) '(.*)' is a directory\.",
        lambda m: f"{_q(m[2])} est un dossier (un fichier est attendu).",
    ),
    (
        r"(file|dir|path) '(.*)' is not readable\.",
        lambda m: f"{_path_label(m[1])} {_q(m[2])} n'est pas lisible.",
    ),
    (
        r"(file|dir|path) '(.*)' is not writable\.",
        lambda m: f"{_path_label(m[1])} {_q(m[2])} n'est pas accessible en écriture.",
    ),
    (
        r"Could not open file '(.*)': (.*)",
        lambda m: f"impossible d'ouvrir le fichier {_q(m[1])} : {translate_message(m[2])}",
    ),
    (r"unknown error", lambda m: "erreur inconnue"),
    (
        r"Choose from:(.*)",
        lambda m: f"Choisissez parmi :{_unquote_list(m[1])}",
    ),
]

_DID_YOU_MEAN = r"(.*)\. Did you mean (.+)\?"


def translate_message(message: str) -> str:
    """Translate one English typer/click message; unknown text is returned as is
    (messages raised by the application itself are already French)."""
    suggestion = ""
    m = re.fullmatch(_DID_YOU_MEAN, message, re.DOTALL)
    if m:
        message = m[1] + "."
        names = re.findall(r"'([^']*)'", m[2]) or [m[2]]
        suggestion = f" Vouliez-vous dire {', '.join(_q(n) for n in names)} ?"
    for pattern, build in _MESSAGE_TABLE:
        # re caches compiled patterns: each one is compiled on first use only.
        match = re.fullmatch(pattern, message, re.DOTALL)
        if match:
            message = build(match)
            break
    return message + suggestion


# --------------------------------------------------------------------------
# Error messages
# --------------------------------------------------------------------------


def _param_hint(error: click_exc.BadParameter) -> str | None:
    """Name of the faulty parameter, e.g. « --nombre / -n »."""
    if error.param_hint is not None:
        hint = error.param_hint
        if not isinstance(hint, str):
            hint = " / ".join(hint)
        return _q(hint)
    param = error.param
    if param is None:
        return None
    if param.param_type_name == "option":
        names = param.opts or [param.display_name_raw]
        text = _q(" / ".join(names))
        envvar = param.envvar
        if getattr(param, "show_envvar", False) and envvar is not None:
            if not isinstance(envvar, str):
                envvar = ", ".join(envvar)
            text += f" (variable d'environnement : {envvar})"
        return text
    return _q(param.display_name_raw)


def _pydantic_message(error: dict[str, Any]) -> str:
    """French text for the first error of a pydantic ValidationError, chosen
    by its machine-readable ``type`` (the English ``msg`` is ignored)."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    value = error.get("input")
    shown = _q(str(value)) if isinstance(value, (str, int, float)) else repr(value)
    if kind in ("int_parsing", "int_type", "int_from_float", "int_parsing_size"):
        return f"{shown} n'est pas un nombre entier valide."
    if kind in ("float_parsing", "float_type", "decimal_parsing", "decimal_type"):
        return f"{shown} n'est pas un nombre valide."
    if kind in ("finite_number",):
        return "un nombre fini est attendu."
    if kind in ("bool_parsing", "bool_type"):
        return f"{shown} n'est pas un booléen valide (true/false, yes/no, 1/0)."
    bounds = {
        "greater_than": ("gt", "strictement supérieure à"),
        "greater_than_equal": ("ge", "supérieure ou égale à"),
        "less_than": ("lt", "strictement inférieure à"),
        "less_than_equal": ("le", "inférieure ou égale à"),
    }
    if kind in bounds:
        key, text = bounds[kind]
        return f"la valeur doit être {text} {ctx.get(key)} (reçu : {value})."
    if kind.startswith(("datetime", "date")):
        return f"{shown} n'est pas une date valide."
    if kind.startswith("time"):
        return f"{shown} n'est pas une heure valide."
    if kind.startswith("uuid"):
        return f"{shown} n'est pas un UUID valide."
    if kind in ("path_type",):
        return f"{shown} n'est pas un chemin valide."
    if kind in ("string_type",):
        return "une chaîne de caractères est attendue."
    if kind in ("value_error", "assertion_error") and ctx.get("error") is not None:
        return translate_message(str(ctx["error"]))
    return f"valeur {shown} invalide."


def _bad_parameter_detail(error: click_exc.BadParameter) -> str:
    cause = error.__cause__
    # pydantic.ValidationError (not imported here: keep start-up light)
    errors = getattr(cause, "errors", None)
    if callable(errors) and type(cause).__module__.startswith("pydantic"):
        details = errors()
        if details:
            return _pydantic_message(details[0])
    if isinstance(cause, OSError) and cause.errno is not None:
        reason = _ERRNO_TEXTS.get(cause.errno, f"erreur système n° {cause.errno}")
        target = cause.filename if cause.filename is not None else ""
        return f"{_q(str(target))} : {reason}." if target else f"{reason}."
    return translate_message(error.message)


def french_error_message(error: click_exc.ClickException) -> str:
    """The French one-line(ish) message for a click/typer usage error."""
    if isinstance(error, click_exc.MissingParameter):
        param = error.param
        kind = error.param_type or (param.param_type_name if param else "parameter")
        label = _PARAM_KINDS.get(kind, f"{kind} manquant")
        hint = _param_hint(error)
        text = f"{label} {hint}." if hint else f"{label}."
        extras = []
        if error.message:
            extras.append(translate_message(error.message))
        if param is not None:
            missing = param.get_missing_message(ctx=error.ctx)
            if missing:
                extras.append(translate_message(missing))
        return " ".join([text, *extras])
    if isinstance(error, click_exc.BadParameter):
        hint = _param_hint(error)
        detail = _bad_parameter_detail(error)
        if hint:
            return f"valeur invalide pour {hint} : {detail}"
        return f"valeur invalide : {detail}"
    if isinstance(error, click_exc.NoSuchOption):
        text = translate_message(error.message)
        if error.possibilities:
            text += f" (vouliez-vous dire {', '.join(sorted(error.possibilities))} ?)"
        return text
    if isinstance(error, click_exc.FileError):
        return (
            f"impossible d'ouvrir le fichier {_q(error.ui_filename)} : "
            f"{translate_message(error.message)}"
        )
    return translate_message(error.format_message())


def _show_error(error: click_exc.ClickException, prog_name: str) -> None:
    """Print a usage error on stderr: usage line, French message, help hint."""
    ctx = getattr(error, "ctx", None)
    lines = []
    if ctx is not None:
        lines.append(ctx.get_usage())
    lines.append(ERROR_PREFIX + french_error_message(error))
    if isinstance(error, click_exc.UsageError):
        if ctx is not None:
            if ctx.command.get_help_option(ctx) is not None:
                lines.append(
                    TRY_HELP_TEXT.format(command=ctx.command_path, option=ctx.help_option_names[0])
                )
        else:
            lines.append(TRY_HELP_TEXT.format(command=prog_name, option="--help"))
    _click.echo("\n".join(lines), err=True, color=ctx.color if ctx else None)


# --------------------------------------------------------------------------
# Help rendering
# --------------------------------------------------------------------------


class FrenchHelpFormatter(_click.HelpFormatter):
    """Help formatter whose usage line starts with "Utilisation : "."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, USAGE_PREFIX if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        # French typography: a space before the colon ("Commandes :").
        self.write(f"{'':>{self.current_indent}}{heading} :\n")


class FrenchContext(TyperContext):
    """Context using the French help formatter (also for ``ctx.get_usage()``)."""

    formatter_class = FrenchHelpFormatter


_rich_installed = False


def _install_rich_strings() -> None:
    """Set the French constants of typer.rich_utils.

    Called right before a rich help screen is rendered: typer imports
    rich_utils lazily, and so do we, to keep start-up light.
    """
    global _rich_installed
    if _rich_installed:
        return
    from typer import rich_utils

    for name, value in _RICH_CONSTANTS.items():
        setattr(rich_utils, name, value)
    # Highlight the French usage prefix like the English one.
    highlighter = rich_utils.highlighter
    highlighter.highlights = [
        *type(highlighter).highlights,
        r"(?P<usage>Utilisation : )",
    ]
    _rich_installed = True


def _french_type_label(label: str) -> str:
    label = label.replace(" range", "")
    return re.sub(_TYPE_TOKEN, lambda m: _TYPE_LABELS.get(m[0], m[0]), label)


def _localize_param(param: Any) -> None:
    """Translate the type label ("<int>" -> "<entier>") of one parameter.

    typer builds TyperOption/TyperArgument itself (no ``cls=`` hook for
    parameters), so the bound ``display_type`` is wrapped on the instance.
    Choice labels ("<rapide|complet>") are the application's own words and
    are left alone.
    """
    if getattr(param, "_french", False) or not hasattr(param, "display_type"):
        return
    original = param.display_type

    def display_type(ctx: _click.Context) -> str:
        label = original(ctx)
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is not None and descriptor.is_choice:
            return label.replace("list[", "liste[")
        return _french_type_label(label)

    param.display_type = display_type
    param._french = True


class _FrenchMixin:
    """French behaviour shared by FrenchGroup and FrenchCommand."""

    context_class = FrenchContext

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if getattr(self, "subcommand_metavar", None) == _ENGLISH_SUBCOMMAND_METAVAR:
            self.subcommand_metavar = SUBCOMMAND_METAVAR
        for param in self.params:
            _localize_param(param)

    def get_help_option(self, ctx: _click.Context) -> Any:
        option = super().get_help_option(ctx)
        if option is not None and option.help == _ENGLISH_HELP_OPTION_TEXT:
            option.help = HELP_OPTION_TEXT
            _localize_param(option)
        return option

    def get_short_help_str(self, limit: int = 45) -> str:
        text = super().get_short_help_str(limit)
        return text.replace("(DEPRECATED: ", "(OBSOLÈTE : ").replace("(DEPRECATED)", "(OBSOLÈTE)")

    def format_help_text(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        # Plain renderer only; same as click's, with the French deprecation note.
        text = inspect.cleandoc(self.help).partition("\f")[0] if self.help else ""
        if self.deprecated:
            note = (
                f"(OBSOLÈTE : {self.deprecated})"
                if isinstance(self.deprecated, str)
                else "(OBSOLÈTE)"
            )
            text = f"{text} {note}"
        if text:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(text)

    def invoke(self, ctx: _click.Context) -> Any:
        if not self.deprecated:
            return super().invoke(ctx)
        # click's Command.invoke prints an English DeprecationWarning when
        # ``deprecated`` is set: print a French one and hide the flag meanwhile.
        extra = f" {self.deprecated}" if isinstance(self.deprecated, str) else ""
        message = f"Avertissement : la commande « {self.name} » est obsolète.{extra}"
        _click.echo(_click.termui.style(message, fg="red"), err=True)
        deprecated, self.deprecated = self.deprecated, False
        try:
            return super().invoke(ctx)
        finally:
            self.deprecated = deprecated

    def format_help(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        if typer.core.HAS_RICH and getattr(self, "rich_markup_mode", None):
            _install_rich_strings()
        super().format_help(ctx, formatter)

    def parse_args(self, ctx: _click.Context, args: list[str]) -> list[str]:
        # The option parser raises some usage errors without a context
        # ("Option '--x' requires an argument."); attach it so that the
        # error shows the usage line and the help hint of this command.
        try:
            return super().parse_args(ctx, args)
        except click_exc.UsageError as error:
            if error.ctx is None:
                error.ctx = ctx
                error.cmd = ctx.command
            raise

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        """``app()`` / ``CliRunner.invoke(app)`` land here.

        Standalone mode prints French errors and exits; non-standalone mode
        keeps click's semantics (exceptions propagate, untranslated).
        """
        if not standalone_mode:
            return super().main(
                args,
                prog_name,
                complete_var,
                standalone_mode=False,
                windows_expand_args=windows_expand_args,
                **extra,
            )
        sys.exit(execute(self, args, prog_name, **extra))


class FrenchGroup(_FrenchMixin, TyperGroup):
    """TyperGroup speaking French."""


class FrenchCommand(_FrenchMixin, TyperCommand):
    """TyperCommand speaking French."""


_variants: dict[type, type] = {TyperGroup: FrenchGroup, TyperCommand: FrenchCommand}


def _french_variant(cls: type) -> type:
    """French subclass of a (possibly custom) TyperGroup/TyperCommand class."""
    if issubclass(cls, _FrenchMixin):
        return cls
    if cls not in _variants:
        _variants[cls] = type(f"French{cls.__name__}", (_FrenchMixin, cls), {})
    return _variants[cls]


# --------------------------------------------------------------------------
# Installation and execution
# --------------------------------------------------------------------------


def _core_gettext(message: str) -> str:
    return _CORE_CATALOG.get(message, message)


def _set_group_cls(info: Any, default: bool) -> None:
    """Make the ``cls`` of a TyperInfo French (keep typer's priority rules:
    an explicit value stays explicit, a placeholder stays a placeholder)."""
    if info is None:
        return
    value = info.cls
    if isinstance(value, DefaultPlaceholder):
        if default:
            info.cls = FrenchGroup
        return
    info.cls = _french_variant(value or TyperGroup)


def frenchify(app: typer.Typer) -> None:
    """Make ``app`` (and all its sub-apps and commands) French.

    Idempotent.  Call it once all commands are registered (``run`` calls it
    again anyway, so late registrations are covered when using ``run``).
    """
    # typer.core looks up a handful of help strings through gettext's ``_``
    # (plain help renderer: "Commands", "default: ...", "required"...).
    # Replacing that module-level hook is the smallest way to translate them.
    typer.core._ = _core_gettext  # ty: ignore

    # Shell completion (--install-completion/--show-completion) is English
    # and unsupported: the app should be created with add_completion=False.
    if getattr(app, "_add_completion", False):
        app._add_completion = False

    _set_group_cls(app.info, default=True)
    _set_group_cls(app.registered_callback, default=False)
    for command_info in app.registered_commands:
        command_info.cls = _french_variant(command_info.cls or TyperCommand)
    for group_info in app.registered_groups:
        _set_group_cls(group_info, default=False)
        if group_info.typer_instance is not None:
            frenchify(group_info.typer_instance)


def execute(
    command: _click.Command,
    args: Sequence[str] | None = None,
    prog_name: str | None = None,
    **extra: Any,
) -> int:
    """Run a click command; print French errors; return the exit code."""
    args = sys.argv[1:] if args is None else list(args)
    if prog_name is None:
        prog_name = _click.utils._detect_program_name()
    try:
        try:
            with command.make_context(prog_name, args, **extra) as ctx:
                command.invoke(ctx)
        except (EOFError, KeyboardInterrupt) as error:
            _click.echo(file=sys.stderr)
            raise typer.Abort() from error
    except click_exc.NoArgsIsHelpError as error:
        # rich already printed the help while building the error; the plain
        # renderer puts it in the message.
        message = error.format_message()
        if message:
            _click.echo(message, err=True, color=error.ctx.color)
        return error.exit_code
    except click_exc.ClickException as error:
        _show_error(error, prog_name)
        return error.exit_code
    except typer.Exit as error:
        return error.exit_code
    except typer.Abort:
        _click.echo(ABORTED_TEXT, err=True)
        return 1
    except OSError as error:
        if error.errno == errno.EPIPE:
            sys.stdout = _click.utils.PacifyFlushWrapper(sys.stdout)  # type: ignore
            sys.stderr = _click.utils.PacifyFlushWrapper(sys.stderr)  # type: ignore
            return 1
        raise
    return 0


def run(
    app: typer.Typer,
    args: Sequence[str] | None = None,
    prog_name: str = "visites",
) -> int:
    """Console-script entry point: ``sys.exit(run(app))``.

    Returns 0 on success, 2 on a usage error (French message on stderr),
    1 after "Abandon." (typer.Abort, Ctrl-C, EOF on a prompt), or the code
    given to ``typer.Exit``.
    """
    command = _COMMANDS.get(app)
    if command is None:  # building the click command costs ~80 ms: once per process
        frenchify(app)
        command = _COMMANDS[app] = typer.main.get_command(app)
    return execute(command, args, prog_name)


_COMMANDS: weakref.WeakKeyDictionary[typer.Typer, _click.Command] = weakref.WeakKeyDictionary()
