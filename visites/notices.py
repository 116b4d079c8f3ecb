"""Warnings a command has to tell the user after it succeeded: the command's result stands
(exit 0), but something is worth knowing (a commit that failed and will be made later, a
half-done sync that was rolled back). The shell adds them; the CLI prints them once, on
stderr, after the command's own output. Never personal data: IDs and file names only.
"""

from __future__ import annotations

_pending: list[str] = []


def warn(text: str) -> None:
    """Tell the user `text` (French, one line) after the command."""
    if text not in _pending:
        _pending.append(text)


def drain() -> list[str]:
    """The warnings added since the last call, in order; the list is emptied."""
    found = list(_pending)
    _pending.clear()
    return found
