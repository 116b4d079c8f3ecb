"""The folder's registry of erased IDs on disk (`registre.yaml`, see `registry` for its
text): read it, add the tombstones of an erasure in the same command as the erasure, and
make sure git merges it as a union in folders made before it existed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from visites.errors import VisitesError
from visites.git import run as gitops
from visites.merge import registry
from visites.paths import REGISTRY_FILE
from visites.store import Folder, Journal, atomic_write


def path_in(root: Path) -> Path:
    return root / REGISTRY_FILE


def read_text(root: Path) -> str:
    """The registry's text; empty when the file is missing (folders made before it)."""
    try:
        return path_in(root).read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return ""


def read(root: Path) -> registry.Registry:
    return registry.parse(read_text(root))


def record(folder: Folder, journal: Journal, case_ids: Iterable[str], kind: str, on: date) -> Path:
    """Add a tombstone for each ID, before the erasure itself, in the same command and
    commit: a kill in between leaves a tombstone too many, never an ID given twice."""
    root = folder.root
    text = read_text(root)
    current = registry.parse(text)
    stones = [registry.Tombstone(case_id, kind, on) for case_id in case_ids]
    updated = registry.render(registry.with_tombstones(current, stones))
    path = path_in(root)
    if updated != text:
        atomic_write(path, updated.encode("utf-8"))
    journal.note(path)
    if (root / ".git").exists() and (attributes := upgrade_attributes(root)):
        journal.note(attributes)
    return path


def upgrade_attributes(root: Path) -> Path | None:
    """A folder made before the registry: add its union merge to the tracked .gitattributes
    (lines appended, the rest untouched). The path when it changed, for the next commit."""
    ours = [
        line for line in gitops.ATTRIBUTES.splitlines(keepends=True) if "registre" in line.lower()
    ]
    return add_attribute(root, registry.ATTRIBUTE, "".join(ours), whole=gitops.ATTRIBUTES)


def add_attribute(
    root: Path, attribute: str, lines: str, *, whole: str | None = None, required: bool = False
) -> Path | None:
    """Append `lines` to the folder's .gitattributes unless it already has the line
    `attribute` (the rest untouched; `whole`: what a missing or empty file becomes). The
    path when it changed, for the next commit; None when unchanged, or unwritable and not
    `required` (then the VisitesError stands)."""
    path = root / ".gitattributes"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    except OSError:
        return None
    if attribute in text.splitlines():
        return None
    if not text and whole is not None:
        updated = whole
    else:
        updated = (text if not text or text.endswith("\n") else text + "\n") + lines
    try:
        atomic_write(path, updated.encode("utf-8"))
    except VisitesError:
        if required:
            raise
        return None
    return path
