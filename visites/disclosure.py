"""What the landlord sees of a case: the one table every landlord output reads (the tableau
de suivi; the groupe de suivi's pack and any later column read it too). Pure.

A landlord column says what it shows and which fields of the case file it reads. Who may
see it follows from those fields' classes, declared once in visites/model.py:

- a column reading only fields the landlord sent or knows (`shareable(..., known=True)`) is
  shown on every row: `Audience.ALWAYS`;
- a column reading any other shareable field is shown only where the household consented
  to exchanges (`adhesion.accord_echanges_bailleur`), or where the partnership's convention
  allows it (visites.yaml `convention`): `Audience.CONSENT`. Elsewhere it reads
  « accord non recueilli », or its reduced form when it has one (the phase becomes « en
  cours » / « clôturé »);
- a column may never read a confidential field: `check_table` refuses it (and a test runs it).

To add a column, add one `Column` to `LANDLORD_COLUMNS`, naming the fields it reads: its
audience, the README's « Qui voit quoi » table and the tests follow.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

from pydantic import BaseModel

from visites import dates
from visites.config import Config
from visites.deadlines import Due, days_overdue, due
from visites.model import CONFIDENTIAL, Case, Outcome, landlord_tree
from visites.phases import Phase
from visites.vocabulary import (
    CONTEXT_LABELS,
    HOUSING_LABELS,
    OUTCOME_LABELS,
    PHASE_LABELS,
    PRIORITY_LABELS,
    TYPOLOGY_LABELS,
    label,
    labels,
)

NOT_GATHERED = "accord non recueilli"
REFUSAL = "refus du ménage"
OPEN, CLOSED = "en cours", "clôturé"

# Facts derived from the case that the landlord is told even without the household's
# consent, and why. Anything else derived (the phase, deadlines, delays) reads its fields.
KNOWN_FACTS = {
    "ouvert_ou_clos": "si le dossier est en cours ou clôturé (jamais sa phase)",
}


class Audience(Enum):
    """Who among the landlord's staff sees a column."""

    ALWAYS = "toujours"
    CONSENT = "avec l'accord du ménage"
    # A confidential figure declared `consented` (the rent arrears): only when the household
    # itself agreed, never by the partnership's convention.
    OWN_CONSENT = "avec l'accord du ménage seulement"
    NEVER = "jamais"


@dataclass(frozen=True)
class Facts:
    """What a column's value is computed from: the shareable part of the case only, plus
    its phase and current deadline on `today`."""

    tree: dict[str, Any]
    phase: Phase
    deadline: Due | None
    today: date

    def get(self, path: str) -> Any:
        """The value at a dotted path of the shareable tree (`orientation.vers`), or None."""
        value: Any = self.tree
        for key in path.split("."):
            value = value.get(key) if isinstance(value, dict) else None
        return value


@dataclass(frozen=True)
class Column:
    """One column of a landlord output. `reads`: the file's keys (dotted) or KNOWN_FACTS it
    is computed from; `reduced`/`reduced_reads`: what it shows without consent instead of
    NOT_GATHERED (it may read only what the landlord knows)."""

    key: str
    header: str
    kind: str  # text, date or int: how writers format the cell
    reads: tuple[str, ...]
    value: Callable[[Facts], Any]
    reduced: Callable[[Facts], Any] | None = None
    reduced_reads: tuple[str, ...] = ()
    with_consent: str = ""  # what it shows, for the README (French)
    without_consent: str = ""  # the same without consent, when it has a reduced form


def _answer(f: Facts) -> str:
    if f.get("adhesion.date"):
        return "adhésion"
    return "refus" if f.get("refus.date") else "en attente"


def _open_or_closed(f: Facts) -> str:
    return CLOSED if f.phase is Phase.CLOSED else OPEN


def _orientation(f: Facts) -> str:
    to = f.get("orientation.vers")
    return OUTCOME_LABELS[Outcome(to)] if to else ""


def _closure_date(f: Facts) -> date | None:
    closed = f.get("cloture.date") or f.get("refus.date")
    to = f.get("orientation.vers")
    if not closed and to and to != Outcome.ACCOMPAGNEMENT.value:
        closed = f.get("orientation.date")
    return closed


def _label(table: dict[str, str], code: str | None) -> str:
    return label(table, code) if code else ""


def _arrears(f: Facts) -> tuple[Any, Any]:
    """The first and the last arrears figure, in date order; (None, None) without any."""
    statements = sorted(f.get("finances") or [], key=lambda s: s["date"])
    figures = [s["dette_locative"] for s in statements if s.get("dette_locative") is not None]
    return (figures[0], figures[-1]) if figures else (None, None)


def _consent(f: Facts) -> str:
    shared = f.get("adhesion.accord_echanges_bailleur")
    return f"oui ({dates.short(shared)})" if shared else "non recueilli"


# The phase, deadline and delay are derived from every dated step of the case.
_STEPS = ("adhesion.date", "refus.date", "orientation.vers", "orientation.date",
          "accompagnement.debut", "accompagnement.renouvellements", "cloture.date",
          "orientation_recue.date_butoir")  # fmt: skip

LANDLORD_COLUMNS: tuple[Column, ...] = (
    Column("id", "Dossier", "text", ("id",), lambda f: f.get("id"),
           with_consent="le numéro du dossier"),
    Column("landlord_ref", "Réf. bailleur", "text", ("orientation_recue.reference_bailleur",),
           lambda f: f.get("orientation_recue.reference_bailleur") or "",
           with_consent="la référence du bail, donnée par le bailleur"),
    Column("commune", "Commune", "text", ("menage.commune",), lambda f: f.get("menage.commune"),
           with_consent="la commune du logement"),
    Column("context", "Contexte", "text", ("orientation_recue.contexte",),
           lambda f: CONTEXT_LABELS[f.get("orientation_recue.contexte")],
           with_consent="entrée dans les lieux ou en cours de location"),
    Column("referral_date", "Orientation reçue", "date", ("orientation_recue.date",),
           lambda f: f.get("orientation_recue.date"),
           with_consent="la date de la fiche de liaison"),
    Column("answer", "Réponse du ménage", "text", ("adhesion.date", "refus.date"), _answer,
           with_consent="adhésion, refus ou en attente"),
    Column("answer_date", "Date de la réponse", "date", ("adhesion.date", "refus.date"),
           lambda f: f.get("adhesion.date") or f.get("refus.date"),
           with_consent="la date de l'adhésion ou du refus"),
    Column("consent_to_share", "Accord d'échanges", "text",
           ("adhesion.accord_echanges_bailleur",), _consent,
           with_consent="« oui (date) » ou « non recueilli »"),
    Column("phase", "Phase", "text", _STEPS, lambda f: PHASE_LABELS[f.phase],
           reduced=_open_or_closed, reduced_reads=("ouvert_ou_clos",),
           with_consent="la phase (orientation reçue, diagnostic, accompagnement, clôturé)",
           without_consent="« en cours » ou « clôturé », jamais la phase"),
    Column("due", "Échéance", "date", _STEPS, lambda f: f.deadline.date if f.deadline else None,
           with_consent="la prochaine échéance"),
    Column("due_reason", "Motif de l'échéance", "text", _STEPS,
           lambda f: f.deadline.reason if f.deadline else "",
           with_consent="adhésion attendue, fin du diagnostic, date butoir ou révision"),
    Column("days_overdue", "Retard (jours)", "int", _STEPS,
           lambda f: days_overdue(f.deadline, f.today), with_consent="le retard en jours"),
    Column("orientation", "Orientation", "text", ("orientation.vers",), _orientation,
           with_consent="l'orientation décidée"),
    Column("orientation_date", "Date d'orientation", "date", ("orientation.date",),
           lambda f: f.get("orientation.date"), with_consent="sa date"),
    Column("measure", "Mesure", "text", ("orientation.mesure",),
           lambda f: f.get("orientation.mesure") or "", with_consent="la mesure de droit commun"),
    Column("closure_date", "Clôture", "date", ("cloture.date", "refus.date", "orientation.vers",
           "orientation.date"), _closure_date, with_consent="la date de clôture"),
    Column("outcome", "Issue", "text", ("cloture.issue", "refus.date"),
           lambda f: f.get("cloture.issue") or (REFUSAL if f.get("refus.date") else ""),
           with_consent="l'issue (« refus du ménage » pour un refus)"),
    # The household's profile (issue « publics »): the landlord knows it from the attribution
    # file, but the tableau de suivi shows it only with the household's consent.
    Column("typology", "Typologie du ménage", "text", ("menage.typologie",),
           lambda f: _label(TYPOLOGY_LABELS, f.get("menage.typologie")),
           with_consent="la typologie du ménage"),
    Column("size", "Taille du ménage", "int", ("menage.taille",), lambda f: f.get("menage.taille"),
           with_consent="le nombre de personnes"),
    Column("priorities", "Publics prioritaires", "text", ("menage.publics_prioritaires",),
           lambda f: ", ".join(labels(PRIORITY_LABELS, f.get("menage.publics_prioritaires") or ())),
           with_consent="les publics prioritaires (DALO, accords collectifs, PDALPD, aucun)"),
    Column("housing", "Logement", "text", ("menage.logement",),
           lambda f: _label(HOUSING_LABELS, f.get("menage.logement")),
           with_consent="le type de logement (T1…T6+)"),
    # The rent arrears (issue « projet et finances »): confidential amounts, of which the
    # first and the last figure go to the landlord when the household itself agreed.
    Column("arrears_first", "Dette à l'orientation", "euros",
           ("finances.date", "finances.dette_locative"), lambda f: _arrears(f)[0],
           with_consent="la dette locative au premier montant connu (le même que le bilan)"),
    Column("arrears_last", "Dernière dette connue", "euros",
           ("finances.date", "finances.dette_locative"), lambda f: _arrears(f)[1],
           with_consent="la dette locative au dernier montant connu"),
)  # fmt: skip


# ---------------------------------------------------------------------------- the rule


def field_audience(path: str) -> Audience:
    """Who may see the field at `path` (French keys, dotted), from its declaration in
    visites.model: a confidential field (or one inside a confidential section) never, unless
    it is declared `consented` all the way down (then only with the household's own consent);
    a field the landlord knows always; any other shareable field with consent. A KNOWN_FACTS
    name is always seen. KeyError for a key the case file does not have."""
    if path in KNOWN_FACTS:
        return Audience.ALWAYS
    model: type[BaseModel] = Case
    extra: dict[str, Any] = {}
    consented = False
    for key in path.split("."):
        field = next(f for f in model.model_fields.values() if f.alias == key)
        extra = field.json_schema_extra  # type: ignore[assignment]
        if extra["share"] == CONFIDENTIAL:
            if not extra.get("consented"):
                return Audience.NEVER
            consented = True
        model = _section(field.annotation) or model
    if consented:
        return Audience.OWN_CONSENT
    return Audience.ALWAYS if extra["known"] else Audience.CONSENT


def _section(annotation: Any) -> type[BaseModel] | None:
    """The model inside `X`, `X | None` or `tuple[X, ...]`; None for a plain value."""
    import typing

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for inner in typing.get_args(annotation):
        if (found := _section(inner)) is not None:
            return found
    return None


_ORDER = (Audience.ALWAYS, Audience.CONSENT, Audience.OWN_CONSENT, Audience.NEVER)


def audience(column: Column) -> Audience:
    """The column's audience: the most restricted of the fields it reads."""
    return max((field_audience(p) for p in column.reads), key=_ORDER.index)


def check_table(columns: tuple[Column, ...] = LANDLORD_COLUMNS) -> None:
    """Refuse a landlord column that reads a confidential field, or a reduced form that
    reads more than the landlord knows (ValueError, at import: the table is wrong)."""
    for column in columns:
        if audience(column) is Audience.NEVER:
            raise ValueError(f"colonne {column.key} : lit un champ confidentiel")
        reduced = [field_audience(p) for p in column.reduced_reads]
        if column.reduced is not None and (not reduced or set(reduced) != {Audience.ALWAYS}):
            message = "forme réduite hors de ce que sait le bailleur"
            raise ValueError(f"colonne {column.key} : {message}")


check_table()
_AUDIENCES = {column.key: audience(column) for column in LANDLORD_COLUMNS}


def shared_with_landlord(case: Case, config: Config) -> bool:
    """Whether the consent-only columns may be shown for `case`: the household consented
    to exchanges, or the partnership's convention allows them without it."""
    consent = case.adhesion.consent_to_share if case.adhesion else None
    return consent is not None or config.convention.tracking_without_consent


def landlord_row(
    case: Case, config: Config, today: date, columns: tuple[Column, ...] = LANDLORD_COLUMNS
) -> dict[str, Any]:
    """The values of one case for the landlord, by column key, as the rule above allows.
    A consent-only column is not even computed where it may not be shown."""
    own = case.adhesion is not None and case.adhesion.consent_to_share is not None
    facts = Facts(landlord_tree(case, consented=own), case.phase, due(case, config), today)
    shared = shared_with_landlord(case, config)
    row = {}
    for column in columns:
        seen = _AUDIENCES.get(column.key) or audience(column)
        if seen is Audience.ALWAYS or (shared and seen is Audience.CONSENT) or (
            own and seen is Audience.OWN_CONSENT
        ):
            row[column.key] = column.value(facts)
        elif column.reduced is not None:
            row[column.key] = column.reduced(facts)
        else:
            row[column.key] = NOT_GATHERED
    return row


def who_sees_what(columns: tuple[Column, ...] = LANDLORD_COLUMNS) -> str:
    """The README's « Qui voit quoi » table (Markdown), generated from the columns."""
    lines = [
        "| Colonne | Avec l'accord du ménage | Sans son accord |",
        "|---|---|---|",
    ]
    for column in columns:
        seen = audience(column)
        if seen is Audience.ALWAYS:
            without = "idem (le bailleur le sait déjà)"
        elif seen is Audience.OWN_CONSENT:
            without = f"« {NOT_GATHERED} », même avec la convention"
        elif column.reduced is not None:
            without = column.without_consent
        else:
            without = f"« {NOT_GATHERED} »"
        lines.append(f"| {column.header} | {column.with_consent} | {without} |")
    return "\n".join(lines) + "\n"
