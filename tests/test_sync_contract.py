"""The team contract beyond the attacks of test_attack_sync.py: an ID names one household
forever and an erasure stays erased whatever path the files took (a file removed by hand, a
deletion committed by hand, a cache damaged, a history rewritten, a `git pull` by hand);
case files stay private; a commit git refuses is told, and the next sync records it."""

from __future__ import annotations

import contextlib
import os
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import Run, referral

from tests.team_kit import Clone, make_team
from visites.git import numbers as gitnumbers


def git(folder: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(folder), *args],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "LC_ALL": "C"},
    )
    return done.stdout


def identify(folder: Path) -> None:
    git(folder, "config", "user.name", "Poste A")
    git(folder, "config", "user.email", "poste@example.org")


def test_a_deletion_committed_by_hand_keeps_its_id_taken(run: Run, cases: Path) -> None:
    identify(cases)
    assert [referral(run, f"Famille {n}") for n in ("Un", "Deux", "Trois")][-1] == "2015-003"
    git(cases, "rm", "-q", "2015-003.yaml")
    git(cases, "commit", "-q", "-m", "retiré à la main")
    assert referral(run, "Famille Nouvelle") == "2015-004"


def test_the_ids_git_knew_are_found_again_after_the_walk_is_lost(run: Run, cases: Path) -> None:
    identify(cases)
    for name in ("Un", "Deux", "Trois"):
        referral(run, f"Famille {name}")
    git(cases, "rm", "-q", "2015-003.yaml")
    git(cases, "commit", "-q", "-m", "retiré à la main")
    cache = cases.joinpath(*gitnumbers.CACHE)
    cache.write_text("{pas du json", encoding="utf-8")  # damaged
    assert gitnumbers.ever_given(cases) == {"2015": 3}
    # A tip walked before that git no longer has (a history rewritten): walked again.
    cache.write_text('{"tips": ["' + "0" * 40 + '"], "annees": {}}', encoding="utf-8")
    assert gitnumbers.ever_given(cases) == {"2015": 3}
    assert referral(run, "Famille Nouvelle") == "2015-004"


def test_an_id_only_the_index_tracks_is_never_given_again(run: Run, cases: Path) -> None:
    identify(cases)
    referral(run, "Famille Un")
    (cases / "2015-002.yaml").write_bytes((cases / "2015-001.yaml").read_bytes())
    git(cases, "add", "2015-002.yaml")  # staged, never committed, then removed from the tree
    (cases / "2015-002.yaml").unlink()
    assert referral(run, "Famille Nouvelle") == "2015-003"


def test_undo_refuses_ones_own_erasure_once_synced_and_allows_it_before(
    tmp_path: Path,
) -> None:
    a, _ = make_team(tmp_path, ("a", "b"), cases=3)
    a.ok("delete", "2015-002", "--yes")
    a.ok("undo", "--yes")  # not sent yet: a mistake undone on this clone only
    assert (a.path / "2015-002.yaml").exists()
    a.ok("delete", "2015-003", "--yes")
    a.ok("sync")
    head = a.head()
    refused = a.run("undo", "--yes")
    assert refused.code == 1
    assert refused.err.count("\n") == 1 and "dossier 2015-003 (2015-003.yaml)" in refused.err
    assert "synchronisée" in refused.err and "Traceback" not in refused.err
    assert a.head() == head and not (a.path / "2015-003.yaml").exists()


def test_a_git_pull_by_hand_stops_on_an_erasure_then_concludes_as_the_user_chose(
    tmp_path: Path,
) -> None:
    a, b = make_team(tmp_path, ("a", "b"), cases=3)
    a.ok("delete", "2015-003", "--yes")
    a.ok("delete", "2015-002", "--yes")
    a.ok("sync")
    b.event("2015-003", "visite chez la famille Trois")
    b.event("2015-002", "visite chez la famille Deux")
    b.git("pull", "-q", "--no-rebase", check=False)  # stops: modify/delete, twice
    stopped = b.run("sync")
    assert stopped.code == 1 and "--accept-erasure 2015-002" in stopped.err
    assert b.run("sync").code == 1  # nothing restored on its own: the same stop again
    done = b.run("sync", "--accept-erasure", "2015-003", "--keep-as-new", "2015-002")
    assert done.code == 0, done.out + done.err
    a.ok("sync")
    for clone in (a, b):
        assert not (clone.path / "2015-003.yaml").exists(), clone.name
        assert not (clone.path / "2015-002.yaml").exists(), clone.name
        assert "visite chez la famille Deux" in clone.notes("2015-004"), clone.name
        assert "visite chez la famille Trois" not in clone.git("grep", "-h", "note", "HEAD")


def test_a_case_file_a_git_pull_by_hand_wrote_is_private_after_the_next_sync(
    tmp_path: Path,
) -> None:
    a, b = make_team(tmp_path, ("a", "b"), cases=2)
    a.referral("Famille Nouvelle")
    a.ok("sync")
    old = os.umask(0o022)
    try:
        b.git("pull", "-q", "--no-rebase")  # a fast-forward: git writes 2015-003 as 0644
    finally:
        os.umask(old)
    (b.path / "2015-001.yaml").chmod(0o444)  # made read-only by its owner: stays read-only
    b.ok("sync")
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in b.path.glob("2015-*.yaml")}
    assert modes == {"2015-001.yaml": 0o400, "2015-002.yaml": 0o600, "2015-003.yaml": 0o600}


@contextlib.contextmanager
def read_only_git(clone: Clone) -> Iterator[None]:
    """The clone's `.git` read-only, as on a share mounted read-only: a bind mount as root
    (chmod does not stop root), the write bits off otherwise."""
    git_dir = clone.path / ".git"
    if os.geteuid() == 0:
        mounted = subprocess.run(["mount", "--bind", str(git_dir), str(git_dir)], check=False)
        if mounted.returncode != 0:
            pytest.skip("root without mount: a read-only .git cannot be made here")
        try:
            remount = ["mount", "-o", "remount,bind,ro", str(git_dir)]
            if subprocess.run(remount, check=False).returncode != 0:
                pytest.skip("root without a read-only remount: .git stays writable")
            yield
        finally:
            subprocess.run(["umount", str(git_dir)], check=False)
        return
    folders = [git_dir, *(p for p in git_dir.rglob("*") if p.is_dir())]
    for folder in folders:
        folder.chmod(folder.stat().st_mode & ~0o222)
    try:
        yield
    finally:
        for folder in folders:
            folder.chmod(folder.stat().st_mode | 0o200)


def test_a_commit_git_refuses_is_told_and_the_next_sync_records_the_write(
    tmp_path: Path,
) -> None:
    a, b = make_team(tmp_path, ("a", "b"), cases=2)
    head = b.head()
    with read_only_git(b):
        done = b.run("event", "2015-001", "--kind", "visite", "--date", "2015-02-03",
                     "--note", "visite du 3 février")  # fmt: skip
    assert done.code == 0 and "visite du 3 février" in b.text("2015-001")
    warning = [line for line in done.err.splitlines() if "enregistrement git impossible" in line]
    assert len(warning) == 1 and "lecture seule" in warning[0], done.err
    assert "2015-001" in warning[0] and "2015-001.yaml" in warning[0]
    assert b.head() == head  # nothing committed, and said so
    synced = b.run("sync")
    assert synced.code == 0, synced.err
    assert "2015-001.yaml" in synced.out + synced.err
    a.ok("sync")
    assert "visite du 3 février" in a.notes("2015-001")
    assert not b.git("status", "--porcelain")


def test_a_deleted_case_restored_from_a_backup_is_reported_and_never_sent(
    tmp_path: Path,
) -> None:
    a, b = make_team(tmp_path, ("a", "b"), cases=3)
    backup = (a.path / "2015-003.yaml").read_bytes()
    a.ok("delete", "2015-003", "--yes")
    a.ok("sync")
    (a.path / "2015-003.yaml").write_bytes(backup)
    checked = a.run("check")
    assert checked.code != 0
    assert (
        "2015-003.yaml" in checked.out + checked.err and "supprimé le" in checked.out + checked.err
    )
    stopped = a.run("sync")
    assert stopped.code == 1 and "dossier 2015-003 (2015-003.yaml)" in stopped.err
    (a.path / "2015-003.yaml").unlink()  # as the message says
    a.ok("sync")
    b.ok("sync")
    assert not (b.path / "2015-003.yaml").exists()
    assert "Départ 3" not in b.git("grep", "-h", "-e", "nom", "HEAD")


def test_an_anonymised_case_restored_from_a_backup_is_reported_and_never_sent(
    tmp_path: Path,
) -> None:
    a, b = make_team(tmp_path, ("a", "b"), cases=3)
    a.ok("consent", "2015-003", "--refused", "--date", "2015-01-20")
    backup = (a.path / "2015-003.yaml").read_bytes()
    a.ok("anonymise", "2015-003", "--yes")
    a.ok("sync")
    anonymised = (a.path / "2015-003.yaml").read_bytes()
    assert b"anonymise_le:" in anonymised
    (a.path / "2015-003.yaml").write_bytes(backup)  # the copy from before, personal data back
    checked = a.run("check")
    assert checked.code == 1
    assert "2015-003.yaml" in checked.out + checked.err
    assert "anonymisé le" in checked.out + checked.err
    head = a.git("rev-parse", "HEAD")
    stopped = a.run("sync")
    assert stopped.code == 1 and "dossier 2015-003 (2015-003.yaml)" in stopped.err
    assert "git checkout -- 2015-003.yaml" in stopped.err
    assert a.git("rev-parse", "HEAD") == head  # nothing recorded, nothing sent
    b.ok("sync")
    assert b"anonymise_le:" in (b.path / "2015-003.yaml").read_bytes()
    a.git("checkout", "--", "2015-003.yaml")  # as the message says
    a.ok("sync")
    assert a.run("check").code == 0


@pytest.mark.parametrize("erasure", ["delete", "anonymise"])
def test_a_household_created_and_erased_offline_never_marks_the_teams_case_of_that_id(
    tmp_path: Path, erasure: str
) -> None:
    """B creates a household under the ID A just gave to another one, and erases it before
    syncing (found by bench/team.py): its tombstone moves with it, never onto A's case."""
    a, b = make_team(tmp_path, ("a", "b"), cases=3)
    assert a.referral("Famille Alpha") == "2015-004"
    a.ok("sync")
    assert b.referral("Famille Bêta") == "2015-004"  # offline: the same number
    b.ok("consent", "2015-004", "--refused", "--date", "2015-01-20")
    b.ok(erasure, "2015-004", "--yes")
    b.ok("sync")
    a.ok("sync")
    for clone in (a, b):
        assert "Famille Alpha" in clone.text("2015-004")
        assert clone.run("check").code == 0, clone.run("check").out
        stones = (clone.path / "registre.yaml").read_text(encoding="utf-8")
        assert '"2015-004"' not in stones and '"2015-005"' in stones
    a.event("2015-004", "visite chez Alpha")
    a.ok("sync")  # the team's 2015-004 is a living case: recorded and sent
    b.ok("sync")
    assert "visite chez Alpha" in b.text("2015-004")
