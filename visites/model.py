"""The case file as a model: one household's fiche de liaison, adhesion, diagnostic,
orientation, accompaniment, closure and timeline.

Keys in the file are French (the people who edit it are French); fields here are English and
carry the French key as their alias. Every field declares its class once, here, with the
helpers of `model_fields` (named here too):
- `shareable`: may go to the landlord (status, dates, orientation, measure, outcome), with the
  household's consent to exchanges; `known=True` marks what the landlord sent or knows
  anyway (its own fiche de liaison, the tenant's name and commune, whether the household
  answered), which it sees even without that consent (see visites/disclosure.py);
- `confidential`: association only (diagnostic content, problem domains, notes, health).
`personal` marks what identifies the household or tells its story in free text: anonymisation
(`privacy.anonymise`) replaces or removes exactly those values, and keeps the others for the
statistics. Exports and documents meant for the landlord are built from these declarations only.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import field_validator

from visites.ids import CASE_ID, case_year, sort_key  # noqa: F401  (re-exported)
from visites.model_fields import (  # noqa: F401  (re-exported)
    CONFIDENTIAL,
    SHAREABLE,
    Amount,
    Clock,
    Day,
    Section,
    Text,
    confidential,
    field_classes,
    landlord_tree,
    shareable,
    shareable_tree,
)
from visites.phases import Context, Outcome, Phase  # noqa: F401  (re-exported)

Priority = Literal["dalo", "accord-collectif", "pdalpd", "aucun"]
HousingType = Literal["T1", "T2", "T3", "T4", "T5", "T6+"]

EventKind = Literal[
    "visite", "tripartite", "telephone", "courrier", "entretien", "absence", "transfert"
]
EVENT_KINDS: tuple[str, ...] = EventKind.__args__  # type: ignore[attr-defined]
# An appointment's kind is also the kind of the event that records it as done.
AppointmentKind = Literal["visite", "tripartite", "entretien", "telephone"]
APPOINTMENT_KINDS: tuple[str, ...] = AppointmentKind.__args__  # type: ignore[attr-defined]


# The event a handover writes in the timeline (`visites referent`): not a contact with the
# household, so the bilan's counts of events (contacts) leave it out.
HANDOVER_EVENT = "transfert"
CONTACT_KINDS: tuple[str, ...] = tuple(k for k in EVENT_KINDS if k != HANDOVER_EVENT)


class Referral(Section):
    """The fiche de liaison sent by the landlord."""

    # The landlord wrote the fiche de liaison: all of it but the reason is known to it.
    date: Day = shareable("date", known=True)
    context: Context = shareable("contexte", known=True)
    referrer: Text = shareable("prescripteur", known=True)
    # The lease reference identifies the household as surely as its name.
    landlord_ref: Text | None = shareable("reference_bailleur", None, personal=True, known=True)
    reason: Text | None = confidential("motif", None, personal=True)
    deadline: Day | None = shareable("date_butoir", None, known=True)


class Member(Section):
    first_name: Text = confidential("prenom", personal=True)
    role: Text | None = confidential("role", None, personal=True)
    birth_year: int | None = confidential("naissance", None, personal=True, ge=1900, le=2100)


class Household(Section):
    name: Text = shareable("nom", personal=True, known=True)  # its tenant
    members: tuple[Member, ...] = confidential("membres", ())
    address: Text | None = shareable("adresse", None, personal=True, known=True)
    commune: Text = shareable("commune", known=True)
    phone: Text | None = confidential("telephone", None, personal=True)
    # The profile the bilan's « Publics » counts. The landlord knows it from its attribution
    # file: shareable, and kept by anonymisation. A code of `listes.typologies`.
    typology: Text | None = shareable("typologie", None)
    size: int | None = shareable("taille", None, ge=1, le=20)
    # Empty: not recorded; `aucun` alone: recorded as belonging to no priority public.
    priorities: tuple[Priority, ...] = shareable("publics_prioritaires", ())
    housing: HousingType | None = shareable("logement", None)


class Adhesion(Section):
    # Whether the household answered, and when: the landlord proposed the visit.
    date: Day = shareable("date", known=True)
    mode: Literal["tripartite", "courrier"] = shareable("mode", "tripartite")
    # The household agrees that landlord and association exchange about it.
    consent_to_share: Day | None = shareable("accord_echanges_bailleur", None, known=True)
    # The day the household was given the information notice (GDPR art. 13: controller,
    # purposes, recipients, retention, rights): `visites document ID notice-rgpd`.
    notice: Day | None = confidential("information_rgpd", None)


class Refusal(Section):
    date: Day = shareable("date", known=True)
    reason: Text | None = confidential("motif", None, personal=True)


class Diagnostic(Section):
    problems: tuple[str, ...] = confidential("problematiques", ())
    situation: Text | None = confidential("situation", None, personal=True)
    levers: Text | None = confidential("leviers", None, personal=True)
    network: Text | None = confidential("reseau", None, personal=True)


class Orientation(Section):
    date: Day = shareable("date")
    to: Outcome = shareable("vers")
    measure: Text | None = shareable("mesure", None)
    # The préconisations go to the landlord in the avis, which needs the household's consent
    # to share (adhesion.accord_echanges_bailleur); they are free text, so personal.
    recommendations: Text | None = shareable("preconisations", None, personal=True)


class Renewal(Section):
    date: Day = shareable("date")
    months: int = shareable("mois", ge=1, le=60)


class Accompaniment(Section):
    start: Day = shareable("debut")
    renewals: tuple[Renewal, ...] = shareable("renouvellements", ())


ObjectiveStatus = Literal["en-cours", "atteint", "partiel", "non-atteint", "abandonne"]
OBJECTIVE_STATUSES: tuple[str, ...] = ObjectiveStatus.__args__  # type: ignore[attr-defined]


class StatusChange(Section):
    """One dated status of an objective; the last one is its status."""

    date: Day = confidential("date")
    status: ObjectiveStatus = confidential("statut")
    note: Text | None = confidential("note", None, personal=True)


class Objective(Section):
    """A goal of the accompaniment project, agreed with the household. Its text tells the
    household's story (personal: anonymisation drops it); its problem domain and its dated
    statuses are statistics."""

    number: int = confidential("numero", ge=1, le=999)
    text: Text | None = confidential("texte", None, personal=True)
    problem: str | None = confidential("problematique", None)
    statuses: tuple[StatusChange, ...] = confidential("statuts", min_length=1)


class Statement(Section):
    """The household's finances on one day: only the figures given that day. Every amount is
    confidential; none is personal (with no name, they are statistics)."""

    date: Day = confidential("date", consented=True)
    arrears: Amount | None = confidential("dette_locative", None, consented=True)
    resources: Amount | None = confidential("ressources", None)  # monthly
    rent: Amount | None = confidential("loyer", None)  # with charges
    housing_benefit: Amount | None = confidential("aide_logement", None)  # APL / AL
    repayment_plan: bool | None = confidential("plan_apurement", None)


class Closure(Section):
    date: Day = shareable("date")
    outcome: Text | None = shareable("issue", None)


class Handover(Section):
    """One entry of `referents:`: `name` holds the case from `since`; for a cover, until
    `until` (included), after which the case goes back to whoever held it before (see
    `referents.referent_on`). Staff of the association, like `referent`: not personal."""

    name: Text = shareable("nom")
    since: Day = shareable("depuis")
    until: Day | None = shareable("jusqu_au", None)
    note: Text | None = confidential("note", None, personal=True)


class Event(Section):
    date: Day = shareable("date")
    kind: EventKind = shareable("type")
    # The partner the event was with (`--partner CAF`): confidential, as the involvements.
    partner: Text | None = confidential("partenaire", None)
    author: Text | None = confidential("auteur", None, personal=True)
    note: Text | None = confidential("note", None, personal=True)


class Cancellation(Section):
    date: Day = shareable("date")
    note: Text | None = confidential("note", None, personal=True)


class Appointment(Section):
    """A planned meeting (`rendez_vous`): a plan, so it may be dated in the future. Its state
    (done, missed, to fill in) is derived from the timeline, never stored (`appointments`)."""

    date: Day = shareable("date")
    time: Clock = shareable("heure")
    kind: AppointmentKind = shareable("type", "visite")
    duration: int = shareable("duree", 60, ge=5, le=720)
    attendee: Text | None = shareable("par", None)  # a worker, like the referent
    place: Text | None = confidential("lieu", None, personal=True)
    note: Text | None = confidential("note", None, personal=True)
    cancelled: Cancellation | None = shareable("annulation", None)
    # Random, set once at creation: the calendar's UID, which must survive a renumbering of
    # the case by sync (so it is not derived from the case ID).
    uid: Text | None = shareable("uid", None)


class Involvement(Section):
    """A partner mobilised around the household (« travail en réseau »), from `start` to
    `end` (still involved while `end` is empty). Confidential: a CMP reveals a health matter.
    Code and dates are statistics (kept by anonymisation); the note is the household's story."""

    partner: Text = confidential("partenaire")  # a code of `listes.partenaires`
    start: Day = confidential("debut")
    end: Day | None = confidential("fin", None)
    note: Text | None = confidential("note", None, personal=True)


class KnownCase(Section):
    """An earlier, closed case of the same household (« ménage déjà connu »), found at the
    new referral by the landlord's reference or by the household's name and address.
    Shareable: an ID and a closure date, both already given to the landlord, which referred
    that case too (tableau de suivi); kept by anonymisation (the bilan counts them)."""

    case_id: str = shareable("dossier")
    closed_on: Day = shareable("cloture")

    @field_validator("case_id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not CASE_ID.fullmatch(value):
            raise ValueError("identifiant attendu sous la forme AAAA-NNN (ex. 2014-012)")
        return value


class ImportedNote(Section):
    """The cell of a column the import mapping sends to the case's notes (« Observations »)."""

    column: Text = confidential("colonne", personal=True)
    text: Text = confidential("texte", personal=True)


class Origin(Section):
    """Where an imported case came from (`visites import`): the spreadsheet's file name, its
    sheet and row, and the cells its mapping sent to the notes. Confidential, and personal as
    a whole (a file and a row lead back to the landlord's line, name included): anonymisation
    removes it; what stays of an erased import is a keyed hash in the registry (origins.py)."""

    file: Text = confidential("fichier", personal=True)
    sheet: Text | None = confidential("feuille", None, personal=True)
    row: int = confidential("ligne", ge=1)
    notes: tuple[ImportedNote, ...] = confidential("notes", ())


class Case(Section):
    """One household's file. The phase is derived, never stored."""

    id: str = shareable("id", known=True)
    # Set once by `visites anonymise`: the personal fields are gone, the statistics remain.
    anonymised_on: Day | None = shareable("anonymise_le", None)
    referral: Referral = shareable("orientation_recue")
    household: Household = shareable("menage")
    # The first référent(e), set at the referral; who holds the case on a given day is
    # `referents.referent_on(case, day)`, which reads the handovers below too.
    referent: Text | None = shareable("referent", None)
    handovers: tuple[Handover, ...] = shareable("referents", ())
    known_before: tuple[KnownCase, ...] = shareable("deja_connu", ())
    adhesion: Adhesion | None = shareable("adhesion", None)
    refusal: Refusal | None = shareable("refus", None)
    diagnostic: Diagnostic | None = confidential("diagnostic", None)
    orientation: Orientation | None = shareable("orientation", None)
    accompaniment: Accompaniment | None = shareable("accompagnement", None)
    objectives: tuple[Objective, ...] = confidential("objectifs", ())
    finances: tuple[Statement, ...] = confidential("finances", (), consented=True)
    closure: Closure | None = shareable("cloture", None)
    partners: tuple[Involvement, ...] = confidential("partenaires", ())
    events: tuple[Event, ...] = confidential("evenements", ())
    # Dates and kinds are statistics; place and notes are confidential (see Appointment).
    appointments: tuple[Appointment, ...] = shareable("rendez_vous", ())
    # Set once by `visites import`: the spreadsheet row the case was made from (see Origin).
    origin: Origin | None = confidential("origine", None, personal=True)

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
