"""The progress of a long loop over the folder (the index built for the first time in a
fresh clone of 10,000 cases takes seconds), told through a reporter the command line
installs: a Rich bar on a terminal (render/progressbar.py). Without one, silent. A leaf: the
cache reports its progress without knowing how it is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import TypeVar

T = TypeVar("T")
Reporter = Callable[[int, str], AbstractContextManager[Callable[[], None]]]
SMALL = 100  # loops shorter than this are never reported

_reporter: Reporter | None = None


def install(reporter: Reporter | None) -> None:
    """How progress is shown from now on (None: not at all)."""
    global _reporter
    _reporter = reporter


def each(items: list[T], label: str) -> Iterator[T]:
    """The items, one by one, the reporter told of each."""
    if _reporter is None or len(items) < SMALL:
        yield from items
        return
    with _reporter(len(items), label) as tick:
        for item in items:
            yield item
            tick()
