"""A case file its owner made read-only (chmod 444): a workflow write is refused, with one
French line and the file unchanged; an erasure and a sync warn and go on (a file mode can
block neither the household's right to erasure nor the team's changes)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.entry_point import refused, visites
from visites.cli import main


def init(folder: Path) -> None:
    assert main(["init", str(folder)]) == 0


def cli(folder: Path, *args: str) -> None:
    assert main(["--cases", str(folder), *args]) == 0, args


def git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True)


@pytest.fixture
def read_only_case(tmp_path) -> tuple[Path, Path]:
    folder = tmp_path / "dossiers"
    init(folder)
    cli(folder, "new-referral", "--household", "Famille Fige", "--commune", "Nantes",
        "--context", "entree", "--referrer", "Mme Lebrun", "--date", "2015-01-12")  # fmt: skip
    cli(folder, "consent", "2015-001", "--date", "2015-01-20")
    cli(folder, "orient", "2015-001", "--to", "accompagnement", "--date", "2015-02-01")
    cli(folder, "close", "2015-001", "--date", "2015-06-01")
    path = folder / "2015-001.yaml"
    path.chmod(0o444)
    return folder, path


@pytest.mark.parametrize("command", [
    ["event", "2015-001", "--kind", "visite", "--date", "2015-02-02"],
    ["share", "2015-001", "--date", "2015-02-02"],
    ["document", "2015-001", "attestation-accompagnement", "--output", "{out}"],
])  # fmt: skip
def test_a_workflow_write_to_a_read_only_case_file_is_refused(read_only_case, command) -> None:
    folder, path = read_only_case
    before = path.read_bytes()
    out = folder.parent / "attestation.md"
    ran = refused(folder, *(str(out) if arg == "{out}" else arg for arg in command))
    assert "2015-001.yaml est en lecture seule" in ran.err
    assert len(ran.err.strip().splitlines()) == 1
    assert path.read_bytes() == before and path.stat().st_mode & 0o777 == 0o444
    assert not out.exists()


def test_a_hand_edit_of_a_read_only_case_file_is_refused_before_the_editor(
    read_only_case, monkeypatch
) -> None:
    folder, path = read_only_case
    monkeypatch.setenv("EDITOR", "false")  # would fail if it were opened
    ran = refused(folder, "edit", "2015-001")
    assert "2015-001.yaml est en lecture seule" in ran.err


def test_anonymise_and_delete_a_read_only_case_file_warn_and_go_on(read_only_case) -> None:
    folder, path = read_only_case
    ran = visites(folder, "anonymise", "2015-001", "--yes")
    assert ran.code == 0, ran.err
    assert "2015-001.yaml était en lecture seule : anonymisé quand même" in ran.err
    assert b"Fige" not in path.read_bytes()
    assert path.stat().st_mode & 0o777 == 0o400  # still read-only, still private
    ran = visites(folder, "delete", "2015-001", "--yes")
    assert ran.code == 0 and "2015-001.yaml était en lecture seule : supprimé quand même" in ran.err
    assert not path.exists()


def test_sync_updates_a_read_only_case_file_warns_and_keeps_it_read_only(tmp_path) -> None:
    a, b, remote = tmp_path / "poste-a", tmp_path / "poste-b", tmp_path / "equipe.git"
    init(a)
    for number in (1, 2):
        cli(a, "new-referral", "--household", f"Famille {number}", "--commune", "Nantes",
            "--context", "entree", "--referrer", "Mme Lebrun", "--date", "2015-01-12")  # fmt: skip
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(a, "remote", "add", "origin", str(remote))
    assert visites(a, "sync").code == 0
    git(tmp_path, "clone", "-q", str(remote), str(b))
    cli(b, "event", "2015-001", "--kind", "visite", "--date", "2015-02-01")
    assert visites(b, "sync").code == 0
    for number in (1, 2):
        (a / f"2015-00{number}.yaml").chmod(0o444)
    ran = visites(a, "sync")
    assert ran.code == 0, ran.err
    assert "2015-001.yaml est en lecture seule : mis à jour quand même" in ran.err
    assert "2015-002.yaml" not in ran.err  # not changed by the merge: nothing to say
    assert "visite" in (a / "2015-001.yaml").read_text(encoding="utf-8")
    for number in (1, 2):  # read-only still, and private (not git's 0644, nor the 0444)
        assert (a / f"2015-00{number}.yaml").stat().st_mode & 0o777 == 0o400
