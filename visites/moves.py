"""The workflow's moves as values: each move is a frozen dataclass holding what was typed,
validated by nothing but its own shape. Pure.

Which move is allowed when is `workflow.ALLOWED`, checked in one place (`workflow.apply`);
what each move does to a case is `transitions`. Import them from `workflow`, which names
them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from visites.model import Appointment, Event, Outcome


@dataclass(frozen=True)
class Consent:
    date: date
    mode: str = "tripartite"
    consent_to_share: date | None = None
    notice: date | None = None  # the information notice (RGPD) given; default: `date`


@dataclass(frozen=True)
class Share:
    """The household's consent to exchanges with the landlord, given after the adhesion
    (`date`), or withdrawn (`date` None)."""

    date: date | None


@dataclass(frozen=True)
class Refuse:
    date: date
    reason: str | None = None


@dataclass(frozen=True)
class Diagnose:
    problems: tuple[str, ...] = ()
    situation: str | None = None
    levers: str | None = None
    network: str | None = None


@dataclass(frozen=True)
class Orient:
    date: date
    to: Outcome
    measure: str | None = None
    recommendations: str | None = None
    outcome: str | None = None  # the closure's outcome, when the orientation closes the case


@dataclass(frozen=True)
class Renew:
    date: date
    months: int


@dataclass(frozen=True)
class Close:
    date: date
    outcome: str | None = None


@dataclass(frozen=True)
class AddEvent:
    event: Event


@dataclass(frozen=True)
class PlanAppointment:
    """A new appointment, added at the end of the case's list (its number is its place)."""

    appointment: Appointment


@dataclass(frozen=True)
class CancelAppointment:
    number: int
    date: date  # the day it is cancelled: a fact, never in the future
    note: str | None = None


@dataclass(frozen=True)
class AddObjective:
    """A new objective of the accompaniment project: it starts « en cours » on `date`."""

    date: date
    text: str
    problem: str | None = None


@dataclass(frozen=True)
class SetObjective:
    """Objective `number` takes `status` on `date` (its history keeps the earlier ones)."""

    number: int
    date: date
    status: str
    note: str | None = None


@dataclass(frozen=True)
class MoveAppointment:
    number: int
    day: date  # a plan: may be in the future
    time: str


@dataclass(frozen=True)
class ChangeReferent:
    """`name` takes the case over from `date`; with `until`, for a cover, after which the
    case goes back to whoever held it before. The handover is written in the timeline as a
    « transfert » event by `by` (else the new référent(e))."""

    date: date
    name: str
    until: date | None = None
    note: str | None = None
    by: str | None = None


@dataclass(frozen=True)
class SetProfile:
    """The household's profile, completed or corrected (`visites household`): each value
    given replaces the recorded one; None leaves it as it is."""

    typology: str | None = None
    size: int | None = None
    priorities: tuple[str, ...] | None = None  # `("aucun",)`: recorded as none
    housing: str | None = None


@dataclass(frozen=True)
class AddPartner:
    """A partner mobilised around the household from `date` (`visites partner --add`)."""

    partner: str
    date: date
    note: str | None = None


@dataclass(frozen=True)
class EndPartner:
    """The partner's current involvement ends on `date` (`visites partner --end`)."""

    partner: str
    date: date


@dataclass(frozen=True)
class RecordFinances:
    """A statement of the household's finances on `date`: only the figures given."""

    date: date
    arrears: Decimal | None = None
    resources: Decimal | None = None
    rent: Decimal | None = None
    housing_benefit: Decimal | None = None
    repayment_plan: bool | None = None


Move = (
    Consent | Share | Refuse | Diagnose | Orient | Renew | Close | AddEvent
    | PlanAppointment | CancelAppointment | MoveAppointment | ChangeReferent | SetProfile
    | AddPartner | EndPartner | AddObjective | SetObjective | RecordFinances
)  # fmt: skip
