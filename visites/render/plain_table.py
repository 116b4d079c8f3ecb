"""A small plain-text table for the terminal: one line per row, fitted to the width.

Written for `visites status`, the command people run many times a day, where Rich cost more
than the rest of a warm run (≈ 30 ms for 20 rows, ≈ 120 ms for 200, its import included;
`bench/status_table.py` measures both). It does only what that table needs:

- widths on screen, not in characters: a combining accent takes no column, a wide (East
  Asian) character two;
- columns shrink to the terminal's width (`COLUMNS`, or the terminal's own size): first the
  gap between columns, then the flexible ones, down to their minimum, and last a column
  marked `drop` (the least useful first) disappears, and the caller is told which;
- a value is never wrapped: it is cut, and every cut ends with « … »;
- ANSI colour (bold, red, dim) only when asked, i.e. on a terminal without `NO_COLOR`.

Standard library only, and cheap to import.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

ELLIPSIS = "…"
RULE = "─"
_STYLES = {"bold": "1", "dim": "2", "red": "31", "bold red": "1;31"}


@dataclass(frozen=True)
class Column:
    """How one column behaves. `flexible`: may be narrowed (its values cut with « … ») down
    to `minimum`; `drop`: when even the minimums do not fit, columns are left out, highest
    `drop` first (0: never)."""

    header: str
    align: str = "left"  # or "right"
    flexible: bool = False
    minimum: int = 1
    drop: int = 0


@dataclass(frozen=True)
class Cell:
    """A value with a style (`bold`, `red`, `bold red`, `dim`), shown only in colour."""

    text: str
    style: str = ""


Value = str | Cell


@dataclass(frozen=True)
class Layout:
    """Which columns are shown (indexes), how wide each is, and the gap between them."""

    shown: tuple[int, ...]
    widths: tuple[int, ...]
    gap: int

    def dropped(self, columns: Sequence[Column]) -> list[str]:
        return [c.header for i, c in enumerate(columns) if i not in self.shown]


# Below U+0300 (Latin, with its accented letters) every printable character takes one column.
_BEYOND_LATIN = re.compile(r"[^\u0020-\u007e\u00a0-\u02ff]")


@functools.lru_cache(maxsize=4096)  # a table repeats its phases, dates and référent(e)s
def width(text: str) -> int:
    """Columns `text` takes on screen: combining marks none, wide characters two."""
    if not _BEYOND_LATIN.search(text):
        return len(text)
    return sum(_char_width(char) for char in text)


def _char_width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def cut(text: str, room: int) -> str:
    """`text` in at most `room` columns: whole, or cut and ended with « … »."""
    if width(text) <= room:
        return text
    if room <= 0:
        return ""
    kept, used = [], 0
    for char in text:
        size = _char_width(char)
        if used + size > room - 1:  # one column for the ellipsis
            break
        kept.append(char)
        used += size
    return "".join(kept).rstrip() + ELLIPSIS


def terminal_width(default: int = 80) -> int:
    """The width to fit: `COLUMNS` when set, else the terminal's, else `default`."""
    return shutil.get_terminal_size((default, 24)).columns


def colour_wanted(stream: object = None) -> bool:
    """Colour on a terminal only, and never with `NO_COLOR` (no-color.org) or TERM=dumb."""
    stream = sys.stdout if stream is None else stream
    isatty = getattr(stream, "isatty", None)
    return bool(
        isatty and isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
    )


def _text(value: Value) -> str:
    return value.text if isinstance(value, Cell) else value


def layout(columns: Sequence[Column], rows: Sequence[Sequence[Value]], room: int) -> Layout:
    """Fit the columns in `room` screen columns: every value whole if it can be (two spaces
    between columns, else one); else the flexible columns narrowed, down to their minimum;
    else columns dropped, the highest `drop` first."""
    natural = [
        max([width(c.header), *(width(_text(r[i])) for r in rows)]) for i, c in enumerate(columns)
    ]
    droppable = [i for _, i in sorted(((c.drop, i) for i, c in enumerate(columns) if c.drop),
                                      reverse=True)]  # fmt: skip
    for dropped in range(len(droppable) + 1):
        shown = [i for i in range(len(columns)) if i not in droppable[:dropped]]
        flexible = [i for i in shown if columns[i].flexible]
        fixed = sum(natural[i] for i in shown if not columns[i].flexible)
        whole = sum(natural[i] for i in flexible)
        for gap in (2, 1):
            spare = room - fixed - gap * (len(shown) - 1)
            if spare >= whole:
                return Layout(tuple(shown), tuple(natural[i] for i in shown), gap)
        least = sum(min(natural[i], columns[i].minimum) for i in flexible)
        if spare >= least or dropped == len(droppable):
            break
    # Narrowed: each flexible column starts at its minimum (less when even that is too
    # much), and the spare columns go one by one to those furthest from their natural width.
    widths = {i: natural[i] for i in shown}
    for i in flexible:
        widths[i] = max(1, min(natural[i], columns[i].minimum, spare // max(1, len(flexible))))
    left = spare - sum(widths[i] for i in flexible)
    while left > 0:
        wanting = [i for i in flexible if widths[i] < natural[i]]
        if not wanting:
            break
        chosen = max(wanting, key=lambda i: natural[i] - widths[i])
        widths[chosen] += 1
        left -= 1
    return Layout(tuple(shown), tuple(widths[i] for i in shown), 1)


def _styled(text: str, style: str, colour: bool) -> str:
    if not (colour and style and text.strip()):
        return text
    return f"\x1b[{_STYLES[style]}m{text}\x1b[0m"


def _line(
    columns: Sequence[Column],
    values: Sequence[Value],
    plan: Layout,
    room: int,
    colour: bool,
    header: bool,
) -> str:
    parts = []
    for index, size in zip(plan.shown, plan.widths, strict=True):
        value = values[index]
        text = cut(_text(value), size)
        pad = " " * (size - width(text))
        shown = pad + text if columns[index].align == "right" else text + pad
        style = "bold" if header else (value.style if isinstance(value, Cell) else "")
        parts.append((shown, style))
    plain = (" " * plan.gap).join(text for text, _ in parts).rstrip()
    if width(plain) > room:  # narrower than even the fixed columns: cut the line itself
        return cut(plain, room)
    return (" " * plan.gap).join(_styled(text, style, colour) for text, style in parts).rstrip()


def render(
    columns: Sequence[Column],
    rows: Sequence[Sequence[Value]],
    room: int,
    *,
    colour: bool = False,
    plan: Layout | None = None,
) -> list[str]:
    """The header, a rule under it, and one line per row, none wider than `room`."""
    plan = plan or layout(columns, rows, room)
    total = sum(plan.widths) + plan.gap * (len(plan.widths) - 1)
    lines = [
        _line(columns, [c.header for c in columns], plan, room, colour, header=True),
        RULE * min(total, room),
    ]
    lines += [_line(columns, row, plan, room, colour, header=False) for row in rows]
    return lines
