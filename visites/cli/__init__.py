"""The command line. `app` holds the commands; each module below adds its own."""

from __future__ import annotations

# Imported in the order `visites --help` lists their commands.
from visites.cli import folder_cmds, workflow_cmds  # noqa: F401  (they register commands)

# isort: split
from visites.cli import privacy_cmds  # noqa: F401  (after the workflow's commands)
from visites.cli.app import app, main
from visites.cli.french import frenchify

frenchify(app)  # after every command is registered

__all__ = ["app", "main"]
