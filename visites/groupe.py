"""The groupe de suivi's meeting pack: the agenda of the field staff's meeting (landlord and
association). Pure.

Landlord staff attend, so every cell comes from the tableau de suivi's rows
(`tracking.suivi_rows`: the shareable fields only), as the cases stood on the meeting's
day. A household that has not agreed to exchanges with the landlord appears only where the
landlord already knows of it: the referrals it sent, the adhesions it awaits, the closures
(`landlord_may_see`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from visites import dates
from visites.config import Config
from visites.deadlines import as_of, due, next_review
from visites.model import Case, Phase
from visites.tracking import COLUMNS, suivi_rows

REFERRALS = "referrals"
OVERDUE = "overdue"
DIAGNOSTICS = "diagnostics"
REVIEWS = "reviews"
LONG = "long"
CLOSED = "closed"

DIAGNOSTIC_DAYS = 15  # diagnostics due within this many days
LONG_MONTHS = 12  # accompaniments running for longer

# Where a household without consent to share may appear (see landlord_may_see).
WITHOUT_CONSENT = frozenset({REFERRALS, CLOSED})

HEADERS = {key: header for key, header, _kind in COLUMNS} | {"months": "Durée (mois)"}

# Each section: its title and the tableau de suivi's columns it shows.
SECTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    REFERRALS: ("Orientations reçues depuis la dernière réunion",
                ("id", "landlord_ref", "commune", "context", "referral_date", "phase", "due",
                 "due_reason")),
    OVERDUE: ("Dossiers en retard",
              ("id", "landlord_ref", "commune", "phase", "due", "due_reason", "days_overdue")),
    DIAGNOSTICS: (f"Diagnostics à terminer dans les {DIAGNOSTIC_DAYS} jours",
                  ("id", "landlord_ref", "commune", "answer_date", "due", "due_reason")),
    REVIEWS: ("Révisions d'accompagnement dans le mois",
              ("id", "landlord_ref", "commune", "orientation_date", "due")),
    LONG: (f"Accompagnements de plus de {LONG_MONTHS} mois",
           ("id", "landlord_ref", "commune", "orientation_date", "months", "due")),
    CLOSED: ("Dossiers clôturés depuis la dernière réunion",
             ("id", "landlord_ref", "commune", "orientation", "measure", "closure_date",
              "outcome")),
}  # fmt: skip


@dataclass(frozen=True)
class PackSection:
    key: str
    title: str
    columns: tuple[str, ...]  # keys of HEADERS
    rows: list[dict[str, Any]]  # cells by column key: text, dates, numbers


@dataclass(frozen=True)
class Pack:
    meeting: date
    since: date
    basis: str  # "meeting" (the last final pack), "given" (--since), "month" (no meeting yet)
    final: bool
    sections: list[PackSection]
    withheld: int  # households left out of some sections: no consent to share

    @property
    def headers(self) -> dict[str, str]:
        return HEADERS


def landlord_may_see(case: Case, section: str) -> bool:
    """Whether the landlord's staff may see `case` in `section` of the pack: with the
    household's consent to share (as it stood that day), everywhere; without it, only the
    referrals, the adhesions awaited (overdue cases still waiting for one) and the closures.
    One function, until the disclosure table of the tableau de suivi decides it."""
    if case.adhesion is not None and case.adhesion.consent_to_share is not None:
        return True
    return section in WITHOUT_CONSENT or (section == OVERDUE and case.phase is Phase.REFERRAL)


def pack(
    cases: list[Case], config: Config, meeting: date, since: date, basis: str, final: bool
) -> Pack:
    """The pack of the meeting on `meeting`, covering what happened after `since`."""
    known = [c for c in (as_of(case, meeting) for case in cases) if c is not None]
    cells = {row["id"]: row.cells for row in suivi_rows(known, config, meeting)}
    chosen: dict[str, list[dict[str, Any]]] = {key: [] for key in SECTIONS}
    withheld: set[str] = set()
    for case in sorted(known, key=lambda c: cells[c.id]["referral_date"]):
        for key in _sections_of(case, config, meeting, since):
            if not landlord_may_see(case, key):
                withheld.add(case.id)
                continue
            row = dict(cells[case.id])
            if key == LONG and case.accompaniment:
                row["months"] = _months(case.accompaniment.start, meeting)
            chosen[key].append(row)
    if chosen[OVERDUE]:
        # Most overdue first; a delay the consent rule withholds (text) goes last.
        chosen[OVERDUE].sort(key=_most_overdue_first)
    sections = [
        PackSection(key, title, columns, chosen[key]) for key, (title, columns) in SECTIONS.items()
    ]
    return Pack(meeting, since, basis, final, sections, len(withheld))


def _most_overdue_first(row: dict[str, Any]) -> tuple[bool, int]:
    late = row["days_overdue"]
    return (not isinstance(late, int), -late if isinstance(late, int) else 0)


def _sections_of(case: Case, config: Config, meeting: date, since: date) -> list[str]:
    found = []
    if since < case.referral.date <= meeting:
        found.append(REFERRALS)
    deadline = due(case, config)
    if deadline is not None:
        if deadline.date < meeting:
            found.append(OVERDUE)
        elif case.phase is Phase.DIAGNOSTIC and deadline.date <= meeting + timedelta(
            days=DIAGNOSTIC_DAYS
        ):
            found.append(DIAGNOSTICS)
    if case.phase is Phase.ACCOMPANIMENT:
        review = next_review(case, config)
        if meeting <= review <= dates.add_months(meeting, 1):
            found.append(REVIEWS)
        assert case.accompaniment is not None
        if case.accompaniment.start < dates.add_months(meeting, -LONG_MONTHS):
            found.append(LONG)
    closed = case.closed_on
    if closed is not None and since < closed <= meeting:
        found.append(CLOSED)
    return found


def _months(start: date, day: date) -> int:
    """Whole calendar months from `start` to `day`."""
    months = (day.year - start.year) * 12 + day.month - start.month
    return months - (day.day < start.day)
