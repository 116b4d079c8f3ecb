"""The tableau de suivi shared with the landlord: one row per case. Pure.

Its columns, and what each shows with or without the household's consent to exchanges, are
the landlord table of `visites.disclosure`: each value is read from `model.shareable_tree`
only, plus the phase and the current deadline derived by `workflow`, and a column the
household did not agree to share reads « accord non recueilli ». Nothing confidential can
reach it: no diagnostic, no notes, no problem domains.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from visites.config import Config
from visites.deadlines import as_of
from visites.disclosure import LANDLORD_COLUMNS, NOT_GATHERED, REFUSAL, landlord_row
from visites.model import Case, sort_key

__all__ = ["COLUMNS", "NOT_GATHERED", "REFUSAL", "SuiviRow", "suivi_rows"]

# (key, French header, kind): the columns in order. Kind tells writers how to format a cell.
COLUMNS: tuple[tuple[str, str, str], ...] = tuple(
    (column.key, column.header, column.kind) for column in LANDLORD_COLUMNS
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
    ordered = sorted(chosen, key=lambda c: sort_key(c.id))
    return [SuiviRow(landlord_row(case, config, today)) for case in ordered]


def _open_during(case: Case, year: int) -> bool:
    """Referred by the end of `year` and not closed before it began."""
    closed = case.closed_on
    return case.referral.date.year <= year and (closed is None or closed.year >= year)
