"""A value typed by a person, matched to the list it belongs to and stored in its canonical form.

People write « coueron », « Saint Nazaire », « santé », « Accès aux droits »: each is matched
ignoring case, accents, spaces, hyphens and punctuation (`normalise`), against the canonical
values of its list and their French labels, and comes back as the value the files store
(« Couëron », `sante`, `acces-aux-droits`). A near miss is refused with the closest values
(`difflib` on the normalised forms): « Vouliez-vous dire « Couëron » ? ». There is one function
per kind of list, used by the command line, the fiches de liaison (`new-referral --from`) and
any import; each raises `Unmatched` (a ValueError with its French text) or returns the value.

Two kinds of lists:
- closed (problem domains, measures, outcomes, event kinds, contexts, modes, orientations,
  phases, documents): a value outside is always refused; the folder's lists are extended by
  editing visites.yaml;
- open (communes, référent(e)s): a new value is taken only when the caller says so (`new=`,
  the `--new-commune` flag), and `Matched.is_new` tells it to add the value to visites.yaml.

Pure and light: the standard library and the vocabulary (difflib only on a miss).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from visites.phases import Context, Outcome, Phase
from visites.vocabulary import (
    APPOINTMENT_LABELS,
    CONTEXT_LABELS,
    DOCUMENT_LABELS,
    EVENT_LABELS,
    GROUPING_LABELS,
    GROUPING_NAMES,
    HOUSING_LABELS,
    MODE_LABELS,
    OBJECTIVE_STATUS_LABELS,
    ORIENTATION_ALIASES,
    OUTCOME_LABELS,
    PHASE_LABELS,
    PHASE_NAMES,
    PHASE_OPTION_NAMES,
    PRIORITY_LABELS,
    PROBLEM_DOMAIN_LABELS,
    TYPOLOGY_LABELS,
)

if TYPE_CHECKING:
    from visites.config import Lists

NEAR_MISS = 0.75  # difflib ratio from which a value is suggested
MAX_SUGGESTIONS = 3
_WORDS = re.compile(r"[\s\-'’/]+")


def normalise(text: str) -> str:
    """`text` without case, accents, spaces, hyphens or punctuation: « Saint-Sébastien » and
    « saint sebastien » are the same word."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if char.isalnum())


def tidy(text: str) -> str:
    """`text` as a new value is stored: trimmed, inner runs of spaces made one."""
    return " ".join(text.split())


@dataclass(frozen=True)
class Choice:
    """One allowed value: what is stored, and every name it may be typed as."""

    value: str
    names: tuple[str, ...] = ()
    shown: str | None = None  # how it is listed in messages (default: the value)


@dataclass(frozen=True)
class Matched:
    """The canonical value; `is_new` when an open list takes it for the first time."""

    value: str
    is_new: bool = False


class Unmatched(ValueError):
    """A typed value its list does not hold. The French message says what was typed, the
    closest values (« Vouliez-vous dire … ? ») or else the values allowed."""

    def __init__(
        self,
        what: str,
        typed: str,
        suggestions: Sequence[str] = (),
        allowed: Sequence[str] = (),
        *,
        unknown: str = "inconnu(e)",
        open_list: bool = False,
        inactive: bool = False,
        extra: str = "",
    ) -> None:
        self.what, self.typed, self.unknown = what, typed, unknown
        self.suggestions = tuple(suggestions)
        self.allowed = tuple(allowed)
        self.open_list = open_list  # a new value may be added (communes, référent(e)s)
        self.inactive = inactive
        self.extra = extra  # said last, in brackets
        super().__init__(self.message())

    def message(self, how_to_add: str | None = None) -> str:
        """The French refusal; `how_to_add` ends it for an open list (« ajoutez --new-commune
        pour l'inscrire dans visites.yaml »)."""
        if self.inactive:
            text = f"{self.what} « {self.typed} » marqué(e) inactif(ve) dans visites.yaml"
            return text + (f" ; actif(ve)s : {', '.join(self.allowed)}" if self.allowed else "")
        if self.open_list:
            text = f"{self.what} « {self.typed} » hors de la liste de visites.yaml"
        else:
            text = f"{self.what} « {self.typed} » {self.unknown}"
        if self.suggestions:
            text += f". Vouliez-vous dire {either(self.suggestions)} ?"
        elif self.allowed and not self.open_list:
            text += f" ; valeurs possibles : {', '.join(self.allowed)}"
        if self.open_list and how_to_add:
            text += f" (nouvelle valeur : {how_to_add})"
        if self.extra:
            text += f" ({self.extra})"
        return text


def either(names: Sequence[str]) -> str:
    """« A », « B » ou « C »."""
    quoted = [f"« {name} »" for name in names]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} ou {quoted[-1]}"


@dataclass(frozen=True)
class _Forms:
    """The normalised names of a list's choices."""

    choices: tuple[Choice, ...]
    forms: dict[str, list[Choice]] = field(default_factory=dict)

    @classmethod
    def of(cls, choices: Iterable[Choice]) -> _Forms:
        kept = tuple(choices)
        forms: dict[str, list[Choice]] = {}
        for choice in kept:
            for name in (choice.value, *choice.names):
                same = forms.setdefault(normalise(name), [])
                if choice not in same:
                    same.append(choice)
        return cls(kept, forms)


def find(typed: str, choices: Iterable[Choice]) -> Choice | None:
    """The choice `typed` names (case, accents, spaces and hyphens aside), or None."""
    found = _Forms.of(choices).forms.get(normalise(typed), [])
    return found[0] if len(found) == 1 else None


def suggestions(typed: str, choices: Iterable[Choice]) -> list[str]:
    """The values closest to `typed`: difflib's (on the normalised forms), then those with a
    word that starts like it (« nazaire » → « Saint-Nazaire »)."""
    import difflib  # only on a miss

    table = _Forms.of(choices)
    wanted = normalise(typed)
    close: list[Choice] = []
    for form in difflib.get_close_matches(wanted, list(table.forms), MAX_SUGGESTIONS, NEAR_MISS):
        close += table.forms[form]
    if len(wanted) >= 3:
        for choice in table.choices:
            names = (choice.value, *choice.names)
            words = {normalise(word) for name in names for word in _WORDS.split(name)}
            if any(word.startswith(wanted) for word in words | {normalise(n) for n in names}):
                close.append(choice)
    shown = [choice.shown or choice.value for choice in dict.fromkeys(close)]
    return shown[:MAX_SUGGESTIONS]


def match(
    typed: str,
    choices: Sequence[Choice],
    what: str,
    *,
    unknown: str = "inconnu(e)",
    open_list: bool = False,
    new: bool = False,
) -> Matched:
    """The canonical value `typed` names among `choices`, or Unmatched. With `open_list` and
    `new`, a value the list does not hold is taken as it is written (tidied)."""
    text = tidy(typed)
    if any(unicodedata.category(char) == "Cc" for char in text):
        raise ValueError("caractère de contrôle interdit dans le texte")
    if not text:
        raise Unmatched(what, typed, allowed=_listed(choices), unknown="vide")
    found = _Forms.of(choices).forms.get(normalise(text), [])
    if len(found) == 1:
        return Matched(found[0].value)
    if open_list and new and not found:
        return Matched(text, is_new=True)
    close = [c.shown or c.value for c in found] or suggestions(text, choices)
    raise Unmatched(what, text, close, _listed(choices), unknown=unknown, open_list=open_list)


def _listed(choices: Sequence[Choice]) -> list[str]:
    return [choice.shown or choice.value for choice in choices]


def _coded(labels: dict[str, str], codes: Iterable[str], *, by_label: bool = False) -> list[Choice]:
    """Codes typed as themselves or as their French label. `by_label`: where the label is
    what people type and read (« Santé », « partiellement atteint »), messages show it
    rather than the code; lists whose codes are the option's own names (`--kind visite`,
    `--housing T4`, a template's name) keep the code."""
    return [
        Choice(code, (labels[code],), labels[code] if by_label else None)
        if code in labels
        else Choice(code)
        for code in codes
    ]


# ---------------------------------------------------------------------------- open lists


def commune(typed: str, lists: Lists, *, new: bool = False) -> Matched:
    """A commune of `listes.communes` (« coueron » → « Couëron »); with `new`, one to add."""
    choices = [Choice(name, _saint(name)) for name in lists.communes]
    return match(typed, choices, "commune", unknown="inconnue", open_list=True, new=new)


def _saint(name: str) -> tuple[str, ...]:
    """A commune's name as it is often abbreviated: « St-Nazaire », « Ste-Luce-sur-Loire »."""
    short = re.sub(r"\bSainte\b", "Ste", re.sub(r"\bSaint\b", "St", name))
    return (short,) if short != name else ()


def referent(typed: str, lists: Lists, *, new: bool = False) -> Matched:
    """A référent(e) of `listes.referents` for a new case: an inactive one is refused. An
    empty list checks nothing (the value is taken as written)."""
    if not lists.referents:
        return Matched(tidy(typed))
    everyone = [Choice(person.name) for person in lists.referents]
    found = find(typed, everyone)
    active = [Choice(person.name) for person in lists.referents if person.active]
    if found is not None and found not in active:
        names = [choice.value for choice in active]
        raise Unmatched("référent(e)", found.value, allowed=names, inactive=True)
    return match(typed, active, "référent(e)", unknown="inconnu(e)", open_list=True, new=new)


def referents_named(typed: str, names: Iterable[str]) -> list[str]:
    """The référent(e)s a search names: the same name (case and accents aside), else every
    name holding what was typed (« karim » → « Karim Benali »). Unmatched when none does:
    its message lists the référent(e)s known."""
    known = sorted(set(names), key=normalise)
    wanted = normalise(typed)
    same = [name for name in known if normalise(name) == wanted]
    holding = [name for name in known if wanted and wanted in normalise(name)]
    if same or holding:
        return same or holding
    close = suggestions(typed, [Choice(name) for name in known])
    listing = ", ".join(known) if known else "aucun(e) dans les dossiers"
    raise Unmatched("référent(e)", tidy(typed), close, unknown="inconnu(e)",
                    extra=f"connu(e)s : {listing}")  # fmt: skip


# ---------------------------------------------------------------------------- closed lists


def problem_domain(typed: str, lists: Lists) -> str:
    """A problem domain (`santé`, « Accès aux droits » → `acces-aux-droits`)."""
    choices = _coded(PROBLEM_DOMAIN_LABELS, lists.problem_domains, by_label=True)
    return match(typed, choices, "problématique", unknown="inconnue").value


def typology(typed: str, lists: Lists) -> str:
    """A household typology of `listes.typologies` (« Personne seule » → `personne-seule`)."""
    choices = _coded(TYPOLOGY_LABELS, lists.typologies, by_label=True)
    return match(typed, choices, "typologie", unknown="inconnue").value


def priority(typed: str) -> str:
    """A priority public of the call, or `aucun` (`DALO` → `dalo`)."""
    choices = _coded(PRIORITY_LABELS, PRIORITY_LABELS, by_label=True)
    return match(typed, choices, "public prioritaire", unknown="inconnu").value


def housing(typed: str) -> str:
    """A dwelling's type (`t4` → `T4`, « T6 ou plus » → `T6+`)."""
    choices = _coded(HOUSING_LABELS, HOUSING_LABELS)
    return match(typed, choices, "type de logement", unknown="inconnu").value


def measure(typed: str, lists: Lists) -> str:
    """A measure of droit commun (`asll` → `ASLL`)."""
    choices = [Choice(name) for name in lists.measures]
    return match(typed, choices, "mesure", unknown="inconnue").value


def closure_outcome(typed: str, lists: Lists) -> str:
    """An outcome at closure (`maintien dans le logement`)."""
    choices = [Choice(name) for name in lists.outcomes]
    return match(typed, choices, "issue", unknown="inconnue").value


def event_kind(typed: str, kinds: Sequence[str]) -> str:
    """An event kind (`téléphone`, « appel téléphonique » → `telephone`)."""
    return match(typed, _coded(EVENT_LABELS, kinds), "type d'événement", unknown="inconnu").value


def appointment_kind(typed: str, kinds: Sequence[str]) -> str:
    """An appointment's kind (`rdv --kind`: « visite à domicile » → `visite`)."""
    choices = _coded(APPOINTMENT_LABELS, kinds)
    return match(typed, choices, "type de rendez-vous", unknown="inconnu").value


def objective_status(typed: str, statuses: Sequence[str]) -> str:
    """An objective's status (`objective set --status`), by its code or its label."""
    choices = _coded(OBJECTIVE_STATUS_LABELS, statuses, by_label=True)
    return match(typed, choices, "statut", unknown="inconnu").value


def context(typed: str) -> Context:
    """The referral's context (`entrée`, « en cours de location » → `en-cours`)."""
    choices = _coded(CONTEXT_LABELS, [c.value for c in Context])
    return Context(match(typed, choices, "contexte", unknown="inconnu").value)


def mode(typed: str) -> str:
    """How the adhesion was obtained (`tripartite`, « courrier du bailleur » → `courrier`)."""
    return match(typed, _coded(MODE_LABELS, MODE_LABELS), "mode", unknown="inconnu").value


def orientation(typed: str) -> Outcome:
    """One of the four orientations (« droit commun », `DC` → `droit-commun`)."""
    aliases: dict[str, list[str]] = {}
    for alias, target in ORIENTATION_ALIASES.items():
        aliases.setdefault(target, []).append(alias)
    choices = [Choice(o.value, (OUTCOME_LABELS[o], *aliases.get(o.value, ()))) for o in Outcome]
    return Outcome(match(typed, choices, "orientation", unknown="inconnue").value)


def phase(typed: str) -> Phase:
    """A phase by its French name (`orientation-recue`, « clôturé »), or its code."""
    names: dict[Phase, list[str]] = {p: [p.value, PHASE_LABELS[p]] for p in Phase}
    for name, target in PHASE_NAMES.items():
        names[target].append(name)
    choices = [Choice(p.value, tuple(names[p]), PHASE_OPTION_NAMES[p]) for p in Phase]
    return Phase(match(typed, choices, "phase", unknown="inconnue").value)


def grouping(typed: str) -> str:
    """How `costs --by` groups (`mois` → `month`, « Référent » → `referent`)."""
    names: dict[str, list[str]] = {code: [label] for code, label in GROUPING_LABELS.items()}
    for name, code in GROUPING_NAMES.items():
        names[code].append(name)
    shown = {"month": "mois"}  # the French word, as the help shows it
    choices = [Choice(c, tuple(names[c]), shown.get(c, c)) for c in GROUPING_LABELS]
    return match(typed, choices, "regroupement", unknown="inconnu").value


def document(typed: str) -> str:
    """A document's template (`avis-bailleur`, « avis au bailleur » is a near miss)."""
    choices = _coded(DOCUMENT_LABELS, DOCUMENT_LABELS)
    return match(typed, choices, "document", unknown="inconnu").value
