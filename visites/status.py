"""The status view: open cases, most urgent first. Pure.

It works from `Summary` values: the few facts of a case the view needs, computed once by
`summarise` (with `deadlines.due`, the one source of deadlines) and kept in the index cache,
so that a warm `visites status` neither parses YAML nor imports pydantic.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from visites.dates import days_past
from visites.deadlines import due
from visites.ids import sort_key
from visites.known import Identity
from visites.phases import Phase
from visites.referents import HandoverDates, referent_on
from visites.vocabulary import PHASE_LABELS

if TYPE_CHECKING:
    from visites.config import Config
    from visites.model import Case


@dataclass(frozen=True)
class Summary:
    """What the status view needs of a case. `due` depends on the settings' deadlines."""

    id: str
    phase: Phase
    due: date | None
    reason: str | None
    household: str
    commune: str
    referent: str | None  # the first référent(e): who holds the case is `referent_on`
    latest: date  # the latest dated fact: a --today before it needs the case as it stood
    handovers: tuple[HandoverDates, ...] = ()
    # Who the household is across cases (see `known`): « ménage déjà connu » at a referral.
    reference_key: str | None = None
    home_key: str | None = None


def summarise(case: Case, config: Config) -> Summary:
    """The case's summary, its deadline from the workflow (the one source of deadlines)."""
    deadline = due(case, config)
    identity = Identity.of(case.referral.landlord_ref, case.household.name, case.household.address)
    return Summary(
        id=case.id,
        phase=case.phase,
        due=deadline.date if deadline else None,
        reason=deadline.reason if deadline else None,
        household=case.household.name,
        commune=case.household.commune,
        referent=case.referent,
        latest=case.last_contact,
        handovers=tuple(HandoverDates(h.name, h.since, h.until) for h in case.handovers),
        reference_key=identity.reference,
        home_key=identity.home,
    )


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


def row_of(summary: Summary, today: date) -> StatusRow:
    """The status row of a summarised case on `today` (with the référent(e) of that day)."""
    return StatusRow(
        id=summary.id,
        household=summary.household,
        commune=summary.commune,
        referent=referent_on(summary, today),
        phase=summary.phase,
        due=summary.due,
        reason=summary.reason,
        days_overdue=days_past(summary.due, today),
    )


def row(case: Case, config: Config, today: date) -> StatusRow:
    """The status row of `case` on `today`."""
    return row_of(summarise(case, config), today)


def status_rows(
    summaries: list[Summary],
    today: date,
    *,
    overdue_only: bool = False,
    include_closed: bool = False,
    phase: Phase | None = None,
    referent: str | None = None,
    referents: Collection[str] | None = None,
) -> list[StatusRow]:
    """Rows for `visites status`: most urgent first (earliest deadline), closed ones last.
    `referent`: that name (case aside); `referents`: any of these names."""
    rows = []
    for summary in summaries:
        if summary.phase is Phase.CLOSED and not (include_closed or phase is Phase.CLOSED):
            continue
        if phase is not None and summary.phase is not phase:
            continue
        if referent is not None:
            holder = referent_on(summary, today)  # whoever is in charge on the day looked at
            if (holder or "").casefold() != referent.casefold():
                continue
        if referents is not None and referent_on(summary, today) not in referents:
            continue
        current = row_of(summary, today)
        if overdue_only and not current.days_overdue:
            continue
        rows.append(current)
    return sorted(rows, key=lambda r: (r.due is None, r.due or today, sort_key(r.id)))
