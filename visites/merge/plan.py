"""What a sync must do and what it must never do, decided on the three versions of each file
git gives (the merge-base, ours, theirs). Pure: bytes in, decisions and French text out; the
shell (`syncing`) asks git for the versions and carries the decisions out.

The team contract this module enforces:
- an ID names one household forever: a case added here and, with another household, on the
  remote (or erased there) is given a new number here, before the merge (`collisions`);
- an erasure stays erased: a case deleted or anonymised on one side and changed on the
  other stops the sync until the user decides (`erasure_conflicts`);
- nothing synced is lost: before a merge is concluded, every file is compared with its
  three versions (`verify`): each side's events are there, each field changed on one side
  only has that side's value, an erasure is honoured. Anything else aborts the merge.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from visites import yamlio
from visites.errors import Problem
from visites.merge.casediff import MARKERS, different_households
from visites.merge.registry import ANONYMISED, DELETED, Registry

OURS, THEIRS = "ours", "theirs"
SIDE_WORDS = {OURS: "ici", THEIRS: "chez un·e collègue"}


@dataclass(frozen=True)
class Version:
    """One path in the three trees of a merge (None: absent from that tree), and, once the
    merge is done, the merged content (None: absent)."""

    path: str
    base: bytes | None
    ours: bytes | None
    theirs: bytes | None
    merged: bytes | None = None

    def side(self, which: str) -> bytes | None:
        return self.ours if which == OURS else self.theirs


UNREADABLE: Any = object()


def tree_of(raw: bytes | None) -> Any:
    """The YAML tree of a version: None when absent, UNREADABLE when it does not parse."""
    if raw is None:
        return None
    try:
        return yamlio.load(yamlio.decode(raw))
    except yamlio.YamlProblem:
        return UNREADABLE


def anonymised(tree: Any) -> date | None:
    """The anonymisation date of a case tree (None: not anonymised)."""
    if isinstance(tree, dict) and isinstance(tree.get("anonymise_le"), date):
        return tree["anonymise_le"]
    return None


def case_id_of(path: str) -> str:
    return path.rsplit("/", 1)[-1].removesuffix(".yaml")


# ---------------------------------------------------------------------------- before merging


def collisions(
    added_on_both: Iterable[Version],
    erased_there: set[str],
    created_apart: frozenset[str] | set[str] = frozenset(),
) -> list[str]:
    """Paths of cases added here that must take a new number: the remote added another
    household under the same ID, or erased a case of that ID (it named someone else).
    `created_apart`: the paths each side created by its own commit (two referrals recorded
    on two clones): two households, even with the same name, the same date, the same bytes.
    Only a case both sides got from one creation is one household whose versions merge."""
    found = []
    for version in added_on_both:
        case_id = case_id_of(version.path)
        if version.theirs is None:
            if case_id in erased_there:
                found.append(version.path)
            continue
        if version.path in created_apart:
            found.append(version.path)
            continue
        if version.ours == version.theirs:
            continue
        ours, theirs = tree_of(version.ours), tree_of(version.theirs)
        if not isinstance(ours, dict) or not isinstance(theirs, dict):
            found.append(version.path)  # an unreadable side: never mix it with another
        elif different_households(ours, theirs):
            found.append(version.path)
    return found


def next_free(year: int, taken: Iterable[int]) -> str:
    return f"{year}-{max(taken, default=0) + 1:03d}"


def courriers(tree: Any) -> list[str]:
    """The documents recorded in a case (its « courrier » events), as « 12/01/2015
    (document produit : courrier-proposition) »: they carry the case's number."""
    events = tree.get("evenements") if isinstance(tree, dict) else None
    shown = []
    for event in events if isinstance(events, list) else []:
        if isinstance(event, dict) and event.get("type") == "courrier":
            when = event.get("date")
            day = when.strftime("%d/%m/%Y") if isinstance(when, date) else str(when)
            note = event.get("note")
            shown.append(f"{day} ({note})" if isinstance(note, str) else day)
    return shown


@dataclass(frozen=True)
class ErasureConflict:
    """A case erased on one side (`erased_by`) and changed on the other."""

    case_id: str
    path: str
    erased_by: str  # OURS or THEIRS
    kind: str  # registry.DELETED or registry.ANONYMISED
    on: date | None  # when, if the registry or the file says it

    def sentence(self) -> str:
        """« 2015-003 a été supprimé par un·e collègue le 12/03/2015 ; vous l'avez modifié
        ici »."""
        verb = "supprimé" if self.kind == DELETED else "anonymisé"
        when = f" le {self.on.strftime('%d/%m/%Y')}" if self.on else ""
        if self.erased_by == THEIRS:
            return f"{self.case_id} a été {verb} par un·e collègue{when} ; vous l'avez modifié ici"
        return f"{self.case_id} : vous l'avez {verb} ici{when} ; un·e collègue l'a modifié depuis"


def erasure_conflicts(
    versions: Iterable[Version], ours_registry: Registry, theirs_registry: Registry
) -> list[ErasureConflict]:
    """Case files erased on one side since the merge-base (deleted, or anonymised) and
    changed on the other. An anonymisation against a deletion is no conflict: both erase,
    the deletion wins."""
    found = []
    for version in versions:
        if version.base is None or version.ours == version.theirs:
            continue
        trees = {OURS: tree_of(version.ours), THEIRS: tree_of(version.theirs)}
        base_anonymised = anonymised(tree_of(version.base))
        for erased, other in ((THEIRS, OURS), (OURS, THEIRS)):
            mine, theirs = version.side(erased), version.side(other)
            if theirs == version.base:
                continue  # the other side did not touch it: the erasure just applies
            if mine is None and theirs is not None:
                if anonymised(trees[other]) and not base_anonymised:
                    continue  # anonymised there, deleted here: the deletion wins
                kind = DELETED
            elif (
                mine is not None
                and theirs is not None
                and anonymised(trees[erased])
                and not base_anonymised
                and not anonymised(trees[other])
            ):
                kind = ANONYMISED
            else:
                continue
            case_id = case_id_of(version.path)
            registry = theirs_registry if erased == THEIRS else ours_registry
            stone = registry.erased(case_id)
            on = stone.on if stone else anonymised(trees[erased])
            found.append(ErasureConflict(case_id, version.path, erased, kind, on))
            break
    return found


def deletions_over_anonymisations(versions: Iterable[Version]) -> list[str]:
    """Case files deleted on one side and anonymised on the other: both erase, the deletion
    wins without asking (git alone would call it a conflict, and keeping the anonymised
    file would bring an erased case back)."""
    found = []
    for version in versions:
        if version.base is None or (version.ours is None) == (version.theirs is None):
            continue
        kept = tree_of(version.ours if version.ours is not None else version.theirs)
        if anonymised(kept) and not anonymised(tree_of(version.base)):
            found.append(version.path)
    return found


# ---------------------------------------------------------------------------- text conflicts


@dataclass(frozen=True)
class Hunk:
    """One conflict git left in a text file: its first line and both sides' lines."""

    line: int
    ours: str
    theirs: str


def text_conflicts(text: str) -> list[Hunk]:
    """The conflict hunks of a file merged line by line (markers <<<<<<<, =======,
    >>>>>>>; the base part of the diff3 style is skipped)."""
    hunks = []
    state, start, ours, theirs = None, 0, [], []
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith(MARKERS[0]):
            state, start, ours, theirs = "ours", number, [], []
        elif state and line.startswith(MARKERS[3]):
            state = "base"
        elif state and line.startswith(MARKERS[1]) and line.rstrip() == MARKERS[1]:
            state = "theirs"
        elif state and line.startswith(MARKERS[2].rstrip()):
            hunks.append(Hunk(start, _brief(ours), _brief(theirs)))
            state = None
        elif state == "ours":
            ours.append(line.strip())
        elif state == "theirs":
            theirs.append(line.strip())
    return hunks


def _brief(lines: list[str]) -> str:
    shown = " / ".join(line for line in lines if line) or "(rien)"
    return shown if len(shown) <= 70 else shown[:67] + "…"


def conflict_problems(text: str, path: str, name: str) -> list[Problem]:
    """One error per conflict a merge left in a text file (settings, template), with both
    values and the way out."""
    return [
        Problem(
            path,
            hunk.line,
            f"conflit de synchronisation non tranché : ici « {hunk.ours} », chez un·e collègue "
            f"« {hunk.theirs} » ; pour trancher : visites sync --mine {name} (garder la vôtre) "
            f"ou visites sync --theirs {name} (garder celle de l'équipe)",
        )
        for hunk in text_conflicts(text)
    ]
