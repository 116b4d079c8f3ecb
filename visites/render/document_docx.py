"""A Letter as a Word document (python-docx): A4, the same blocks as the html letter.

The recipient's address is indented to 110 mm from the sheet's left edge and pushed down to
about 55 mm from its top, for the window of a DL envelope; a word processor does not place
it to the millimetre, so check one printed copy against an envelope.
"""

from __future__ import annotations

import io
from datetime import date

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
    Block,
    Letter,
)
from visites.render.document_html import (
    ADDRESS_LEFT,
    ADDRESS_TOP,
    MARGIN_BOTTOM,
    MARGIN_SIDE,
    MARGIN_TOP,
)

LINE_MM = 5.0  # one line of 10.5 pt text, single spacing, roughly


def render(letter: Letter, when: date | None = None) -> bytes:
    """The .docx bytes of `letter`. `when` is the document's date (its metadata)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP), Mm(MARGIN_BOTTOM)
    section.left_margin = section.right_margin = Mm(MARGIN_SIDE)
    normal = document.styles["Normal"]
    normal.font.name = "Liberation Sans"
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(6)
    properties = document.core_properties
    properties.title = letter.title
    properties.author = ""
    properties.comments = ""
    if when is not None:
        from datetime import datetime

        properties.created = properties.modified = datetime(when.year, when.month, when.day)

    sender_lines = 0
    for block in letter.blocks:
        if block.kind == TITLE:
            document.add_heading(block.text.replace("\n", " "), level=1)
            continue
        if block.kind == HEADING:
            document.add_heading(block.text.replace("\n", " "), level=2)
            continue
        if block.kind == LIST:
            for line in block.lines:
                _runs(document.add_paragraph(style="List Bullet"), line)
            continue
        paragraph = document.add_paragraph()
        _lines(paragraph, block)
        layout = paragraph.paragraph_format
        if block.kind == SENDER:
            layout.space_after = Pt(0)
            sender_lines += len(block.lines)
        elif block.kind == RECIPIENT:
            layout.left_indent = Mm(ADDRESS_LEFT - MARGIN_SIDE)
            above = ADDRESS_TOP - MARGIN_TOP - sender_lines * LINE_MM
            layout.space_before = Mm(max(above, 2))
            layout.space_after = Mm(12)
        elif block.kind in (PLACE_DATE,):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            layout.space_after = Mm(6)
        elif block.kind == SUBJECT:
            for run in paragraph.runs:
                run.bold = True
            layout.space_before = Mm(3)
            layout.space_after = Mm(5)
        elif block.kind == SIGNATURE:
            layout.left_indent = Mm(95)
            layout.space_before = Mm(8)
        elif block.kind == NOTE:
            for run in paragraph.runs:
                run.font.size = Pt(9)
        else:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _lines(paragraph: object, block: Block) -> None:
    from docx.enum.text import WD_BREAK

    for index, line in enumerate(block.lines):
        if index:
            paragraph.runs[-1].add_break(WD_BREAK.LINE)  # type: ignore[attr-defined]
        _runs(paragraph, line)


def _runs(paragraph: object, line: tuple) -> None:
    for piece in line:
        run = paragraph.add_run(piece.text)  # type: ignore[attr-defined]
        run.bold = piece.bold or None
        run.italic = piece.italic or None
