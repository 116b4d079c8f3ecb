"""The tableau de suivi shared with the landlord: one row per case. Pure.

Each row is read from `model.shareable_tree(case)` only (what the field declarations allow
to go to the landlord), plus the phase and the current deadline derived by `workflow`.
Nothing confidential can reach it: no diagnostic, no notes, no problem domains. One exception,
decided in one place (`disclosed_arrears`): the rent arrears, first and last known figure, of
a household that agreed to exchanges with the landlord.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from visites import dates, finances
from visites.config import Config
from visites.deadlines import as_of, days_overdue, due
from visites.model import Case, Outcome, shareable_tree, sort_key
from visites.vocabulary import CONTEXT_LABELS, OUTCOME_LABELS, PHASE_LABELS

REFUSAL = "refus du ménage"

# (key, French header, kind): the columns in order. Kind tells writers how to format a cell.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("id", "Dossier", "text"),
    ("landlord_ref", "Réf. bailleur", "text"),
    ("commune", "Commune", "text"),
    ("context", "Contexte", "text"),
    ("referral_date", "Orientation reçue", "date"),
    ("adhesion_date", "Adhésion", "date"),
    ("consent_to_share", "Accord d'échanges", "text"),
    ("phase", "Phase", "text"),
    ("due", "Échéance", "date"),
    ("due_reason", "Motif de l'échéance", "text"),
    ("days_overdue", "Retard (jours)", "int"),
    ("orientation", "Orientation", "text"),
    ("orientation_date", "Date d'orientation", "date"),
    ("measure", "Mesure", "text"),
    ("closure_date", "Clôture", "date"),
    ("outcome", "Issue", "text"),
    ("arrears_first", "Dette à l'orientation", "euros"),
    ("arrears_last", "Dernière dette connue", "euros"),
)


@dataclass(frozen=True)
class SuiviRow:
    """One line of the tableau de suivi; values by column key."""

    cells: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.cells[key]


def suivi_rows(
    cases: Iterable[Case], config: Config, today: date, year: int | None = None
) -> list[SuiviRow]:
    """The tableau de suivi as it stood on `today` (facts dated later are not known yet), in
    ID order; with `year`, the cases open during it."""
    known = [c for c in (as_of(case, today) for case in cases) if c is not None]
    chosen = [c for c in known if year is None or _open_during(c, year)]
    return [_row(c, config, today) for c in sorted(chosen, key=lambda c: sort_key(c.id))]


def _open_during(case: Case, year: int) -> bool:
    """Referred by the end of `year` and not closed before it began."""
    closed = case.closed_on
    return case.referral.date.year <= year and (closed is None or closed.year >= year)


def disclosed_arrears(case: Case) -> tuple[Decimal, Decimal] | None:
    """The first and the last known arrears figure the landlord may see: only for a
    household that agreed to exchanges with it (`adhesion.accord_echanges_bailleur`), the
    same first figure as the bilan's. The other amounts never go to the landlord."""
    if case.adhesion is None or case.adhesion.consent_to_share is None:
        return None
    return finances.arrears_span(case.finances)


def _row(case: Case, config: Config, today: date) -> SuiviRow:
    tree = shareable_tree(case)  # the only source of the case's own values
    referral = tree["orientation_recue"]
    adhesion = tree.get("adhesion") or {}
    orientation = tree.get("orientation") or {}
    closure = tree.get("cloture") or {}
    refusal = tree.get("refus") or {}
    deadline = due(case, config)
    oriented_to = orientation.get("vers")
    closure_date = closure.get("date") or refusal.get("date")
    if not closure_date and oriented_to and oriented_to != Outcome.ACCOMPAGNEMENT.value:
        closure_date = orientation.get("date")
    shared = adhesion.get("accord_echanges_bailleur")
    # Said on every row: the landlord must see when the household has not agreed to exchanges.
    consent = f"oui ({dates.short(shared)})" if shared else "non recueilli"
    arrears = disclosed_arrears(case)
    return SuiviRow({
        "id": tree["id"],
        "landlord_ref": referral.get("reference_bailleur") or "",
        "commune": tree["menage"]["commune"],
        "context": CONTEXT_LABELS[referral["contexte"]],
        "referral_date": referral["date"],
        "adhesion_date": adhesion.get("date"),
        "consent_to_share": consent,
        "phase": PHASE_LABELS[case.phase],
        "due": deadline.date if deadline else None,
        "due_reason": deadline.reason if deadline else "",
        "days_overdue": days_overdue(deadline, today),
        "orientation": OUTCOME_LABELS[Outcome(oriented_to)] if oriented_to else "",
        "orientation_date": orientation.get("date"),
        "measure": orientation.get("mesure") or "",
        "closure_date": closure_date,
        "outcome": closure.get("issue") or (REFUSAL if refusal else ""),
        "arrears_first": arrears[0] if arrears else None,
        "arrears_last": arrears[1] if arrears else None,
    })  # fmt: skip
