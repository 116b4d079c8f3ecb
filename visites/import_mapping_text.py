"""The import's mapping as a file the user reads and corrects: its commented YAML text
(`render`, for `visites import --write-mapping`), and the mapping a YAML tree of that file
says (`from_document`, for `--mapping`), with the place and the French reason of each thing
it cannot read. Pure: text and trees, no files.

The file, in French like every file a person edits:

    colonnes:                      # each column → the field it fills (or notes, ignorer)
      "Date de la fiche": date_orientation
    valeurs:                       # each value of a list column → the code stored
      orientation:
        "Accomp. perso": accompagnement
    nouvelles_valeurs:             # new values of the open lists, added to visites.yaml
      communes: ["Bouaye"]
    par_defaut:                    # a field's value when its column or cell is empty
      contexte: en-cours
"""

from __future__ import annotations

import json
import re
from typing import Any

from visites import matching
from visites.import_mapping import (
    BY_CODE,
    FIELDS,
    IGNORE,
    LIST_FIELDS,
    NOTES,
    OPEN_LISTS,
    Guess,
    Mapping,
    field_code,
    heading_suggestions,
)
from visites.vocabulary import IMPORT_FIELD_LABELS

SECTIONS = ("colonnes", "valeurs", "nouvelles_valeurs", "par_defaut")
Where = tuple[str | int, ...]  # a key path in the file, for its line number


def quoted(text: str) -> str:
    """A YAML scalar that reads back as `text` exactly (a double-quoted JSON string is one)."""
    return json.dumps(text, ensure_ascii=False)


def _code(text: str) -> str:
    return text if re.fullmatch(r"[a-z][a-z0-9-]*", text) else quoted(text)


def render(guess: Guess, source: str, sheet: str | None) -> str:
    """The commented mapping file of `guess`, for the sheet `sheet` of `source`."""
    where = f"{source}, feuille « {sheet} »" if sheet else source
    lines = [
        f"# Correspondance pour « visites import » : le tableau {where}.",
        "# Relisez-la et corrigez-la, puis : visites import FICHIER --mapping CE-FICHIER",
        "# « à vérifier » : une supposition ; « à décider » : une réponse attendue (~ : rien).",
        "",
        "# Chaque colonne du tableau → le champ du dossier qu'elle remplit :",
    ]
    lines += [f"#   {f.code} : {f.label}" for f in FIELDS]
    lines += [f"#   {IGNORE} : {IMPORT_FIELD_LABELS[IGNORE]}", "colonnes:"]
    width = max((len(quoted(h)) for h in guess.mapping.columns), default=0) + 2
    for heading, code in guess.mapping.columns.items():
        entry = f"  {quoted(heading) + ':':<{width}} {code}"
        lines.append(_with_note(entry, _heading_note(heading, code, guess.headings[heading])))
    lines += [
        "",
        "# Chaque valeur lue dans une colonne de liste → la valeur que visites enregistre",
        "# (majuscules, accents et espaces ne comptent pas).",
    ]
    if guess.values and any(guess.values.values()):
        lines.append("valeurs:")
        for code, found in guess.values.items():
            if not found:
                continue
            lines.append(f"  {code}:")
            for item in found:
                target = "~" if item.code is None else _code(item.code)
                note = {"close": "à vérifier", "unknown": f"à décider : {item.hint}"}.get(item.how)
                lines.append(_with_note(f"    {quoted(item.typed)}: {target}", note))
    else:
        lines.append("valeurs: {}")
    lines += [
        "",
        "# Nouvelles valeurs des listes ouvertes, ajoutées à visites.yaml par l'import (dans",
        "# le même enregistrement git). Une commune ou un·e référent(e) hors liste, absent(e)",
        "# d'ici, est refusé(e).",
        "nouvelles_valeurs:",
    ]
    for key in OPEN_LISTS.values():
        present = guess.mapping.new_values.get(key, ())
        entry = f"  {key}: [{', '.join(quoted(v) for v in present)}]"
        outside = guess.new_values.get(key, ())
        note = None
        if outside:
            shown = ", ".join(quoted(v) for v in outside)
            note = f"à décider : hors liste dans ce tableau : {shown}"
        lines.append(_with_note(entry, note))
    lines += [
        "",
        "# La valeur d'un champ quand sa colonne manque ou qu'une cellule est vide, par exemple",
        "#   contexte: en-cours",
        "#   prescripteur: La Nantaise d'Habitations",
    ]
    if guess.mapping.defaults:
        lines.append("par_defaut:")
        lines += [f"  {code}: {quoted(value)}" for code, value in guess.mapping.defaults.items()]
    else:
        lines.append("par_defaut: {}")
    return "\n".join(lines) + "\n"


def _with_note(entry: str, note: str | None) -> str:
    return f"{entry:<44} # {note}" if note else entry


def _heading_note(heading: str, code: str, how: str) -> str | None:
    if how == "close":
        return f"à vérifier : en-tête proche de {matching.either(heading_suggestions(heading))}"
    if how == "unknown":
        return f"à décider : colonne non reconnue ({NOTES} pour garder ses cellules)"
    if how == "twice":
        return "à décider : un autre en-tête remplit déjà ce champ"
    if code not in (NOTES, IGNORE):
        return BY_CODE[code].label
    return IMPORT_FIELD_LABELS[code]  # a heading known for the notes (« Observations »)


# ---------------------------------------------------------------------------- reading it back


def from_document(document: Any) -> tuple[Mapping, list[tuple[Where, str]]]:
    """The mapping a YAML tree says, and each problem with its key path (French)."""
    problems: list[tuple[Where, str]] = []
    if document is None:
        return Mapping(), []
    if not isinstance(document, dict):
        return Mapping(), [((), "correspondance attendue : des sections colonnes, valeurs…")]
    for key in document:
        if key not in SECTIONS:
            close = matching.suggestions(str(key), [matching.Choice(s) for s in SECTIONS])
            hint = f" Vouliez-vous dire {matching.either(close)} ?" if close else (
                f" Sections : {', '.join(SECTIONS)}.")  # fmt: skip
            problems.append(((str(key),), f"section « {key} » inconnue.{hint}"))
    columns = _columns(_section(document, "colonnes", problems), problems)
    values = _values(_section(document, "valeurs", problems), problems)
    new_values = _new_values(_section(document, "nouvelles_valeurs", problems), problems)
    defaults = _defaults(_section(document, "par_defaut", problems), problems)
    return Mapping(columns, values, new_values, defaults), problems


def _section(document: dict, key: str, problems: list[tuple[Where, str]]) -> dict:
    value = document.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(((key,), f"{key} : des lignes « clé: valeur » attendues"))
        return {}
    return value


def _text(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    return str(value) if isinstance(value, str | int | float) else None


def _columns(section: dict, problems: list[tuple[Where, str]]) -> dict[str, str]:
    columns: dict[str, str] = {}
    for heading, typed in section.items():
        where: Where = ("colonnes", heading)
        text = _text(typed)
        if text is None:
            problems.append((where, f"colonne « {heading} » : dites le champ qu'elle remplit "
                                    f"(ou {NOTES}, ou {IGNORE})"))  # fmt: skip
            continue
        try:
            columns[str(heading)] = field_code(text)
        except ValueError as error:
            problems.append((where, f"colonne « {heading} » : {error}"))
    return columns


def _values(section: dict, problems: list[tuple[Where, str]]) -> dict[str, tuple]:
    values: dict[str, tuple] = {}
    for code, items in section.items():
        if code not in LIST_FIELDS:
            problems.append((("valeurs", code), f"valeurs : « {code} » n'est pas un champ de "
                                                f"liste ({', '.join(LIST_FIELDS)})"))  # fmt: skip
            continue
        if not isinstance(items, dict):
            problems.append(((("valeurs", code)), f"valeurs de {code} : des lignes « valeur "
                             "du tableau: valeur de visites » attendues"))  # fmt: skip
            continue
        values[code] = tuple((str(typed), _text(target)) for typed, target in items.items())
    return values


def _new_values(section: dict, problems: list[tuple[Where, str]]) -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {}
    for key, items in section.items():
        if key not in OPEN_LISTS.values():
            problems.append((("nouvelles_valeurs", key), f"nouvelles_valeurs : « {key} » n'est "
                             "pas une liste ouverte (communes, referents)"))  # fmt: skip
            continue
        items = [] if items is None else items
        texts = [_text(item) for item in items] if isinstance(items, list) else [None]
        if None in texts:
            problems.append((("nouvelles_valeurs", key), f"nouvelles_valeurs de {key} : une "
                             "liste de noms attendue, ex. [\"Bouaye\"]"))  # fmt: skip
            continue
        found[key] = tuple(matching.tidy(t) for t in texts if t)
    return found


def _defaults(section: dict, problems: list[tuple[Where, str]]) -> dict[str, str]:
    found: dict[str, str] = {}
    for code, value in section.items():
        text = _text(value)
        if code not in BY_CODE or code == NOTES:
            problems.append((("par_defaut", code), f"par_defaut : champ « {code} » inconnu"))
        elif text is None:
            problems.append((("par_defaut", code), f"par_defaut de {code} : une valeur attendue"))
        else:
            found[str(code)] = text
    return found
