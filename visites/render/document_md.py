"""A Letter as markdown: readable as plain text, and by any markdown tool."""

from __future__ import annotations

import re

from visites.documents.structure import (
    HEADING,
    LIST,
    NOTE,
    PLACE_DATE,
    RECIPIENT,
    SENDER,
    SIGNATURE,
    SUBJECT,
    TITLE,
    Letter,
    Line,
)

_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
_LINE_START = re.compile(r"^(\s*)([#>+-]|\d+[.)])")


def render(letter: Letter) -> str:
    """The markdown text of `letter`; every value is escaped, so it stays text."""
    parts: list[str] = []
    for block in letter.blocks:
        lines = [_line(line) for line in block.lines]
        if block.kind == TITLE:
            parts.append("# " + " ".join(lines))
        elif block.kind == HEADING:
            parts.append("## " + " ".join(lines))
        elif block.kind == LIST:
            parts.append("\n".join("- " + line for line in lines))
        elif block.kind == SUBJECT:
            parts.append("**" + " ".join(lines) + "**")
        elif block.kind == NOTE:
            parts.append("\\\n".join(f"*{line}*" for line in lines))
        elif block.kind in (SENDER, RECIPIENT, SIGNATURE, PLACE_DATE):
            # A hard line break (backslash) keeps the address lines apart in any renderer.
            parts.append("\\\n".join(lines))
        else:
            parts.append("\\\n".join(lines))
    return "\n\n".join(parts) + "\n"


def _line(line: Line) -> str:
    text = ""
    for run in line:
        piece = _SPECIAL.sub(r"\\\1", run.text)
        if run.bold and run.italic:
            piece = f"***{piece.strip()}***"
        elif run.bold:
            piece = f"**{piece.strip()}**"
        elif run.italic:
            piece = f"*{piece.strip()}*"
        text += _keep_spaces(run.text, piece)
    return _LINE_START.sub(r"\1\\\2", text)


def _keep_spaces(original: str, styled: str) -> str:
    """Emphasis markers must hug the text: move the run's outer spaces outside them."""
    if styled.startswith("*") and original != original.strip():
        lead = " " if original[:1].isspace() else ""
        tail = " " if original[-1:].isspace() else ""
        return lead + styled + tail
    return styled
