"""One write path: every file visites writes goes through `visites.files`, and a case file
through one function there (`write_case`, with its link and read-only checks), called by
`Folder._write` (which reads back what it writes first) and by git's merge driver.

Read from the source with `ast`, like the architecture test: a module that writes a file its
own way (`os.replace`, a temp file, `open(…, "w")`, `write_text`) fails here, unless it is
named below with the file it writes, which is never a case.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from tests.test_architecture import MODULES
from tests.test_git import referral, scripted_editor

WRITE_PATH = "visites.files"
# The only callers of `write_case`: the store (`Folder._write`: create, update, rewrite, a
# hand edit's `replace`), the merge driver (the merged text, into git's file) and sync's
# `write_decided` (what a sync decided a case holds: a choice, a renumbering, a hand edit).
CASE_WRITERS = {
    "visites.store",
    "visites.services.sync.mergedriver",
    "visites.services.sync.files",
}
# Callers of `atomic_write`, each for files that are not cases (inside a command, such a
# file is written by `Journal.write`, which refuses a case file's name).
OTHER_FILES = {
    "visites.services.documents": "a document (--output)",
    "visites.services.privacy": "the right-of-access export (--output)",
    "visites.services.tombstones": "the registry of erased IDs, .gitattributes",
    "visites.services.folder": "visites init's files, visites.yaml's open lists",
    "visites.services.fingerprints": "the registry's key (registre.cle), its fingerprints",
    "visites.services.importing": "the mapping --write-mapping writes (outside the folder)",
    "visites.cli.output": "an export (--output)",
    "visites.cli.completion": "the shell's completion script",
    "visites.services.sync.decide": "the registry (sorted)",
    "visites.services.sync.files": "a file a merge decided that is not a case (write_decided)",
}
# Modules writing a file of their own their own way; none of them is a case file.
OWN_WAY = {
    "visites.git.state": "visites' JSON notes in .git/visites and .visites-cache (temp file)",
    "visites.services.sync.decide": "a renumbered case's three sides, in a temp dir under .git",
    "visites.git.run": "the pre-commit hook in .git/hooks",
    "visites.cli.git_cmds": "the private copy `visites edit` opens in the editor",
    "visites.cli.completion": "the line added to the shell's start-up file",
    "visites.cache.index": "the SQLite index (created empty, written by sqlite)",
}
RAW = {("os", "replace"), ("os", "rename"), ("os", "fdopen"), ("tempfile", "mkstemp"),
       ("tempfile", "NamedTemporaryFile"), ("shutil", "copy"), ("shutil", "copyfile"),
       ("shutil", "move")}  # fmt: skip
WRITING_FLAGS = {"O_WRONLY", "O_RDWR", "O_CREAT", "O_APPEND", "O_TRUNC"}


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _mode(call: ast.Call, position: int) -> str:
    """The mode of an `open` call, "" when it is not a literal (read)."""
    given = call.args[position] if len(call.args) > position else None
    given = next((k.value for k in call.keywords if k.arg == "mode"), given)
    return given.value if isinstance(given, ast.Constant) and isinstance(given.value, str) else ""


def writes(source: str) -> list[str]:
    """What `source` does to write a file by itself, one line per call."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func, line = node.func, f"line {node.lineno}"
        if isinstance(func, ast.Attribute):
            owner = _name(func.value)
            if (owner, func.attr) in RAW and not (func.attr == "fdopen" and "r" in _mode(node, 1)):
                found.append(f"{line}: {owner}.{func.attr}")
            elif func.attr == "open" and owner == "os":
                flags = {n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)}
                if flags & WRITING_FLAGS:
                    found.append(f"{line}: os.open for writing")
            elif func.attr == "open" and set(_mode(node, 0)) & set("wax+"):
                found.append(f"{line}: .open({_mode(node, 0)!r})")
            elif func.attr in ("write_text", "write_bytes", "rename") and not (
                # click's help formatter has a write_text too: it prints, it writes no file
                owner == "formatter" or (isinstance(func.value, ast.Call)
                                         and _name(func.value.func) == "super")
            ):  # fmt: skip
                found.append(f"{line}: .{func.attr}()")
        elif isinstance(func, ast.Name) and func.id == "open" and set(_mode(node, 1)) & set("wax+"):
            found.append(f"{line}: open({_mode(node, 1)!r})")
    return found


def calls(source: str, name: str) -> bool:
    return any(
        isinstance(node, ast.Call) and _name(node.func) == name
        for node in ast.walk(ast.parse(source))
    )


def sources() -> dict[str, str]:
    return {module: path.read_text(encoding="utf-8") for module, path in MODULES.items()}


def test_only_the_write_path_writes_a_file_its_own_way() -> None:
    wrong = [
        f"{module} {what}"
        for module, source in sources().items()
        if module != WRITE_PATH and module not in OWN_WAY
        for what in writes(source)
    ]
    assert not wrong, "write through visites.files (atomic_write, write_case):\n" + "\n".join(wrong)


def test_a_case_file_is_written_by_write_case_only_from_the_store_and_the_merge_driver() -> None:
    callers = {
        m for m, source in sources().items() if m != WRITE_PATH and calls(source, "write_case")
    }
    assert callers == CASE_WRITERS


def test_atomic_write_is_called_only_for_files_that_are_not_cases() -> None:
    callers = {
        m for m, source in sources().items()
        if m != WRITE_PATH and calls(source, "atomic_write")
    }  # fmt: skip
    assert callers <= set(OTHER_FILES), sorted(callers - set(OTHER_FILES))
    assert set(OTHER_FILES) <= callers, "a module no longer writes: drop it from OTHER_FILES"


def test_the_walk_sees_each_way_of_writing_a_file() -> None:
    source = (
        "import os, tempfile\n"
        "os.replace(a, b)\n"
        "fd, name = tempfile.mkstemp()\n"
        "with open(path, 'wb') as out: pass\n"
        "path.write_text('x')\n"
        "os.close(os.open(path, os.O_RDWR | os.O_CREAT))\n"
        "with path.open('a') as out: pass\n"
        "with open(path, 'rb') as handle: pass\n"  # reading: fine
        "formatter.write_text(help)\n"  # click's formatter: fine
    )
    assert sorted(writes(source)) == [
        "line 2: os.replace", "line 3: tempfile.mkstemp", "line 4: open('wb')",
        "line 5: .write_text()", "line 6: os.open for writing", "line 7: .open('a')",
    ]  # fmt: skip


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links")
def test_a_hand_edit_of_a_case_file_that_is_a_link_is_refused_and_changes_nothing(
    run, cases: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`visites edit` writes through the same checks as every other write: a link is never
    replaced by a copy (its target, maybe outside the folder, would keep the old text)."""
    case_id = referral(run, phone="06 00 00 00 00")
    path = cases / f"{case_id}.yaml"
    target = tmp_path / "ailleurs.yaml"
    target.write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(target)
    original = target.read_bytes()
    scripted_editor(tmp_path, monkeypatch, original.decode().replace("06 00", "06 99"))
    result = run("edit", case_id)
    assert result.code == 1
    assert "lien symbolique" in result.err and "votre version est gardée" in result.err
    assert path.is_symlink() and target.read_bytes() == original


def test_the_journal_never_writes_a_case_file_past_the_folders_checks(tmp_path: Path) -> None:
    from visites.files import Journal

    journal = Journal()
    with pytest.raises(ValueError, match="Folder"):
        journal.write(tmp_path / "2015-001.yaml", b"id: 2015-001\n")
    assert not (tmp_path / "2015-001.yaml").exists() and journal.paths == []
    journal.write(tmp_path / "reunions.txt", b"2015-06-01\n")
    assert journal.paths == [tmp_path / "reunions.txt"]


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links")
def test_what_a_sync_decides_for_a_case_never_writes_through_a_link(tmp_path: Path) -> None:
    """A merge's choice, a renumbered case, a hand edit put back: a case file goes through
    `write_case` (a link refused, its target untouched); any other file is written."""
    from visites.errors import VisitesError
    from visites.services.sync.files import write_decided

    target = tmp_path / "ailleurs.yaml"
    target.write_bytes(b"id: 2015-001\n")
    (tmp_path / "2015-001.yaml").symlink_to(target)
    with pytest.raises(VisitesError, match="lien symbolique"):
        write_decided(tmp_path, "2015-001.yaml", b"id: 2015-001\nmenage: Autre\n")
    assert target.read_bytes() == b"id: 2015-001\n"
    write_decided(tmp_path, "2015-002.yaml", b"id: 2015-002\n")
    write_decided(tmp_path, "registre.yaml", b"supprimes: []\n")
    assert (tmp_path / "2015-002.yaml").read_bytes() == b"id: 2015-002\n"
    assert (tmp_path / "registre.yaml").read_bytes() == b"supprimes: []\n"
