"""The household's whole file in readable French, for its right of access (RGPD art. 15).

`access_document` builds the document once: an introduction, the case view every view of a
case shares (`case_view`: sections of labelled values, then the timeline), and the file's own
text as an annex (hand comments and unknown keys are data too); `markdown` and `html` write
it out. Every value is marked when it is confidential (never sent to the landlord).
Pure: no file system here.
"""

from __future__ import annotations

import html as html_lib
from dataclasses import dataclass
from datetime import date

from visites import dates
from visites.model import Case
from visites.privacy import consent_notice
from visites.render.case_view import Moment, Section, case_view

CONFIDENTIAL_MARK = "confidentiel"


@dataclass(frozen=True)
class AccessDocument:
    title: str
    intro: list[str]
    sections: list[Section]
    timeline: list[Moment]
    file_text: str


def access_document(case: Case, file_text: str, association: str, today: date) -> AccessDocument:
    """The whole case as a document for the household."""
    intro = [
        f"Document édité le {dates.long(today)} par {association}, à la demande du ménage "
        "(droit d'accès, article 15 du RGPD).",
        "Il contient toutes les informations enregistrées dans le dossier. Celles marquées "
        f"«\u00a0{CONFIDENTIAL_MARK}\u00a0» restent à l'association et ne sont jamais "
        "transmises au bailleur.",  # no-break spaces: a quotation is never cut
        consent_notice(case),
    ]
    view = case_view(case, on=today)
    return AccessDocument(
        title=f"Dossier {case.id} — « Les visites sociales »",
        intro=intro,
        sections=view.sections,
        timeline=view.timeline,
        file_text=file_text,
    )


# ---------------------------------------------------------------------------- markdown


def _md(text: str) -> str:
    """Escape what markdown would read as markup; keep line breaks as breaks."""
    for char in "\\`*_[]<>#|":
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "  \n  ")


def markdown(doc: AccessDocument) -> str:
    out = [f"# {_md(doc.title)}", "", *(f"{_md(p)}\n" for p in doc.intro)]
    for section in doc.sections:
        mark = f" ({CONFIDENTIAL_MARK})" if section.confidential else ""
        out += [f"## {section.title}{mark}", ""]
        for line in section.lines:
            flag = f" *({CONFIDENTIAL_MARK})*" if line.confidential else ""
            out.append(f"- **{line.label}** : {_md(line.value)}{flag}")
        out.append("")
    out += ["## Chronologie", ""]
    for moment in doc.timeline:
        detail = f" — {_md(moment.detail)}" if moment.detail else ""
        flag = f" *({CONFIDENTIAL_MARK})*" if moment.confidential else ""
        out.append(f"- {dates.short(moment.day)} : {moment.what}{detail}{flag}")
    out += ["", "## Annexe : le fichier tel qu'il est enregistré", ""]
    fence = "~~~~" if "~~~" in doc.file_text else "~~~"  # a fence the text cannot close
    out += [fence + "yaml", doc.file_text.rstrip("\n"), fence, ""]
    return "\n".join(out)


# ---------------------------------------------------------------------------- html

_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 48rem; margin: 2rem auto; padding: 0 1rem;
       color: #1a1a1a; line-height: 1.45; }
h1 { font-size: 1.5rem; }
h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #ccc; }
dl { display: grid; grid-template-columns: 16rem 1fr; gap: .3rem 1rem; }
dt { font-weight: 600; } dd { margin: 0; white-space: pre-wrap; }
.secret { color: #8a1c1c; font-size: .85em; font-style: italic; }
ol { padding-left: 1.2rem; } pre { background: #f4f4f4; padding: 1rem; overflow-x: auto; }
@media print { pre { white-space: pre-wrap; } }
@page { size: A4; margin: 16mm 14mm; }
"""


def html(doc: AccessDocument) -> str:
    """A self-contained page: no script, no external style, font or image."""
    e = html_lib.escape
    secret = f' <span class="secret">({CONFIDENTIAL_MARK})</span>'
    out = [
        "<!DOCTYPE html>",
        '<html lang="fr">',
        '<head><meta charset="utf-8">',
        f"<title>{e(doc.title)}</title>",
        f"<style>{_STYLE}</style></head>",
        "<body>",
        f"<h1>{e(doc.title)}</h1>",
        *(f"<p>{e(p)}</p>" for p in doc.intro),
    ]
    for section in doc.sections:
        out.append(f"<h2>{e(section.title)}{secret if section.confidential else ''}</h2>")
        out.append("<dl>")
        for line in section.lines:
            flag = secret if line.confidential else ""
            out.append(f"<dt>{e(line.label)}</dt><dd>{e(line.value)}{flag}</dd>")
        out.append("</dl>")
    out += ["<h2>Chronologie</h2>", "<ol>"]
    for moment in doc.timeline:
        detail = f" — {e(moment.detail)}" if moment.detail else ""
        flag = secret if moment.confidential else ""
        out.append(f"<li>{dates.short(moment.day)} : {e(moment.what)}{detail}{flag}</li>")
    out += ["</ol>", "<h2>Annexe : le fichier tel qu'il est enregistré</h2>"]
    out += [f"<pre>{e(doc.file_text)}</pre>", "</body>", "</html>", ""]
    return "\n".join(out)
