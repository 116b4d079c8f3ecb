"""The command line. `app` holds the commands; each module below adds its own."""

from __future__ import annotations

# Each module registers its commands on import, in the order `visites --help` lists them.
# isort: off
from visites.cli import folder_cmds, referral_cmds, workflow_cmds  # noqa: F401
from visites.cli import project_cmds, agenda_cmds  # noqa: F401
from visites.cli import referent_cmds  # noqa: F401
from visites.cli import publics_cmds  # noqa: F401
from visites.cli import document_cmds, report_cmds, export_cmds, privacy_cmds  # noqa: F401
from visites.cli import import_cmds  # noqa: F401
from visites.cli import git_cmds  # noqa: F401
from visites.cli import demo_cmds, completion  # noqa: F401

# isort: on
from visites.cli.app import app, main
from visites.cli.french import frenchify

frenchify(app)  # after every command is registered

__all__ = ["app", "main"]
