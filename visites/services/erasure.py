"""What an erasure (`anonymise`, `delete`) must reach besides the case file itself, in the
case folder's working tree: the index cache, visites' own temp files, and the files visites
does not keep there (an export saved in the folder), which it can only name.

The git history is out of reach here: the commands remind how to rewrite it (README,
« Effacer aussi l'historique »). Shell: files only, never prints; warnings are returned as
French lines.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from visites.paths import REGISTRY_FILE
from visites.store import CACHE_DIR, CASE_FILE, LOCK_FILE, SETTINGS_FILE, TEMP_PREFIX, Folder

# What visites itself keeps in a case folder, besides the case files (see `visites init`).
OWN_FILES = frozenset(
    {SETTINGS_FILE, REGISTRY_FILE, "LISEZMOI.md", ".gitignore", ".gitattributes", LOCK_FILE}
)
OWN_FOLDERS = frozenset({CACHE_DIR, "templates"})
HISTORY = ".git"  # git's own store: rewritten with git filter-repo, never by visites


def purge(folder: Folder, case_ids: list[str], compact: bool = False) -> list[str]:
    """Remove every trace of `case_ids` that visites itself left in the working tree: their
    rows of the index (overwritten; the whole file rewritten when `compact`), and the copies
    of `visites edit` left behind. Called under the folder's lock, in the same step as the
    erasure. Return the warnings (French), when a trace could not be removed."""
    warnings = folder.forget(case_ids, compact=compact)
    for case_id in case_ids:
        for copy in folder.root.glob(f"{TEMP_PREFIX}edit-{case_id}-*"):
            try:
                copy.unlink()
            except OSError:
                warnings.append(f"copie d'édition {copy.name} impossible à supprimer : "
                                "supprimez-la à la main")  # fmt: skip
    return warnings


def read_only_notes(folder: Folder, case_ids: list[str], done: str) -> list[str]:
    """One warning per case file its owner made read-only: the erasure goes on anyway (a
    file mode cannot block the household's right), and says so."""
    notes = []
    for case_id in case_ids:
        path = folder.path_of(case_id)
        with contextlib.suppress(OSError):
            if not path.stat().st_mode & stat.S_IWUSR:
                notes.append(f"{path.name} était en lecture seule : {done} quand même")
    return notes


def foreign_files(root: Path) -> list[str]:
    """The files of the working tree that visites does not keep there (relative paths, in
    order): anything but the case files, the settings, the templates, the cache and git's
    own folder. An export or a letter saved in the folder is one: it may hold a household's
    data, and no erasure can know it."""
    found: list[str] = []
    for parent, folders, files in os.walk(root):
        here = Path(parent)
        if here == root:
            folders[:] = [f for f in folders if f != HISTORY and f not in OWN_FOLDERS]
            files = [f for f in files if f not in OWN_FILES and not _own_root_file(f)]
        found += [(here / name).relative_to(root).as_posix() for name in files]
    return sorted(found)


def _own_root_file(name: str) -> bool:
    """A case file, or one of visites' temp files (a write's `.part`, removed under the lock;
    an edit's copy, removed with its case by `purge`)."""
    return bool(CASE_FILE.fullmatch(name)) or name.startswith(TEMP_PREFIX)


def foreign_warning(root: Path) -> str | None:
    """The warning naming the files an erasure cannot vouch for, or None."""
    names = foreign_files(root)
    if not names:
        return None
    shown = ", ".join(names[:10]) + (f" (et {len(names) - 10} autres)" if len(names) > 10 else "")
    return (
        f"ces fichiers du dossier ne sont pas des dossiers tenus par visites et peuvent "
        f"contenir des données du ménage : {shown}. Vérifiez-les, et supprimez ou "
        "rangez ailleurs ceux qui le concernent"
    )
