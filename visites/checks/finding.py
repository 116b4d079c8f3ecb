"""A finding: a rule one case breaks, where in its file, how serious. Pure and light."""

from __future__ import annotations

from dataclasses import dataclass, field

from visites.errors import ERROR


@dataclass(frozen=True)
class Finding:
    """A rule a case breaks: where in the file (keys and indexes), what, how serious; and,
    when a typed value is the cause, what to tell the person who typed it (`hint`)."""

    loc: tuple[str | int, ...]
    message: str
    severity: str = ERROR
    hint: str | None = field(default=None, compare=False)
