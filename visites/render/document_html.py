"""A Letter as one html page, ready to print on A4 from any browser.

The recipient's address sits where the window of a French DL envelope (110 × 220 mm, window
45 × 100 mm at 20 mm from the right and 15 mm from the bottom) shows it once the A4 sheet is
folded in three: a frame 80 mm wide (up to the right margin), 110 mm from the left edge and
55 mm from the top edge (the usual French layout for windowed envelopes: inside the window,
with a few mm of play).
"""

from __future__ import annotations

from markupsafe import Markup, escape

from visites.documents.structure import (
    HEADING,
    LIST,
    NOTE,
    PARAGRAPH,
    PLACE_DATE,
    RECIPIENT,
    SENDER,
    SIGNATURE,
    SUBJECT,
    TITLE,
    Block,
    Letter,
    Line,
)

# Page margins and the address frame, in mm from the sheet's edges.
MARGIN_TOP, MARGIN_SIDE, MARGIN_BOTTOM = 15, 20, 18
ADDRESS_LEFT, ADDRESS_TOP, ADDRESS_WIDTH, ADDRESS_HEIGHT = 110, 55, 80, 33

STYLE = f"""
@page {{ size: A4; margin: {MARGIN_TOP}mm {MARGIN_SIDE}mm {MARGIN_BOTTOM}mm {MARGIN_SIDE}mm; }}
* {{ box-sizing: border-box; }}
html {{ font-family: "Liberation Sans", Arial, Helvetica, sans-serif; font-size: 10.5pt;
       line-height: 1.35; color: #000; }}
body {{ margin: 0; }}
@media screen {{
  body {{ width: 210mm; min-height: 297mm; margin: 1em auto; background: #fff;
         padding: {MARGIN_TOP}mm {MARGIN_SIDE}mm {MARGIN_BOTTOM}mm; box-shadow: 0 0 4px #999; }}
  html {{ background: #eee; }}
}}
/* The top of the first page: sender on the left, the recipient in the envelope's window. */
.en-tete {{ position: relative; height: {ADDRESS_TOP + ADDRESS_HEIGHT + 5 - MARGIN_TOP}mm; }}
.expediteur {{ font-style: normal; width: 80mm; }}
.destinataire {{ font-style: normal; position: absolute;
  left: {ADDRESS_LEFT - MARGIN_SIDE}mm; top: {ADDRESS_TOP - MARGIN_TOP}mm;
  width: {ADDRESS_WIDTH}mm; height: {ADDRESS_HEIGHT}mm; font-size: 11pt; line-height: 1.25;
  overflow-wrap: anywhere; }}
.lieu-date {{ text-align: right; margin: 0 0 6mm; }}
.objet {{ font-weight: bold; margin: 4mm 0 5mm; }}
.mention {{ font-size: 9pt; color: #333; }}
.signature {{ margin: 10mm 0 0 95mm; }}
h1 {{ font-size: 15pt; text-align: center; margin: 12mm 0 8mm; }}
h2 {{ font-size: 11.5pt; margin: 5mm 0 2mm; }}
p {{ margin: 0 0 3mm; text-align: justify; hyphens: auto; }}
ul {{ margin: 0 0 3mm; }}
h2, .objet {{ break-after: avoid; }}
.signature, p {{ break-inside: avoid; }}
"""

_HEAD = {SENDER, RECIPIENT}


def render(letter: Letter) -> str:
    """The html page of `letter`: escaped text, print CSS, the address in the window."""
    head = [b for b in letter.blocks if b.kind in _HEAD]
    body = [b for b in letter.blocks if b.kind not in _HEAD]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="fr">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{escape(letter.title)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
    ]
    if head:
        parts.append('<header class="en-tete">')
        parts += [_block(b) for b in head]
        parts.append("</header>")
    parts += [_block(b) for b in body]
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def _block(block: Block) -> str:
    lines = [_line(line) for line in block.lines]
    joined = Markup("<br>\n").join(lines)
    if block.kind == TITLE:
        return f"<h1>{joined}</h1>"
    if block.kind == HEADING:
        return f"<h2>{joined}</h2>"
    if block.kind == LIST:
        return "<ul>" + "".join(f"<li>{line}</li>" for line in lines) + "</ul>"
    if block.kind in (SENDER, RECIPIENT):
        return f'<address class="{block.kind}">{joined}</address>'
    if block.kind == SIGNATURE:
        return f'<div class="signature">{joined}</div>'
    if block.kind in (PLACE_DATE, SUBJECT, NOTE):
        return f'<p class="{block.kind}">{joined}</p>'
    assert block.kind == PARAGRAPH, block.kind
    return f"<p>{joined}</p>"


def _line(line: Line) -> Markup:
    html = Markup("")
    for run in line:
        piece = escape(run.text)
        if run.italic:
            piece = Markup("<em>%s</em>") % piece
        if run.bold:
            piece = Markup("<strong>%s</strong>") % piece
        html += piece
    return html
