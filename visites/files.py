"""One file on disk, whole or not at all: the atomic write (temp file in the same folder,
fsync, rename, fsync of the folder), private folders, and the owner's read-only mark.

The one write path: a case file is written by `write_case` only (called by `store.Folder._write`,
which reads back what it writes first, and by git's merge driver), every other file by
`atomic_write` (documents, exports, settings); `tests/test_write_path.py` holds every other
module to it.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from visites.errors import VisitesError, reason
from visites.paths import CASE_FILE, TEMP_PREFIX


def private_folder(path: Path) -> Path:
    """Create `path` readable by its owner only (0700), whatever the umask; an existing folder
    is tightened to 0700 too. Missing parents get the usual rights, like `mkdir -p`: they
    hold no case. For case folders and caches."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(path, 0o700)  # mkdir's mode is filtered by the umask; chmod is not
    except OSError as error:
        raise VisitesError(f"création impossible de {path} : {reason(error)}") from None
    return path


def read_only(path: Path) -> bool:
    """Whether the owner has taken the write right off `path` (chmod a-w): an existing file,
    not a link. Read from the mode bits, so that it holds for root too."""
    try:
        mode = path.lstat().st_mode
    except OSError:
        return False
    return stat.S_ISREG(mode) and not mode & stat.S_IWUSR


def refuse_read_only(path: Path, case_id: str) -> None:
    """A workflow write (a move, a hand edit, a document's event) to a file its owner made
    read-only is refused; only an erasure goes through (`Folder.rewrite`)."""
    if read_only(path):
        raise VisitesError(
            f"dossier {case_id} : {path.name} est en lecture seule ; rien n'a été écrit "
            f"(pour le modifier : chmod u+w {path})"
        )


@dataclass
class Journal:
    """The files one command wrote or removed, in order: what `services.committing` commits
    (`committing` yields it). Each write takes it and notes its own file (`Folder.create`,
    `update`, `rewrite`, `delete`; `write` below for any other file), so no writer can leave
    a file out of the commit."""

    paths: list[Path] = field(default_factory=list)

    def note(self, path: Path) -> Path:
        """A file written or removed by this command (for a writer of its own kind)."""
        self.paths.append(path)
        return path

    def write(self, path: Path, data: bytes) -> Path:
        """Write a file of the folder that is not a case (settings, registry, a list of
        meetings) atomically, and note it. A case file goes through the Folder's checks."""
        if CASE_FILE.fullmatch(path.name):
            raise ValueError(f"{path.name} is a case file: write it through the Folder")
        atomic_write(path, data)
        return self.note(path)


def write_case(path: Path, data: bytes, case_id: str, *, despite_read_only: bool = False) -> None:
    """The one write of a case file's bytes. Refused over a symbolic link, and over a file
    its owner made read-only unless `despite_read_only` (an erasure, a merge's result: the
    file is replaced, then made read-only again); then atomic. What the bytes say is checked
    before, by the caller: `Folder._write` reads them back as the case, the merge driver as
    the merged tree."""
    locked = read_only(path)
    if not despite_read_only:
        refuse_read_only(path, case_id)
    if path.is_symlink():
        # Renaming over a link would silently replace it with a copy, and leave its
        # target (perhaps outside the folder) with the old content.
        raise VisitesError(
            "écriture refusée : ce fichier est un lien symbolique ; "
            "remplacez-le par le fichier lui-même",
            path=path,
        )
    atomic_write(path, data)
    if locked:
        with contextlib.suppress(OSError):
            os.chmod(path, 0o400)  # the owner's choice stands, private


def atomic_write(path: Path, data: bytes) -> None:
    """Replace `path` with `data` whole or not at all. New files are 0600. For any file but
    a case (settings, registry, documents, exports); a case goes through `write_case`."""
    try:
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=TEMP_PREFIX, suffix=".part")
    except OSError as error:
        raise VisitesError(f"écriture impossible : {reason(error)}", path=path) from None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise VisitesError(
            f"écriture impossible : {reason(error)} ; le fichier précédent est intact", path=path
        ) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
