"""What visites reads from the environment, read here and nowhere else.

- `$VISITES_CASES`: the case folder, when `--cases` is not given (see `store.find_root`);
- `$VISITES_USER`: who acts, when `--by` is not given: the author of events and commits;
- `$_VISITES_COMPLETE`, `$SHELL`: shell completion (`visites completion`).
"""

from __future__ import annotations

import os

CASES = "VISITES_CASES"
USER = "VISITES_USER"


def case_folder() -> str | None:
    """$VISITES_CASES, or None when it is unset or empty."""
    return os.environ.get(CASES) or None


def acting_user(by: str | None = None) -> str | None:
    """Who acts: `by` (--by), else $VISITES_USER; None when neither says."""
    return by or os.environ.get(USER) or None


# Set by the shell completion scripts (`visites completion`): the request of one TAB.
COMPLETE = "_VISITES_COMPLETE"
SHELL = "SHELL"


def completion_request() -> str | None:
    """What the completion script asks (`complete_bash`…), or None on an ordinary run."""
    return os.environ.get(COMPLETE) or None


def login_shell() -> str | None:
    """The user's shell (`bash`, `zsh`, `fish`), from $SHELL."""
    shell = os.environ.get(SHELL, "")
    return shell.rsplit("/", 1)[-1] or None
