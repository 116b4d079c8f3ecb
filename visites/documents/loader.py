"""Where a template may read from: only regular `.html` files inside the templates folders
(the case folder's `templates/`, then the packaged defaults). No symbolic link anywhere on
the way, no `..`, no absolute path, no hard link (another name for a case file), no file
past `MAX_TEMPLATE_BYTES`. A refusal is a `TemplateRefused` naming the template and why.

`templates/` travels through `sync`: a link planted by one clone must not make another
clone's letter include a case file.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path

import jinja2

MAX_TEMPLATE_BYTES = 256 * 1024
SUFFIX = ".html"

_NAME_PART = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")


class TemplateRefused(jinja2.TemplateNotFound):
    """A template that exists but may not be read (a link, outside the folder…)."""

    def __init__(self, name: str, why: str) -> None:
        super().__init__(name)
        self.name, self.why = name, why


# ---------------------------------------------------------------------------- reading


class FolderLoader(jinja2.BaseLoader):
    """Regular `.html` files inside `folders`, first found wins, nothing else."""

    def __init__(self, folders: list[Path]) -> None:
        self.folders = folders

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        parts = template.split("/")
        if not template.endswith(SUFFIX) or not all(_NAME_PART.fullmatch(p) for p in parts):
            raise TemplateRefused(
                template,
                "un modèle est un fichier .html du dossier templates, nommé sans « .. », "
                "sans chemin absolu ni caractère spécial",
            )
        for folder in self.folders:
            found = self._open(folder, parts, template)
            if found is not None:
                return found
        raise jinja2.TemplateNotFound(template)

    def _open(
        self, folder: Path, parts: list[str], template: str
    ) -> tuple[str, str, Callable[[], bool]] | None:
        try:
            if stat.S_ISLNK(folder.lstat().st_mode):
                raise TemplateRefused(template, f"le dossier {folder} est un lien symbolique")
        except FileNotFoundError:
            return None
        path = folder
        for part in parts:  # no link on the way: the file is where its name says
            path = path / part
            try:
                mode = path.lstat().st_mode
            except FileNotFoundError:
                return None
            if stat.S_ISLNK(mode):
                raise TemplateRefused(template, f"{path} est un lien symbolique")
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError as error:
            raise TemplateRefused(template, f"{path} illisible ({error.strerror})") from None
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise TemplateRefused(template, f"{path} n'est pas un fichier ordinaire")
            if info.st_nlink > 1:
                why = f"{path} a plusieurs noms (lien physique) : ce peut être un dossier de ménage"
                raise TemplateRefused(template, why)
            if info.st_size > MAX_TEMPLATE_BYTES:
                raise TemplateRefused(template, f"{path} dépasse {MAX_TEMPLATE_BYTES // 1024} Ko")
            raw = handle.read(MAX_TEMPLATE_BYTES + 1)
        try:
            source = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise TemplateRefused(template, f"{path} n'est pas en UTF-8") from None
        key = (info.st_ino, info.st_size, info.st_mtime_ns)

        def uptodate() -> bool:
            with contextlib.suppress(OSError):
                now = path.lstat()
                return (now.st_ino, now.st_size, now.st_mtime_ns) == key
            return False

        return source, str(path), uptodate
