"""The comments of a case file through a merge. Case files say « Vos commentaires sont
conservés » : a comment line written on one side (a warning for whoever visits next) must be
in the merged file, wherever the merge took its text from. Pure: texts in, text out.

A comment line is a line whose first non-blank character is `#` (a comment after a value,
on the same line, travels with that line).
"""

from __future__ import annotations

from collections import Counter


def _is_comment(line: str) -> bool:
    return line.lstrip().startswith("#")


def _comments(text: str) -> Counter[str]:
    return Counter(line.strip() for line in text.splitlines() if _is_comment(line))


def added(base: str, side: str) -> list[str]:
    """The comment lines `side` has that `base` has not (stripped, counted: a line written
    twice is added twice)."""
    extra = _comments(side) - _comments(base)
    return [line for line, count in extra.items() for _ in range(count)]


def missing(base: str, ours: str, theirs: str, merged: str) -> list[str]:
    """The comment lines added on either side that the merged text lacks."""
    wanted = Counter(added(base, ours)) | Counter(added(base, theirs))
    lacking = wanted - _comments(merged)
    return [line for line, count in lacking.items() for _ in range(count)]


def keep(merged: str, base: str, sides: list[str], at_end: bool = False) -> str:
    """`merged` with each comment line a side added and `merged` lacks put back where that
    side had it: before the line that followed it there (or after the one before it), else
    at the end. Nothing else changes. `at_end`: every one at the end, unindented (where a
    comment never changes a value, even after a block of text)."""
    lines = merged.splitlines(keepends=True)
    newline = "\r\n" if "\r\n" in merged else "\n"
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += newline
    for side in sides:
        lacking = Counter(added(base, side)) - _comments("".join(lines))
        if not lacking:
            continue
        side_lines = side.splitlines()
        for index, line in enumerate(side_lines):
            key = line.strip()
            if not _is_comment(line) or lacking[key] <= 0:
                continue
            lacking[key] -= 1
            if at_end:
                lines.append(key + newline)
            else:
                lines.insert(_place(lines, side_lines, index), line + newline)
    return "".join(lines)


def _place(lines: list[str], side_lines: list[str], index: int) -> int:
    """Where in `lines` the comment at `side_lines[index]` goes."""
    present = [line.rstrip("\r\n") for line in lines]
    after = next((s for s in side_lines[index + 1 :] if s.strip() and not _is_comment(s)), None)
    if after is not None and after in present:
        return present.index(after)  # comments put back in order stay in order before it
    before = next(
        (s for s in reversed(side_lines[:index]) if s.strip() and not _is_comment(s)), None
    )
    if before is not None and before in present:
        return present.index(before) + 1
    return len(lines)
