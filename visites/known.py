"""« Ménage déjà connu »: a new referral of a household the programme has already followed.
Pure, and light to import (the index keeps these keys: a warm lookup needs no pydantic).

A closed case is the same household when it has the same landlord reference (the lease), or
the same household name and the same address. Both are compared normalised, since people
type them differently from one fiche to the next: case, accents, spaces and punctuation do
not count (« Famille Le Guérec, 12 rue des Olivettes » = « famille le guerec 12 Rue des
olivettes »).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")


def normalised(text: str | None) -> str | None:
    """`text` without case, accents, punctuation and repeated spaces; None when nothing is
    left (an empty reference never matches another)."""
    if not text:
        return None
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = _NOT_ALPHANUMERIC.sub(" ", plain).split()
    return " ".join(words) or None


def reference_key(landlord_ref: str | None) -> str | None:
    """The key of the landlord's reference: two cases with the same lease."""
    return normalised(landlord_ref)


def home_key(name: str | None, address: str | None) -> str | None:
    """The key of the household's name and address together; None unless both are known."""
    name_key, address_key = normalised(name), normalised(address)
    if not name_key or not address_key:
        return None
    return f"{name_key} | {address_key}"


@dataclass(frozen=True)
class Identity:
    """What identifies a household across cases: its keys, either one enough."""

    reference: str | None
    home: str | None

    @classmethod
    def of(cls, landlord_ref: str | None, name: str | None, address: str | None) -> Identity:
        return cls(reference_key(landlord_ref), home_key(name, address))

    def same_household(self, other: Identity) -> bool:
        """Same lease, or same name and address."""
        same_lease = self.reference is not None and self.reference == other.reference
        return same_lease or (self.home is not None and self.home == other.home)


@dataclass(frozen=True)
class Earlier:
    """An earlier case of the household: its ID and the day it closed."""

    case_id: str
    closed_on: date


def warning(earlier: Earlier) -> str:
    """« ménage déjà connu : dossier 2014-012, clôturé le 03/11/2014 »."""
    return (
        f"ménage déjà connu : dossier {earlier.case_id}, "
        f"clôturé le {earlier.closed_on.strftime('%d/%m/%Y')}"
    )


def open_warning(case_ids: tuple[str, ...]) -> str:
    """« le ménage a déjà un dossier ouvert : 2015-004 » (a second open case of the same
    household is most often a fiche recorded twice)."""
    if len(case_ids) == 1:
        return f"le ménage a déjà un dossier ouvert : {case_ids[0]}"
    return f"le ménage a déjà des dossiers ouverts : {', '.join(case_ids)}"
