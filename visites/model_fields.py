"""The building blocks of the case model (`visites.model`): the two field classes every field
declares (`shareable`, `confidential`) and what they let through (`shareable_tree`,
`landlord_tree`), the typed values of a case file (dates, texts, amounts, times), and the
`Section` every part of a file is.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationInfo,
    field_validator,
)

from visites.amounts import as_number, to_amount
from visites.dates import parse_date

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


def shareable(
    alias: str, default: Any = ..., *, personal: bool = False, known: bool = False, **kw: Any
) -> Any:
    """A field the landlord may see: with the household's consent to exchanges, or always
    when it is `known` to the landlord already."""
    extra = {"share": SHAREABLE, "personal": personal, "known": known}
    return Field(default, alias=alias, json_schema_extra=extra, **kw)


def confidential(
    alias: str, default: Any = ..., *, personal: bool = False, consented: bool = False, **kw: Any
) -> Any:
    """A field kept within the association. `consented`: the one exception, a confidential
    figure the landlord may see in the tableau de suivi when the household itself agreed to
    exchanges (never by the partnership's convention): the rent arrears (`disclosure`)."""
    extra = {"share": CONFIDENTIAL, "personal": personal, "known": False, "consented": consented}
    return Field(default, alias=alias, json_schema_extra=extra, **kw)


class Section(BaseModel):
    """A part of a case file (the file itself included)."""

    # Unknown keys are ignored here but kept in the file (the store rewrites only what
    # changed) and reported by `check` as likely typos.
    model_config = ConfigDict(frozen=True, extra="ignore", validate_by_name=True)

    @field_validator("*", mode="after")
    @classmethod
    def _empty_section_is_absent(cls, value: Any, info: ValidationInfo) -> Any:
        """An optional section with nothing in it is no section, as in the file (whose
        canonical text leaves empty parts out): `diagnostic: {}` reads as no diagnostic, and
        a case whose diagnostic anonymisation emptied is the case its file says."""
        # Called for every field of every section (~95 fields a case): the cheap test first,
        # since reading `model_fields` goes through a pydantic class property (12 % of a cold
        # status under cProfile when the lookup came first; no wall-time gain measurable).
        if not isinstance(value, Section):
            return value
        field = cls.model_fields[str(info.field_name)]
        if field.default is None and _is_empty(value):
            return None
        return value


def _is_empty(section: BaseModel) -> bool:
    return all(getattr(section, name) in (None, ()) for name in type(section).model_fields)


def _clock(value: Any) -> Any:
    """An appointment's time, stored « HH:MM » (typed as 14:30, 14h30 or 9h)."""
    from visites.agenda import parse_clock

    if not isinstance(value, str):
        raise ValueError("heure attendue sous la forme HH:MM (ex. 14:30)")
    return parse_clock(value)


Clock = Annotated[str, BeforeValidator(_clock)]


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
    the landlord. Built from the field declarations, nothing else."""
    return _keep(case, lambda share, personal, extra: share == SHAREABLE)


def landlord_tree(case: BaseModel, consented: bool) -> dict[str, Any]:
    """What a landlord output may read of the case: its shareable fields and, when the
    household itself agreed to exchanges (`consented`), the confidential figures declared
    `consented` (the rent arrears). Built from the field declarations, nothing else."""
    return _keep(case, lambda share, personal, extra: share == SHAREABLE
                 or (consented and bool(extra.get("consented"))))  # fmt: skip


def _keep(model: BaseModel, wanted: Any) -> dict[str, Any]:
    kept: dict[str, Any] = {}
    for name, field in type(model).model_fields.items():
        extra = field.json_schema_extra
        assert isinstance(extra, dict)
        if not wanted(extra["share"], extra["personal"], extra):
            continue
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            value = _keep(value, wanted)
        elif isinstance(value, tuple):
            value = [_keep(v, wanted) if isinstance(v, BaseModel) else v for v in value]
        kept[str(field.alias)] = value.value if isinstance(value, StrEnum) else value
    return kept
