"""How the columns of a tableau de suivi fill a case (`visites import`). Pure.

- `FIELDS`: what an import can fill, with the headings people give each column (« Date
  d'orientation », « Date de la fiche », « Réf. bailleur »…), recognised whatever their case,
  accents, spaces and punctuation (`matching.normalise`).
- `Mapping`: column → field, and cell value → code for the list fields (« Accomp. perso » →
  `accompagnement`), the new values of the open lists to add, the defaults. Guessed from a
  sheet (`guess`), read from the user's YAML file (`from_document`), written back as a
  commented file (`import_mapping_text.render`) for the user to correct.
- `matched`: one cell of a list field read as the command line reads an option (the
  functions of `matching`), the mapping's own values first.

A list value is never corrected silently: a value the lists do not hold, even a near miss,
is refused with « Vouliez-vous dire … ? », and the mapping file is where the person says what
it means. Only the mapping written by `--write-mapping` guesses abbreviations, marked « à
vérifier ».
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from collections.abc import Mapping as Table
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from visites import matching
from visites.matching import Choice, normalise
from visites.phases import Context, Outcome
from visites.vocabulary import (
    CONTEXT_LABELS,
    IMPORT_FIELD_LABELS,
    MODE_LABELS,
    ORIENTATION_ALIASES,
    OUTCOME_LABELS,
    PROBLEM_DOMAIN_LABELS,
)

if TYPE_CHECKING:
    from visites.config import Lists

# What a column holds.
TEXT, DATE, AMOUNT, CONSENT = "text", "date", "amount", "consent"
CHOICE, CHOICES = "choice", "choices"  # one value of a list, or several
NOTES, IGNORE = "notes", "ignorer"  # a column's cells go to the notes, or nowhere


@dataclass(frozen=True)
class Field:
    """One thing an import fills: its code (the mapping's word), what its cells hold, the
    headings it is known by."""

    code: str
    kind: str
    headings: tuple[str, ...]
    required: bool = False  # a case cannot be made without it (a default may stand in)

    @property
    def label(self) -> str:
        return IMPORT_FIELD_LABELS[self.code]


FIELDS: tuple[Field, ...] = (
    Field("nom", TEXT, ("Nom", "Ménage", "Nom du ménage", "Locataire", "Nom du locataire",
                        "Nom prénom", "Nom et prénom", "Titulaire du bail", "Famille"), True),
    Field("adresse", TEXT, ("Adresse", "Adresse du logement", "Adresse du locataire")),
    Field("commune", CHOICE, ("Commune", "Ville", "Localité", "Commune du logement"), True),
    Field("telephone", TEXT, ("Téléphone", "Tél.", "Tel", "N° de téléphone", "Portable")),
    Field("reference_bailleur", TEXT, (
        "Réf. bailleur", "Référence bailleur", "Référence chez le bailleur", "Référence",
        "Réf.", "N° de bail", "Numéro de bail", "Référence du bail", "Réf. bail",
        "N° locataire", "Numéro de locataire", "Réf. locataire", "Code locataire")),
    Field("date_orientation", DATE, (
        "Date d'orientation", "Date de la fiche", "Date fiche", "Date de la fiche de liaison",
        "Date de l'orientation", "Date orientation", "Date de l'orientation reçue",
        "Orientation reçue le", "Date de réception", "Date de la demande", "Date d'envoi"),
        True),
    Field("contexte", CHOICE, ("Contexte", "Contexte de l'orientation", "Type d'orientation",
                               "Entrée / en cours"), True),
    Field("prescripteur", TEXT, ("Prescripteur", "Prescriptrice", "Orienté par", "Orientée par",
                                 "Chargé de clientèle", "Chargée de clientèle",
                                 "Chargé(e) de clientèle", "Conseillère sociale",
                                 "Gestionnaire", "Demandeur"), True),
    Field("motif", TEXT, ("Motif", "Motif de l'orientation", "Motif de la demande",
                          "Raison de l'orientation", "Difficulté repérée")),
    Field("date_butoir", DATE, ("Date butoir", "Date limite", "Échéance bailleur",
                                "Date de CAL", "Date de la commission")),
    Field("referent", CHOICE, ("Référent", "Référente", "Référent(e)", "Référent·e",
                               "Référent association", "Travailleur social",
                               "Travailleuse sociale", "Intervenant", "Intervenante",
                               "Suivi par")),
    Field("date_adhesion", DATE, ("Date d'adhésion", "Adhésion", "Date adhésion", "Adhésion le",
                                  "Date de l'adhésion", "Accord du ménage")),
    Field("mode", CHOICE, ("Mode", "Mode d'adhésion", "Mode de l'adhésion", "Premier contact")),
    Field("accord_echanges", CONSENT, ("Accord d'échanges", "Accord échanges",
                                       "Accord échanges bailleur", "Accord pour les échanges",
                                       "Accord d'échanges avec le bailleur")),
    Field("date_refus", DATE, ("Refus", "Date de refus", "Date du refus", "Refus le")),
    Field("motif_refus", TEXT, ("Motif du refus", "Motif de refus", "Raison du refus")),
    Field("problematiques", CHOICES, ("Problématiques", "Problématique", "Problèmes",
                                      "Difficultés", "Domaines")),
    Field("orientation", CHOICE, ("Orientation", "Orientation décidée", "Préconisation",
                                  "Suite donnée", "Décision", "Suite du diagnostic")),
    Field("date_decision", DATE, (
        "Date de décision", "Date décision", "Date de la décision", "Date orientation décidée",
        "Date de l'orientation décidée", "Fin du diagnostic", "Date fin diagnostic",
        "Date de fin du diagnostic", "Date de fin de diagnostic", "Date de préconisation")),
    Field("mesure", CHOICE, ("Mesure", "Mesure de droit commun", "Mesures", "Mesure proposée")),
    Field("date_cloture", DATE, ("Date de fin", "Clôture", "Date de clôture", "Clôturé le",
                                 "Fin", "Fin de l'accompagnement", "Date de sortie", "Sortie")),
    Field("issue", CHOICE, ("Issue", "Issue à la clôture", "Résultat", "Motif de sortie",
                            "Motif de fin", "Motif de clôture")),
    Field("dette", AMOUNT, ("Dette", "Dette locative", "Impayés", "Montant de la dette",
                            "Dette à l'orientation", "Montant impayé", "Montant des impayés")),
    Field(NOTES, TEXT, ("Observations", "Commentaires", "Commentaire", "Remarques", "Notes",
                        "Observation")),
)  # fmt: skip
BY_CODE: dict[str, Field] = {f.code: f for f in FIELDS}
# The list fields whose values a mapping may translate (`valeurs:`), and the open lists.
LIST_FIELDS = tuple(f.code for f in FIELDS if f.kind in (CHOICE, CHOICES))
OPEN_LISTS = {"commune": "communes", "referent": "referents"}
# Fields whose every value the written mapping lists, even an exact one: the ones a person
# reviews (the issue's « value → code for orientations, contexts and outcomes »).
REVIEWED = ("contexte", "orientation", "issue", "mode", "mesure")
_HEADINGS: dict[str, str] = {normalise(h): f.code for f in FIELDS for h in (f.code, *f.headings)}
_LONG_ENOUGH = 6  # a known heading this long, inside an unknown one, makes it a near miss


def recognised(heading: str) -> str | None:
    """The field a heading names (« DATE D'ORIENTATION », « date de la fiche »), or None."""
    return _HEADINGS.get(normalise(heading))


def heading_suggestions(heading: str) -> list[str]:
    """The usual headings an unrecognised one is close to (« Date d'adhésion du ménage » →
    « Date d'adhésion »): difflib's, then those it contains."""
    choices = [Choice(h) for f in FIELDS for h in f.headings]
    close = matching.suggestions(heading, choices)
    wanted = normalise(heading)
    inside = [
        c.value
        for c in choices
        if len(normalise(c.value)) >= _LONG_ENOUGH and normalise(c.value) in wanted
    ]
    return list(dict.fromkeys([*close, *sorted(inside, key=len, reverse=True)]))[:3]


def field_code(typed: str) -> str:
    """The field a mapping names (`date_adhesion`, « date d'adhésion du ménage », `notes`,
    `ignorer`), or Unmatched."""
    choices = [Choice(f.code, (f.label,)) for f in FIELDS] + [Choice(IGNORE, ("ignore",))]
    return matching.match(typed, choices, "champ", unknown="inconnu").value


# ---------------------------------------------------------------------------- the mapping


@dataclass(frozen=True)
class Mapping:
    """What the user's mapping file says (or what `guess` found)."""

    columns: dict[str, str] = field(default_factory=dict)  # heading → field code | IGNORE
    # field code → (value as typed in the sheet, code or None: still to decide)
    values: dict[str, tuple[tuple[str, str | None], ...]] = field(default_factory=dict)
    new_values: dict[str, tuple[str, ...]] = field(default_factory=dict)  # communes, referents
    defaults: dict[str, str] = field(default_factory=dict)  # field code → value as typed

    def value_for(self, code: str, typed: str) -> str | None:
        """The code the mapping gives to `typed` in field `code` (case, accents aside)."""
        wanted = normalise(typed)
        return next((v for k, v in self.values.get(code, ()) if normalise(k) == wanted), None)

    def column_field(self, heading: str) -> str | None:
        """The field the mapping gives to a column, by its heading (case, accents aside)."""
        wanted = normalise(heading)
        return next((v for k, v in self.columns.items() if normalise(k) == wanted), None)

    def is_new(self, code: str, typed: str) -> bool:
        """Whether the mapping lists `typed` as a value to add to its open list."""
        listed = self.new_values.get(OPEN_LISTS.get(code, ""), ())
        return normalise(typed) in {normalise(value) for value in listed}


def matched(code: str, typed: str, lists: Lists, mapping: Mapping) -> matching.Matched:
    """One cell of list field `code`, as the command line reads the same option: the
    mapping's translation first (« Accomp. perso » → `accompagnement`), then the list itself.
    Unmatched (or ValueError) when it names nothing."""
    given = mapping.value_for(code, typed)
    text = given if given is not None else typed
    new = mapping.is_new(code, text)
    if code == "commune":
        return matching.commune(text, lists, new=new)
    if code == "referent":
        return matching.referent(text, lists, new=new)
    readers = {
        "contexte": lambda t: matching.context(t).value,
        "orientation": lambda t: matching.orientation(t).value,
        "mode": matching.mode,
        "mesure": lambda t: matching.measure(t, lists),
        "issue": lambda t: matching.closure_outcome(t, lists),
        "problematiques": lambda t: matching.problem_domain(t, lists),
    }
    return matching.Matched(readers[code](text))


def choices(code: str, lists: Lists) -> list[Choice]:
    """The values of list field `code` and the names each may be written as."""
    aliases: dict[str, list[str]] = {}
    for alias, target in ORIENTATION_ALIASES.items():
        aliases.setdefault(target, []).append(alias)
    tables: dict[str, Any] = {
        "contexte": [Choice(c.value, (CONTEXT_LABELS[c],)) for c in Context],
        "orientation": [Choice(o.value, (OUTCOME_LABELS[o], *aliases.get(o.value, ())))
                        for o in Outcome],
        "mode": [Choice(code, (label,)) for code, label in MODE_LABELS.items()],
        "mesure": [Choice(name) for name in lists.measures],
        "issue": [Choice(name) for name in lists.outcomes],
        "problematiques": [Choice(code, (PROBLEM_DOMAIN_LABELS[code],)
                                  if code in PROBLEM_DOMAIN_LABELS else ())
                           for code in lists.problem_domains],
        "commune": [Choice(name) for name in lists.communes],
        "referent": [Choice(name) for name in lists.referent_names(active=True)],
    }  # fmt: skip
    return tables[code]


_WORD = re.compile(r"[^\w]+")


def _words(text: str) -> list[str]:
    return [normalise(word) for word in _WORD.split(text) if normalise(word)]


def abbreviation(typed: str, among: Sequence[Choice]) -> str | None:
    """The one value `typed` abbreviates, word by word and in order (« Accomp. perso » →
    accompagnement personnalisé, « Remob. » → remobilisation, « S/suite » → sans suite), or
    None when none or several do. Only for the mapping `--write-mapping` proposes."""
    short = _words(typed)
    if not short:
        return None
    found = set()
    for choice in among:
        for name in (choice.value, *choice.names):
            if _abbreviates(short, _words(name)):
                found.add(choice.value)
    return found.pop() if len(found) == 1 else None


def _abbreviates(short: list[str], full: list[str]) -> bool:
    if not full or not full[0].startswith(short[0]):
        return False
    position = 1
    for word in short[1:]:
        while position < len(full) and not full[position].startswith(word):
            position += 1
        if position == len(full):
            return False
        position += 1
    return True


# ---------------------------------------------------------------------------- the guess


@dataclass(frozen=True)
class Guessed:
    """A value of a list field as `guess` read it: its code, and how sure (`exact`, `close`:
    to check, `unknown`: to decide), with the values it may be."""

    typed: str
    code: str | None
    how: str
    hint: str = ""


@dataclass(frozen=True)
class Guess:
    """The mapping guessed from a sheet, and what the person must look at."""

    mapping: Mapping
    headings: dict[str, str]  # heading → how it was recognised: exact, close, unknown, twice
    values: dict[str, tuple[Guessed, ...]]  # field code → each distinct value read
    new_values: dict[str, tuple[str, ...]]  # open list → values out of it: to add, or not


def guess(
    headings: Sequence[str],
    cells: Table[str, Iterable[str]],
    lists: Lists,
    base: Mapping | None = None,
) -> Guess:
    """The mapping of a sheet whose header row is `headings` and whose text cells are
    `cells` (heading → the cells of its column), starting from `base` (the user's mapping)."""
    base = base or Mapping()
    columns: dict[str, str] = {}
    how: dict[str, str] = {}
    taken: set[str] = set()
    for heading in headings:
        given = base.column_field(heading)
        code, state = (given, "given") if given else (recognised(heading), "exact")
        if code is None:  # a near miss is the field of the closest heading, to check
            close = heading_suggestions(heading)
            code, state = (recognised(close[0]), "close") if close else (IGNORE, "unknown")
        if code != IGNORE and code in taken and code != NOTES:
            code, state = IGNORE, "twice"
        taken.add(code)
        columns[heading], how[heading] = code, state
    values: dict[str, tuple[Guessed, ...]] = {}
    new_values: dict[str, list[str]] = {key: [] for key in OPEN_LISTS.values()}
    for heading, code in columns.items():
        if code not in LIST_FIELDS:
            continue
        found = [_guessed(code, typed, lists, base)
                 for typed in _distinct(cells.get(heading, ()), code)]  # fmt: skip
        for g in found:
            if g.how == "new" and not base.is_new(code, g.typed):
                new_values[OPEN_LISTS[code]].append(g.typed)
        kept = [g for g in found if g.how not in ("new", "exact") or code in REVIEWED]
        values[code] = (*values.get(code, ()), *kept)
    mapping = Mapping(
        columns=columns,
        values={code: tuple((g.typed, g.code) for g in found)
                for code, found in values.items() if found},
        new_values=dict(base.new_values),
        defaults=dict(base.defaults),
    )  # fmt: skip
    # Out of an open list with no neighbour: listed for the person to add, never added here.
    return Guess(mapping, how, values, {k: tuple(v) for k, v in new_values.items()})


def _distinct(cells: Iterable[str], code: str) -> list[str]:
    found: dict[str, str] = {}
    for cell in cells:
        items = split_many(cell) if code == "problematiques" else [cell.strip()]
        for item in items:
            if item:
                found.setdefault(normalise(item), matching.tidy(item))
    return sorted(found.values(), key=normalise)


def split_many(cell: str) -> list[str]:
    """The values of a cell that holds several (`Budget / impayés, santé ; emploi`): split
    at commas, semicolons and line breaks (a slash belongs to « Budget / impayés »)."""
    return [part.strip() for part in re.split(r"[,;\n]+", cell) if part.strip()]


def _guessed(code: str, typed: str, lists: Lists, base: Mapping) -> Guessed:
    among = choices(code, lists)
    given = base.value_for(code, typed)
    if given is not None:
        return Guessed(typed, given, "given")
    try:
        found = matched(code, typed, lists, Mapping())
        return Guessed(typed, found.value, "exact")
    except ValueError:
        pass
    short = abbreviation(typed, among)
    if short is not None:
        return Guessed(typed, short, "close")
    close = matching.suggestions(typed, among)
    if len(close) == 1:
        return Guessed(typed, _value_of(close[0], among), "close")
    if code in OPEN_LISTS and not close:
        return Guessed(typed, None, "new")
    allowed = [c.value for c in among]
    hint = f"Vouliez-vous dire {matching.either(close)} ?" if close else (
        f"valeurs possibles : {', '.join(allowed)}")  # fmt: skip
    return Guessed(typed, None, "unknown", hint)


def _value_of(shown: str, among: Sequence[Choice]) -> str:
    return next((c.value for c in among if (c.shown or c.value) == shown), shown)
