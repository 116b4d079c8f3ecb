"""Before a merge is concluded: each file it touched, compared with its three versions (the
merge-base, ours, theirs). Nothing synced may be lost: each side's events are there, each
field changed on one side only has that side's value, an erasure is honoured, and a file
changed on one side only is that side's, byte for byte. Pure: bytes (or git's blob ids)
in, the losses out, in French.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from visites.merge.casediff import ABSENT, CONFLICT_KEY
from visites.merge.plan import OURS, SIDE_WORDS, THEIRS, UNREADABLE, Version, anonymised, tree_of
from visites.merge.registry import Tombstone


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
    if any(t is UNREADABLE or (t is not None and not isinstance(t, dict)) for t in trees):
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
    return _verify_fields(path, b, o, t, m) + _verify_comments(version)


def _verify_comments(version: Version) -> list[Loss]:
    """Each comment line a side added is in the merged text (comments are not in the trees:
    the texts are compared). Never the comment's words (they may name someone): its line."""
    from visites.merge import comments

    base, ours, theirs, merged = (
        (raw or b"").decode("utf-8", "replace")
        for raw in (version.base, version.ours, version.theirs, version.merged)
    )
    lacking = comments.missing(base, ours, theirs, merged)
    losses = []
    for side, text in ((OURS, ours), (THEIRS, theirs)):
        lines = [line.strip() for line in text.splitlines()]
        for line in comments.added(base, text):
            if line in lacking:
                lacking.remove(line)
                number = lines.index(line) + 1
                losses.append(
                    Loss(
                        version.path,
                        f"le commentaire de la ligne {number}, ajouté {SIDE_WORDS[side]}",
                    )
                )
    return losses


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
    from visites.merge.registry import parse

    texts = [(raw or b"").decode("utf-8", "replace") for raw in (version.ours, version.theirs)]
    wanted = {stone for text in texts for stone in parse(text).tombstones}
    merged = set(parse((version.merged or b"").decode("utf-8", "replace")).tombstones)
    missing = sorted(wanted - merged, key=Tombstone.line)
    losses = [
        Loss(version.path, f"l'effacement de {stone.case_id} ({stone.kind})") for stone in missing
    ]
    # The fingerprints of erased households (keyed hashes): none may be dropped either.
    prints = {f for text in texts for f in parse(text).fingerprints}
    kept = set(parse((version.merged or b"").decode("utf-8", "replace")).fingerprints)
    if lost := len(prints - kept):
        losses.append(Loss(version.path, f"{lost} empreinte(s) de ménage effacé"))
    return losses


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
