"""The words of the accompaniment project and of the finances, for the case view
(`render.case_view`, which lays them out): each objective with its status, the latest known
figures, the change in arrears, the effort rate, and what one financial statement gives.
Pure; all of it is confidential."""

from __future__ import annotations

from visites import dates, finances
from visites.model import Case, Objective, Statement
from visites.render import numbers
from visites.vocabulary import (
    OBJECTIVE_STATUS_LABELS,
    PROBLEM_DOMAIN_LABELS,
    STATEMENT_LABELS,
    label,
)


def objective_lines(case: Case) -> list[tuple[str, str]]:
    """(« Objectif 1 », its line) for each objective of the project."""
    return [(f"Objectif {o.number}", objective_line(o)) for o in case.objectives]


def objective_line(objective: Objective) -> str:
    """« Reprendre le loyer courant — Budget / impayés — atteint le 15/09/2015 »."""
    last = objective.statuses[-1]
    since = "depuis le" if last.status == "en-cours" else "le"
    parts = [objective.text or "(texte anonymisé)"]
    if objective.problem:
        parts.append(label(PROBLEM_DOMAIN_LABELS, objective.problem))
    parts.append(f"{OBJECTIVE_STATUS_LABELS[last.status]} {since} {dates.short(last.date)}")
    return " — ".join(parts)


def finance_lines(case: Case) -> list[tuple[str, str]]:
    """The latest known figures, the change in arrears since the first figure, the effort
    rate (from the latest known values), the repayment plan: (label, text) each."""
    if not case.finances:
        return []
    found = []
    known = finances.situation(case.finances)
    amounts = (("dette_locative", known.arrears), ("ressources", known.resources),
               ("loyer", known.rent), ("aide_logement", known.housing_benefit))  # fmt: skip
    for key, figure in amounts:
        if figure is not None:
            text = f"{numbers.euros(figure.value)} (au {dates.short(figure.date)})"
            found.append((_upper_first(STATEMENT_LABELS[key]), text))
    first, change = known.first_arrears, known.arrears_change
    if first is not None and known.arrears is not None and first.date != known.arrears.date:
        signed = ("+" if change > 0 else "−" if change < 0 else "") + numbers.euros(abs(change))
        since = f"({numbers.euros(first.value)} au {dates.short(first.date)})"
        found.append(("Évolution de la dette", f"{signed} depuis le premier montant {since}"))
    rate = known.effort_rate
    if rate is not None:
        text = numbers.percent(rate * 100)
        if known.housing_benefit is None:
            text += " (APL / AL non renseignée : comptée 0)"
        found.append(("Taux d'effort", text))
    if known.repayment_plan is not None:
        plan = "signé" if known.repayment_plan.value else "pas de plan"
        text = f"{plan} (au {dates.short(known.repayment_plan.date)})"
        found.append((_upper_first(STATEMENT_LABELS["plan_apurement"]), text))
    return found


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def statement_detail(statement: Statement) -> str:
    """The figures one statement gives, in French (« dette locative 2 400 €, loyer 520 € »)."""
    parts = []
    amounts = (("dette_locative", statement.arrears), ("ressources", statement.resources),
               ("loyer", statement.rent), ("aide_logement", statement.housing_benefit))  # fmt: skip
    for key, value in amounts:
        if value is not None:
            parts.append(f"{STATEMENT_LABELS[key]} {numbers.euros(value)}")
    if statement.repayment_plan is not None:
        plan = "signé" if statement.repayment_plan else "aucun"
        parts.append(f"{STATEMENT_LABELS['plan_apurement']} {plan}")
    return ", ".join(parts)
