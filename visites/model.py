"""The case file as a model: one household's fiche de liaison, adhesion, diagnostic,
orientation, accompaniment, closure and timeline.

Keys in the file are French (the people who edit it are French); fields here are English and
carry the French key as their alias. Every field declares its class once, here:
- `shareable`: may go to the landlord (status, dates, orientation, measure, outcome);
- `confidential`: association only (diagnostic content, problem domains, notes, health).
`personal` marks what identifies the household or tells its story in free text: anonymisation
(`privacy.anonymise`) replaces or removes exactly those values, and keeps the others for the
statistics. Exports and documents meant for the landlord are built from these declarations only.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    field_validator,
)

from visites.amounts import as_number, to_amount
from visites.dates import parse_date
from visites.ids import CASE_ID, case_year, sort_key  # noqa: F401  (re-exported)
from visites.phases import Context, Outcome, Phase

SHAREABLE = "shareable"
CONFIDENTIAL = "confidential"


def _day(value: Any) -> Any:
    """Accept a date, or a string in ISO or French form; refuse times and numbers."""
    if isinstance(value, datetime):
        raise ValueError("une date sans heure est attendue (AAAA-MM-JJ)")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return parse_date(value)
    raise ValueError("une date est attendue (AAAA-MM-JJ ou JJ/MM/AAAA)")


# C0 controls but line feed and tab, DEL and the C1 controls.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _printable(value: str) -> str:
    """Refuse control characters (a pasted escape sequence, a NUL); keep line breaks, tabs."""
    if _CONTROL.search(value):
        raise ValueError("caractère de contrôle interdit dans le texte")
    if not value.strip():
        raise ValueError("texte vide")
    return value


Day = Annotated[date, BeforeValidator(_day)]
Text = Annotated[str, Field(min_length=1, max_length=20_000), AfterValidator(_printable)]
# Euros, to the cent: a number in the file (`1240.5`), a Decimal here; typed as `1 240,50 €`.
Amount = Annotated[Decimal, BeforeValidator(to_amount), PlainSerializer(as_number)]


def shareable(alias: str, default: Any = ..., *, personal: bool = False, **kw: Any) -> Any:
    """A field the landlord may see."""
    extra = {"share": SHAREABLE, "personal": personal}
    return Field(default, alias=alias, json_schema_extra=extra, **kw)


def confidential(alias: str, default: Any = ..., *, personal: bool = False, **kw: Any) -> Any:
    """A field kept within the association."""
    extra = {"share": CONFIDENTIAL, "personal": personal}
    return Field(default, alias=alias, json_schema_extra=extra, **kw)


class _Section(BaseModel):
    # Unknown keys are ignored here but kept in the file (the store rewrites only what
    # changed) and reported by `check` as likely typos.
    model_config = ConfigDict(frozen=True, extra="ignore", validate_by_name=True)


EventKind = Literal["visite", "tripartite", "telephone", "courrier", "entretien", "absence"]
EVENT_KINDS: tuple[str, ...] = EventKind.__args__  # type: ignore[attr-defined]


class Referral(_Section):
    """The fiche de liaison sent by the landlord."""

    date: Day = shareable("date")
    context: Context = shareable("contexte")
    referrer: Text = shareable("prescripteur")
    # The lease reference identifies the household as surely as its name.
    landlord_ref: Text | None = shareable("reference_bailleur", None, personal=True)
    reason: Text | None = confidential("motif", None, personal=True)
    deadline: Day | None = shareable("date_butoir", None)


class Member(_Section):
    first_name: Text = confidential("prenom", personal=True)
    role: Text | None = confidential("role", None, personal=True)
    birth_year: int | None = confidential("naissance", None, personal=True, ge=1900, le=2100)


class Household(_Section):
    name: Text = shareable("nom", personal=True)
    members: tuple[Member, ...] = confidential("membres", ())
    address: Text | None = shareable("adresse", None, personal=True)
    commune: Text = shareable("commune")
    phone: Text | None = confidential("telephone", None, personal=True)


class Adhesion(_Section):
    date: Day = shareable("date")
    mode: Literal["tripartite", "courrier"] = shareable("mode", "tripartite")
    # The household agrees that landlord and association exchange about it.
    consent_to_share: Day | None = shareable("accord_echanges_bailleur", None)


class Refusal(_Section):
    date: Day = shareable("date")
    reason: Text | None = confidential("motif", None, personal=True)


class Diagnostic(_Section):
    problems: tuple[str, ...] = confidential("problematiques", ())
    situation: Text | None = confidential("situation", None, personal=True)
    levers: Text | None = confidential("leviers", None, personal=True)
    network: Text | None = confidential("reseau", None, personal=True)


class Orientation(_Section):
    date: Day = shareable("date")
    to: Outcome = shareable("vers")
    measure: Text | None = shareable("mesure", None)
    # The préconisations go to the landlord in the avis, which needs the household's consent
    # to share (adhesion.accord_echanges_bailleur); they are free text, so personal.
    recommendations: Text | None = shareable("preconisations", None, personal=True)


class Renewal(_Section):
    date: Day = shareable("date")
    months: int = shareable("mois", ge=1, le=60)


class Accompaniment(_Section):
    start: Day = shareable("debut")
    renewals: tuple[Renewal, ...] = shareable("renouvellements", ())


ObjectiveStatus = Literal["en-cours", "atteint", "partiel", "non-atteint", "abandonne"]
OBJECTIVE_STATUSES: tuple[str, ...] = ObjectiveStatus.__args__  # type: ignore[attr-defined]


class StatusChange(_Section):
    """One dated status of an objective; the last one is its status."""

    date: Day = confidential("date")
    status: ObjectiveStatus = confidential("statut")
    note: Text | None = confidential("note", None, personal=True)


class Objective(_Section):
    """A goal of the accompaniment project, agreed with the household. Its text tells the
    household's story (personal: anonymisation drops it); its problem domain and its dated
    statuses are statistics."""

    number: int = confidential("numero", ge=1, le=999)
    text: Text | None = confidential("texte", None, personal=True)
    problem: str | None = confidential("problematique", None)
    statuses: tuple[StatusChange, ...] = confidential("statuts", min_length=1)


class Statement(_Section):
    """The household's finances on one day: only the figures given that day. Every amount is
    confidential; none is personal (with no name, they are statistics)."""

    date: Day = confidential("date")
    arrears: Amount | None = confidential("dette_locative", None)
    resources: Amount | None = confidential("ressources", None)  # monthly
    rent: Amount | None = confidential("loyer", None)  # with charges
    housing_benefit: Amount | None = confidential("aide_logement", None)  # APL / AL
    repayment_plan: bool | None = confidential("plan_apurement", None)


class Closure(_Section):
    date: Day = shareable("date")
    outcome: Text | None = shareable("issue", None)


class Event(_Section):
    date: Day = shareable("date")
    kind: EventKind = shareable("type")
    author: Text | None = confidential("auteur", None, personal=True)
    note: Text | None = confidential("note", None, personal=True)


class Case(_Section):
    """One household's file. The phase is derived, never stored."""

    id: str = shareable("id")
    # Set once by `visites anonymise`: the personal fields are gone, the statistics remain.
    anonymised_on: Day | None = shareable("anonymise_le", None)
    referral: Referral = shareable("orientation_recue")
    household: Household = shareable("menage")
    referent: Text | None = shareable("referent", None)
    adhesion: Adhesion | None = shareable("adhesion", None)
    refusal: Refusal | None = shareable("refus", None)
    diagnostic: Diagnostic | None = confidential("diagnostic", None)
    orientation: Orientation | None = shareable("orientation", None)
    accompaniment: Accompaniment | None = shareable("accompagnement", None)
    objectives: tuple[Objective, ...] = confidential("objectifs", ())
    finances: tuple[Statement, ...] = confidential("finances", ())
    closure: Closure | None = shareable("cloture", None)
    events: tuple[Event, ...] = confidential("evenements", ())

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not CASE_ID.fullmatch(value):
            raise ValueError("identifiant attendu sous la forme AAAA-NNN (ex. 2015-007)")
        return value

    @property
    def phase(self) -> Phase:
        if self.closure or self.refusal:
            return Phase.CLOSED
        if self.orientation:
            if self.orientation.to is Outcome.ACCOMPAGNEMENT:
                return Phase.ACCOMPANIMENT
            return Phase.CLOSED
        if self.adhesion:
            return Phase.DIAGNOSTIC
        return Phase.REFERRAL

    @property
    def closed_on(self) -> date | None:
        """The day the case closed: closure, refusal, or a closing orientation."""
        if self.closure:
            return self.closure.date
        if self.refusal:
            return self.refusal.date
        if self.orientation and self.orientation.to is not Outcome.ACCOMPAGNEMENT:
            return self.orientation.date
        return None

    @property
    def diagnostic_end(self) -> date | None:
        """The orientation date, or the closure date when the case stopped during it."""
        if not self.adhesion:
            return None
        if self.orientation:
            return self.orientation.date
        return self.closure.date if self.closure else None

    @property
    def accompaniment_end(self) -> date | None:
        return self.closure.date if self.accompaniment and self.closure else None

    @property
    def last_contact(self) -> date:
        """The latest dated fact of the case: what the retention period counts from."""
        dates = [self.referral.date, *(e.date for e in self.events)]
        for step in (self.adhesion, self.refusal, self.orientation, self.closure):
            if step:
                dates.append(step.date)
        if self.adhesion and self.adhesion.consent_to_share:
            dates.append(self.adhesion.consent_to_share)
        if self.accompaniment:
            dates += [self.accompaniment.start, *(r.date for r in self.accompaniment.renewals)]
        dates += [s.date for o in self.objectives for s in o.statuses]
        dates += [s.date for s in self.finances]
        return max(dates)


def field_classes(model: type[BaseModel]) -> dict[str, tuple[str, bool]]:
    """French key → (share class, personal) for each field of `model`."""
    classes = {}
    for field in model.model_fields.values():
        extra = field.json_schema_extra
        assert isinstance(extra, dict), "every field declares shareable or confidential"
        classes[str(field.alias)] = (str(extra["share"]), bool(extra["personal"]))
    return classes


def shareable_tree(case: BaseModel) -> dict[str, Any]:
    """The case with only its shareable fields (French keys, dates as dates): what may go to
    the landlord. Built from the field declarations above, nothing else."""
    return _keep(case, lambda share, personal: share == SHAREABLE)


def _keep(model: BaseModel, wanted: Any) -> dict[str, Any]:
    kept: dict[str, Any] = {}
    for name, field in type(model).model_fields.items():
        extra = field.json_schema_extra
        assert isinstance(extra, dict)
        if not wanted(extra["share"], extra["personal"]):
            continue
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            value = _keep(value, wanted)
        elif isinstance(value, tuple):
            value = [_keep(v, wanted) if isinstance(v, BaseModel) else v for v in value]
        kept[str(field.alias)] = value.value if isinstance(value, StrEnum) else value
    return kept
