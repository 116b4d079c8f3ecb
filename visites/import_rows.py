"""One row of a tableau de suivi made a case, through the workflow's own moves. Pure.

A row is read cell by cell (`read_row`): dates as cells or as text (`dates.parse_date`),
amounts as `amounts.to_amount` reads them, list values as the command line reads them
(`import_mapping.matched`). Then it becomes a case exactly as the CLI would make it
(`build`): the fiche de liaison, then `workflow.apply` for each move the row holds (adhesion
or refusal, diagnostic, orientation, closure), so every rule of the workflow and of `check`
holds. Each problem names the column it comes from; every problem of the row is listed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from visites import dates, matching
from visites.amounts import to_amount
from visites.errors import ERROR, VisitesError, first_reason
from visites.import_mapping import (
    AMOUNT,
    BY_CODE,
    CHOICE,
    CHOICES,
    CONSENT,
    DATE,
    NOTES,
    OPEN_LISTS,
    Mapping,
    matched,
    split_many,
)
from visites.model import Case, Household, ImportedNote, Origin, Outcome, Referral
from visites.moves import Close, Consent, Diagnose, Move, Orient, RecordFinances, Refuse
from visites.vocabulary import IMPORT_FIELD_LABELS, OUTCOME_LABELS

if TYPE_CHECKING:
    from visites.config import Config, Lists

Problem = tuple[str | None, str]  # (field code, French message); None: the row as a whole
SAME_AS_ADHESION = "adhesion"  # « Accord d'échanges : oui »: given on the day of the adhesion
_YES = {"oui", "o", "x", "yes", "vrai"}
_NO = {"non", "n", "no", "faux"}


@dataclass(frozen=True)
class Row:
    """One row read: its values by field code (canonical), its notes, its problems."""

    number: int
    values: dict[str, Any]
    notes: tuple[tuple[str, str], ...] = ()
    problems: tuple[Problem, ...] = ()
    additions: tuple[tuple[str, str], ...] = ()  # (open list, new value) the mapping allows
    filled: frozenset[str] = field(default_factory=frozenset)  # fields with a cell of their own


def cell_text(value: object) -> str | None:
    """A cell as text (None when empty): a whole number without « .0 », a date as 31/12/2015."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime | date):
        return dates.short(value.date() if isinstance(value, datetime) else value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


REQUIRED = tuple(f.code for f in BY_CODE.values() if f.required)


def read_row(
    number: int,
    cells: Iterable[tuple[str, str, object]],
    mapping: Mapping,
    lists: Lists,
    defaults: dict[str, Any] | None = None,
) -> Row:
    """Row `number`: its `cells` as (heading, field code, value), read with `mapping`
    against the folder's `lists`; `defaults` (already read) stand in for empty cells. A
    required field whose cell is empty is a problem; one with no column at all is the
    sheet's problem, said once (`missing_columns`)."""
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    additions: list[tuple[str, str]] = []
    notes: list[tuple[str, str]] = []
    columns = set()
    for heading, code, raw in cells:
        columns.add(code)
        text = cell_text(raw)
        if text is None:
            continue
        if code == NOTES:
            try:
                notes.append((heading, _plain(text)))
            except ValueError as error:
                problems.append((f"{NOTES}:{heading}", str(error)))
            continue
        try:
            values[code], added = read_cell(code, raw, lists, mapping)
        except ValueError as error:  # DateProblem, Unmatched, an amount
            problems.append((code, _reason(code, error)))
            continue
        additions += added
    filled = frozenset(values) | {code for code, _ in problems}
    for code, value in (defaults or {}).items():
        values.setdefault(code, value)
    for code in REQUIRED:
        if code not in values and code in columns and code not in filled:
            problems.append((code, f"cellule vide : {IMPORT_FIELD_LABELS[code]} obligatoire"))
    return Row(number, values, tuple(notes), tuple(problems), tuple(additions), filled)


def missing_columns(columns: Iterable[str], defaults: dict[str, Any]) -> list[str]:
    """The required fields with neither a column nor a default."""
    present = set(columns) | set(defaults)
    return [code for code in REQUIRED if code not in present]


def read_cell(code: str, raw: object, lists: Lists, mapping: Mapping) -> tuple[Any, list]:
    """One cell of field `code`: its value, and the new open-list values it brings."""
    kind = BY_CODE[code].kind
    if kind == DATE:
        return _date(raw), []
    if kind == AMOUNT:
        return to_amount(raw.strip() if isinstance(raw, str) else raw), []
    text = cell_text(raw)
    assert text is not None
    if kind == CONSENT:
        return _consent(raw, text), []
    if kind == CHOICE:
        found = matched(code, text, lists, mapping)
        return found.value, [(OPEN_LISTS[code], found.value)] if found.is_new else []
    if kind == CHOICES:
        return tuple(dict.fromkeys(matched(code, t, lists, mapping).value
                                   for t in split_many(text))), []  # fmt: skip
    if code == "telephone" and isinstance(raw, int | float) and len(text) == 9:
        text = "0" + text  # a phone number typed in a number cell lost its leading zero
    return _plain(text), []


def _date(raw: object) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, str):
        try:
            return dates.parse_date(raw)
        except dates.DateProblem as problem:
            raise ValueError(f"{problem}{_month_first(raw)}") from None
    raise ValueError(f"date attendue (JJ/MM/AAAA), pas le nombre {cell_text(raw)}")


def _month_first(text: str) -> str:
    """A hint when a date reads right with day and month swapped (01/20/2015): the sheet was
    saved with month-first dates (an English-language spreadsheet or csv export)."""
    if dates.month_first(text) is None:
        return ""
    return (" ; mois et jour inversés ? (dates au format anglais MM/JJ/AAAA : réglez la langue "
            "du tableur sur le français et enregistrez à nouveau)")  # fmt: skip


def _consent(raw: object, text: str) -> date | str | None:
    word = matching.normalise(text)
    if word in _YES:
        return SAME_AS_ADHESION
    if word in _NO:
        return None
    return _date(raw)


def _plain(text: str) -> str:
    if any(ord(char) < 32 and char not in "\n\t" for char in text):
        raise ValueError("caractère de contrôle interdit dans le texte")
    if len(text) > 20_000:
        raise ValueError("texte trop long (plus de 20 000 caractères)")
    return text


def _reason(code: str, error: ValueError) -> str:
    if isinstance(error, matching.Unmatched) and code in OPEN_LISTS:
        key = OPEN_LISTS[code]
        return error.message(f"ajoutez-la à listes.{key} de visites.yaml, ou à "
                             f"nouvelles_valeurs: {key} de la correspondance")  # fmt: skip
    if isinstance(error, matching.Unmatched):
        return f"{error} (ou dites ce qu'elle veut dire dans la correspondance : valeurs: {code})"
    return str(error)


def read_defaults(mapping: Mapping, lists: Lists) -> tuple[dict[str, Any], list[str]]:
    """The mapping's defaults (`par_defaut`), read as cells; the problems (French)."""
    found, problems = {}, []
    for code, typed in mapping.defaults.items():
        try:
            found[code], _ = read_cell(code, typed, lists, mapping)
        except ValueError as error:
            problems.append(f"par_defaut de {code} : {_reason(code, error)}")
    return found, problems


# ---------------------------------------------------------------------------- the case


def identities_of(row: Row) -> list[str]:
    """Who the row is (see `origins.identities`), from the cells that say it."""
    from visites.origins import identities

    day = row.values.get("date_orientation")
    return identities(row.values.get("reference_bailleur"), row.values.get("nom"),
                      day if isinstance(day, date) else None)  # fmt: skip


def build(
    row: Row, case_id: str, origin: Origin | None, config: Config, today: date
) -> tuple[Case | None, list[Problem]]:
    """The case row `row` makes, as `case_id`, or the problems that stop it."""
    from visites.checks import validate_case
    from visites.workflow import apply

    v = row.values
    referral_fields = {"date": "date_orientation", "context": "contexte",
                       "referrer": "prescripteur", "landlord_ref": "reference_bailleur",
                       "reason": "motif", "deadline": "date_butoir"}  # fmt: skip
    household_fields = {"name": "nom", "commune": "commune", "address": "adresse",
                        "phone": "telephone"}  # fmt: skip
    sections = []
    for model, wanted in ((Referral, referral_fields), (Household, household_fields)):
        try:
            sections.append(model(**{name: v.get(code) for name, code in wanted.items()
                                     if code in v}))  # fmt: skip
        except ValueError as error:
            loc = getattr(error, "errors", lambda **_: [{"loc": ()}])(include_url=False)[0]["loc"]
            return None, [(wanted.get(str(loc[0]) if loc else "", None), first_reason(error))]
    case = Case(id=case_id, referral=sections[0], household=sections[1],
                referent=v.get("referent"), origin=origin)  # fmt: skip
    if case.referral.date > today:
        return None, [("date_orientation", f"le {dates.short(case.referral.date)} est dans le "
                                           "futur")]  # fmt: skip
    refused = [f for f in validate_case(case, config) if f.severity == ERROR]
    if refused:
        return None, [(_code_at(refused[0].loc), refused[0].hint or refused[0].message)]
    steps, problems = moves(row)
    if problems:
        return None, problems
    for move, code in steps:
        try:
            case = apply(case, move, config, today)
        except VisitesError as error:
            where = _where(case, move, config, today) or code
            return None, [(where, _without_case(str(error), case_id))]
    return case, []


def moves(row: Row) -> tuple[list[tuple[Move, str]], list[Problem]]:
    """The workflow moves a row holds, each with the field it is read from, in the order of
    the workflow; or the problems of values no move can take."""
    v = row.values
    steps: list[tuple[Move, str]] = []
    problems: list[Problem] = []
    if (arrears := v.get("dette")) is not None:
        steps.append((RecordFinances(date=v["date_orientation"], arrears=Decimal(arrears)),
                      "dette"))  # fmt: skip
    adhesion, refusal = v.get("date_adhesion"), v.get("date_refus")
    if adhesion is not None:
        shared = v.get("accord_echanges")
        steps.append(
            (
                Consent(
                    adhesion,
                    v.get("mode", "tripartite"),
                    adhesion if shared == SAME_AS_ADHESION else shared,
                ),
                "date_adhesion",
            )
        )
    if refusal is not None:
        steps.append((Refuse(refusal, v.get("motif_refus")), "date_refus"))
    if v.get("problematiques"):
        steps.append((Diagnose(problems=tuple(v["problematiques"])), "problematiques"))
    orientation, end, outcome = v.get("orientation"), v.get("date_cloture"), v.get("issue")
    if orientation is not None:
        to = Outcome(orientation)
        closing = to is not Outcome.ACCOMPAGNEMENT
        when, code = v.get("date_decision"), "date_decision"
        if when is None and closing and end is not None:
            when, code = end, "date_cloture"  # the case ended with that orientation
        if when is None:
            problems.append(("orientation", "date de l'orientation décidée manquante : ajoutez "
                             "une colonne « Date de décision »" + (
                                 " (ou « Date de fin » pour une orientation qui clôt le dossier)"
                                 if closing else "")))  # fmt: skip
        elif closing and end is not None and end != when:
            problems.append(("date_cloture", f"l'orientation « {OUTCOME_LABELS[to]} » clôt le "
                             f"dossier le jour où elle est décidée ({dates.short(when)}), pas le "
                             f"{dates.short(end)}"))  # fmt: skip
        else:
            steps.append((Orient(when, to, v.get("mesure"),
                                 outcome=outcome if closing else None), code))  # fmt: skip
            if not closing and end is not None:
                steps.append((Close(end, outcome), "date_cloture"))
    elif end is not None and not (refusal is not None and end == refusal and outcome is None):
        steps.append((Close(end, outcome), "date_cloture"))
    problems += _unused(v, orientation, adhesion, refusal, end)
    return steps, problems


def _unused(v: dict[str, Any], orientation: Any, adhesion: Any, refusal: Any,
            end: Any) -> list[Problem]:  # fmt: skip
    """The values no move would take: never dropped silently."""
    found = []
    orphans = (
        ("mesure", orientation is None, "mesure sans orientation décidée (colonne Orientation)"),
        ("date_decision", orientation is None, "date de décision sans orientation décidée"),
        ("motif_refus", refusal is None, "motif de refus sans date de refus"),
        ("mode", adhesion is None, "mode d'adhésion sans date d'adhésion"),
        ("accord_echanges", adhesion is None and v.get("accord_echanges") is not None,
         "accord d'échanges sans date d'adhésion"),
        ("issue", end is None and (orientation is None or orientation == "accompagnement"),
         "issue sans date de clôture"),
    )  # fmt: skip
    for code, alone, message in orphans:
        if code in v and alone and v[code] is not None:
            found.append((code, message))
    return found


# Where a finding of `check` is in the file → the field of the import it comes from.
_AT: dict[tuple[str, ...], str] = {
    ("orientation_recue", "date"): "date_orientation",
    ("orientation_recue", "date_butoir"): "date_butoir",
    ("orientation_recue", "contexte"): "contexte",
    ("orientation_recue", "prescripteur"): "prescripteur",
    ("menage", "commune"): "commune",
    ("menage", "nom"): "nom",
    ("referent",): "referent",
    ("adhesion", "mode"): "mode",
    ("adhesion", "accord_echanges_bailleur"): "accord_echanges",
    ("adhesion",): "date_adhesion",
    ("refus",): "date_refus",
    ("diagnostic",): "problematiques",
    ("orientation", "mesure"): "mesure",
    ("orientation", "vers"): "orientation",
    ("orientation",): "date_decision",
    ("accompagnement",): "date_decision",
    ("cloture", "issue"): "issue",
    ("cloture",): "date_cloture",
    ("finances",): "dette",
}


def _code_at(loc: Sequence[str | int]) -> str | None:
    keys = tuple(str(step) for step in loc if isinstance(step, str))
    return _AT.get(keys[:2]) or _AT.get(keys[:1])


def _where(case: Case, move: Move, config: Config, today: date) -> str | None:
    """The field behind the rule a refused move breaks (a measure out of the list is the
    Mesure column's, not the orientation's), when `check`'s finding says where."""
    from visites.checks import validate_case
    from visites.transitions import transition

    try:
        moved = transition(case, move, today)
    except VisitesError:
        return None
    before = set(validate_case(case, config))
    for found in validate_case(moved, config):
        if found.severity == ERROR and found not in before:
            return _code_at(found.loc)
    return None


# The options a workflow message names, in the words of a sheet.
_OPTIONS = {"--measure": "une mesure (colonne Mesure)", "--outcome": "une issue (colonne Issue)"}


def _without_case(message: str, case_id: str) -> str:
    """A workflow message without its « dossier 2015-003 : » (the row is named instead), and
    in the words of a sheet rather than of the command line."""
    text = message.removeprefix(f"dossier {case_id} : ")
    for option, words in _OPTIONS.items():
        text = text.replace(f"demande {option}", f"demande {words}")
        text = text.replace(f"{option} ne va", f"{words.split(' (')[0].capitalize()} ne va")
    return text


def origin_of(source: str, sheet: str | None, row: Row) -> Origin:
    notes = tuple(ImportedNote(column=column, text=text) for column, text in row.notes)
    return Origin(file=source, sheet=sheet, row=row.number, notes=notes)
