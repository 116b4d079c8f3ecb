"""Every use of typer's private ground, in one place: the rest of `cli/` goes through here.

Typer (pinned to 0.29.x in pyproject.toml) vendors click as `typer._click`, which it says is
not for outside use; its help screens read a few strings through a gettext hook
(`typer.core._`) and text constants of `typer.rich_utils`; building one command at a time
needs `typer.main.get_command_from_info`. French help and errors (`french.py`) and the lazy
command group (`lazy.py`) need all of these; `light_coercion` (typer's pydantic coercion only
for the values that need it) wraps `typer.core.build_runtime_param`.
`tests/test_typer_adapter.py` checks each touch point against the installed typer and fails,
naming it, when an upgrade moves one.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from typing import Any

import typer
import typer.core
import typer.main
from typer import _click as click  # the vendored click: types, echo, formatting, exceptions
from typer._click import exceptions
from typer._click.utils import PacifyFlushWrapper, _detect_program_name, make_default_short_help
from typer.core import TyperCommand, TyperGroup
from typer.models import CommandInfo, DefaultPlaceholder, TyperInfo
from typer.models import Context as TyperContext

TESTED = (0, 29)  # the typer minor version this module was written against

__all__ = [
    "TESTED",
    "CommandInfo",
    "DefaultPlaceholder",
    "TyperCommand",
    "TyperContext",
    "TyperGroup",
    "TyperInfo",
    "build_command",
    "click",
    "completion_script",
    "plain_usage_name",
    "light_coercion",
    "set_completer",
    "shell_complete",
    "command_name",
    "core_text",
    "exceptions",
    "no_completion",
    "program_name",
    "quiet_broken_pipe",
    "rich_help",
    "set_core_texts",
    "set_rich_texts",
    "short_help",
]


def set_core_texts(translate: Callable[[str], str]) -> None:
    """Make `translate` the gettext hook typer.core reads a few help strings through
    ("Commands", "default: {default}", "required"…). Replacing that module-level hook is the
    smallest way to translate them."""
    typer.core._ = translate  # ty: ignore


def core_text(message: str) -> str:
    """`message` through typer.core's gettext hook (translated once set_core_texts ran)."""
    return typer.core._(message)


def rich_help(command: Any) -> bool:
    """Whether `command`'s help is drawn by typer's Rich renderer."""
    return bool(typer.core.HAS_RICH and getattr(command, "rich_markup_mode", None))


def set_rich_texts(constants: Mapping[str, str], usage_pattern: str) -> None:
    """Set the text constants of typer.rich_utils (computed once at its import) and highlight
    `usage_pattern` (a regex with a `usage` group) like the English usage prefix. Imports
    rich: call it right before a Rich help screen is drawn."""
    from typer import rich_utils

    for name, value in constants.items():
        setattr(rich_utils, name, value)
    highlighter = rich_utils.highlighter
    highlighter.highlights = [*type(highlighter).highlights, usage_pattern]


def no_completion(app: typer.Typer) -> None:
    """Turn off shell completion (--install-completion), which is English and unsupported."""
    if getattr(app, "_add_completion", False):
        app._add_completion = False


def plain_usage_name(param: Any) -> None:
    """typer writes a required argument `{ID}` in the usage line (`typer.core.TyperArgument.
    _usage_display_name`): write it `ID`, as everyone does (`[ID]` stays for an optional one)."""
    original = getattr(param, "_usage_display_name", None)
    if original is None or getattr(param, "_plain_usage", False):
        return

    def name() -> str:
        text = original()
        if text.startswith("{") and "}" in text:
            closing = text.index("}")
            return text[1:closing] + text[closing + 1 :]
        return text

    param._usage_display_name = name
    param._plain_usage = True


# ---------------------------------------------------------------------------- coercion
# typer 0.29 coerces every parameter's value through a pydantic TypeAdapter, built on the
# parameter's first use (`typer.core._TyperParameter.get_runtime_param` →
# `typer._coercion.build_runtime_param` → `typer._adapters`, which imports pydantic), even
# when the value is None or already of the declared type. Importing pydantic and building
# the first adapter costs ≈ 60 ms here, more than everything a warm `visites status` does.


class _AlreadyTyped:
    """The coercion of a `str` or `bool` parameter: a value that already has that type (or
    None) is what typer's adapter would return, and is returned as it is; any other value
    goes to the adapter typer builds, on first need."""

    def __init__(self, descriptor: Any, build: Callable[[Any], Any]) -> None:
        self.annotation = descriptor.annotation
        self._descriptor, self._build, self._typers = descriptor, build, None

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        single = not (param.multiple or param.nargs == -1)
        if single and (value is None or type(value) is self.annotation):
            return value
        if self._typers is None:
            self._typers = self._build(self._descriptor)
        return self._typers.coerce(value, param=param, ctx=ctx)


def light_coercion() -> None:
    """Make typer coerce the values of `str` and `bool` parameters (or optional ones) without
    pydantic when they already have their type or are None, as click parses them: a command
    with such options only (a warm `visites status`, `--help`) never imports pydantic.
    Typer's own coercion still handles every other value and type (int, Path, list,
    choices, a `parser=`), with the same results and the same errors. Idempotent."""
    build = typer.core.build_runtime_param
    if getattr(build, "_visites_light", False):
        return

    def runtime_param(descriptor: Any) -> Any:
        plain = descriptor.annotation in (str, bool) and descriptor.file_annotation is None
        if plain and descriptor.parameter_info.parser is None:
            return _AlreadyTyped(descriptor, build)
        return build(descriptor)

    runtime_param._visites_light = True  # type: ignore[attr-defined]
    typer.core.build_runtime_param = runtime_param  # ty: ignore


# ---------------------------------------------------------------------------- completion
# typer's shell completion (typer.completion, typer._completion_classes): the scripts for
# bash, zsh and fish, and the answer to one TAB, through click's shell_complete protocol.


def set_completer(param: Any, complete: Callable[[Any, str], list[tuple[str, str | None]]]) -> None:
    """Make `complete(ctx, incomplete)` → [(value, help)] the completion of `param`. Set on
    click's `_custom_shell_complete` directly: typer's `autocompletion=` keeps only the values
    that start with what was typed, and a commune typed « coue » is to complete « Couëron »."""
    from typer._click.shell_completion import CompletionItem

    def items(ctx: Any, _param: Any, incomplete: str) -> list[Any]:
        return [CompletionItem(value, help=help) for value, help in complete(ctx, incomplete)]

    param._custom_shell_complete = items


def _completion_classes() -> None:
    """typer's classes for each shell, bash's answering values with spaces escaped (bash
    inserts a completion as it is: « La Chapelle-sur-Erdre » would become two words)."""
    import shlex

    from typer._click.shell_completion import add_completion_class
    from typer._completion_classes import BashComplete, completion_init

    class EscapingBashComplete(BashComplete):
        def format_completion(self, item: Any) -> str:
            value = str(item.value)
            return value if shlex.quote(value) == value else _bash_escaped(value)

    completion_init()
    add_completion_class(EscapingBashComplete, "bash")


def _bash_escaped(value: str) -> str:
    return "".join(f"\\{char}" if not (char.isalnum() or char in "-_./:,@%+=") else char
                   for char in value)  # fmt: skip


def shell_complete(command: Any, prog_name: str, complete_var: str, instruction: str) -> int:
    """Answer the shell script's request `instruction` (`complete_bash`, `source_zsh`…), as
    click's `main` does when `_VISITES_COMPLETE` is set."""
    from typer.completion import shell_complete as complete

    _completion_classes()
    return complete(command, {}, prog_name, complete_var, instruction)


def completion_script(prog_name: str, complete_var: str, shell: str) -> str:
    """The completion script of `shell` (bash, zsh, fish), to source from the shell's rc."""
    from typer._completion_shared import get_completion_script

    return get_completion_script(prog_name=prog_name, complete_var=complete_var, shell=shell)


def build_command(info: CommandInfo | TyperInfo, **options: Any) -> Any:
    """The click command of one registered command, or the click group of one registered
    sub-app (`objective add|set`), built on first use (see lazy.py)."""
    if isinstance(info, TyperInfo):
        return typer.main.get_group_from_info(info, suggest_commands=True, **options)
    return typer.main.get_command_from_info(info, **options)


def command_name(callback: Callable[..., Any]) -> str:
    """The command name typer derives from a function (`new_referral` → `new-referral`)."""
    return typer.main.get_command_name(callback.__name__)


def short_help(text: str, limit: int) -> str:
    """Click's one-line summary of `text` within `limit` characters."""
    return make_default_short_help(text, limit)


def program_name() -> str:
    """The program's name as click shows it in usage lines."""
    return _detect_program_name()


def quiet_broken_pipe() -> None:
    """After EPIPE (output piped to `head`), silence the flush errors at exit, as click does."""
    sys.stdout = PacifyFlushWrapper(sys.stdout)  # type: ignore[assignment]
    sys.stderr = PacifyFlushWrapper(sys.stderr)  # type: ignore[assignment]
