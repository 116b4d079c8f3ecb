"""The bilan laid out once as titled tables of French text, for every document format.

Markdown, HTML, CSV, XLSX and the terminal all show these same sections, so a figure shown
in one format is shown, worded the same, in all of them. Build every number cell with the
helpers (`n` = numbers.number, `e` = numbers.euros, `numbers.percent`, `days`, `months`): they
return typed cells (`render.cells`), printed as their French text by the terminal, md and
html, written as numbers with a number format by csv and xlsx.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from visites.model import CONTACT_KINDS, OBJECTIVE_STATUSES, Outcome
from visites.publics import NONE, UNKNOWN
from visites.render import numbers
from visites.render.cells import Days, Number
from visites.reports import Bilan, Costs
from visites.vocabulary import (
    BILLING_LABELS,
    CONTEXT_LABELS,
    EVENT_COUNT_LABELS,
    HOUSING_LABELS,
    NOT_RECORDED,
    OBJECTIVE_STATUS_COUNT_LABELS,
    OUTCOME_LABELS,
    PARTNER_LABELS,
    PRIORITY_LABELS,
    PROBLEM_DOMAIN_LABELS,
    TYPOLOGY_LABELS,
    label,
)

PUBLICS = "Publics"  # the chapter of the sections of `publics_sections`


@dataclass(frozen=True)
class Section:
    """A titled table: a header row and rows of text cells (numbers already French, typed)."""

    title: str
    header: tuple[str, ...]
    rows: list[tuple[str, ...]]
    note: str = ""
    chapter: str = ""  # a part of the bilan some layouts set apart (PUBLICS), or ""


def days(value: float | None) -> str:
    """`12 j`, `12,5 j`; `—` for None."""
    if value is None:
        return "—"
    shown = numbers.number(value, 0 if value == int(value) else 1)
    assert isinstance(shown, Number)
    return Days(f"{shown} j", shown.value, shown.decimals)


def months(value: float | Decimal | None) -> str:
    """`7,5 mois`; `—` for None."""
    if value is None:
        return "—"
    shown = numbers.number(value)
    assert isinstance(shown, Number)
    return Number(f"{shown} mois", shown.value, shown.decimals, unit="mois")


def sections(b: Bilan) -> list[Section]:
    """Every table of the bilan, in reading order."""
    r, c, d, o, a = b.referrals, b.consents, b.diagnostics, b.orientations, b.accompaniment
    n = numbers.number
    out = [
        Section("Orientations reçues", ("Indicateur", "Nombre"), [
            ("Orientations reçues", n(r.total)),
            (f"dont {CONTEXT_LABELS['entree']}", n(r.entree)),
            (f"dont {CONTEXT_LABELS['en-cours']}", n(r.en_cours)),
        ]),
        Section("Orientations reçues par commune", ("Commune", "Nombre"),
                [(k, n(v)) for k, v in r.by_commune.items()]),
        Section("Orientations reçues par prescripteur", ("Prescripteur", "Nombre"),
                [(k, n(v)) for k, v in r.by_referrer.items()]),
        Section("Adhésions", ("Indicateur", "Valeur"), [
            ("Adhésions dans l'année", n(c.accepted)),
            ("Refus dans l'année", n(c.refused)),
            (f"En attente de réponse au {numbers.short(b.end)}", n(c.pending)),
            ("Délai médian orientation reçue → adhésion", days(c.median_delay_days)),
        ]),
        Section("Diagnostics sociaux", ("Indicateur", "Valeur"), [
            ("Diagnostics commencés (adhésion dans l'année)", n(d.started)),
            ("Diagnostics terminés (orientation dans l'année)", n(d.completed)),
            ("Diagnostics arrêtés avant l'orientation", n(d.stopped)),
            ("Diagnostics hors délai", n(d.late)),
            ("Durée médiane", days(d.median_days)),
            ("Durée moyenne", days(d.mean_days)),
        ], note=("Hors délai : terminés dans l'année après leur échéance, ou encore ouverts "
                 f"au {numbers.short(b.end)} avec leur échéance dépassée"
                 + (f" ({', '.join(d.late_ids)})." if d.late_ids else "."))),
        Section("Orientations décidées", ("Orientation", "Nombre"), [
            (OUTCOME_LABELS[Outcome.SANS_SUITE], n(o.sans_suite)),
            (OUTCOME_LABELS[Outcome.REMOBILISATION], n(o.remobilisation)),
            (OUTCOME_LABELS[Outcome.ACCOMPAGNEMENT], n(o.accompagnement)),
            (OUTCOME_LABELS[Outcome.DROIT_COMMUN], n(o.droit_commun)),
            *((f"dont {measure}", n(count)) for measure, count in o.measures.items()),
        ]),
        Section("Accompagnements personnalisés", ("Indicateur", "Valeur"), [
            ("Accompagnements actifs (au moins un mois facturé)", n(a.active)),
            ("Accompagnements commencés", n(a.started)),
            ("Accompagnements terminés", n(a.ended)),
            ("Mois d'accompagnement facturés", n(a.months)),
            ("Durée moyenne des accompagnements terminés", months(a.mean_months_ended)),
        ]),
        Section("Événements", ("Type", "Nombre"),
                [(EVENT_COUNT_LABELS[k], n(b.events[k])) for k in CONTACT_KINDS]),
        Section("Problématiques repérées", ("Problématique", "Ménages"),
                [(label(PROBLEM_DOMAIN_LABELS, k), n(v)) for k, v in b.problem_domains.items()],
                note="Ménages dont le diagnostic a commencé dans l'année."),
        Section("Issues à la clôture", ("Issue", "Dossiers"),
                [(k, n(v)) for k, v in b.outcomes.items()]),
        *progress_sections(b),
        cost_section(b),
    ]  # fmt: skip
    return out + publics_sections(b)


def publics_sections(b: Bilan) -> list[Section]:
    """« Publics »: the households received in the year (profile, priority publics,
    dwellings) and the partners mobilised around them."""
    p, n = b.publics, numbers.number

    def counted(
        counts: dict[str, int], labels: dict[str, str], unknown: str
    ) -> list[tuple[str, ...]]:
        return [(unknown if code == UNKNOWN else label(labels, code), n(count))
                for code, count in counts.items()]  # fmt: skip

    priority_labels = {**PRIORITY_LABELS, NONE: PRIORITY_LABELS["aucun"]}
    return [
        Section("Ménages de l'année", ("Indicateur", "Valeur"), [
            ("Ménages (orientation reçue dans l'année)", n(p.households)),
            ("dont ménages déjà connus du programme", n(p.known_before)),
            ("Taille moyenne du ménage (personnes)", n(p.size.mean)),
            ("Taille médiane du ménage (personnes)", n(p.size.median)),
        ], note="Taille : sur les ménages dont elle est renseignée. Déjà connus : un dossier "
                "précédent du même ménage a été clôturé.", chapter=PUBLICS),
        Section("Typologie des ménages", ("Typologie", "Ménages"),
                counted(p.typology, TYPOLOGY_LABELS, f"{NOT_RECORDED}e"), chapter=PUBLICS),
        Section("Publics prioritaires", ("Public", "Ménages"),
                counted(p.priority, priority_labels, NOT_RECORDED),
                note="Un ménage peut relever de plusieurs publics prioritaires.",
                chapter=PUBLICS),
        Section("Typologie des logements", ("Logement", "Ménages"),
                counted(p.housing, HOUSING_LABELS, NOT_RECORDED), chapter=PUBLICS),
        Section("Partenaires mobilisés", ("Partenaire", "Ménages"),
                [(label(PARTNER_LABELS, code), n(count)) for code, count in p.partners.items()],
                note="Ménages avec au moins une intervention du partenaire en cours dans "
                     "l'année, quelle que soit l'année de leur orientation.", chapter=PUBLICS),
    ]  # fmt: skip


def rate(value: Decimal | None) -> str:
    """A fraction (0.3091) as a French percentage (« 30,9 % »)."""
    return numbers.percent(None if value is None else value * 100)


def progress_sections(b: Bilan) -> list[Section]:
    """What the accompaniments changed: objectives reached, rent arrears, effort rate."""
    o, debt, effort = b.objectives, b.arrears, b.effort_rate
    n, e = numbers.number, numbers.euros
    return [
        Section("Objectifs des accompagnements terminés", ("Statut final", "Objectifs"), [
            ("Objectifs du projet d'accompagnement", n(o.total)),
            *((f"dont {OBJECTIVE_STATUS_COUNT_LABELS[code]}", n(o.by_status[code]))
              for code in OBJECTIVE_STATUSES),
            ("Part atteinte ou partiellement atteinte", rate(o.rate_reached)),
        ], note="Objectifs des accompagnements clôturés dans l'année, à leur dernier statut."),
        Section("Dette locative", ("Indicateur", "Valeur"), [
            ("Ménages clôturés avec une dette connue", n(debt.households)),
            ("Dette à l'orientation (total)", e(debt.first_total)),
            ("Dernière dette connue (total)", e(debt.last_total)),
            ("Ménages dont la dette a baissé", n(debt.reduced)),
            ("Ménages dont la dette est soldée", n(debt.cleared)),
            ("Ménages avec un plan d'apurement noté dans l'année", n(debt.repayment_plans)),
        ], note=("Dossiers clôturés dans l'année ayant au moins un montant de dette : premier "
                 "et dernier montant de chacun. Plans d'apurement : relevés datés de l'année, "
                 "tous dossiers.")),
        Section("Taux d'effort", ("Indicateur", "Valeur"), [
            ("Ménages (diagnostic commencé dans l'année)", n(effort.households)),
            ("Taux d'effort médian", rate(effort.median)),
        ], note=("(loyer − APL/AL) ÷ ressources, au premier relevé donnant les ressources et "
                 "le loyer de chaque ménage.")),
    ]  # fmt: skip


def cost_section(b: Bilan) -> Section:
    costs, budget, households = b.costs, b.budget, b.households
    e = numbers.euros
    rows = [
        (f"Diagnostics ({numbers.number(costs.diagnostics_count)})", e(costs.diagnostics)),
        (f"Accompagnement ({numbers.number(b.accompaniment.months)} mois)", e(costs.accompaniment)),
        ("Total", e(costs.total)),
        ("Budget de l'année", e(budget.amount)),
        ("Reste", e(budget.remaining)),
        ("Consommation du budget", numbers.percent(budget.consumed_pct)),
        ("Ménages touchés", numbers.number(households.reached)),
        ("Objectif (ménages)", numbers.number(households.target)),
        ("Coût par ménage touché", e(costs.per_household)),
    ]
    note = (
        f"Accompagnement facturé : {BILLING_LABELS[b.billing]}. Chaque mois est facturé au "
        "tarif en vigueur le 1er du mois, chaque diagnostic au tarif du jour de l'adhésion."
    )
    return Section("Coûts et budget", ("Poste", "Montant"), rows, note=note)


def month_rows(costs: Costs, last_month: int) -> list[tuple[str, ...]]:
    """Spending month by month, January to `last_month` (the end date's month)."""
    return [
        (numbers.month_name(m.month), numbers.euros(m.diagnostics), numbers.euros(m.accompaniment),
         numbers.euros(m.total), numbers.euros(m.cumulative))
        for m in costs.by_month
        if m.month <= last_month
    ]  # fmt: skip


MONTH_HEADER = ("Mois", "Diagnostics", "Accompagnement", "Total", "Cumul")


def title(b: Bilan, programme: str) -> str:
    return f"{programme} — bilan {b.year}"


def subtitle(b: Bilan) -> str:
    if b.end.month == 12 and b.end.day == 31:
        return f"Année civile {b.year} (du 1er janvier au 31 décembre {b.year})"
    return f"Bilan en cours d'année : du 1er janvier au {numbers.long(b.end)}"
