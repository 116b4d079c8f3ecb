"""The files a merge touched, after it: their validity (never the whole folder), their
rights (private, read-only kept read-only), the conflicts left to decide and how they are
described, and `--mine` / `--theirs` for a conflicted text file."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from visites.casefile import brief
from visites.errors import Problem, VisitesError
from visites.git import merge as gitmerge
from visites.git import run as gitops
from visites.merge import plan as syncplan
from visites.merge.plan import Hunk
from visites.services.sync.report import CaseConflict, Choices, SyncReport
from visites.store import CASE_FILE, SETTINGS_FILE, Folder


def read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


def write_decided(root: Path, path: str, content: bytes) -> None:
    """Write what sync decided a file holds (a merge's choice, a renumbered or kept case, a
    hand edit put back): a case file through the one case write (`write_case`: never over
    a link; a file its owner made read-only stays so), any other file atomically."""
    from visites.files import atomic_write, write_case

    if match := CASE_FILE.fullmatch(path):
        write_case(root / path, content, match.group(1), despite_read_only=True)
    else:
        atomic_write(root / path, content)


def fingerprints(root: Path, paths: list[str]) -> dict[str, str]:
    return {p: gitmerge.blob_id(raw) for p in paths if (raw := read_bytes(root / p)) is not None}


def settings(folder: Folder, paths: list[str]):  # noqa: ANN202 - Config, imported lazily
    """The settings to check the merged cases with: read again if the merge changed them."""
    if SETTINGS_FILE not in paths:
        return folder.config
    from visites.config import Config
    from visites.store import load_config

    try:
        return load_config(folder.root)
    except VisitesError:
        return Config()  # the settings' own problem is reported by invalid


def invalid(folder: Folder, paths: list[str], report: SyncReport) -> bool:
    """Errors in the files the merge changed (never the whole folder): cases, settings."""
    from visites import casefile
    from visites.errors import InvalidFile
    from visites.store import load_config

    root = folder.root
    problems: list[Problem] = []
    for path in paths:
        full = root / path
        match = CASE_FILE.fullmatch(path)
        if match:
            raw = read_bytes(full)
            if raw is not None:
                parsed = casefile.parse(raw, str(full), folder.config, expected_id=match.group(1))
                problems += parsed.errors
        elif path == SETTINGS_FILE and full.exists():
            try:
                load_config(root)
            except InvalidFile as error:
                problems += error.problems
            except VisitesError as error:
                problems.append(Problem(str(full), None, error.message))
    report.invalid = [
        p
        for p in problems
        if "conflit de fusion" not in p.message and "marqueur de conflit" not in p.message
    ]
    return bool(problems)


def keep_private(root: Path, paths: list[str], locked: dict[str, bytes]) -> None:
    """Git writes files with the user's umask (often readable by all): case files go back to
    0600 after a merge (0400 for those their owner had made read-only: `locked`). Only the
    files the merge wrote (`private_everywhere` does the whole folder)."""
    for path in paths:
        if CASE_FILE.fullmatch(Path(path).name):
            full = root / path
            with contextlib.suppress(OSError):
                wanted = 0o400 if path in locked else 0o600
                if full.stat().st_mode & 0o777 != wanted:
                    full.chmod(wanted)


def private_everywhere(root: Path) -> None:
    """Every case file readable by its owner only (0600; 0400 when the owner made it
    read-only), at each sync: a `git clone`, or a `git pull` made by hand, writes them with
    the user's umask, often readable by every account of the machine. One pass over the
    folder, a chmod only where the mode is wrong (10,000 files: a few hundredths of a
    second)."""
    with os.scandir(root) as entries:
        for entry in entries:
            if not CASE_FILE.fullmatch(entry.name):
                continue
            with contextlib.suppress(OSError):
                mode = entry.stat(follow_symlinks=False).st_mode
                if not stat.S_ISREG(mode):
                    continue
                wanted = 0o600 if mode & stat.S_IWUSR else 0o400
                if mode & 0o777 != wanted:
                    os.chmod(entry.path, wanted)


def read_only_files(root: Path, paths: list[str]) -> dict[str, bytes]:
    """The case files among `paths` their owner made read-only, with their bytes: a merge
    must not make them writable without a word (nor can they block the team's changes)."""
    from visites.store import read_only

    found = {}
    for path in paths:
        if CASE_FILE.fullmatch(path) and read_only(root / path):
            content = read_bytes(root / path)
            if content is not None:
                found[path] = content
    return found


def erased(path: Path) -> bool:
    """The case file is gone, or anonymised (after a merge)."""
    content = read_bytes(path)
    return content is None or b"\nanonymise_le:" in b"\n" + content


def take_sides(root: Path, choices: Choices) -> None:
    """`--mine FILE` / `--theirs FILE`: a conflicted non-case file (settings, template)
    takes one side whole."""
    for option, names, side in (
        ("--mine", choices.mine, "--ours"),
        ("--theirs", choices.theirs, "--theirs"),
    ):
        for name in names:
            relative = name.strip("/")
            if relative not in gitmerge.unmerged(root):
                raise VisitesError(
                    f"{option} {name} : ce fichier n'est pas en conflit ; "
                    "relancez « visites sync » sans cette option"
                )
            done = gitops.git(root, "checkout", side, "--", relative, check=False)
            if done.returncode != 0:  # that side deleted it
                gitops.git(root, "rm", "-q", "--", relative, check=False)
            else:
                gitmerge.stage(root, [relative])


def still_conflicted(root: Path, path: str) -> bool:
    raw = read_bytes(root / path)
    if raw is None:
        return False
    text = raw.decode("utf-8", "replace")
    if syncplan.text_conflicts(text):
        return True
    return CASE_FILE.fullmatch(path) is not None and "\nconflit_visites:" in "\n" + text


def describe_conflicts(folder: Folder, paths: list[str], report: SyncReport) -> None:
    """Each file left to decide: a case's fields, or a text file's lines (both values)."""
    from visites.merge.casediff import CONFLICT_KEY

    root = folder.root
    for path in paths:
        raw = read_bytes(root / path)
        text = (raw or b"").decode("utf-8", "replace")
        match = CASE_FILE.fullmatch(path)
        tree = syncplan.tree_of(raw) if match else None
        if match and isinstance(tree, dict) and CONFLICT_KEY in tree:
            fields = []
            for entry in tree[CONFLICT_KEY] if isinstance(tree[CONFLICT_KEY], list) else []:
                if isinstance(entry, dict):
                    name, why = str(entry.get("champ", "?")), str(entry.get("motif") or "")
                    here, there = brief(entry.get("locale")), brief(entry.get("distante"))
                    fields.append((name, here, there, why))
            report.case_conflicts.append(CaseConflict(match.group(1), path, fields))
        elif match and raw is None:
            report.case_conflicts.append(
                CaseConflict(
                    match.group(1),
                    path,
                    [("(dossier entier)", "supprimé d'un côté", "modifié de l'autre", "")],
                )
            )
        else:
            whole = Hunk(1, "modifié d'un côté", "supprimé de l'autre")
            report.text_conflicts.append((path, syncplan.text_conflicts(text) or [whole]))
