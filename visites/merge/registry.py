"""The folder's registry (`registre.yaml`, tracked by git): what must be remembered about
cases that are no longer there as they were. Two kinds of record: the tombstone, an ID that
was deleted or anonymised, and the day, never a name; and the fingerprint, a keyed hash of
who an erased household was (its lease reference or name, with its referral date: see
`origins`), so that importing the landlord's spreadsheet again never brings it back. A record
is one line, `- {type: …, …}`, and lines of a type this version does not know are kept as
they are.

Why a file and not the history: IDs are given from what a clone can see, and a deleted file
leaves nothing in the work tree. With the registry, `next_id` never gives an erased number
again, here or on a colleague's clone, and sync knows who erased a case and when.

Each line is a standalone YAML flow item, so git's `merge=union` (see ATTRIBUTE) merges two
clones' additions by keeping both sides' lines: the union is still a valid YAML list, never a
conflict. visites keeps the lines sorted and unique whenever it writes the file; a union may
leave them unsorted or doubled until then, and readers do not mind.

Pure: text in, records out, and back (the file itself: `tombstones.py`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from visites.ids import sort_key
from visites.paths import REGISTRY_FILE  # noqa: F401  (re-exported: the file's name)

ATTRIBUTE = f"{REGISTRY_FILE} merge=union"
HEADER = (
    "# Registre de visites : les numéros de dossier effacés (suppression ou anonymisation)\n"
    "# et leur date, jamais un nom. Un numéro effacé n'est plus jamais donné. Les empreintes :\n"
    "# les ménages effacés, chiffrés par la clé du dossier (registre.cle), qu'un import ne\n"
    "# reprend jamais. Une ligne par enregistrement : ne modifiez pas ce fichier à la main.\n"
)
DELETED = "suppression"
ANONYMISED = "anonymisation"
ERASURES = (DELETED, ANONYMISED)

_TOMBSTONE = re.compile(
    r'^- \{type: (suppression|anonymisation), id: "?(\d{4}-\d{3,6})"?, '
    r"date: (\d{4}-\d{2}-\d{2})\}$",
    re.ASCII,
)
# A fingerprint: the keyed hash (hex) of an erased household's identity, and whether the
# case had come from an import (`import`) or was typed (`saisie`).
FINGERPRINT = "empreinte"
IMPORTED, TYPED = "import", "saisie"
_FINGERPRINT = re.compile(
    r'^- \{type: empreinte, source: (import|saisie), valeur: "?([0-9a-f]{16,64})"?\}$', re.ASCII
)
_ANY_ID = re.compile(r'\bid: "?(\d{4})-(\d{3,6})\b', re.ASCII)


@dataclass(frozen=True, order=True)
class Tombstone:
    """An ID that named a household whose file was deleted or anonymised on `on`."""

    case_id: str
    kind: str  # DELETED or ANONYMISED
    on: date

    def line(self) -> str:
        return f'- {{type: {self.kind}, id: "{self.case_id}", date: {self.on.isoformat()}}}'

    @property
    def key(self) -> tuple[tuple[int, int], str, date]:
        return sort_key(self.case_id), self.kind, self.on


@dataclass(frozen=True, order=True)
class Fingerprint:
    """An erased household's identity as a keyed hash (`origins.keyed`), never in clear."""

    value: str
    source: str  # IMPORTED or TYPED

    def line(self) -> str:
        return f'- {{type: {FINGERPRINT}, source: {self.source}, valeur: "{self.value}"}}'


@dataclass(frozen=True)
class Registry:
    """The records of one version of `registre.yaml`."""

    tombstones: tuple[Tombstone, ...] = ()
    others: tuple[str, ...] = ()  # lines of record kinds this version does not know
    fingerprints: tuple[Fingerprint, ...] = ()

    def fingerprinted(self, values: set[str]) -> Fingerprint | None:
        """The record of one of these hashes (an import's first, when both are there)."""
        found = [f for f in self.fingerprints if f.value in values]
        return min(found, key=lambda f: (f.source != IMPORTED, f.value), default=None)

    def erased(self, case_id: str) -> Tombstone | None:
        """The first erasure of `case_id` (a deletion wins over an anonymisation)."""
        found = [t for t in self.tombstones if t.case_id == case_id]
        deleted = [t for t in found if t.kind == DELETED]
        return min(deleted or found, key=lambda t: t.on, default=None)

    def ids(self) -> set[str]:
        return {t.case_id for t in self.tombstones}


# The key `visites anonymise` adds to a case file; a file under an anonymised ID without it
# is a copy from before the anonymisation (a backup restored): the household's data again.
_ANONYMISED_KEY = re.compile(rb"^anonymise_le:", re.MULTILINE)


def brings_back(stone: Tombstone | None, raw: bytes) -> bool:
    """Whether a case file's bytes bring back what the erasure `stone` erased: any file under
    a deleted ID; under an anonymised ID, a file that is not the anonymised one."""
    if stone is None:
        return False
    return stone.kind == DELETED or _ANONYMISED_KEY.search(raw) is None


def parse(text: str) -> Registry:
    """The records of a registry text (any order, doubles allowed). Comments, blank lines
    and unknown lines are skipped or kept aside; nothing here ever fails."""
    tombstones: set[Tombstone] = set()
    fingerprints: set[Fingerprint] = set()
    others: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if match := _TOMBSTONE.match(line):
            try:
                on = date.fromisoformat(match.group(3))
            except ValueError:
                others.append(line)
                continue
            tombstones.add(Tombstone(match.group(2), match.group(1), on))
        elif match := _FINGERPRINT.match(line):
            fingerprints.add(Fingerprint(match.group(2), match.group(1)))
        elif line not in others:
            others.append(line)
    ordered = sorted(tombstones, key=lambda t: t.key)
    return Registry(tuple(ordered), tuple(sorted(others)), tuple(sorted(fingerprints)))


def render(registry: Registry) -> str:
    """The registry's canonical text: header, tombstones by ID, fingerprints, then other
    records."""
    lines = [t.line() for t in sorted(set(registry.tombstones), key=lambda t: t.key)]
    lines += [f.line() for f in sorted(set(registry.fingerprints))]
    lines += sorted(set(registry.others))
    return HEADER + "".join(line + "\n" for line in lines)


def with_tombstones(registry: Registry, added: Iterable[Tombstone]) -> Registry:
    return Registry((*registry.tombstones, *added), registry.others, registry.fingerprints)


def renumbered(registry: Registry, moves: dict[str, str], mine: set[Tombstone]) -> Registry:
    """`registry` with the tombstones of `mine` (those this clone added) moved with their
    household: old ID → new ID in `moves` (a household created here under an ID the team gave
    to another, then erased here, is renumbered like a living one)."""
    stones = tuple(
        Tombstone(moves[t.case_id], t.kind, t.on) if t in mine and t.case_id in moves else t
        for t in registry.tombstones
    )
    return Registry(stones, registry.others, registry.fingerprints)


def with_fingerprints(registry: Registry, added: Iterable[Fingerprint]) -> Registry:
    return Registry(registry.tombstones, registry.others, (*registry.fingerprints, *added))


def union(*registries: Registry) -> Registry:
    """Every record of every version (what a union merge must hold)."""
    tombstones = {t for r in registries for t in r.tombstones}
    others = {line for r in registries for line in r.others}
    fingerprints = {f for r in registries for f in r.fingerprints}
    return Registry(tuple(sorted(tombstones, key=lambda t: t.key)), tuple(sorted(others)),
                    tuple(sorted(fingerprints)))  # fmt: skip


def numbers_in(text: str, year: int) -> list[int]:
    """The sequence numbers of `year` named anywhere in a registry text (fast: no parse)."""
    prefix = str(year)
    return [int(m.group(2)) for m in _ANY_ID.finditer(text) if m.group(1) == prefix]
