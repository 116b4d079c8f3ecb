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
from visites.cli.typer_adapter import CommandInfo, DefaultPlaceholder, TyperGroup, TyperInfo
from visites.environment import completion_request


class LazyGroup(TyperGroup):
    """A Typer group whose sub-commands (and sub-groups, `objective add`) are built on first
    use."""

    pending: dict[str, CommandInfo | TyperInfo]
    build_options: dict[str, Any]

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.pending)  # registration order

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = self.commands.get(cmd_name)
        if command is None and cmd_name in self.pending:
            info = self.pending[cmd_name]
            command = typer_adapter.build_command(info, **self.build_options)
            self.commands[cmd_name] = command
        if command is not None and completion_request():  # a TAB: values complete too
            from visites.cli.completers import attach

            attach(command)
        return command

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name = args[0] if args else ""
        if (
            name
            and not ctx.resilient_parsing
            and not name.startswith("-")
            and self.get_command(ctx, name) is None
        ):
            from visites.cli.french_errors import unknown_command

            shown = [n for n, info in self.pending.items() if not info.hidden]
            ctx.fail(unknown_command(name, shown))
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        shown = {name: info for name, info in self.pending.items() if not info.hidden}
        if not shown:
            return
        limit = formatter.width - 6 - max(len(name) for name in shown)
        rows = []
        for name, info in shown.items():
            text = info.help or (info.callback and inspect.getdoc(info.callback)) or ""
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
    infos, groups = app.registered_commands, app.registered_groups
    app.registered_commands, app.registered_groups = [], []  # the group's own options only
    try:
        built = typer.main.get_command(app)
    finally:
        app.registered_commands, app.registered_groups = infos, groups
    assert isinstance(built, LazyGroup), "the app is created with cls=LazyGroup"
    built.pending = _in_order(infos, groups)
    built.build_options = {
        "pretty_exceptions_short": app.pretty_exceptions_short,
        "rich_markup_mode": app.rich_markup_mode,
    }
    _BUILT[app] = built
    return built


def _in_order(
    infos: list[CommandInfo], groups: list[TyperInfo]
) -> dict[str, CommandInfo | TyperInfo]:
    """Commands by name in registration order; each sub-group (its name given explicitly
    to `add_typer`) right after the last command of the module that registered it."""
    pending: dict[str, CommandInfo | TyperInfo] = {
        info.name or typer_adapter.command_name(info.callback): info
        for info in infos
        if info.callback is not None
    }
    for group_info in groups:
        name = group_info.name
        assert isinstance(name, str) and not isinstance(name, DefaultPlaceholder)
        sub_app = group_info.typer_instance
        commands = sub_app.registered_commands if isinstance(sub_app, typer.Typer) else []
        module = commands[0].callback.__module__ if commands and commands[0].callback else None
        names = list(pending)
        after = [i for i, n in enumerate(names)
                 if getattr(pending[n].callback, "__module__", None) == module]  # fmt: skip
        position = after[-1] + 1 if after else len(names)
        items = list(pending.items())
        items.insert(position, (name, group_info))
        pending = dict(items)
    return pending
