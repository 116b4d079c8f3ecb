"""The command line. `app` holds the commands; each module below adds its own."""

from __future__ import annotations

# Each module registers its commands on import.
from visites.cli import (  # noqa: F401
    export_cmds,
    folder_cmds,
    report_cmds,
    workflow_cmds,
)
from visites.cli.app import app, main

__all__ = ["app", "main"]
