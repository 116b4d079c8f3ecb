"""A progress bar on stderr (Rich) for a long loop: shown only on a terminal, and only once
the loop has taken more than a second (Rich is imported then). Installed by the command
line as the reporter of `visites.progress`."""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

SHOW_AFTER_SECONDS = 1.0


@contextlib.contextmanager
def bar(total: int, label: str) -> Iterator[Callable[[], None]]:
    """A `tick()` to call once per item; the bar goes when the loop ends."""
    started = time.monotonic()
    state: dict[str, Any] = {"done": 0, "shown": None, "task": None}
    terminal = _terminal()

    def tick() -> None:
        state["done"] += 1
        done = state["done"]
        if not terminal or done % 50 and done != total:
            return
        if state["shown"] is None:
            if time.monotonic() - started < SHOW_AFTER_SECONDS:
                return
            state["shown"], state["task"] = _show(total, label, done)
        state["shown"].update(state["task"], completed=done)

    try:
        yield tick
    finally:
        if state["shown"] is not None:
            state["shown"].stop()


def _show(total: int, label: str, done: int) -> tuple[Any, Any]:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    shown = Progress(
        f"{label}…",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    shown.start()
    return shown, shown.add_task(label, total=total, completed=done)


def _terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False
