"""Warnings a command has to tell the user after it succeeded: the command's result stands
(exit 0), but something is worth knowing (a commit that failed and will be made later, a
half-done sync that was rolled back). The shell adds them; the CLI prints them once, on
stderr, after the command's own output. Never personal data: IDs and file names only.
"""

from __future__ import annotations

from pathlib import Path

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


def commit_deferred(ids: str, written: list[Path], failure: Exception) -> None:
    """A commit git refused after a command wrote its files (`ids`: the cases named, « »
    when none): the command stands, the history catches up at the next commit."""
    reason = getattr(failure, "reason", None) or str(failure)
    names = ", ".join(dict.fromkeys(p.name for p in written))
    what = f"le dossier {ids} est bien écrit" if ids else "les fichiers sont bien écrits"
    warn(
        f"enregistrement git impossible ({reason}) : {what} ({names}), mais pas encore dans "
        "l'historique ; la prochaine commande visites qui réussit l'y enregistrera "
        "(par exemple « visites sync »)"
    )
