"""User-facing errors and problems: a French message, the file, the line, an exit code.

Raised anywhere in the core or the store; rendered once, at the CLI edge.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass
from pathlib import Path

REFUSED = 1  # a refused action: workflow rule, unknown case, invalid file
USAGE = 2  # a usage error: bad flag, impossible date, value not in a list


class VisitesError(Exception):
    """An error the user caused or can fix. Its text is French and says what to do."""

    exit_code = REFUSED

    def __init__(
        self, message: str, *, path: Path | str | None = None, line: int | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        if self.path is None:
            return self.message
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}"


class UsageProblem(VisitesError):
    """A value the user typed is impossible: a date, a value outside a configured list."""

    exit_code = USAGE


class WorkflowError(VisitesError):
    """A move the workflow does not allow in the case's current phase."""


class InvalidFile(VisitesError):
    """A case or settings file that does not parse or does not validate."""

    def __init__(self, problems: list[Problem]) -> None:
        first = problems[0]
        super().__init__(first.message, path=first.path, line=first.line)
        self.problems = problems

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems if p.is_error)


ERROR = "erreur"
WARNING = "avertissement"


@dataclass(frozen=True)
class Problem:
    """One finding of `check`: where it is and what is wrong, in French."""

    path: str
    line: int | None
    message: str
    severity: str = ERROR

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        prefix = "" if self.is_error else "avertissement : "
        return f"{where}: {prefix}{self.message}"


# One wording per system error, for every message that names one (a file the store cannot
# write, a path typed on the command line).
_REASONS = {
    errno.EACCES: "droits insuffisants",
    errno.EPERM: "opération non permise",
    errno.ENOSPC: "disque plein",
    errno.EROFS: "support en lecture seule",
    errno.EDQUOT: "quota disque dépassé",
    errno.ENOENT: "fichier ou dossier absent",
    errno.EISDIR: "c'est un dossier",
    errno.ENOTDIR: "ce n'est pas un dossier",
    errno.EEXIST: "le fichier existe déjà",
}


def reason(error: OSError) -> str:
    """The French words for a system error."""
    return _REASONS.get(error.errno or 0, f"erreur système {error.errno}")
