"""Typer and click usage errors in French: one line naming the culprit, then the help hint.

The English messages and their French are data (`french_texts.MESSAGES`); click's exception
types come through `typer_adapter`. Used by `french.execute`, which prints them on stderr.
"""

from __future__ import annotations

import re
import string
from typing import Any

from visites.cli import french_texts as texts
from visites.cli.typer_adapter import click, exceptions
from visites.errors import reason, validation_message


def _q(text: str) -> str:
    """French quotation marks."""
    return f"« {text} »"


def either(names: list[str]) -> str:
    """« a », « b » ou « c »."""
    quoted = [_q(name) for name in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + texts.OR + quoted[-1]


def unknown_command(name: str, known: list[str]) -> str:
    """« commande inconnue : « statut ». Vouliez-vous dire « status » ? » (close names by
    difflib, as click does for options)."""
    import difflib  # only for a mistyped command

    close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
    text = texts.UNKNOWN_COMMAND.format(name=name)
    return text + texts.SUGGESTION.format(names=either(close)) if close else text


class _Filling(string.Formatter):
    """Fills a French template of `french_texts.MESSAGES` with the groups of its match."""

    def format_field(self, value: Any, format_spec: str) -> str:
        text = "" if value is None else str(value)
        if format_spec == "q":
            return _q(text)
        if format_spec == "list":  # "'a', 'b'" -> "a, b" (lists of Python reprs from typer)
            return re.sub(r"'([^']*)'", r"\1", text)
        if format_spec == "path":
            return texts.PATH_KINDS.get(text, "le chemin")
        if format_spec == "tr":
            return translate_message(text)
        return super().format_field(value, format_spec)


_FILLING = _Filling()


def translate_message(message: str) -> str:
    """Translate one English typer/click message; unknown text is returned as is
    (messages raised by the application itself are already French)."""
    suggestion = ""
    m = re.fullmatch(texts.DID_YOU_MEAN, message, re.DOTALL)
    if m:
        message = m[1] + "."
        names = re.findall(r"'([^']*)'", m[2]) or [m[2]]
        suggestion = texts.SUGGESTION.format(names=either(names))
    for pattern, french in texts.MESSAGES:
        # re caches compiled patterns: each one is compiled on first use only.
        match = re.fullmatch(pattern, message, re.DOTALL)
        if match:
            message = _FILLING.vformat(french, (match[0], *match.groups()), {})
            break
    return message + suggestion


# --------------------------------------------------------------------------
# Error messages
# --------------------------------------------------------------------------


def _param_hint(error: exceptions.BadParameter) -> str | None:
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


def _bad_parameter_detail(error: exceptions.BadParameter) -> str:
    cause = error.__cause__
    # pydantic.ValidationError (not imported here: keep start-up light)
    errors = getattr(cause, "errors", None)
    if callable(errors) and type(cause).__module__.startswith("pydantic"):
        details = errors()
        if details:
            return translate_message(validation_message(details[0], typed=True))
    if isinstance(cause, OSError) and cause.errno is not None:
        target = cause.filename if cause.filename is not None else ""
        words = reason(cause)
        return f"{_q(str(target))} : {words}." if target else f"{words}."
    return translate_message(error.message)


def french_error_message(error: exceptions.ClickException) -> str:
    """The French one-line(ish) message for a click/typer usage error."""
    if isinstance(error, exceptions.MissingParameter):
        param = error.param
        kind = error.param_type or (param.param_type_name if param else "parameter")
        label = texts.MISSING.get(kind, f"{kind} manquant")
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
    if isinstance(error, exceptions.BadParameter):
        hint = _param_hint(error)
        detail = _bad_parameter_detail(error)
        if hint:
            return f"valeur invalide pour {hint} : {detail}"
        return f"valeur invalide : {detail}"
    if isinstance(error, exceptions.NoSuchOption):
        text = translate_message(error.message)
        if error.possibilities:
            text += "." + texts.SUGGESTION.format(names=either(sorted(error.possibilities)))
        return text
    if isinstance(error, exceptions.FileError):
        return (
            f"impossible d'ouvrir le fichier {_q(error.ui_filename)} : "
            f"{translate_message(error.message)}"
        )
    return translate_message(error.format_message())


def show_error(error: exceptions.ClickException, prog_name: str) -> None:
    """Print a usage error on stderr: usage line, French message, help hint."""
    ctx = getattr(error, "ctx", None)
    lines = []
    if ctx is not None:
        lines.append(ctx.get_usage())
    lines.append(texts.ERROR_PREFIX + french_error_message(error))
    if isinstance(error, exceptions.UsageError):
        if ctx is not None:
            if ctx.command.get_help_option(ctx) is not None:
                lines.append(
                    texts.TRY_HELP_TEXT.format(
                        command=ctx.command_path, option=ctx.help_option_names[0]
                    )
                )
        else:
            lines.append(texts.TRY_HELP_TEXT.format(command=prog_name, option="--help"))
    click.echo("\n".join(lines), err=True, color=ctx.color if ctx else None)
