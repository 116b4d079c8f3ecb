"""The status view: open cases, most urgent first. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from visites.config import Config
from visites.model import Case, Phase, sort_key
from visites.workflow import PHASE_LABELS, days_overdue, due

# What users may type after --phase: the code, or the French word.
PHASE_NAMES = {
    **{phase.value: phase for phase in Phase},
    "orientation-recue": Phase.REFERRAL,
    "recue": Phase.REFERRAL,
    "accompagnement": Phase.ACCOMPANIMENT,
    "cloture": Phase.CLOSED,
    "clos": Phase.CLOSED,
}


@dataclass(frozen=True)
class StatusRow:
    id: str
    household: str
    commune: str
    referent: str | None
    phase: Phase
    due: date | None
    reason: str | None
    days_overdue: int

    @property
    def phase_label(self) -> str:
        return PHASE_LABELS[self.phase]

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "phase": self.phase.value,
            "phase_fr": self.phase_label,
            "due": self.due.isoformat() if self.due else None,
            "due_reason": self.reason,
            "days_overdue": self.days_overdue,
            "household": self.household,
            "commune": self.commune,
            "referent": self.referent,
        }


def row(case: Case, config: Config, today: date) -> StatusRow:
    deadline = due(case, config)
    return StatusRow(
        id=case.id,
        household=case.household.name,
        commune=case.household.commune,
        referent=case.referent,
        phase=case.phase,
        due=deadline.date if deadline else None,
        reason=deadline.reason if deadline else None,
        days_overdue=days_overdue(deadline, today),
    )


def status_rows(
    cases: list[Case],
    config: Config,
    today: date,
    *,
    overdue_only: bool = False,
    include_closed: bool = False,
    phase: Phase | None = None,
    referent: str | None = None,
) -> list[StatusRow]:
    """Rows for `visites status`: most urgent first (earliest deadline), closed ones last."""
    rows = []
    for case in cases:
        if case.phase is Phase.CLOSED and not (include_closed or phase is Phase.CLOSED):
            continue
        if phase is not None and case.phase is not phase:
            continue
        if referent is not None and (case.referent or "").casefold() != referent.casefold():
            continue
        current = row(case, config, today)
        if overdue_only and not current.days_overdue:
            continue
        rows.append(current)
    return sorted(rows, key=lambda r: (r.due is None, r.due or today, sort_key(r.id)))
