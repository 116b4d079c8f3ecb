"""A rendered Letter to the bytes of one format, chosen by the output file's extension."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from visites.documents.structure import Letter
from visites.errors import UsageProblem

# No .odt: odfpy is unmaintained (last release 2020) and LibreOffice opens .docx as it is.
FORMATS = {".md": "md", ".html": "html", ".htm": "html", ".docx": "docx"}


def format_of(output: Path | None) -> str:
    """md without a file; else the format of the file's extension, or a usage error."""
    if output is None:
        return "md"
    found = FORMATS.get(output.suffix.lower())
    if found is None:
        raise UsageProblem(
            f"--output {output} : extension inconnue ; possibles : .md, .html, .docx"
        )
    return found


def render(letter: Letter, fmt: str, when: date) -> bytes:
    """`letter` in format `fmt` (md, html, docx)."""
    if fmt == "md":
        from visites.render import document_md

        return document_md.render(letter).encode("utf-8")
    if fmt == "html":
        from visites.render import document_html

        return document_html.render(letter).encode("utf-8")
    if fmt == "docx":
        from visites.render import document_docx

        return document_docx.render(letter, when)
    raise UsageProblem(f"format « {fmt} » inconnu")
