"""The groupe de suivi's pack laid out once (titled tables of French text), then written as
Markdown, HTML (one self-contained file that prints on A4, like the bilan) or Word."""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from visites import dates
from visites.config import Config
from visites.groupe import REFERRALS, REVIEWS, Pack
from visites.render import numbers
from visites.render.sections import Section

# What an empty section says, agreed with its title (« Orientations… » : « Aucune. »).
_NONE = {REFERRALS: "Aucune.", REVIEWS: "Aucune."}


@dataclass(frozen=True)
class Layout:
    title: str
    subtitle: str
    status: str  # « Projet » or « Version définitive »
    notes: list[str]
    sections: list[Section]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return dates.short(value)
    if isinstance(value, int):
        return numbers.number(value)
    return str(value)


def layout(pack: Pack, config: Config) -> Layout:
    """The pack's words, once, for every format."""
    since = {
        "meeting": f"depuis la réunion du {dates.short(pack.since)}",
        "given": f"depuis le {dates.short(pack.since)}",
        "month": f"depuis le {dates.short(pack.since)} (aucune réunion précédente "
        "enregistrée : un mois)",
    }[pack.basis]
    partners = config.partners
    notes = [
        "Établi à partir des seules informations du tableau de suivi partagé avec le "
        f"bailleur, telles qu'elles étaient le {dates.short(pack.meeting)}."
    ]
    if pack.withheld:
        notes.append(
            f"{numbers.quantity(pack.withheld, 'ménage')} sans accord d'échanges avec le bailleur "
            f"{numbers.plural(pack.withheld, 'ne figure', 'ne figurent')} que dans les "
            "orientations reçues, les adhésions attendues et les clôtures."
        )
    sections = [
        Section(
            s.title,
            tuple(pack.headers[c] for c in s.columns),
            [tuple(_cell(row.get(c)) for c in s.columns) for row in s.rows],
            note="" if s.rows else _NONE.get(s.key, "Aucun."),
        )
        for s in pack.sections
    ]
    return Layout(
        title=f"Groupe de suivi du {dates.long(pack.meeting)} — ordre du jour",
        subtitle=f"{config.programme} — {partners.landlord} et {partners.association} — {since}",
        status="Version définitive" if pack.final else "Projet (version de travail)",
        notes=notes,
        sections=sections,
    )


def document(pack: Pack, fmt: str, config: Config) -> bytes:
    """The pack in `fmt`: md, html or docx."""
    shaped = layout(pack, config)
    if fmt == "html":
        return _html(shaped).encode("utf-8")
    if fmt == "docx":
        return _docx(shaped)
    return _markdown(shaped).encode("utf-8")


def _markdown(shaped: Layout) -> str:
    lines = [f"# {shaped.title}", "", f"_{shaped.subtitle}_", "", f"**{shaped.status}**", ""]
    for number, section in enumerate(shaped.sections, 1):
        lines += [f"## {number}. {section.title} ({len(section.rows)})", ""]
        if not section.rows:
            lines += [section.note, ""]
            continue
        widths = [
            max(len(h), *(len(r[i]) for r in section.rows)) for i, h in enumerate(section.header)
        ]
        lines.append(
            "| "
            + " | ".join(h.ljust(w) for h, w in zip(section.header, widths, strict=False))
            + " |"
        )
        lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
        for row in section.rows:
            lines.append(
                "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)) + " |"
            )
        lines.append("")
    lines += [f"_{note}_" for note in shaped.notes]
    return "\n".join(lines) + "\n"


_STYLE = """
  @page { size: A4; margin: 14mm 12mm 16mm 12mm; }
  * { box-sizing: border-box; }
  body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; font-size: 9.5pt;
         color: #1d2430; margin: 0 auto; max-width: 186mm; padding: 8mm 0; line-height: 1.35; }
  header { border-bottom: 2px solid #2b6cb0; margin-bottom: 5mm; }
  h1 { font-size: 16pt; margin: 0 0 1mm 0; color: #1a4a7a; }
  .subtitle { margin: 0 0 2mm 0; color: #4a5568; }
  .status { display: inline-block; margin: 0 0 2mm 0; padding: 0.5mm 2mm; border-radius: 1mm;
            background: #fdecc8; color: #7a4a00; font-weight: 600; }
  .status.final { background: #d8f0dc; color: #1e5a2a; }
  h2 { font-size: 11.5pt; margin: 0 0 2mm 0; color: #1a4a7a; break-after: avoid;
       page-break-after: avoid; }
  section.short { break-inside: avoid; page-break-inside: avoid; }
  section { margin-bottom: 5mm; }
  table { border-collapse: collapse; width: 100%; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  th, td { padding: 1mm 1.5mm; border-bottom: 1px solid #dfe3ea; vertical-align: top;
           text-align: left; }
  th { background: #eef3f9; font-weight: 600; }
  td.nowrap { white-space: nowrap; font-variant-numeric: tabular-nums; }
  .note { color: #4a5568; font-size: 8.5pt; margin: 1mm 0 0 0; }
  footer { color: #718096; font-size: 8pt; border-top: 1px solid #dfe3ea; padding-top: 2mm; }
  @media print { body { padding: 0; max-width: none; } }
"""


# Case IDs, dates and numbers: never cut across two lines.
_UNBREAKABLE = re.compile(r"[\d/ -]+|[\dA-Z/-]+")


def _html(shaped: Layout) -> str:
    e = html.escape
    final = " final" if shaped.status.startswith("Version") else ""
    parts = [
        '<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">',
        f"<title>{e(shaped.title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>",
        f'<header>\n<h1>{e(shaped.title)}</h1>\n<p class="subtitle">{e(shaped.subtitle)}</p>',
        f'<p class="status{final}">{e(shaped.status)}</p>\n</header>',
    ]
    for number, section in enumerate(shaped.sections, 1):
        short = ' class="short"' if len(section.rows) <= 15 else ""
        title = f"{number}. {e(section.title)} ({len(section.rows)})"
        parts.append(f"<section{short}>\n<h2>{title}</h2>")
        if not section.rows:
            parts.append(f'<p class="note">{e(section.note)}</p>\n</section>')
            continue
        head = "".join(f"<th>{e(h)}</th>" for h in section.header)
        parts.append(f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>")
        for row in section.rows:
            cells = "".join(
                f'<td class="nowrap">{e(c)}</td>'
                if _UNBREAKABLE.fullmatch(c)
                else f"<td>{e(c)}</td>"
                for c in row
            )
            parts.append(f"<tr>{cells}</tr>")
        parts.append("</tbody>\n</table>\n</section>")
    parts.append("<footer>" + "<br>".join(e(n) for n in shaped.notes) + "</footer>")
    parts.append("</body>\n</html>\n")
    return "\n".join(parts)


def _docx(shaped: Layout) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt, RGBColor

    document = Document()
    page = document.sections[0]
    # Landscape A4: seven columns stay readable.
    page.orientation = WD_ORIENT.LANDSCAPE
    page.page_width, page.page_height = Mm(297), Mm(210)
    page.left_margin = page.right_margin = Mm(14)
    page.top_margin = page.bottom_margin = Mm(14)
    normal = document.styles["Normal"]
    normal.font.name = "Liberation Sans"
    normal.font.size = Pt(9.5)
    document.core_properties.title = shaped.title
    document.add_heading(shaped.title, level=1)
    document.add_paragraph(shaped.subtitle)
    status = document.add_paragraph().add_run(shaped.status)
    status.bold = True
    status.font.color.rgb = RGBColor(0x1E, 0x5A, 0x2A) if shaped.status.startswith(
        "Version") else RGBColor(0x7A, 0x4A, 0x00)  # fmt: skip
    for number, section in enumerate(shaped.sections, 1):
        heading = document.add_heading(f"{number}. {section.title} ({len(section.rows)})", 2)
        heading.paragraph_format.keep_with_next = True
        if not section.rows:
            document.add_paragraph(section.note)
            continue
        table = document.add_table(rows=1, cols=len(section.header))
        table.style = "Light Grid Accent 1"
        for cell, text in zip(table.rows[0].cells, section.header, strict=True):
            cell.text = text
        for row in section.rows:
            for cell, text in zip(table.add_row().cells, row, strict=True):
                cell.text = text
        _keep_together(table)
        document.add_paragraph()
    for note in shaped.notes:
        document.add_paragraph(note).runs[0].italic = True
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _keep_together(table: Any) -> None:
    """A row never splits across pages; the header row repeats on the next page; a short
    table stays whole (each row kept with the next), so no heading is left alone."""
    from docx.oxml import OxmlElement

    rows = list(table.rows)
    for position, row in enumerate(rows):
        properties = row._tr.get_or_add_trPr()
        properties.append(OxmlElement("w:cantSplit"))
        if position == 0:
            properties.append(OxmlElement("w:tblHeader"))
        if len(rows) <= 15 and position < len(rows) - 1:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True
