"""The command line. `app` holds the commands; each module below adds its own."""

from __future__ import annotations

from visites.cli import folder_cmds, privacy_cmds, workflow_cmds  # noqa: E402,F401  (they register commands)
from visites.cli.app import app, main

__all__ = ["app", "main"]
