"""The rules of the accompaniment project (objectives) and of the financial statements."""

from __future__ import annotations

from typing import TYPE_CHECKING

from visites import dates
from visites.checks.finding import Finding
from visites.errors import WARNING
from visites.vocabulary import PROBLEM_DOMAIN_LABELS, label

if TYPE_CHECKING:
    from visites.config import Config
    from visites.model import Case


def validate_objectives(case: Case, config: Config) -> list[Finding]:
    """The accompaniment project: objectives of an accompaniment, numbered once each, linked
    to a listed problem domain, their statuses dated in order from the accompaniment's start
    to its closure."""
    if not case.objectives:
        return []
    found: list[Finding] = []
    accompaniment = case.accompaniment
    if accompaniment is None:
        message = "objectifs sans accompagnement personnalisé (orientation « accompagnement »)"
        return [Finding(("objectifs",), message)]
    closed = case.closed_on
    numbers: set[int] = set()
    domains = config.lists.problem_domains
    diagnosed = case.diagnostic.problems if case.diagnostic else ()
    for index, objective in enumerate(case.objectives):
        n, loc = objective.number, ("objectifs", index)
        if n in numbers:
            found.append(Finding((*loc, "numero"), f"objectif numéro {n} en double"))
        numbers.add(n)
        if objective.text is None and case.anonymised_on is None:
            found.append(Finding((*loc, "texte"), f"objectif {n} sans texte (clé texte)"))
        problem = objective.problem
        if problem is not None and problem not in domains:
            possible = ", ".join(domains)
            message = f"problématique « {problem} » inconnue ; valeurs possibles : {possible}"
            hint = f"--problem « {problem} » inconnue. Valeurs possibles : {possible}"
            found.append(Finding((*loc, "problematique"), message, hint=hint))
        elif problem is not None and problem not in diagnosed:
            message = (
                f"objectif {n} : problématique « {label(PROBLEM_DOMAIN_LABELS, problem)} » "
                "absente du diagnostic "
                f"(visites diagnose {case.id} --problem {problem})"
            )
            found.append(Finding((*loc, "problematique"), message, WARNING))
        floor, floor_what = accompaniment.start, "le début de l'accompagnement"
        for position, change in enumerate(objective.statuses):
            where = (*loc, "statuts", position, "date")
            if change.date < floor:
                found.append(Finding(where, (
                    f"objectif {n} : statut du {dates.short(change.date)} avant {floor_what} "
                    f"({dates.short(floor)})")))  # fmt: skip
            if closed and change.date > closed:
                found.append(Finding(where, (
                    f"objectif {n} : statut du {dates.short(change.date)} après la clôture "
                    f"({dates.short(closed)})")))  # fmt: skip
            floor, floor_what = change.date, "le statut précédent"
    return found


def validate_finances(case: Case, config: Config) -> list[Finding]:
    """The financial statements: each gives a figure, dated from the referral to the closure,
    in date order."""
    found: list[Finding] = []
    referral, closed = case.referral.date, case.closed_on
    previous = None
    for index, statement in enumerate(case.finances):
        loc, when = ("finances", index), statement.date
        figures = (statement.arrears, statement.resources, statement.rent,
                   statement.housing_benefit, statement.repayment_plan)  # fmt: skip
        if all(figure is None for figure in figures):
            message = (
                "relevé sans montant : dette_locative, ressources, loyer, aide_logement "
                "ou plan_apurement"
            )
            found.append(Finding(loc, message))
        if when < referral:
            found.append(Finding((*loc, "date"), (
                f"situation financière du {dates.short(when)} avant l'orientation reçue "
                f"({dates.short(referral)})")))  # fmt: skip
        if closed and when > closed:
            found.append(Finding((*loc, "date"), (
                f"situation financière du {dates.short(when)} après la clôture "
                f"({dates.short(closed)})")))  # fmt: skip
        if previous and when < previous:
            found.append(Finding((*loc, "date"), (
                f"situation financière du {dates.short(when)} avant la précédente "
                f"({dates.short(previous)}) : gardez l'ordre des dates")))  # fmt: skip
        rent, benefit = statement.rent, statement.housing_benefit
        if rent is not None and benefit is not None and benefit > rent:  # a typo, most likely
            found.append(Finding((*loc, "aide_logement"), (
                f"situation financière du {dates.short(when)} : l'APL / AL dépasse le loyer, "
                "le taux d'effort serait négatif ; vérifiez les montants"), WARNING))  # fmt: skip
        previous = when
    return found
