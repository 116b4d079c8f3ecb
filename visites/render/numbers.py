"""Numbers as French readers expect them: `1 380 €`, `12,5 %`, `49,3`. Dates: visites.dates.

Thousands are separated, and units kept on the number's line, by a no-break space. The numbers
come back as typed cells (`render.cells`): text to print, with the value a spreadsheet needs.
Also the two rules of French text that messages get wrong: plurals (« 1 dossier »,
« 3 dossiers », never « dossier(s) ») and the elision of « de » (« d'avril »).
"""

from __future__ import annotations

from decimal import Decimal

from visites.dates import MONTHS, long, short
from visites.render.cells import Euros, Number, Rate

NBSP = "\u00a0"

__all__ = [
    "MONTHS", "NBSP", "de", "euros", "long", "month_name", "number", "percent", "plural",
    "quantity", "short",
]  # fmt: skip


def _decimal(value: int | float | Decimal) -> Decimal:
    return Decimal(str(value))


def _text(value: Decimal, decimals: int) -> str:
    text = f"{value:,.{decimals}f}"  # 1,380.50
    return text.replace(",", NBSP).replace(".", ",")


def number(value: int | float | Decimal | None, decimals: int | None = None) -> str:
    """`1 380`, `49,3`; whole values without decimals unless `decimals` is given; `—` for None."""
    if value is None:
        return "—"
    exact = _decimal(value)
    if decimals is None:
        decimals = 0 if exact == exact.to_integral_value() else 2
        if decimals and exact == exact.quantize(Decimal("0.1")):
            decimals = 1
    return Number(_text(exact, decimals), exact, decimals)


def euros(value: int | float | Decimal | None) -> str:
    """`1 380 €`, `1 380,50 €`: cents only when there are some."""
    if value is None:
        return "—"
    exact = _decimal(value)
    decimals = 0 if exact == exact.to_integral_value() else 2
    return Euros(f"{_text(exact, decimals)}{NBSP}€", exact, decimals)


def percent(value: int | float | Decimal | None) -> str:
    """`12,5 %` (one decimal); `value` is the percentage (12.5)."""
    if value is None:
        return "—"
    exact = _decimal(value)
    return Rate(f"{_text(exact, 1)}{NBSP}%", exact, 1)


def month_name(month: int) -> str:
    """`janvier` … `décembre`."""
    return MONTHS[month - 1]


def plural(count: int | float | Decimal, one: str, many: str | None = None) -> str:
    """`one` for 0 and 1 (French: « 0 dossier », « 1 dossier »), `many` (by default `one` + s,
    word by word: « fichier illisible » → « fichiers illisibles ») from 2 on."""
    if abs(count) < 2:
        return one
    return many if many is not None else " ".join(word + "s" for word in one.split(" "))


def quantity(count: int | float | Decimal, one: str, many: str | None = None) -> str:
    """The count and its noun: « 1 dossier », « 3 dossiers », « 1 200 ménages »."""
    return f"{number(count)} {plural(count, one, many)}"


# « de » becomes « d' » before a vowel (« d'avril », « d'août », « d'octobre », « d'Orvault »).
# An h is left alone: « de Haute-Goulaine » (aspirated) and « d'habitat » (mute) look alike,
# and no month, label or commune of the lists begins with a mute h.
_VOWELS = frozenset("aeiouyàâäéèêëîïôöùûüœæAEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŒÆ")


def de(word: str) -> str:
    """« de » and `word`, elided before a vowel: `de("avril")` → « d'avril »,
    `de("mars")` → « de mars »."""
    return f"d'{word}" if word[:1] in _VOWELS else f"de {word}"
