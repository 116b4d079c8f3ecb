"""French help and usage errors for the Typer application (typer 0.29.x, vendored click).

Typer and click print English: help screens ("Usage:", "Show this message and exit.",
"[default: ...]", panel titles) and usage errors ("No such option", "Missing option",
pydantic coercion messages...). This module makes the app French:

* ``frenchify(app)`` walks the Typer app (and its sub-apps) and sets the ``cls=`` of every
  group / command to a French subclass (``FrenchGroup`` / ``FrenchCommand``, or a French
  variant of a custom class). These classes use a French ``Context``/``HelpFormatter``
  ("Utilisation : "), a French help option, French metavars and French type labels, and
  render usage errors themselves, in French, on stderr.
* ``execute(command, args, prog_name)`` runs a click command and returns the exit code (0, 1
  for "Abandon.", 2 for usage errors, or whatever ``typer.Exit(code)`` carried); usage errors
  are worded by ``french_errors``.

The French texts are data (``french_texts``); every touch of typer's private ground (its
vendored click, its gettext hook, its Rich constants) goes through ``typer_adapter``. Rich
is imported only right before a Rich help screen is drawn.

The app must be created with ``typer.Typer(add_completion=False)``: shell completion is not
supported (``frenchify`` turns it off otherwise).
"""

from __future__ import annotations

import errno
import inspect
import re
import sys
from collections.abc import Sequence
from typing import Any

import typer

from visites.cli import french_texts as texts
from visites.cli import typer_adapter
from visites.cli.french_errors import show_error
from visites.cli.typer_adapter import (
    DefaultPlaceholder,
    TyperCommand,
    TyperContext,
    TyperGroup,
    click,
    exceptions,
)

__all__ = [
    "FrenchCommand",
    "FrenchContext",
    "FrenchGroup",
    "FrenchHelpFormatter",
    "execute",
    "frenchify",
]

_TYPE_TOKEN = r"[A-Za-z_]\w*"


# --------------------------------------------------------------------------
# Help rendering
# --------------------------------------------------------------------------


_UNBREAKABLE = str.maketrans(texts.UNBREAKABLE)
_BREAKABLE = str.maketrans({v: k for k, v in texts.UNBREAKABLE.items()})


def _unbreakable(text: str) -> str:
    """`text` whose « quotations » the wrapping cannot break (until `write` restores them)."""
    if "«" not in text:
        return text
    first, *rest = text.split("«")
    pieces = [first]
    for piece in rest:
        quoted, closing, after = piece.partition("»")
        if closing and "\n" not in quoted:
            pieces.append(f"«{quoted}»".translate(_UNBREAKABLE) + after)
        else:
            pieces.append("«" + piece)
    return "".join(pieces)


class FrenchHelpFormatter(click.HelpFormatter):
    """Help formatter whose usage line starts with "Utilisation : ", and that never breaks a
    line inside « … »."""

    def write(self, string: str) -> None:
        super().write(string.translate(_BREAKABLE))

    def write_text(self, text: str) -> None:
        super().write_text(_unbreakable(text))

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = [(first, _unbreakable(second)) for first, second in rows]
        super().write_dl(rows, col_max, col_spacing)

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, texts.USAGE_PREFIX if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        # French typography: a space before the colon ("Commandes :").
        self.write(f"{'':>{self.current_indent}}{heading} :\n")


class FrenchContext(TyperContext):
    """Context using the French help formatter (also for ``ctx.get_usage()``)."""

    formatter_class = FrenchHelpFormatter


_rich_installed = False


def _install_rich_strings() -> None:
    """Set the French texts of typer's Rich help screen.

    Called right before a rich help screen is rendered: typer imports
    rich_utils lazily, and so do we, to keep start-up light.
    """
    global _rich_installed
    if _rich_installed:
        return
    typer_adapter.set_rich_texts(texts.RICH_TEXTS, texts.USAGE_HIGHLIGHT)
    _rich_installed = True


def _french_type_label(label: str) -> str:
    label = label.replace(" range", "")
    return re.sub(_TYPE_TOKEN, lambda m: texts.TYPE_LABELS.get(m[0], m[0]), label)


def _localize_param(param: Any) -> None:
    """Translate the type label ("<int>" -> "<entier>") of one parameter.

    typer builds TyperOption/TyperArgument itself (no ``cls=`` hook for
    parameters), so the bound ``display_type`` is wrapped on the instance.
    Choice labels ("<rapide|complet>") are the application's own words and
    are left alone.
    """
    if getattr(param, "_french", False) or not hasattr(param, "display_type"):
        return
    typer_adapter.plain_usage_name(param)  # `ID`, not typer's `{ID}`
    original = param.display_type

    def display_type(ctx: click.Context) -> str:
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
        if getattr(self, "subcommand_metavar", None) == texts.ENGLISH_SUBCOMMAND_METAVAR:
            self.subcommand_metavar = texts.SUBCOMMAND_METAVAR
        for param in self.params:
            _localize_param(param)

    def get_help_option(self, ctx: click.Context) -> Any:
        option = super().get_help_option(ctx)
        if option is not None and option.help == texts.ENGLISH_HELP_OPTION_TEXT:
            option.help = texts.HELP_OPTION_TEXT
            _localize_param(option)
        return option

    def get_short_help_str(self, limit: int = 45) -> str:
        text = super().get_short_help_str(limit)
        text = text.replace("(DEPRECATED: ", "(OBSOLÈTE : ").replace("(DEPRECATED)", "(OBSOLÈTE)")
        if text.endswith("...") and text.count("«") > text.count("»"):  # never cut a quotation
            text = text[: text.rindex("«")].rstrip(" :") + "…"
        return text

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Plain renderer only; same as click's, with the French deprecation note.
        text = inspect.cleandoc(self.help).partition("\f")[0] if self.help else ""
        if self.deprecated:
            note = (
                texts.DEPRECATED_NOTE.format(reason=self.deprecated)
                if isinstance(self.deprecated, str)
                else texts.DEPRECATED_MARK
            )
            text = f"{text} {note}"
        if text:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(text)

    def invoke(self, ctx: click.Context) -> Any:
        if not self.deprecated:
            return super().invoke(ctx)
        # click's Command.invoke prints an English DeprecationWarning when
        # ``deprecated`` is set: print a French one and hide the flag meanwhile.
        extra = f" {self.deprecated}" if isinstance(self.deprecated, str) else ""
        message = texts.DEPRECATED_WARNING.format(name=self.name, reason=extra)
        click.echo(click.termui.style(message, fg="red"), err=True)
        deprecated, self.deprecated = self.deprecated, False
        try:
            return super().invoke(ctx)
        finally:
            self.deprecated = deprecated

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if typer_adapter.rich_help(self):
            _install_rich_strings()
        super().format_help(ctx, formatter)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # The option parser raises some usage errors without a context
        # ("Option '--x' requires an argument."); attach it so that the
        # error shows the usage line and the help hint of this command.
        try:
            return super().parse_args(ctx, args)
        except exceptions.UsageError as error:
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
    return texts.CORE_TEXTS.get(message, message)


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

    Idempotent.  Call it once all commands are registered.
    """
    typer_adapter.set_core_texts(_core_gettext)
    typer_adapter.light_coercion()  # no pydantic for the options that need no conversion
    # The app should be created with add_completion=False.
    typer_adapter.no_completion(app)

    _set_group_cls(app.info, default=True)
    _set_group_cls(app.registered_callback, default=False)
    for command_info in app.registered_commands:
        command_info.cls = _french_variant(command_info.cls or TyperCommand)
    for group_info in app.registered_groups:
        _set_group_cls(group_info, default=False)
        if group_info.typer_instance is not None:
            frenchify(group_info.typer_instance)


def execute(
    command: click.Command,
    args: Sequence[str] | None = None,
    prog_name: str | None = None,
    **extra: Any,
) -> int:
    """Run a click command; print French errors; return the exit code."""
    args = sys.argv[1:] if args is None else list(args)
    if prog_name is None:
        prog_name = typer_adapter.program_name()
    try:
        try:
            with command.make_context(prog_name, args, **extra) as ctx:
                command.invoke(ctx)
        except (EOFError, KeyboardInterrupt) as error:
            click.echo(file=sys.stderr)
            raise typer.Abort() from error
    except exceptions.NoArgsIsHelpError as error:
        # rich already printed the help while building the error; the plain
        # renderer puts it in the message.
        message = error.format_message()
        if message:
            click.echo(message, err=True, color=error.ctx.color)
        return error.exit_code
    except exceptions.ClickException as error:
        show_error(error, prog_name)
        return error.exit_code
    except typer.Exit as error:
        return error.exit_code
    except typer.Abort:
        click.echo(texts.ABORTED_TEXT, err=True)
        return 1
    except OSError as error:
        if error.errno == errno.EPIPE:
            typer_adapter.quiet_broken_pipe()
            return 1
        raise
    return 0
