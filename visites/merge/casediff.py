"""Case trees compared and merged: what changed between two versions, and the three-way merge
of two workers' versions of one case. Pure: plain YAML trees in, trees and French text out.

A tree is what `yamlio.load` returns for a case file (French keys, dates as dates). The merge
never chooses silently: the same field changed to two values is a `Conflict`, and the merged
file then carries a `conflit_visites:` section that `check` refuses until someone decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from visites.referents import NOBODY, HandoverDates, referent_on
from visites.vocabulary import (
    CONTEXT_LABELS,
    EVENT_LABELS,
    FIELD_LABELS,
    MODE_LABELS,
    OBJECTIVE_STATUS_LABELS,
    OUTCOME_LABELS,
    label,
)

CONFLICT_KEY = "conflit_visites"
# Git-style markers left by a textual merge (the fallback when a side does not parse).
MARKERS = ("<<<<<<< ", "=======", ">>>>>>> ", "||||||| ")


# Keys merged as a whole, never item by item, and why two versions of one are a conflict.
# The handovers are a dated sequence: the same case handed over on two clones is decided by
# a person, never settled by keeping both.
MERGED_WHOLE: dict[str, str] = {
    "referents": "dossier transféré sur les deux postes : gardez un seul transfert",
}


class _Missing:
    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Any = _Missing()  # a key one version does not have


@dataclass(frozen=True)
class Conflict:
    """One field both sides changed, to different values. `path` is dotted (orientation.vers)."""

    path: str
    base: Any
    ours: Any
    theirs: Any
    advice: str | None = None  # what to do, when it is not « keep the right value »

    def as_entry(self) -> dict[str, Any]:
        """The conflict as it is written in the file's `conflit_visites` section."""
        entry: dict[str, Any] = {"champ": self.path}
        if self.path in MERGED_WHOLE:
            entry["motif"] = MERGED_WHOLE[self.path]
        for key, value in (("avant", self.base), ("locale", self.ours),
                           ("distante", self.theirs)):  # fmt: skip
            entry[key] = "(absent)" if value is ABSENT or value is None else value
        if self.advice:
            entry["conseil"] = self.advice
        return entry


@dataclass(frozen=True)
class Merged:
    tree: dict[str, Any]
    conflicts: list[Conflict]


# ---------------------------------------------------------------------------- merging


def merge(base: Any, ours: Any, theirs: Any) -> Merged:
    """Three-way merge of one case: `base` is the common ancestor (None for a file both sides
    created). Changes made on one side only are taken; lists (events, members, renewals,
    problem domains) are merged item by item; the same field changed to two different values
    is a conflict, and the merged tree keeps OURS's value there until someone decides."""
    base = base if isinstance(base, dict) else {}
    if not base and different_households(ours, theirs):
        # Two workers gave the same new number to two referrals: nothing to merge field by
        # field. Keep ours, and the whole of theirs in the conflict section. (`visites sync`
        # renumbers the local one before merging; this is for a merge made by hand.)
        advice = (
            "deux ménages différents portent ce numéro : ne supprimez rien ; annulez la "
            "fusion (visites sync --abort) puis relancez visites sync, qui donne un nouveau "
            "numéro au dossier que vous n'aviez pas encore envoyé"
        )
        whole = Conflict("(dossier entier)", ABSENT, "ce fichier", theirs, advice)
        return Merged(dict(ours), [whole])
    erased = _erasure_against_change(base, ours, theirs)
    if erased is not None:
        return erased
    conflicts: list[Conflict] = []
    tree = _merge_value(base, ours, theirs, (), conflicts)
    if ANONYMISED_KEY in tree and ours.get(ANONYMISED_KEY) != theirs.get(ANONYMISED_KEY):
        # Anonymised on both sides, on two days: nothing personal is left on either side;
        # the earlier day is when the data went.
        days = [d for d in (ours.get(ANONYMISED_KEY), theirs.get(ANONYMISED_KEY)) if d]
        tree[ANONYMISED_KEY] = min(days)
        conflicts = [c for c in conflicts if c.path != ANONYMISED_KEY]
    return Merged(tree, conflicts)


ANONYMISED_KEY = "anonymise_le"


def _erasure_against_change(
    base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any]
) -> Merged | None:
    """A case anonymised on one side and changed on the other is never merged field by field:
    a colleague's new note would land in the anonymised file. The result is the anonymised
    version, with a conflict that says so (and no personal value): the user decides."""
    for erased, other, side in ((theirs, ours, "distante"), (ours, theirs, "locale")):
        if erased.get(ANONYMISED_KEY) and not base.get(ANONYMISED_KEY) and other != base:
            if other.get(ANONYMISED_KEY):
                return None  # anonymised on both sides
            when = erased[ANONYMISED_KEY]
            shown = when.strftime("%d/%m/%Y") if isinstance(when, date) else str(when)
            case_id = erased.get("id", "")
            advice = (
                f"dossier anonymisé le {shown} d'un côté et modifié de l'autre : l'anonymisation "
                "est gardée ; pour trancher, annulez la fusion (visites sync --abort) puis "
                f"visites sync, qui propose « --accept-erasure {case_id} » ou "
                f"« --keep-as-new {case_id} »"
            )
            values = {"locale": "modifié", "distante": "modifié"} | {side: f"anonymisé le {shown}"}
            conflict = Conflict("(anonymisation)", "(avant)", values["locale"],
                                values["distante"], advice)  # fmt: skip
            return Merged(dict(erased), [conflict])
    return None


def different_households(ours: dict[str, Any], theirs: dict[str, Any]) -> bool:
    """Two versions of a new case that describe two households (not one entered twice)."""
    return any(ours.get(key) != theirs.get(key) for key in ("orientation_recue", "menage"))


def _merge_value(base: Any, ours: Any, theirs: Any, path: tuple, found: list[Conflict]) -> Any:
    if ours == theirs:
        return ours
    if base == ours:
        return theirs
    if base == theirs:
        return ours
    if isinstance(ours, dict) and isinstance(theirs, dict):
        return _merge_map(base if isinstance(base, dict) else {}, ours, theirs, path, found)
    whole = ".".join(str(step) for step in path) in MERGED_WHOLE
    if isinstance(ours, list) and isinstance(theirs, list) and not whole:
        return _merge_list(base if isinstance(base, list) else [], ours, theirs)
    found.append(Conflict(".".join(str(step) for step in path), base, ours, theirs))
    return ours


def _merge_map(
    base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any], path: tuple,
    found: list[Conflict],
) -> dict[str, Any]:  # fmt: skip
    merged: dict[str, Any] = {}
    keys = list(ours) + [k for k in theirs if k not in ours]
    for key in keys:
        value = _merge_value(
            base.get(key, ABSENT), ours.get(key, ABSENT), theirs.get(key, ABSENT),
            (*path, key), found,
        )  # fmt: skip
        if value is not ABSENT:
            merged[key] = value
    return merged


def _merge_list(base: list[Any], ours: list[Any], theirs: list[Any]) -> list[Any]:
    """Items removed on either side go; items added on either side come, once each. An item
    edited on one side is a removal plus an addition, so the edit wins over the unchanged
    copy. Dated items (events, renewals) end up in date order."""
    removed_by_theirs = _minus(base, theirs)
    merged = _minus(ours, removed_by_theirs)
    for item in _minus(theirs, base):
        if item not in merged:
            merged.append(item)
    if all(isinstance(item, dict) and isinstance(item.get("date"), date) for item in merged):
        merged.sort(key=lambda item: item["date"])  # stable: same-day items keep their order
    return merged


def _minus(items: list[Any], removed: list[Any]) -> list[Any]:
    """`items` without one occurrence of each element of `removed`."""
    rest = list(items)
    kept = []
    pending = list(removed)
    for item in rest:
        if item in pending:
            pending.remove(item)
        else:
            kept.append(item)
    return kept


def with_conflicts(tree: dict[str, Any], conflicts: list[Conflict]) -> dict[str, Any]:
    """The merged tree with its conflict section first, where the eye falls on it."""
    if not conflicts:
        return tree
    return {CONFLICT_KEY: [c.as_entry() for c in conflicts], **tree}


# ---------------------------------------------------------------------------- describing

# Values shown in the timeline: workflow facts, never free text about the household.
SHOWN_VALUES = {("referent",), ("orientation", "vers"), ("orientation", "mesure"),
                ("cloture", "issue"), ("orientation_recue", "contexte")}  # fmt: skip
# The stored codes a phrase shows, read through their labels (« orientation : accompagnement
# personnalisé »); a value the table does not know is shown as written.
VALUE_LABELS = {("orientation", "vers"): OUTCOME_LABELS, ("orientation_recue", "contexte"):
                CONTEXT_LABELS, ("adhesion", "mode"): MODE_LABELS,
                ("evenements", "type"): EVENT_LABELS}  # fmt: skip


def _shown(path: tuple[str, ...], value: Any) -> str:
    table = VALUE_LABELS.get(path)
    return label(table, value) if table is not None and isinstance(value, str) else str(value)


def describe(old: Any, new: Any) -> list[str]:
    """What changed from one version of a case to the next, as short French phrases
    (« orientation : accompagnement personnalisé », « événement ajouté (visite à domicile,
    03/02/2015) »)."""
    if not isinstance(new, dict):
        return ["dossier supprimé"] if isinstance(old, dict) else []
    if not isinstance(old, dict):
        return ["dossier créé (orientation reçue)"]
    phrases: list[str] = []
    for key in list(new) + [k for k in old if k not in new]:
        before, after = old.get(key, ABSENT), new.get(key, ABSENT)
        if before == after:
            continue
        if key == "evenements":
            phrases += _events(before if isinstance(before, list) else [],
                               after if isinstance(after, list) else [])  # fmt: skip
        elif key == "objectifs":
            phrases += _objectives(before if isinstance(before, list) else [],
                                   after if isinstance(after, list) else [])  # fmt: skip
        elif key == "finances":
            phrases += _statements(before if isinstance(before, list) else [],
                                   after if isinstance(after, list) else [])  # fmt: skip
        elif key == "orientation" and isinstance(after, dict) and before is ABSENT:
            to = _shown(("orientation", "vers"), after.get("vers", "?"))
            phrases.append(f"orientation : {to}")
        elif key == "adhesion" and isinstance(after, dict) and before is ABSENT:
            mode = _shown(("adhesion", "mode"), after.get("mode", "tripartite"))
            phrases.append(f"adhésion ({mode})")
        elif key == "cloture" and isinstance(after, dict) and before is ABSENT:
            issue = after.get("issue")
            phrases.append(f"clôture : {issue}" if issue else "clôture")
        elif key == "refus" and before is ABSENT:
            phrases.append("refus du ménage")
        elif key == "referents" and isinstance(after, list):
            phrases += _handovers(old, new)
        elif key == "accompagnement" and isinstance(after, dict) and isinstance(before, dict):
            added = len(after.get("renouvellements", [])) - len(before.get("renouvellements", []))
            phrases.append("renouvellement" if added == 1 else "accompagnement modifié")
        else:
            phrases += _fields(key, before, after)
    return phrases


def _events(before: list[Any], after: list[Any]) -> list[str]:
    phrases = []
    for item in _minus(after, before):
        phrases.append(f"événement ajouté ({_event_label(item)})")
    for item in _minus(before, after):
        phrases.append(f"événement retiré ({_event_label(item)})")
    return phrases


@dataclass(frozen=True)
class _Held:
    """A case tree's référent(e)s, as `referents.referent_on` reads them."""

    referent: str | None
    handovers: tuple[HandoverDates, ...]


def _held(tree: dict[str, Any]) -> _Held | None:
    """The first référent(e) and the handovers of a tree; None when hand edits left the list
    in a shape that cannot be read."""
    items = tree.get("referents", [])
    first = tree.get("referent")
    if not isinstance(items, list) or not (first is None or isinstance(first, str)):
        return None
    found = []
    for item in items:
        if not isinstance(item, dict):
            return None
        name, since, until = item.get("nom"), item.get("depuis"), item.get("jusqu_au")
        if not (isinstance(name, str) and isinstance(since, date)):
            return None
        if until is not None and not isinstance(until, date):
            return None
        found.append(HandoverDates(name, since, until))
    return _Held(first, tuple(found))


def _handovers(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """« référent(e) : Claire Dubois → Karim Benali (depuis le 01/03/2015) », one phrase per
    handover added; a list edited otherwise is said to be changed."""
    before, after = _held(old), _held(new)
    if before is None or after is None:
        return ["référent(e)s successifs modifiés"]
    added = list(after.handovers)
    for item in before.handovers:
        if item in added:
            added.remove(item)
    if len(after.handovers) != len(before.handovers) + len(added) or not added:
        return ["référent(e)s successifs modifiés"]
    phrases = []
    for handover in added:
        previous = referent_on(before, handover.since) or NOBODY
        since = handover.since.strftime("%d/%m/%Y")
        if handover.until is None:
            when = f"depuis le {since}"
        else:
            when = f"du {since} au {handover.until.strftime('%d/%m/%Y')}, remplacement"
        phrases.append(f"référent(e) : {previous} → {handover.name} ({when})")
    return phrases


def _objectives(before: list[Any], after: list[Any]) -> list[str]:
    """« objectif 2 ajouté », « objectif 1 : atteint »: numbers and statuses, never the
    objective's text."""
    old = {o.get("numero"): o for o in before if isinstance(o, dict)}
    phrases = []
    for objective in (o for o in after if isinstance(o, dict)):
        number, statuses = objective.get("numero", "?"), objective.get("statuts")
        previous = old.pop(number, None)
        last = statuses[-1] if isinstance(statuses, list) and statuses else {}
        code = last.get("statut", "?") if isinstance(last, dict) else "?"
        status = OBJECTIVE_STATUS_LABELS.get(str(code), str(code))
        if previous is None:
            phrases.append(f"objectif {number} ajouté")
        elif previous.get("statuts") != statuses:
            phrases.append(f"objectif {number} : {status}")
        elif previous != objective:
            phrases.append(f"objectif {number} modifié")
    phrases += [f"objectif {number} retiré" for number in old]
    return phrases


def _statements(before: list[Any], after: list[Any]) -> list[str]:
    """« situation financière ajoutée (12/01/2015) »: the date, never an amount."""
    phrases = []
    for item in _minus(after, before):
        phrases.append(f"situation financière ajoutée ({_day(item)})")
    for item in _minus(before, after):
        phrases.append(f"situation financière retirée ({_day(item)})")
    return phrases


def _day(item: Any) -> str:
    when = item.get("date") if isinstance(item, dict) else None
    return when.strftime("%d/%m/%Y") if isinstance(when, date) else str(when)


def _event_label(item: Any) -> str:
    if not isinstance(item, dict):
        return "?"
    when = item.get("date")
    shown = when.strftime("%d/%m/%Y") if isinstance(when, date) else str(when)
    return f"{_shown(('evenements', 'type'), item.get('type', '?'))}, {shown}"


def _fields(key: str, before: Any, after: Any, path: tuple = ()) -> list[str]:
    """One phrase per leaf field that changed: « ménage › téléphone modifié »."""
    here = (*path, key)
    if isinstance(before, dict) and isinstance(after, dict):
        phrases = []
        for sub in list(after) + [k for k in before if k not in after]:
            if before.get(sub, ABSENT) != after.get(sub, ABSENT):
                phrases += _fields(sub, before.get(sub, ABSENT), after.get(sub, ABSENT), here)
        return phrases
    label = " › ".join(FIELD_LABELS.get(str(step), str(step)) for step in here)
    if after is ABSENT:
        return [f"{label} retiré"]
    if here in SHOWN_VALUES and not isinstance(after, dict | list):
        return [f"{label} : {_shown(here, after)}"]
    return [f"{label} ajouté" if before is ABSENT else f"{label} modifié"]
