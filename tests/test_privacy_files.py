"""Files and folders private whatever the umask; no personal data in names or errors."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import referral
from privacy_support import ok

from visites.cli import main
from visites.store import Folder, atomic_write, private_folder


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_every_file_and_folder_is_private_under_umask_022(umask_022, tmp_path, capsys) -> None:
    folder = tmp_path / "nouveau" / "dossiers"
    assert main(["init", str(folder)]) == 0

    def run(*args: str) -> None:
        assert main(["--cases", str(folder), *args]) == 0, capsys.readouterr().err

    run("new-referral", "--household", "Famille Droits", "--commune", "Nantes", "--context",
        "entree", "--referrer", "Mme L", "--date", "2015-01-12")  # fmt: skip
    run("consent", "2015-001", "--date", "2015-01-20")  # a rewrite, not a creation
    run("event", "2015-001", "--kind", "visite", "--date", "2015-01-25", "--note", "n")
    run("close", "2015-001", "--date", "2015-02-01")
    run("export", "2015-001", "--output", str(tmp_path / "acces.md"))
    run("export", "2015-001", "--output", str(tmp_path / "acces.html"))
    run("anonymise", "2015-001", "--yes")
    names = {p.name for p in folder.iterdir()}
    assert {".visites.lock", "visites.yaml", "LISEZMOI.md", ".gitignore", "2015-001.yaml"} <= names
    assert mode(folder) == 0o700
    for path in folder.rglob("*"):
        if ".git" in path.relative_to(folder).parts:  # git's own files: hooks are executable
            assert mode(path) & 0o077 == 0, path
        else:
            assert mode(path) == (0o700 if path.is_dir() else 0o600), path
    assert mode(tmp_path / "acces.md") == mode(tmp_path / "acces.html") == 0o600


def test_private_folder_and_atomic_write_ignore_the_umask(umask_022, tmp_path) -> None:
    cache = private_folder(tmp_path / "cases" / ".visites-cache")
    assert mode(cache) == 0o700
    loose = tmp_path / "loose"
    loose.mkdir(mode=0o755)
    assert mode(private_folder(loose)) == 0o700  # an existing folder is tightened
    target = cache / "index"
    target.write_bytes(b"old")
    os.chmod(target, 0o644)
    atomic_write(target, b"new")  # replacing a file readable by others
    assert mode(target) == 0o600 and target.read_bytes() == b"new"


def test_check_warns_when_the_folder_or_a_case_is_readable_by_others(run, cases) -> None:
    case_id = referral(run)
    os.chmod(cases / f"{case_id}.yaml", 0o644)
    os.chmod(cases, 0o755)
    result = run("check")
    assert "chmod 600" in result.err and "chmod 700" in result.err
    os.chmod(cases, 0o700)
    os.chmod(cases / f"{case_id}.yaml", 0o600)
    result = run("check")
    assert "chmod" not in result.out + result.err


# ---------------------------------------------------------------------------- names


NAME = "Famille Zébulon-Quastre"


def test_errors_about_a_case_name_its_id_never_the_household(run, cases) -> None:
    case_id = referral(run, NAME, "2015-01-12", address="9 impasse Quastre")
    closed = referral(run, NAME, "2015-01-13")
    ok(run, "close", closed, "--date", "2015-02-01")
    refused = [
        ("orient", case_id, "--to", "sans-suite"),  # before the adhesion
        ("renew", case_id),  # wrong phase
        ("share", case_id),  # no adhesion yet
        ("consent", case_id, "--date", "2099-01-01"),  # future date
        ("consent", case_id, "--date", "2014-01-01"),  # before the referral
        ("close", closed),  # already closed
        ("diagnose", case_id, "--problem", "dettes"),  # before the adhesion
        ("anonymise", case_id, "--yes"),  # still open
        ("anonymise", closed),  # no terminal, no --yes
        ("export", case_id, "--output", "acces.pdf"),  # unknown format
        ("event", case_id, "--kind", "visite", "--date", "2014-01-01"),  # before the referral
    ]
    for args in refused:
        result = run(*args)
        assert result.code in (1, 2), args
        assert case_id in result.err or closed in result.err or "--" in result.err, args
        for word in ("Zébulon", "Quastre"):
            assert word not in result.err + result.out, args


def test_file_names_hold_no_household_name(run, cases, tmp_path) -> None:
    case_id = referral(run, NAME, "2015-01-12")
    ok(run, "close", case_id, "--date", "2015-02-01")
    ok(run, "anonymise", case_id, "--yes")
    for path in cases.rglob("*"):
        assert not {"zébulon", "quastre", "famille"} & set(re.split(r"[\W_]+", path.name.lower()))
    assert [p.name for p in cases.glob("*.yaml")].count(f"{case_id}.yaml") == 1
    assert Folder(cases).case_ids() == [case_id]
