"""Typed cells: French text that remembers the number it shows. Standard library only.

The bilan is laid out once as rows of French text (`render.sections`). The terminal, Markdown
and HTML print that text; CSV and XLSX write the number behind it, so that a spreadsheet can
add the counts up and format the amounts. A cell *is* its text (a `str`, byte for byte what
readers see: `1 380 €`, `28,4 %`, `12 j`), carrying its value: everything that treats it as
text (f-strings, padding, Rich, jinja) keeps working unchanged, and only the spreadsheet
writers look further. `numbers.number`, `numbers.euros` and `numbers.percent` return them, so any
section built with those helpers is typed without knowing it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any


class Number(str):
    """A number shown in French (`1 380`, `49,3`, `7,5 mois`): `value`, `decimals` shown, and
    the `unit` written after it in the text (empty for a plain count)."""

    value: Decimal
    decimals: int
    unit: str = ""

    def __new__(cls, text: str, value: Decimal, decimals: int, unit: str | None = None) -> Any:
        cell = super().__new__(cls, text)
        object.__setattr__(cell, "value", value)
        object.__setattr__(cell, "decimals", decimals)
        if unit is not None:
            object.__setattr__(cell, "unit", unit)
        return cell

    def __setattr__(self, name: str, value: object) -> None:  # frozen, like the text
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r}, value={self.value!r})"

    @property
    def is_whole(self) -> bool:
        return self.decimals == 0 and self.value == self.value.to_integral_value()


class Euros(Number):
    """An amount in euros (`1 380 €`, `1 380,50 €`)."""

    unit = "€"


class Rate(Number):
    """A rate shown in percent (`28,4 %`); `value` is the percentage (28.4), `fraction` the
    number a spreadsheet formats as a percentage (0.284)."""

    unit = "%"

    @property
    def fraction(self) -> Decimal:
        return self.value / 100


class Days(Number):
    """A number of days (`12 j`)."""

    unit = "j"
