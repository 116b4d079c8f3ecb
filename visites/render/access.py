"""The household's whole file in readable French, for its right of access (RGPD art. 15).

`access_document` builds the document once (sections of labelled values, then the timeline);
`markdown` and `html` write it out. Every value of the case is shown, each marked when it is
confidential (never sent to the landlord), per the field declarations of `visites.model`.
The file's own text follows as an annex: hand comments and unknown keys are data too.
Pure: no file system here.
"""

from __future__ import annotations

import html as html_lib
from dataclasses import dataclass, field
from datetime import date

from pydantic import BaseModel

from visites import dates
from visites.model import CONFIDENTIAL, Case, field_classes
from visites.privacy import consent_notice
from visites.render.terminal import CONTEXT_LABELS, EVENT_LABELS
from visites.workflow import OUTCOME_LABELS, PHASE_LABELS

MODE_LABELS = {"tripartite": "rencontre tripartite", "courrier": "courrier du bailleur"}
CONFIDENTIAL_MARK = "confidentiel"


@dataclass(frozen=True)
class Line:
    label: str
    value: str
    confidential: bool = False


@dataclass
class Section:
    title: str
    lines: list[Line] = field(default_factory=list)
    confidential: bool = False


@dataclass(frozen=True)
class Moment:
    """One dated entry of the timeline."""

    day: date
    what: str
    detail: str = ""
    confidential: bool = False


@dataclass(frozen=True)
class AccessDocument:
    title: str
    intro: list[str]
    sections: list[Section]
    timeline: list[Moment]
    file_text: str


def _secret(model: type[BaseModel], alias: str) -> bool:
    return field_classes(model)[alias][0] == CONFIDENTIAL


def _add(section: Section, model: BaseModel, alias: str, label: str, value: object) -> None:
    """One line, if the value is there, marked when its field is confidential."""
    if value is None or value == "" or value == ():
        return
    shown = dates.short(value) if isinstance(value, date) else str(value)
    section.lines.append(Line(label, shown, _secret(type(model), alias)))


def access_document(case: Case, file_text: str, association: str, today: date) -> AccessDocument:
    """The whole case as a document for the household."""
    sections = [
        _identity(case),
        _referral(case),
        _household(case),
        *_steps(case),
    ]
    intro = [
        f"Document édité le {dates.long(today)} par {association}, à la demande du ménage "
        "(droit d'accès, article 15 du RGPD).",
        "Il contient toutes les informations enregistrées dans le dossier. Celles marquées "
        f"« {CONFIDENTIAL_MARK} » restent à l'association et ne sont jamais transmises au "
        "bailleur.",
    ]
    intro.append(consent_notice(case))
    return AccessDocument(
        title=f"Dossier {case.id} — « Les visites sociales »",
        intro=intro,
        sections=[s for s in sections if s.lines],
        timeline=timeline(case),
        file_text=file_text,
    )


def _identity(case: Case) -> Section:
    section = Section("Le dossier")
    _add(section, case, "id", "Numéro du dossier", case.id)
    section.lines.append(Line("Étape", PHASE_LABELS[case.phase]))
    _add(section, case, "referent", "Référent(e) à l'association", case.referent)
    _add(section, case, "anonymise_le", "Anonymisé le", case.anonymised_on)
    return section


def _referral(case: Case) -> Section:
    r = case.referral
    section = Section("Orientation reçue du bailleur (fiche de liaison)")
    _add(section, r, "date", "Reçue le", r.date)
    _add(section, r, "contexte", "Contexte", CONTEXT_LABELS[r.context.value])
    _add(section, r, "prescripteur", "Prescripteur", r.referrer)
    _add(section, r, "reference_bailleur", "Référence chez le bailleur", r.landlord_ref)
    _add(section, r, "motif", "Motif", r.reason)
    _add(section, r, "date_butoir", "Date butoir", r.deadline)
    return section


def _household(case: Case) -> Section:
    h = case.household
    section = Section("Le ménage")
    _add(section, h, "nom", "Nom", h.name)
    _add(section, h, "adresse", "Adresse", h.address)
    _add(section, h, "commune", "Commune", h.commune)
    _add(section, h, "telephone", "Téléphone", h.phone)
    for member in h.members:
        detail = [member.first_name]
        if member.role:
            detail.append(member.role)
        if member.birth_year:
            detail.append(f"né(e) en {member.birth_year}")
        section.lines.append(Line("Membre du ménage", ", ".join(detail), confidential=True))
    return section


def _steps(case: Case) -> list[Section]:
    found = []
    if a := case.adhesion:
        section = Section("Adhésion du ménage")
        _add(section, a, "date", "Date", a.date)
        _add(section, a, "mode", "Recueillie lors d'un(e)", MODE_LABELS.get(a.mode, a.mode))
        consent = dates.short(a.consent_to_share) if a.consent_to_share else "non donné"
        section.lines.append(Line("Accord pour les échanges avec le bailleur", consent))
        _add(section, a, "information_rgpd", "Notice d'information (RGPD) remise le", a.notice)
        found.append(section)
    if r := case.refusal:
        section = Section("Refus du ménage")
        _add(section, r, "date", "Date", r.date)
        _add(section, r, "motif", "Motif", r.reason)
        found.append(section)
    if d := case.diagnostic:
        section = Section("Diagnostic social", confidential=True)
        _add(section, d, "problematiques", "Difficultés repérées", ", ".join(d.problems))
        _add(section, d, "situation", "Situation familiale, sociale et financière", d.situation)
        _add(section, d, "leviers", "Potentialités et leviers", d.levers)
        _add(section, d, "reseau", "Réseau et liens", d.network)
        found.append(section)
    if o := case.orientation:
        section = Section("Orientation décidée")
        _add(section, o, "date", "Date", o.date)
        _add(section, o, "vers", "Orientation", OUTCOME_LABELS[o.to])
        _add(section, o, "mesure", "Mesure de droit commun", o.measure)
        _add(section, o, "preconisations", "Préconisations", o.recommendations)
        found.append(section)
    if acc := case.accompaniment:
        section = Section("Accompagnement personnalisé")
        _add(section, acc, "debut", "Début", acc.start)
        for renewal in acc.renewals:
            text = f"le {dates.short(renewal.date)}, pour {renewal.months} mois"
            section.lines.append(Line("Renouvellement", text))
        found.append(section)
    if c := case.closure:
        section = Section("Clôture")
        _add(section, c, "date", "Date", c.date)
        _add(section, c, "issue", "Issue", c.outcome)
        found.append(section)
    return found


def timeline(case: Case) -> list[Moment]:
    """Every dated fact of the case, in order; events with their author and note."""
    moments = [Moment(case.referral.date, "Orientation reçue du bailleur")]
    if case.referral.deadline:
        moments.append(Moment(case.referral.deadline, "Date butoir indiquée par le bailleur"))
    if a := case.adhesion:
        moments.append(Moment(a.date, "Adhésion du ménage", MODE_LABELS.get(a.mode, a.mode)))
        if a.consent_to_share:
            moments.append(Moment(a.consent_to_share, "Accord pour les échanges avec le bailleur"))
    if case.refusal:
        reason = case.refusal.reason or ""
        moments.append(Moment(case.refusal.date, "Refus du ménage", reason, bool(reason)))
    if o := case.orientation:
        detail = OUTCOME_LABELS[o.to] + (f" ({o.measure})" if o.measure else "")
        moments.append(Moment(o.date, "Orientation", detail))
    if acc := case.accompaniment:
        moments.append(Moment(acc.start, "Début de l'accompagnement personnalisé"))
        for renewal in acc.renewals:
            moments.append(Moment(renewal.date, "Renouvellement", f"{renewal.months} mois"))
    if case.closure:
        moments.append(Moment(case.closure.date, "Clôture", case.closure.outcome or ""))
    for event in case.events:
        detail = " — ".join(x for x in (event.author, event.note) if x)
        what = EVENT_LABELS[event.kind].capitalize()
        moments.append(Moment(event.date, what, detail, confidential=True))
    if case.anonymised_on:
        moments.append(Moment(case.anonymised_on, "Anonymisation du dossier"))
    return sorted(moments, key=lambda m: m.day)  # stable: same-day steps keep their order


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
