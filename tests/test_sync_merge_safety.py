"""The merge keeps everyone's work even when it goes wrong halfway: a merge driver that
died, a hand edit after a killed sync, comments written on one side. Real clones of a bare
remote, through the CLI (tests/team_kit.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.team_kit import make_team


def test_a_merge_by_hand_whose_driver_failed_is_verified_when_sync_resumes_it(
    tmp_path: Path,
) -> None:
    a, b = make_team(tmp_path, ("a", "b"), cases=3)
    a.event("2015-002", "note A")
    a.ok("sync")
    b.event("2015-002", "note B", day="2015-02-05")
    b.git("fetch", "-q", "origin")
    with pytest.MonkeyPatch.context() as patch:  # the driver fails: git keeps b's version
        patch.setenv("GIT_CONFIG_COUNT", "1")
        patch.setenv("GIT_CONFIG_KEY_0", "merge.visites.driver")
        patch.setenv("GIT_CONFIG_VALUE_0", "false %O %A %B %P")
        b.git("merge", "-q", "--no-ff", "@{upstream}", check=False)
    assert "2015-002.yaml" in b.git("diff", "--name-only", "--diff-filter=U")
    resumed = b.run("sync")
    assert resumed.code == 1
    assert "2015-002.yaml" in resumed.err
    assert not b.git("log", "--merges", "--format=%H").strip()  # nothing concluded
    b.ok("sync")
    a.ok("sync")
    for clone in (a, b):
        assert {"note A", "note B"} <= set(clone.notes("2015-002")), clone.name


def test_a_colleagues_comment_survives_when_both_sides_added_events(tmp_path: Path) -> None:
    a, b = make_team(tmp_path, ("a", "b"), cases=3)
    path = b.path / "2015-003.yaml"
    path.write_text(path.read_text().replace("\nmenage:", "\n# Chien dans la cour\nmenage:", 1))
    b.git("commit", "-q", "-am", "2015-003: commentaire")
    b.event("2015-003", "visite B", day="2015-02-05")
    a.event("2015-003", "visite A", day="2015-02-04")
    b.ok("sync")
    a.ok("sync")
    b.ok("sync")
    for clone in (a, b):
        text = clone.text("2015-003")
        assert "# Chien dans la cour\nmenage:" in text, clone.name
        assert {"visite A", "visite B"} <= set(clone.notes("2015-003"))


def test_two_identical_referrals_recorded_on_two_clones_stay_two_cases(tmp_path: Path) -> None:
    a, b = make_team(tmp_path, ("a", "b"), cases=3)
    assert a.referral("Famille Martin", day="2015-03-02") == "2015-004"
    assert b.referral("Famille Martin", day="2015-03-02") == "2015-004"
    assert a.text("2015-004") == b.text("2015-004")  # the same bytes: still two referrals
    a.ok("sync")
    told = b.ok("sync")
    assert "votre dossier 2015-004 devient 2015-005" in told
    a.ok("sync")
    assert a.case("2015-005")["household"]["name"] == "Famille Martin"
    assert a.text("2015-004") == b.text("2015-004")


def test_a_renumbering_is_told_once_then_no_more(tmp_path: Path) -> None:
    a, b = make_team(tmp_path, ("a", "b"), cases=3)
    a.referral("Famille Alpha")
    a.ok("sync")
    b.referral("Famille Beta")
    assert "votre dossier 2015-004 devient 2015-005" in b.ok("sync")
    assert "devient" not in b.ok("sync")


def test_after_a_force_push_the_colleague_whose_case_moved_is_told(tmp_path: Path) -> None:
    a, c = make_team(tmp_path, ("a", "c"), cases=3)
    a.referral("Famille Alpha")
    a.ok("sync")
    c.referral("Famille Gamma")
    c.git("push", "-q", "--force", "origin", "HEAD")
    moved = a.ok("sync")
    assert "le dossier 2015-004 reçu de l'équipe devient 2015-005" in moved
    told = c.ok("sync")
    assert "votre dossier 2015-004 devient 2015-005" in told
    assert c.case("2015-005")["household"]["name"] == "Famille Gamma"
    assert c.case("2015-004")["household"]["name"] == "Famille Alpha"
    assert "devient" not in c.ok("sync")


def test_after_a_force_push_notes_written_here_follow_the_household_to_its_new_id(
    tmp_path: Path,
) -> None:
    a, c = make_team(tmp_path, ("a", "c"), cases=3)
    a.referral("Famille Alpha")
    a.ok("sync")
    c.referral("Famille Gamma")
    c.git("push", "-q", "--force", "origin", "HEAD")
    c.event("2015-004", "visite chez la famille Gamma", day="2015-02-05")
    a.ok("sync")
    told = c.ok("sync")
    assert "votre dossier 2015-004 devient 2015-005" in told
    a.ok("sync")
    for clone in (a, c):
        assert clone.case("2015-004")["household"]["name"] == "Famille Alpha", clone.name
        assert clone.notes("2015-004") == [], clone.name
        assert clone.case("2015-005")["household"]["name"] == "Famille Gamma", clone.name
        assert clone.notes("2015-005") == ["visite chez la famille Gamma"], clone.name
