"""Attacks on the team contract (issue #11), each with real clones of a bare remote,
through the CLI. Each one broke the contract once and was fixed; every test states what must
hold, so that it stays fixed. The shell versions are in tests/repro/ (`bash
tests/repro/NN-….sh` prints OK or what went wrong).
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.team_kit import Clone, households, make_team


@pytest.fixture
def team(tmp_path: Path) -> list[Clone]:
    return make_team(tmp_path, ("a", "b"), cases=3)


def attack(reason: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=True, reason=reason)


def visit_by_hand(clone: Clone, case_id: str, note: str) -> None:
    """A visit added to the end of the events, in any editor (valid for `visites check`)."""
    path = clone.path / f"{case_id}.yaml"
    with path.open("a", encoding="utf-8") as out:
        out.write(f"  - date: 2015-02-09\n    type: visite\n    note: {note}\n")


def in_history(clone: Clone, text: str) -> bool:
    return text in clone.git("log", "-p", "--all")


# ------------------------------------------------------------------------ data lost


def test_a_hand_edit_made_after_a_killed_sync_is_never_discarded(tmp_path: Path) -> None:
    a, b = make_team(tmp_path, ("a", "b"), cases=3)
    a.event("2015-001", "note A")
    a.ok("sync")
    b.event("2015-001", "note B", day="2015-02-05")
    assert b.sync_killed("ref:prepared:refs/heads", tmp_path)  # killed in the merge commit
    visit_by_hand(b, "2015-001", "visite notée à la main")
    assert b.run("check").code == 0
    done = b.run("sync")
    kept = "visite notée à la main" in b.text("2015-001") or in_history(b, "visite notée à la main")
    stopped_naming_it = done.code == 1 and "2015-001.yaml" in done.err
    assert kept or stopped_naming_it, done.out + done.err


def test_a_file_the_merge_driver_failed_on_is_never_concluded_as_the_local_version(
    tmp_path: Path,
) -> None:
    a, b = make_team(tmp_path, ("a", "b"), cases=3)
    for n in (1, 2, 3):
        a.event(f"2015-00{n}", f"note A {n}")
    a.ok("sync")
    for n in (1, 2, 3):
        b.event(f"2015-00{n}", f"note B {n}", day="2015-02-05")
    driver = tmp_path / "driver.sh"
    count = tmp_path / "count"
    driver.write_text(
        "#!/bin/sh\n"
        f'n=$(cat "{count}" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "{count}"\n'
        "if [ $n = 2 ]; then kill -KILL $$; fi\n"  # the driver alone dies (OOM killer)
        f'exec "{sys.executable}" -m visites.services.sync.mergedriver "$@"\n'
    )
    driver.chmod(0o755)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GIT_CONFIG_COUNT", "1")
        patch.setenv("GIT_CONFIG_KEY_0", "merge.visites.driver")
        patch.setenv("GIT_CONFIG_VALUE_0", f"{driver} %O %A %B %P")
        first = b.run("sync")
    assert first.code == 1
    b.run("sync")
    a.run("sync")
    for clone in (a, b):
        assert {"note A 2", "note B 2"} <= set(clone.notes("2015-002")), clone.name
    assert "supprimé" not in first.err, "nothing was deleted: the message is wrong"


def test_a_comment_written_by_a_colleague_survives_the_merge(team: list[Clone]) -> None:
    a, b = team
    path = b.path / "2015-003.yaml"
    path.write_text(path.read_text().replace("\nmenage:", "\n# Ne pas appeler le soir\nmenage:", 1))
    b.git("commit", "-q", "-am", "2015-003: commentaire")
    b.ok("sync")
    a.event("2015-003", "visite à domicile")
    a.ok("sync")
    b.ok("sync")
    assert "# Ne pas appeler le soir" in b.text("2015-003")


# ------------------------------------------------------------------------ households mixed


def test_an_id_whose_file_left_by_hand_is_never_given_to_another_household(
    team: list[Clone],
) -> None:
    a, b = team
    b.event("2015-003", "note sur la famille Trois")
    (a.path / "2015-003.yaml").unlink()
    new = a.referral("Famille Nouvelle")
    assert new != "2015-003"


def test_a_deletion_committed_as_sync_advises_never_frees_the_id(tmp_path: Path) -> None:
    a, b = make_team(tmp_path, ("a", "b"), cases=3)
    (a.path / "2015-003.yaml").unlink()
    stopped = a.run("sync")
    assert "git add 2015-003.yaml puis git commit" in stopped.err
    a.git("add", "2015-003.yaml")
    a.git("commit", "-q", "-m", "2015-003 retiré")
    a.ok("sync")
    assert a.referral("Famille Nouvelle") != "2015-003"


def test_a_renumbering_whose_sync_was_killed_is_told_by_the_next_sync(tmp_path: Path) -> None:
    a, b = make_team(tmp_path, ("a", "b"), cases=3)
    a.referral("Famille Alpha")
    a.ok("sync")
    assert b.referral("Famille Beta") == "2015-004"
    assert b.sync_killed("ref:prepared:refs/heads", tmp_path)  # the renumbering commit
    done = b.run("sync")
    assert done.code == 0, done.err
    assert "votre dossier 2015-004 devient 2015-005" in done.out + done.err


def test_two_homonym_households_created_offline_stay_two_cases(team: list[Clone]) -> None:
    a, b = team
    a.referral("Famille Martin", day="2015-03-02")
    b.referral("Famille Martin", day="2015-03-02")
    a.event("2015-004", "Martin, rue des Lilas", day="2015-03-05")
    b.event("2015-004", "Martin, quai de la Fosse", day="2015-03-06")
    a.ok("sync")
    b.ok("sync")
    a.ok("sync")
    holding = [
        case_id
        for case_id in households(a.path)
        if {"Martin, rue des Lilas", "Martin, quai de la Fosse"} <= set(a.notes(case_id))
    ]
    assert holding == []


def test_after_a_colleagues_force_push_a_shared_case_keeps_its_id_and_its_notes(
    tmp_path: Path,
) -> None:
    a, b, c = make_team(tmp_path, ("a", "b", "c"), cases=3)
    a.referral("Famille Alpha")
    a.ok("sync")
    b.ok("sync")
    c.referral("Famille Gamma")
    c.git("push", "-q", "--force", "origin", "HEAD")
    b.event("2015-004", "visite chez la famille Alpha", day="2015-02-05")
    for clone in (a, b, c, a):
        done = clone.run("sync")
        assert done.code == 0, done.out + done.err
    text = a.text("2015-004")
    assert not ("Gamma" in text and "famille Alpha" in text)
    assert "Alpha" in text and "visite chez la famille Alpha" in a.notes("2015-004")
    assert any("Gamma" in a.text(case_id) for case_id in households(a.path))


# ------------------------------------------------------------------------ erasures undone


def test_undo_never_brings_back_an_erasure_received_from_a_colleague(team: list[Clone]) -> None:
    a, b = team
    a.ok("delete", "2015-003", "--yes")
    a.ok("sync")
    b.ok("sync")
    head = b.head()
    undone = b.run("undo", "--yes")
    assert undone.code == 1 and "2015-003.yaml" in undone.err, undone.out + undone.err
    assert b.head() == head and not b.git("status", "--porcelain")
    b.run("sync")
    a.run("sync")
    assert not (a.path / "2015-003.yaml").exists()


def test_a_git_pull_by_hand_then_sync_never_brings_back_a_deleted_case(
    team: list[Clone],
) -> None:
    a, b = team
    a.ok("close", "2015-003", "--date", "2015-02-10")
    a.ok("delete", "2015-003", "--yes")
    a.ok("sync")
    b.event("2015-003", "visite chez la famille Trois")
    b.git("pull", "-q", "--no-rebase", check=False)  # stops: modify/delete
    done = b.run("sync")
    a.run("sync")
    assert not (a.path / "2015-003.yaml").exists(), done.out + done.err
    assert done.code == 1 and "2015-003 a été supprimé par un·e collègue" in done.err


def test_sync_never_records_a_file_under_an_erased_id(team: list[Clone]) -> None:
    a, b = team
    backup = (a.path / "2015-003.yaml").read_bytes()
    a.ok("close", "2015-003", "--date", "2015-02-10")
    a.ok("delete", "2015-003", "--yes")
    a.ok("sync")
    (a.path / "2015-003.yaml").write_bytes(backup)  # restored from a backup
    stopped = a.run("sync")
    assert stopped.code == 1 and "2015-003.yaml" in stopped.err, stopped.out + stopped.err
    assert stopped.err.count("\n") == 1 and "Traceback" not in stopped.err
    b.run("sync")
    assert not (b.path / "2015-003.yaml").exists()


# ------------------------------------------------------------------------ privacy, messages


def test_the_first_sync_of_a_fresh_clone_makes_the_case_files_private(tmp_path: Path) -> None:
    a, _ = make_team(tmp_path, ("a", "b"), cases=2)
    fresh = tmp_path / "fresh"
    old = os.umask(0o022)
    try:
        subprocess.run(["git", "clone", "-q", str(tmp_path / "equipe.git"), str(fresh)], check=True)
    finally:
        os.umask(old)
    clone = Clone("fresh", fresh)
    clone.git("config", "user.name", "Poste F")
    clone.git("config", "user.email", "f@example.org")
    clone.ok("sync")
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in fresh.glob("2015-*.yaml")}
    assert set(modes.values()) == {0o600}, modes
