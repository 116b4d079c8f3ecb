"""The fiche de liaison, field by field: one row each, read from the command line's options or
asked on a terminal, checked by the same function either way.

`FIELDS` is the table: a field's name (that of `referrals.ReferralForm`), its option, its French
label and question, and its parser (typed text → stored value, or a ValueError in French, and
the question is asked again). Adding a field to `new-referral` (the household's profile…) is
one row here, one field in the form. Pure: the terminal and the options are the command
line's (`cli/asking.py`, `cli/workflow_cmds.py`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from visites import dates, matching
from visites.matching import Unmatched
from visites.vocabulary import CONTEXT_LABELS

if TYPE_CHECKING:
    from visites.config import Lists


@dataclass
class FormState:
    """What a parser may look at: the folder's lists, today, the answers so far; which open
    lists take a new value (`--new-commune`: `"communes"`), and the values to add there."""

    lists: Lists
    today: date
    answers: dict[str, Any] = field(default_factory=dict)
    open_to_new: set[str] = field(default_factory=set)
    additions: dict[str, str] = field(default_factory=dict)  # list key → value to add


Parser = Callable[[str, FormState], Any]


@dataclass(frozen=True)
class Field:
    """One field of the fiche: `parse` turns the typed text into the stored value."""

    name: str
    option: str
    label: str
    parse: Parser
    required: bool = True
    hint: str | Callable[[FormState], str] = ""  # said after the label in the question
    default: Callable[[FormState], str] | None = None  # shown, taken on an empty answer
    open_list: str | None = None  # key of the open list it belongs to (`communes`)
    new_flag: str | None = None  # the option that lets it take a new value
    shown: Callable[[Any], str] = str  # how the summary writes the value

    def question(self, state: FormState) -> str:
        hint = self.hint(state) if callable(self.hint) else self.hint
        extra = [part for part in (hint, "" if self.required else "facultatif") if part]
        return f"{self.label} ({', '.join(extra)})" if extra else self.label


def _text(text: str, state: FormState) -> str:
    value = " ".join(text.split()) if "\n" not in text else text.strip()
    if any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in value):
        raise ValueError("caractère de contrôle interdit dans le texte")
    if not value:
        raise ValueError("réponse vide")
    return value


def _referral_date(text: str, state: FormState) -> date:
    when = dates.parse_date(text)
    if when > state.today:
        raise ValueError(f"le {dates.short(when)} est dans le futur")
    deadline = state.answers.get("deadline")
    if deadline is not None and deadline < when:
        raise ValueError(f"le {dates.short(when)} suit la date butoir ({dates.short(deadline)})")
    return when


def _deadline(text: str, state: FormState) -> date:
    when = dates.parse_date(text)
    received = state.answers.get("date")
    if received is not None and when < received:
        raise ValueError(
            f"le {dates.short(when)} précède la date de la fiche ({dates.short(received)})"
        )
    return when


def _open(key: str, match: Callable[..., matching.Matched]) -> Parser:
    """A parser for an open list: a new value only when the list takes one (then noted)."""

    def parse(text: str, state: FormState) -> str:
        found = match(text, state.lists, new=key in state.open_to_new)
        if found.is_new:
            state.additions[key] = found.value
        return found.value

    return parse


def _context(text: str, state: FormState) -> str:
    return matching.context(text).value


def _referent_hint(state: FormState) -> str:
    names = [person.name for person in state.lists.referents if person.active]
    return ", ".join(names)


def _today(state: FormState) -> str:
    return dates.short(state.today)


def _short_date(value: Any) -> str:
    return dates.short(value) if isinstance(value, date) else str(value)


# In the order of the paper fiche (templates/fiche-de-liaison.yaml).
FIELDS: tuple[Field, ...] = (
    Field("date", "--date", "Date de la fiche", _referral_date, hint="JJ/MM/AAAA",
          default=_today, shown=_short_date),
    Field("context", "--context", "Contexte", _context,
          hint="entree : entrée dans les lieux ; en-cours : en cours de location",
          shown=lambda code: CONTEXT_LABELS.get(code, code)),
    Field("referrer", "--referrer", "Prescripteur", _text,
          hint="la personne du bailleur qui oriente"),
    Field("landlord_ref", "--landlord-ref", "Référence du bail", _text, required=False),
    Field("reason", "--reason", "Motif de l'orientation", _text, required=False),
    Field("deadline", "--deadline", "Date butoir", _deadline, required=False,
          hint="JJ/MM/AAAA : commission d'attribution, audience…", shown=_short_date),
    Field("household", "--household", "Ménage", _text, hint="nom tel qu'écrit sur la fiche"),
    Field("address", "--address", "Adresse du logement", _text, required=False),
    Field("commune", "--commune", "Commune", _open("communes", matching.commune),
          open_list="communes", new_flag="--new-commune"),
    Field("phone", "--phone", "Téléphone du ménage", _text, required=False),
    Field("referent", "--referent", "Référent(e)", _open("referents", matching.referent),
          required=False, hint=_referent_hint, open_list="referents",
          new_flag="--new-referent"),
)  # fmt: skip

# What the open lists are called in a question (« Ajouter « Bouaye » aux communes ? »).
OPEN_LISTS = {"communes": "communes", "referents": "référent(e)s"}


def refusal(error: ValueError, item: Field, *, terminal: bool = False) -> str:
    """The French reason a typed value is refused. On the command line, an open list's value
    says which flag adds it; on a terminal the question is asked instead."""
    if isinstance(error, Unmatched):
        how = None
        if item.new_flag and not terminal:
            how = f"ajoutez {item.new_flag} pour l'inscrire dans visites.yaml"
        return error.message(how)
    if isinstance(error, dates.DateProblem):
        return error.reason
    return str(error)


def missing(given: dict[str, str | None]) -> list[Field]:
    """The required fields without a value nor a default."""
    return [f for f in FIELDS if f.required and f.default is None and not given.get(f.name)]


def summary(state: FormState) -> list[tuple[str, str]]:
    """The fiche as the person confirms it: each field's label and value (« — » if empty)."""
    lines = []
    for item in FIELDS:
        value = state.answers.get(item.name)
        text = "—" if value in (None, "") else item.shown(value)
        if item.open_list and state.additions.get(item.open_list) == value and value:
            text += f" (nouvelle valeur, ajoutée aux {OPEN_LISTS[item.open_list]} de visites.yaml)"
        lines.append((item.label, text))
    return lines
