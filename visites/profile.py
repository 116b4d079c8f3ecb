"""The household's profile and the partners mobilised around it: the lists, and how a value
typed by a person becomes a code. Pure, and light to import (no pydantic).

Typologies and partners are configured lists (`listes.typologies`, `listes.partenaires` in
visites.yaml); priority publics and housing types are the call's own categories, fixed here.
Each list has ONE function turning typed text into its code, through `visites.matching`
(case, accents and hyphens aside, the French label understood, « Vouliez-vous dire … ? »).
The rules every case file obeys (a code from the list, dated involvements in order) are in
`checks`; the figures of the bilan in `publics`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from visites.errors import UsageProblem
from visites.vocabulary import PARTNER_LABELS, PRIORITY_LABELS, TYPOLOGY_LABELS

if TYPE_CHECKING:
    from visites.config import Lists

# The priority publics of the call « 10 000 logements HLM accompagnés ». `aucun` records a
# household that belongs to none of them: « none », never merged with « not recorded ».
PRIORITIES: tuple[str, ...] = ("dalo", "accord-collectif", "pdalpd")
NO_PRIORITY = "aucun"
HOUSING_TYPES: tuple[str, ...] = ("T1", "T2", "T3", "T4", "T5", "T6+")
SIZE_MIN, SIZE_MAX = 1, 20  # persons in the household


def _one_of(
    option: str,
    unknown: str,
    value: str,
    allowed: tuple[str, ...],
    more: str = "",
    labels: dict[str, str] | None = None,
) -> str:
    """The code of `allowed` that `value` names, as `visites.matching` matches every list
    (case, accents, hyphens aside, the French label too); else a usage error with the
    closest codes, or the list."""
    from visites.matching import Choice, Unmatched, either, match

    choices = [
        Choice(code, (labels[code],) if labels and code in labels else ()) for code in allowed
    ]
    try:
        return match(value, choices, unknown).value
    except Unmatched as error:
        if error.suggestions:
            hint = f". Vouliez-vous dire {either(error.suggestions)} ?"
        else:
            hint = f" ; valeurs possibles : {', '.join(allowed)}{more}"
        raise UsageProblem(f"{option} « {value} » : {unknown}{hint}") from None
    except ValueError as error:  # a control character
        raise UsageProblem(f"{option} : {error}") from None


CONFIGURED = " (liste modifiable dans visites.yaml)"


def typology(value: str, lists: Lists) -> str:
    """The typology code for `value` (`--typology`), from the configured list."""
    return _one_of("--typology", "typologie inconnue", value, lists.typologies, CONFIGURED,
                   TYPOLOGY_LABELS)  # fmt: skip


def priority(value: str) -> str:
    """The priority public code for `value` (`--priority`)."""
    return _one_of("--priority", "public prioritaire inconnu", value, PRIORITIES,
                   labels=PRIORITY_LABELS)  # fmt: skip


def housing(value: str) -> str:
    """The housing type code for `value` (`--housing`)."""
    return _one_of("--housing", "type de logement inconnu", value, HOUSING_TYPES)


def partner(value: str, lists: Lists, option: str = "--partner") -> str:
    """The partner code for `value` (`--add`, `--end`, `--partner`), from the configured list."""
    return _one_of(option, "partenaire inconnu", value, lists.partners, CONFIGURED,
                   PARTNER_LABELS)  # fmt: skip


def size(value: int) -> int:
    """The household size (`--size`), a number of persons from 1 to 20."""
    if not SIZE_MIN <= value <= SIZE_MAX:
        raise UsageProblem(
            f"--size {value} : nombre de personnes du ménage entre {SIZE_MIN} et {SIZE_MAX}"
        )
    return value


def priorities(values: list[str], none: bool) -> tuple[str, ...] | None:
    """The priority publics given (`--priority`, repeatable), `(aucun,)` for `--no-priority`,
    None when neither was given (the profile keeps what it had)."""
    if none and values:
        raise UsageProblem("--no-priority ne va pas avec --priority : choisissez l'un des deux")
    if none:
        return (NO_PRIORITY,)
    if not values:
        return None
    return tuple(dict.fromkeys(priority(value) for value in values))
