"""Amounts in euros as people type them: `1240`, `1 240`, `1240,50`, `1 240,50 €`. Pure.

One reading of an amount for every way in: a command's option (`visites finances --arrears`),
a value written by hand in a case file, a spreadsheet cell read by an import. The thousands
may be separated by a space, a no-break space (U+00A0) or a narrow no-break space (U+202F),
as word processors and spreadsheets write them; the decimals follow a comma (or a point, as
long as it cannot be read as a thousands separator); the unit (`€`, `EUR`, `euros`) may follow.
An amount is never negative, has at most two decimals, and stays below `MAXIMUM`.
Light to import (the standard library only).
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

# Above this, the figure is a typo (a missing comma), not a household's rent or debt.
MAXIMUM = Decimal(1_000_000)
EXAMPLES = "1240, 1 240, 1240,50 ou 1 240,50 €"

_SPACES = "\u0020\u00a0\u202f\u2009"  # space, no-break space, narrow no-break, thin space
_UNIT = re.compile(r"\s*(?:€|eur|euros?)\s*$", re.IGNORECASE)
# Digits, grouped by three after the first group when separated; then the decimals.
_GROUPED = re.compile(rf"(\d{{1,3}}(?:[{_SPACES}]\d{{3}})+|\d+)(?:[,.](\d+))?")


def parse_amount(text: str) -> Decimal:
    """The amount `text` says, in euros. ValueError (a French message) when it says none.

    >>> parse_amount("1 240,50 €")
    Decimal('1240.50')
    """
    shown = text.strip()
    if not shown:
        raise ValueError(f"montant vide ; écrivez par exemple {EXAMPLES}")
    body = _UNIT.sub("", shown).strip(_SPACES)
    if body.startswith("-"):
        raise ValueError(f"montant « {shown} » négatif : un montant est positif ou nul")
    match = _GROUPED.fullmatch(body)
    if match is None:
        raise ValueError(f"montant « {shown} » illisible ; écrivez par exemple {EXAMPLES}")
    whole, decimals = match.groups()
    if decimals is not None and "." in body and len(decimals) == 3 and body.count(".") == 1:
        # `1.240` is one thousand two hundred and forty to a French reader, 1.24 to a script.
        raise ValueError(f"montant « {shown} » ambigu ; écrivez 1240 ou 1 240, ou 1,24")
    digits = re.sub(f"[{_SPACES}]", "", whole)
    return checked(Decimal(digits + (f".{decimals}" if decimals is not None else "")), shown)


def to_amount(value: object) -> Decimal:
    """An amount from a file or a cell: a number (int, float, Decimal) or a text as typed.
    ValueError (French) for anything else, a negative amount, more than two decimals."""
    if isinstance(value, bool):  # `true` is an int to Python, never an amount
        raise ValueError(f"montant attendu (en euros : {EXAMPLES})")
    if isinstance(value, str):
        return parse_amount(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"montant attendu (en euros : {EXAMPLES})")
        return checked(Decimal(repr(value)), repr(value))  # 1240.5 stays 1240.5, not its binary
    if isinstance(value, int | Decimal):
        try:
            return checked(Decimal(value), str(value))
        except InvalidOperation:
            raise ValueError(f"montant attendu (en euros : {EXAMPLES})") from None
    raise ValueError(f"montant attendu (en euros : {EXAMPLES})")


def checked(amount: Decimal, shown: str) -> Decimal:
    """`amount` when it is a possible amount: finite, not negative, to the cent, bounded."""
    if not amount.is_finite():
        raise ValueError(f"montant « {shown} » illisible ; écrivez par exemple {EXAMPLES}")
    if amount < 0:
        raise ValueError(f"montant « {shown} » négatif : un montant est positif ou nul")
    if amount >= MAXIMUM:
        raise ValueError(f"montant « {shown} » trop grand (moins de 1 000 000 € attendu)")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError(f"montant « {shown} » : au plus deux décimales (les centimes)")
    return amount


def as_number(amount: Decimal) -> int | float:
    """How an amount is written in a file or in JSON: `1240`, `1240.5` (a YAML number)."""
    return int(amount) if amount == amount.to_integral_value() else float(amount)
