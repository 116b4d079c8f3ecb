"""Data protection rules: the retention period, and anonymisation. Pure: no files here.

CNIL guidance for social-work files: the file is kept for a set period after the last contact
with the household (`Config.retention`, 2 years by default), then deleted or anonymised.
Anonymisation is driven by the field declarations of `visites.model`: every field declared
`personal` is replaced by a placeholder (when the model requires a value) or removed; every
other field, which is what the bilan counts (dates, commune, context, referrer, orientation,
measure, months, outcome, problem domains, event dates and kinds), is kept as it is.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel

from visites import dates
from visites.config import Config
from visites.model import Case, Phase

PLACEHOLDER = "anonymisé"


@dataclass(frozen=True)
class Expiry:
    """A closed case whose retention period is over."""

    case: Case
    last_contact: date
    expired_on: date  # the last day of the retention period


def retention_end(case: Case, config: Config) -> date:
    """The last day the case may be kept as it is: last contact + the retention period."""
    return dates.add_months(case.last_contact, 12 * config.retention.years_after_last_contact)


def retention_due(cases: list[Case], config: Config, today: date) -> list[Expiry]:
    """Closed, not yet anonymised cases whose last contact is older than the retention
    period on `today`, oldest last contact first. Open cases are never due: the household is
    still being followed."""
    due = []
    for case in cases:
        if case.phase is not Phase.CLOSED or case.anonymised_on is not None:
            continue
        end = retention_end(case, config)
        if today > end:
            due.append(Expiry(case, case.last_contact, end))
    return sorted(due, key=lambda e: (e.last_contact, e.case.id))


def consent_notice(case: Case) -> str:
    """The line every document for the landlord carries about the household's consent to
    exchanges (adhesion.accord_echanges_bailleur): given on a date, or absent."""
    consent = case.adhesion.consent_to_share if case.adhesion else None
    given = f"donné le {dates.short(consent)}" if consent else "absent (non enregistré)"
    return f"Accord du ménage pour les échanges avec le bailleur : {given}."


class AlreadyAnonymised(ValueError):
    """Anonymising twice would hide when it was done, and there is nothing left to remove."""


class StillOpen(ValueError):
    """An open case is still in use: close it before anonymising it."""


def ensure_anonymisable(case: Case) -> None:
    """Raise AlreadyAnonymised or StillOpen when `case` cannot be anonymised."""
    if case.anonymised_on is not None:
        raise AlreadyAnonymised(case.anonymised_on)
    if case.phase is not Phase.CLOSED:
        raise StillOpen(case.phase)


def anonymise(case: Case, today: date) -> Case:
    """`case` without any personal value, marked `anonymised_on = today`.

    Raise AlreadyAnonymised or StillOpen. The result is a valid case with the same phase,
    dates, and every figure the bilan computes."""
    ensure_anonymisable(case)
    stripped = _stripped(case).model_copy(update={"anonymised_on": today})
    # Validated again, as a file is read: a section the stripping emptied (a diagnostic that
    # held only texts) is no section, exactly as the file written from it will say.
    return Case.model_validate(stripped.model_dump())


def _stripped(model: BaseModel) -> BaseModel:
    update: dict[str, Any] = {}
    for name, field in type(model).model_fields.items():
        value = getattr(model, name)
        extra = field.json_schema_extra
        assert isinstance(extra, dict), "every field declares shareable or confidential"
        if extra["personal"]:
            if value is not None:
                update[name] = None if _optional(field.annotation) else PLACEHOLDER
        elif isinstance(value, BaseModel):
            update[name] = _stripped(value)
        elif isinstance(value, tuple) and value and isinstance(value[0], BaseModel):
            update[name] = tuple(_stripped(item) for item in value)
    return model.model_copy(update=update)


def _optional(annotation: Any) -> bool:
    return type(None) in typing.get_args(annotation)


def anonymisation_table() -> str:
    """The README's « gardé / effacé » table (Markdown): every key of the case file and what
    `anonymise` does with it, generated from the field declarations (a field added later
    joins it by itself)."""
    lines = ["| Clé du fichier | Après `visites anonymise` |", "|---|---|"]
    for path, field in _leaves(Case, ""):
        extra = field.json_schema_extra
        assert isinstance(extra, dict)
        if path == "anonymise_le":
            fate = "ajoutée : la date de l'anonymisation"
        elif not extra["personal"]:
            fate = "gardé"
        elif _optional(field.annotation):
            fate = "**effacé**"
        else:
            fate = f"**remplacé par « {PLACEHOLDER} »**"
        lines.append(f"| `{path}` | {fate} |")
    lines.append("| commentaires à la main, clés inconnues | **effacés** (fichier réécrit) |")
    return "\n".join(lines) + "\n"


def _leaves(model: type[BaseModel], prefix: str) -> list[tuple[str, Any]]:
    """(dotted key, field) of every value of `model`'s file, sections opened; `[]` marks
    the items of a list."""
    found = []
    for field in model.model_fields.values():
        key = f"{prefix}{field.alias}"
        inner, many = _section_of(field.annotation)
        extra = field.json_schema_extra
        assert isinstance(extra, dict)
        if inner is not None and not extra["personal"]:
            found += _leaves(inner, f"{key}[]." if many else f"{key}.")
        else:
            found.append((key, field))
    return found


def _section_of(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """The model inside `X`, `X | None` or `tuple[X, ...]`, and whether it is a list."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    many = typing.get_origin(annotation) is tuple
    for arg in typing.get_args(annotation):
        inner, _ = _section_of(arg)
        if inner is not None:
            return inner, many
    return None, False
