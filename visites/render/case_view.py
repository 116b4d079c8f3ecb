"""One case laid out once: titled sections of labelled values, then the timeline. Pure.

`visites show` (the terminal), the right-of-access export (markdown, html) and any future
view of one case render these same sections, in this order, with these words; the renderers
only choose the typography. Every value of the case is there, each marked when its field is
confidential (never sent to the landlord), per the field declarations of `visites.model`.
Codes are shown through `vocabulary`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from pydantic import BaseModel

from visites import dates
from visites.model import CONFIDENTIAL, Case, field_classes
from visites.referents import NOBODY, periods, referent_on
from visites.render.case_project import (  # noqa: F401  (objective_line: named here too)
    finance_lines,
    objective_line,
    objective_lines,
    statement_detail,
)
from visites.vocabulary import (
    CONTEXT_LABELS,
    EVENT_LABELS,
    HOUSING_LABELS,
    MODE_LABELS,
    OBJECTIVE_STATUS_LABELS,
    OUTCOME_LABELS,
    PARTNER_LABELS,
    PHASE_LABELS,
    PRIORITY_LABELS,
    PROBLEM_DOMAIN_LABELS,
    TYPOLOGY_LABELS,
    label,
    labels,
)

if TYPE_CHECKING:
    from visites.deadlines import Due


@dataclass(frozen=True)
class Line:
    label: str
    value: str
    confidential: bool = False
    alert: bool = False  # calls for action (an overdue deadline): renderers may stress it


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
class Deadlines:
    """What the association's own view adds on a given day: the current deadline, how late
    it is, and when the diagnostic had to end (see `deadlines`)."""

    due: Due | None
    days_overdue: int
    diagnostic_due: date | None
    today: date | None = None  # the day of the view: a planned appointment gone is « à renseigner »


@dataclass(frozen=True)
class CaseView:
    sections: list[Section]
    timeline: list[Moment]


def case_view(case: Case, deadlines: Deadlines | None = None, on: date | None = None) -> CaseView:
    """The whole case as sections (only those with something to show) and its timeline;
    the référent(e) is the one in charge `on` that day (default: the case's latest fact)."""
    on = on or case.last_contact
    sections = [
        _identity(case, deadlines, on),
        _referents(case, on),
        _referral(case),
        _household(case),
        _partners(case),
        *_steps(case, deadlines),
        _objectives(case),
        _finances(case),
    ]
    sections.append(_appointments(case, deadlines.today if deadlines else None))
    sections.append(_origin(case))
    return CaseView([s for s in sections if s.lines], timeline(case))


def _origin(case: Case) -> Section:
    """Where an imported case came from, and the cells its mapping sent to the notes."""
    section = Section("Repris d'un tableau de suivi (visites import)", confidential=True)
    if o := case.origin:
        where = f"{o.file}, feuille « {o.sheet} »" if o.sheet else o.file
        section.lines.append(Line("Ligne", f"{where}, ligne {o.row}", confidential=True))
        for note in o.notes:
            section.lines.append(Line(note.column, note.text, confidential=True))
    return section


def _secret(model: type[BaseModel], alias: str) -> bool:
    return field_classes(model)[alias][0] == CONFIDENTIAL


def _add(section: Section, model: BaseModel, alias: str, label: str, value: object) -> None:
    """One line, if the value is there, marked when its field is confidential."""
    if value is None or value == "" or value == ():
        return
    shown = dates.short(value) if isinstance(value, date) else str(value)
    section.lines.append(Line(label, shown, _secret(type(model), alias)))


def _identity(case: Case, deadlines: Deadlines | None, on: date) -> Section:
    section = Section("Le dossier")
    _add(section, case, "id", "Numéro du dossier", case.id)
    section.lines.append(Line("Étape", PHASE_LABELS[case.phase]))
    _add(section, case, "referent", "Référent(e) à l'association", referent_on(case, on))
    _add(section, case, "anonymise_le", "Anonymisé le", case.anonymised_on)
    for known in case.known_before:
        text = f"dossier {known.case_id}, clôturé le {dates.short(known.closed_on)}"
        section.lines.append(Line("Ménage déjà connu", text, _secret(Case, "deja_connu")))
    if deadlines and deadlines.due:
        due, late = deadlines.due, deadlines.days_overdue
        state = f"en retard de {late} j" if late else "à venir"
        text = f"{dates.short(due.date)} — {due.reason} ({state})"
        section.lines.append(Line("Échéance", text, alert=bool(late)))
    return section


def _referents(case: Case, on: date) -> Section:
    """Who held the case, period by period: only for a case handed over at least once."""
    section = Section("Référent(e)s successifs")
    if not case.handovers:
        return section
    for period in periods(case, case.referral.date):
        start, end = dates.short(period.start), dates.short(period.end)
        when = f"{start} → {end}" if period.end else f"Depuis le {start}"
        name = (period.name or NOBODY) + (" (remplacement)" if period.cover else "")
        if period.start > on:
            name += " (à venir)"
        section.lines.append(Line(when, name))
        if period.note:
            section.lines.append(Line("Motif du transfert", period.note, confidential=True))
    return section


def _referral(case: Case) -> Section:
    r = case.referral
    section = Section("Orientation reçue du bailleur (fiche de liaison)")
    _add(section, r, "date", "Reçue le", r.date)
    _add(section, r, "contexte", "Contexte", CONTEXT_LABELS[r.context])
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
    _add(section, h, "typologie", "Typologie", label(TYPOLOGY_LABELS, h.typology or ""))
    size = f"{h.size} personne{'s' if h.size > 1 else ''}" if h.size else None
    _add(section, h, "taille", "Taille du ménage", size)
    _add(section, h, "publics_prioritaires", "Publics prioritaires",
         ", ".join(labels(PRIORITY_LABELS, h.priorities)))  # fmt: skip
    _add(section, h, "logement", "Logement", label(HOUSING_LABELS, h.housing or ""))
    return section


def _partners(case: Case) -> Section:
    """The partners mobilised around the household, each involvement dated."""
    section = Section("Partenaires mobilisés", confidential=_secret(Case, "partenaires"))
    closed = case.closed_on
    for involvement in case.partners:
        since = f"depuis le {dates.short(involvement.start)}"
        if involvement.end:
            since = f"du {dates.short(involvement.start)} au {dates.short(involvement.end)}"
        elif closed:
            since += " (jusqu'à la clôture du dossier)"
        text = since + (f" — {involvement.note}" if involvement.note else "")
        section.lines.append(Line(label(PARTNER_LABELS, involvement.partner), text))
    return section


def _steps(case: Case, deadlines: Deadlines | None) -> list[Section]:
    found = []
    if a := case.adhesion:
        section = Section("Adhésion du ménage")
        _add(section, a, "date", "Date", a.date)
        _add(section, a, "mode", "Démarrage", MODE_LABELS.get(a.mode, a.mode))
        consent = dates.short(a.consent_to_share) if a.consent_to_share else "non donné"
        section.lines.append(Line("Accord pour les échanges avec le bailleur", consent))
        _add(section, a, "information_rgpd", "Notice RGPD remise le", a.notice)
        found.append(section)
    if r := case.refusal:
        section = Section("Refus du ménage")
        _add(section, r, "date", "Date", r.date)
        _add(section, r, "motif", "Motif", r.reason)
        found.append(section)
    if case.diagnostic or (deadlines and case.adhesion):
        found.append(_diagnostic(case, deadlines))
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


def _diagnostic(case: Case, deadlines: Deadlines | None) -> Section:
    section = Section("Diagnostic social", confidential=True)
    limit = deadlines.diagnostic_due if deadlines else None
    if limit:
        end = case.diagnostic_end
        if end:
            text = f"terminé le {dates.short(end)}" + (" (hors délai)" if end > limit else "")
        else:
            text = f"à terminer au plus tard le {dates.short(limit)}"
        section.lines.append(Line("Délai", text))
    if d := case.diagnostic:
        problems = ", ".join(labels(PROBLEM_DOMAIN_LABELS, d.problems))
        _add(section, d, "problematiques", "Difficultés repérées", problems)
        _add(section, d, "situation", "Situation familiale, sociale et financière", d.situation)
        _add(section, d, "leviers", "Potentialités et leviers", d.levers)
        _add(section, d, "reseau", "Réseau et liens", d.network)
    return section


def _appointments(case: Case, today: date | None) -> Section:
    """Every appointment with its number, state (derived from the timeline: see
    `appointments`), attendee; place and notes marked confidential."""
    from visites.appointments import state
    from visites.vocabulary import APPOINTMENT_LABELS, APPOINTMENT_STATE_LABELS

    section = Section("Rendez-vous")
    for number, a in enumerate(case.appointments, 1):
        end = f"{a.duration} min"
        parts = [f"{dates.short(a.date)} à {a.time} ({end})", APPOINTMENT_LABELS[a.kind]]
        if a.attendee:
            parts.append(a.attendee)
        found = state(case, a)
        if found == "planned" and today is not None and a.date < today:
            found = "to_fill"
        parts.append(APPOINTMENT_STATE_LABELS[found]
                     + (f" le {dates.short(a.cancelled.date)}" if a.cancelled else ""))  # fmt: skip
        section.lines.append(Line(f"Rendez-vous n° {number}", " — ".join(parts)))
        if a.place:
            section.lines.append(Line("  lieu", a.place, confidential=True))
        if a.note:
            section.lines.append(Line("  note", a.note, confidential=True))
        if a.cancelled and a.cancelled.note:
            section.lines.append(Line("  motif d'annulation", a.cancelled.note, True))
    return section


def _objectives(case: Case) -> Section:
    """The accompaniment project: each objective, its problem domain and its status."""
    lines = [Line(name, text, True) for name, text in objective_lines(case)]
    return Section("Projet d'accompagnement : objectifs", lines, confidential=True)


def _finances(case: Case) -> Section:
    """The household's finances, as `case_project.finance_lines` words them."""
    lines = [Line(name, text, True) for name, text in finance_lines(case)]
    return Section("Situation financière", lines, confidential=True)


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
    for involvement in case.partners:
        partner = label(PARTNER_LABELS, involvement.partner)
        moments.append(Moment(involvement.start, f"Partenaire mobilisé : {partner}", "", True))
        if involvement.end:
            moments.append(Moment(involvement.end, f"Fin du suivi : {partner}", "", True))
    for event in case.events:
        detail = " — ".join(x for x in (event.author, event.note) if x)
        what = EVENT_LABELS[event.kind].capitalize()
        if event.partner:
            what += f" avec {label(PARTNER_LABELS, event.partner)}"
        moments.append(Moment(event.date, what, detail, confidential=True))
    for handover in case.handovers:  # the return after a cover is written nowhere else
        if handover.until is not None:
            back = handover.until + timedelta(days=1)
            holder = referent_on(case, back) or NOBODY
            moments.append(Moment(back, "Fin du remplacement", f"retour à {holder}"))
    for objective in case.objectives:
        for position, change in enumerate(objective.statuses):
            what = f"Objectif {objective.number}" + (" fixé" if position == 0 else "")
            detail = OBJECTIVE_STATUS_LABELS[change.status] + (
                f" — {change.note}" if change.note else "")  # fmt: skip
            moments.append(Moment(change.date, what, detail, confidential=True))
    for statement in case.finances:
        moments.append(Moment(statement.date, "Situation financière",
                              statement_detail(statement), confidential=True))  # fmt: skip
    if case.anonymised_on:
        moments.append(Moment(case.anonymised_on, "Anonymisation du dossier"))
    return sorted(moments, key=lambda m: m.day)  # stable: same-day steps keep their order
