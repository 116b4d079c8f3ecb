"""Where a row of the sheet and the case already made of it disagree (`visites import
--dry-run` lists them: a closure date the landlord recorded, a référent(e) changed). Pure.

The row is read as the import would make it (`import_rows.build`, with the case's own ID),
so that the sheet's way of saying a thing (a « Date de fin » left empty under an orientation
that closes the case, an « Accord d'échanges : oui ») is compared as the case it would be,
not as its cells. Only the fields the sheet has a column for are compared.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from visites.import_rows import SAME_AS_ADHESION, Row, build
from visites.known import normalised
from visites.model import Case, Outcome
from visites.referents import referent_on

if TYPE_CHECKING:
    from visites.config import Config


@dataclass(frozen=True)
class Difference:
    """A field where the sheet and the case already in the folder disagree."""

    code: str
    sheet: Any  # the value read (None: the cell is empty)
    case: Any  # the case's value (None: not recorded)


@dataclass(frozen=True)
class Unread:
    """The sheet's side of a difference when its cell could not be read (a date written
    20-01-2015): never shown as empty, since the sheet does say something there."""

    reason: str  # the problem, in French


def case_values(case: Case, on: date | None = None) -> dict[str, Any]:
    """The case's value of every field an import fills (None: not recorded); its référent(e)
    is the one in charge `on` that day (a sheet names who follows the household now)."""
    r, h = case.referral, case.household
    orientation, closure = case.orientation, case.closure
    closing = orientation is not None and orientation.to is not Outcome.ACCOMPAGNEMENT
    first_debt = next((s.arrears for s in case.finances if s.arrears is not None), None)
    return {
        "nom": h.name, "adresse": h.address, "commune": h.commune, "telephone": h.phone,
        "reference_bailleur": r.landlord_ref, "date_orientation": r.date,
        "contexte": r.context.value, "prescripteur": r.referrer, "motif": r.reason,
        "date_butoir": r.deadline, "referent": referent_on(case, on) if on else case.referent,
        "date_adhesion": case.adhesion.date if case.adhesion else None,
        "mode": case.adhesion.mode if case.adhesion else None,
        "accord_echanges": case.adhesion.consent_to_share if case.adhesion else None,
        "date_refus": case.refusal.date if case.refusal else None,
        "motif_refus": case.refusal.reason if case.refusal else None,
        "problematiques": case.diagnostic.problems if case.diagnostic else (),
        "orientation": orientation.to.value if orientation else None,
        "date_decision": orientation.date if orientation else None,
        "mesure": orientation.measure if orientation else None,
        "date_cloture": closure.date if closure else (orientation.date if closing else None),
        "issue": closure.outcome if closure else None,
        "dette": first_debt,
    }  # fmt: skip


def differences(
    row: Row, case: Case, columns: Iterable[str], config: Config, today: date
) -> list[Difference]:
    """The fields of `columns` (those the sheet has) where `row` and `case` disagree."""
    ours = case_values(case, today)
    built, _ = build(row, case.id, None, config, today)
    sheet_side = case_values(built, today) if built is not None else _as_read(row, ours)
    unread = {code: message for code, message in row.problems if code in ours}
    found = []
    for code in dict.fromkeys(columns):
        if code in unread:
            found.append(Difference(code, Unread(unread[code]), ours[code]))
        elif code in ours and not _same(sheet_side[code], ours[code]):
            found.append(Difference(code, sheet_side[code], ours[code]))
    return found


def _as_read(row: Row, ours: dict[str, Any]) -> dict[str, Any]:
    """The row's values as its cells say them (a row the workflow would refuse)."""
    values = {code: row.values.get(code) for code in ours}
    if values["accord_echanges"] == SAME_AS_ADHESION:
        values["accord_echanges"] = values["date_adhesion"]
    return values


def _same(a: Any, b: Any) -> bool:
    if a in (None, ()) or b in (None, ()):
        return a in (None, ()) and b in (None, ())
    if isinstance(a, str) and isinstance(b, str):
        return normalised(a) == normalised(b)
    if isinstance(a, tuple) and isinstance(b, tuple):
        return set(a) == set(b)
    if isinstance(a, Decimal | int | float) and isinstance(b, Decimal | int | float):
        return Decimal(str(a)) == Decimal(str(b))
    return a == b
