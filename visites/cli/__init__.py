"""The command line. `app` holds the commands; each module below adds its own."""

from __future__ import annotations

from visites.cli import document_cmds, folder_cmds, privacy_cmds, workflow_cmds  # noqa: F401  (they register commands)
from visites.cli.app import app, main
from visites.cli.french import frenchify

frenchify(app)  # after every command is registered

__all__ = ["app", "main"]
