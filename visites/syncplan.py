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
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from visites import yamlio
from visites.casediff import ABSENT, CONFLICT_KEY, MARKERS, different_households
from visites.errors import Problem
from visites.registry import ANONYMISED, DELETED, Registry, Tombstone

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


_UNREADABLE: Any = object()


def tree_of(raw: bytes | None) -> Any:
    """The YAML tree of a version: None when absent, _UNREADABLE when it does not parse."""
    if raw is None:
        return None
    try:
        return yamlio.load(yamlio.decode(raw))
    except yamlio.YamlProblem:
        return _UNREADABLE


def anonymised(tree: Any) -> date | None:
    """The anonymisation date of a case tree (None: not anonymised)."""
    if isinstance(tree, dict) and isinstance(tree.get("anonymise_le"), date):
        return tree["anonymise_le"]
    return None


def case_id_of(path: str) -> str:
    return path.rsplit("/", 1)[-1].removesuffix(".yaml")


# ---------------------------------------------------------------------------- before merging


def collisions(added_on_both: Iterable[Version], erased_there: set[str]) -> list[str]:
    """Paths of cases added here that must take a new number: the remote added another
    household under the same ID, or erased a case of that ID (it named someone else)."""
    found = []
    for version in added_on_both:
        case_id = case_id_of(version.path)
        if version.theirs is None:
            if case_id in erased_there:
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


# ---------------------------------------------------------------------------- after merging


@dataclass(frozen=True)
class Loss:
    """Something the merged result would lose or undo."""

    path: str
    what: str  # French: « l'événement du 03/02/2015 (visite) ajouté chez un·e collègue »


@dataclass
class Verdict:
    losses: list[Loss] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.losses


def verify(
    versions: Iterable[Version],
    lenient: frozenset[str] | set[str] = frozenset(),
    expected: dict[str, bytes | None] | None = None,
) -> Verdict:
    """Compare each merged file with its three versions. `expected` gives the content the
    sync decided for some paths (an erasure accepted, a case renumbered); `lenient` the
    paths the user decided by hand after a stop (only checked to be readable later)."""
    verdict = Verdict()
    expected = expected or {}
    for version in versions:
        path = version.path
        if path in expected:
            if version.merged != expected[path]:
                verdict.losses.append(Loss(path, "la décision prise pour ce fichier"))
            continue
        if path in lenient:
            continue
        verdict.losses += _verify_one(version)
    return verdict


def one_sided(path: str, base: object, ours: object, theirs: object,
              merged: object) -> list[Loss] | None:  # fmt: skip
    """The rule for a file at most one side changed, decided on identities alone (contents,
    or git's blob ids: equal ids are equal bytes): the merged file is that side's, exactly.
    None when both sides changed it: the contents must be compared (`verify`)."""
    if ours == theirs:
        return [] if merged == ours else [Loss(path, "le fichier, identique des deux côtés")]
    if base == ours:
        return (
            [] if merged == theirs else [Loss(path, f"le fichier tel que reçu ({_whole(theirs)})")]
        )
    if base == theirs:
        return [] if merged == ours else [Loss(path, f"le fichier tel qu'ici ({_whole(ours)})")]
    return None


def _verify_one(version: Version) -> list[Loss]:
    base, ours, theirs, merged = version.base, version.ours, version.theirs, version.merged
    path = version.path
    settled = one_sided(path, base, ours, theirs, merged)
    if settled is not None:
        return settled
    name = path.rsplit("/", 1)[-1]
    if name == "registre.yaml":
        return _verify_registry(version)
    if not _is_case(name):
        return []  # visites.yaml, templates: git's line merge, conflicts stop the sync
    if merged is None or ours is None or theirs is None:
        return [Loss(path, "le dossier, supprimé d'un côté et modifié de l'autre")]
    trees = [tree_of(raw) for raw in (base, ours, theirs, merged)]
    if any(t is _UNREADABLE or (t is not None and not isinstance(t, dict)) for t in trees):
        return []  # a side that does not parse: merged line by line, `check` reads the rest
    b, o, t, m = (t if isinstance(t, dict) else {} for t in trees)
    if isinstance(m, dict) and CONFLICT_KEY in m:
        return [Loss(path, "un conflit non tranché (section conflit_visites)")]
    newly = [
        side for side, tree in ((OURS, o), (THEIRS, t)) if anonymised(tree) and not anonymised(b)
    ]
    if len(newly) == 1:
        return [
            Loss(path, f"l'anonymisation faite {SIDE_WORDS[newly[0]]}, mêlée à des modifications")
        ]
    return _verify_fields(path, b, o, t, m)


def _whole(raw: object) -> str:
    return "supprimé" if raw is None else "modifié"


def _is_case(name: str) -> bool:
    stem = name.removesuffix(".yaml")
    return (
        name.endswith(".yaml")
        and len(stem) >= 8
        and stem[4] == "-"
        and stem.replace("-", "").isdigit()
    )


def _verify_registry(version: Version) -> list[Loss]:
    from visites.registry import parse

    texts = [(raw or b"").decode("utf-8", "replace") for raw in (version.ours, version.theirs)]
    wanted = {stone for text in texts for stone in parse(text).tombstones}
    merged = set(parse((version.merged or b"").decode("utf-8", "replace")).tombstones)
    missing = sorted(wanted - merged, key=Tombstone.line)
    return [
        Loss(version.path, f"l'effacement de {stone.case_id} ({stone.kind})") for stone in missing
    ]


def _verify_fields(path: str, b: dict, o: dict, t: dict, m: dict) -> list[Loss]:
    leaves = [_leaves(tree) for tree in (b, o, t, m)]
    base, ours, theirs, merged = leaves
    losses = []
    for key in dict.fromkeys([*base, *ours, *theirs, *merged]):
        bv, ov, tv, mv = (tree.get(key, ABSENT) for tree in leaves)
        if any(isinstance(v, list) for v in (bv, ov, tv)):
            losses += _verify_list(
                path, key, *(v if isinstance(v, list) else [] for v in (bv, ov, tv, mv))
            )
            continue
        if ov == tv:
            wanted = [ov]
        elif ov == bv:
            wanted = [tv]
        elif tv == bv:
            wanted = [ov]
        elif key == ("anonymise_le",):
            wanted = [ov, tv]  # anonymised on both sides: either day
        else:
            wanted = []  # changed on both sides: the driver would have stopped
        if mv not in wanted:
            side = THEIRS if tv != bv else OURS
            losses.append(
                Loss(path, f"le champ « {'.'.join(map(str, key))} » modifié {SIDE_WORDS[side]}")
            )
    return losses


def _verify_list(
    path: str, key: tuple, base: list, ours: list, theirs: list, merged: list
) -> list[Loss]:
    losses = []
    for side, items in ((OURS, ours), (THEIRS, theirs)):
        for item in _minus(items, base):
            if item not in merged:
                losses.append(Loss(path, f"{_item(key, item)} ajouté {SIDE_WORDS[side]}"))
    for item in base:
        if item in ours and item in theirs and item not in merged:
            losses.append(Loss(path, f"{_item(key, item)}, présent des deux côtés"))
    return losses


def _item(key: tuple, item: Any) -> str:
    if key == ("evenements",) and isinstance(item, dict):
        when = item.get("date")
        day = when.strftime("%d/%m/%Y") if isinstance(when, date) else str(when)
        return f"l'événement du {day} ({item.get('type', '?')})"
    return f"un élément de « {'.'.join(map(str, key))} »"


def _leaves(tree: Any, path: tuple = ()) -> dict[tuple, Any]:
    if isinstance(tree, dict) and (tree or not path):
        found: dict[tuple, Any] = {}
        for key, value in tree.items():
            if key != CONFLICT_KEY:
                found.update(_leaves(value, (*path, key)))
        return found
    return {path: tree}


def _minus(items: list, removed: list) -> list:
    pending = list(removed)
    kept = []
    for item in items:
        if item in pending:
            pending.remove(item)
        else:
            kept.append(item)
    return kept


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
