"""The click group, built once per process, with each command built only when it is used.

Typer turns every command's signature (annotations, defaults) into click parameters when it
builds the group: for two dozen commands that is ~35 ms, paid by every run, `visites --help`
included. Here the group holds only its own options; a command is built the first time it is
looked up, and the group's help lists the commands from their docstrings.
"""

from __future__ import annotations

import inspect
import re
import weakref
from typing import Any

import typer
import typer.main

from visites.cli import typer_adapter
from visites.cli.typer_adapter import CommandInfo, TyperGroup


class LazyGroup(TyperGroup):
    """A Typer group whose sub-commands are built on first use."""

    pending: dict[str, CommandInfo]
    build_options: dict[str, Any]

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.pending)  # registration order

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = self.commands.get(cmd_name)
        if command is None and cmd_name in self.pending:
            info = self.pending[cmd_name]
            command = typer_adapter.build_command(info, **self.build_options)
            self.commands[cmd_name] = command
        return command

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        shown = {name: info for name, info in self.pending.items() if not info.hidden}
        if not shown:
            return
        limit = formatter.width - 6 - max(len(name) for name in shown)
        rows = []
        for name, info in shown.items():
            text = info.help or inspect.getdoc(info.callback) or ""
            # The docstrings open with a summary, then « : » or « ; » and the details.
            summary = re.split(r" [:;] |\. |\.$|\n\n", text.strip(), maxsplit=1)[0]
            rows.append((name, info.short_help or typer_adapter.short_help(summary, limit)))
        with formatter.section(typer_adapter.core_text("Commands")):
            formatter.write_dl(rows)


_BUILT: weakref.WeakKeyDictionary[typer.Typer, TyperGroup] = weakref.WeakKeyDictionary()


def group(app: typer.Typer) -> TyperGroup:
    """The click group of `app` (created with `cls=LazyGroup`), built once."""
    built = _BUILT.get(app)
    if built is not None:
        return built
    from visites.cli.french import frenchify

    frenchify(app)
    infos = app.registered_commands
    app.registered_commands = []  # typer builds the group and its own options only
    try:
        built = typer.main.get_command(app)
    finally:
        app.registered_commands = infos
    assert isinstance(built, LazyGroup), "the app is created with cls=LazyGroup"
    built.pending = {
        info.name or typer_adapter.command_name(info.callback): info
        for info in infos
        if info.callback is not None
    }
    built.build_options = {
        "pretty_exceptions_short": app.pretty_exceptions_short,
        "rich_markup_mode": app.rich_markup_mode,
    }
    _BUILT[app] = built
    return built
