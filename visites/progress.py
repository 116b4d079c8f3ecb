"""A progress bar on stderr for the rare long read of a whole folder (the index built for the
first time in a fresh clone of 10,000 cases takes seconds). Silent when the work is quick
or stderr is not a terminal: it appears only once a second has passed, and Rich is imported
only then.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from types import TracebackType
from typing import Any, TypeVar

T = TypeVar("T")

SHOW_AFTER_SECONDS = 1.0


class Bar:
    """`with Bar(total, "Lecture des dossiers") as bar: … bar.tick() …`"""

    def __init__(self, total: int, label: str) -> None:
        self.total = total
        self.label = label
        self.done = 0
        self.started = time.monotonic()
        self.shown: Any = None
        self.task: Any = None
        self.quiet = total < 100 or not _terminal()

    def __enter__(self) -> Bar:
        return self

    def tick(self) -> None:
        self.done += 1
        if self.quiet:
            return
        if self.shown is None:
            if self.done % 50 or time.monotonic() - self.started < SHOW_AFTER_SECONDS:
                return
            self._show()
        if self.done % 50 == 0 or self.done == self.total:
            self.shown.update(self.task, completed=self.done)

    def _show(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        self.shown = Progress(
            f"{self.label}…",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self.shown.start()
        self.task = self.shown.add_task(self.label, total=self.total, completed=self.done)

    def __exit__(
        self, kind: type | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self.shown is not None:
            self.shown.stop()


def _terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def each(items: list[T], label: str) -> Iterator[T]:
    """The items, one by one, with a bar on stderr if the loop takes over a second."""
    with Bar(len(items), label) as bar:
        for item in items:
            yield item
            bar.tick()
