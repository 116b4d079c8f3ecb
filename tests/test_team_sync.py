"""Team sync between real clones of a bare remote: the five failures of issue #11, reproduced
as a new user met them, and what must happen instead.

1. A sync killed during the merge, retried, must not push a merge without the colleague's work.
2. A deleted case's ID is never given again; a stale clone's note never lands in another file.
3. An erasure never comes back through a colleague's change.
4. Two households created offline with the same ID are both kept, apart.
5. Settings conflicts are named; a concluded merge is not « rien de nouveau reçu »; a failed
   commit says why and that the file was written; new-referral always prints its ID.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.team_kit import KILL_POINTS, Clone, households, make_team, tree


@pytest.fixture
def team(tmp_path: Path) -> list[Clone]:
    return make_team(tmp_path, ("a", "b"), cases=3)


def no_git_advice(*texts: str) -> None:
    """No message ever tells the user to touch files inside `.git`."""
    for text in texts:
        assert ".git/" not in text and "index.lock" not in text, text


# ---------------------------------------------------------------------------- 1. killed sync


def test_a_sync_killed_during_the_merge_then_retried_keeps_both_workers_events(
    tmp_path: Path,
) -> None:
    a, b = make_team(tmp_path, ("a", "b"), cases=15)
    ids = [f"2015-{n:03d}" for n in range(1, 16)]
    for case_id in ids:
        a.event(case_id, f"note A {case_id}", day="2015-02-03")
    a.ok("sync")
    for case_id in ids:
        b.event(case_id, f"note B {case_id}", day="2015-02-05")
    assert b.sync_killed("driver:5", tmp_path)  # SIGKILL in the middle of the merge
    assert b.leftovers(), "the kill left git's merge state behind"
    retry = b.run("sync")
    assert retry.code == 0, retry.err
    assert "modifications reçues" in retry.out
    no_git_advice(retry.out, retry.err)
    assert b.leftovers() == []
    assert a.run("sync").code == 0
    for clone in (a, b):
        for case_id in ids:
            notes = clone.notes(case_id)
            assert f"note A {case_id}" in notes and f"note B {case_id}" in notes, clone.name
    assert a.head() == b.head() and tree(a.path) == tree(b.path)
    assert b.run("check").code == 0


@pytest.mark.parametrize("point", KILL_POINTS)
def test_a_sync_killed_at_any_point_is_resumed_or_rolled_back_by_the_next_command(
    point: str, tmp_path: Path
) -> None:
    a, b = make_team(tmp_path, ("a", "b"), cases=4)
    ids = [f"2015-{n:03d}" for n in range(1, 5)]
    for case_id in ids:
        a.event(case_id, f"note A {case_id}")
    a.ok("sync")
    for case_id in ids:
        b.event(case_id, f"note B {case_id}", day="2015-02-06")
    assert b.sync_killed(point, tmp_path)
    # Any writing command finds the half-done merge first, and works.
    written = b.run(
        "event",
        "2015-001",
        "--kind",
        "telephone",
        "--date",
        "2015-02-07",
        "--note",
        "après le plantage",
    )
    assert written.code == 0, written.err
    no_git_advice(written.out, written.err)
    retry = b.run("sync")
    assert retry.code == 0, retry.err
    assert b.leftovers() == []
    assert a.run("sync").code == 0
    for clone in (a, b):
        for case_id in ids:
            notes = clone.notes(case_id)
            assert f"note A {case_id}" in notes and f"note B {case_id}" in notes
        assert "après le plantage" in clone.notes("2015-001")
    assert tree(a.path) == tree(b.path)


def test_a_sync_killed_while_it_takes_the_remote_as_it_is_leaves_no_stray_change(
    tmp_path: Path,
) -> None:
    """B has nothing of its own: its sync fast-forwards. Killed after git rewrote the files
    but before it moved the branch, the clone looked changed by hand and sync refused."""
    a, b = make_team(tmp_path, ("a", "b"), cases=3)
    for case_id in ("2015-001", "2015-002", "2015-003"):
        a.event(case_id, f"note A {case_id}")
    a.ok("sync")
    assert b.sync_killed("ref:prepared:refs/heads", tmp_path)
    written = b.run("event", "2015-001", "--kind", "telephone", "--date", "2015-02-07")
    assert written.code == 0, written.err
    retry = b.run("sync")
    assert retry.code == 0, retry.err
    assert b.git("status", "--porcelain") == "" and b.leftovers() == []
    for case_id in ("2015-001", "2015-002", "2015-003"):
        assert f"note A {case_id}" in b.notes(case_id)


def test_a_hand_edit_after_a_killed_sync_edits_the_file_as_it_really_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = make_team(tmp_path, ("a", "b"), cases=2)
    a.event("2015-001", "note A")
    a.ok("sync")
    b.event("2015-001", "note B", day="2015-02-05")
    assert b.sync_killed("driver:1", tmp_path)
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import sys, pathlib\np = pathlib.Path(sys.argv[1])\n"
        "p.write_text(p.read_text().replace('commune: Nantes', 'commune: Rezé'))\n"
    )
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    edited = b.run("edit", "2015-001")
    assert edited.code == 0, edited.err
    assert b.run("sync").code == 0 and a.run("sync").code == 0
    case = a.case("2015-001")
    assert case["household"]["commune"] == "Rezé"
    assert {"note A", "note B"} <= {e.get("note") for e in case["events"]}


def test_a_merge_that_drops_a_side_is_aborted_before_it_is_concluded(tmp_path: Path) -> None:
    """A broken merge (here a driver that silently keeps ours) is caught by the verification:
    the worker's own state comes back, nothing is pushed, the message says so."""
    a, b = make_team(tmp_path, ("a", "b"), cases=2)
    a.event("2015-001", "note A")
    a.ok("sync")
    b.event("2015-001", "note B", day="2015-02-05")
    before = b.head(), b.text("2015-001")
    with pytest.MonkeyPatch.context() as patch:  # git's own config, given in the environment
        for key, value in (
            ("GIT_CONFIG_COUNT", "1"),
            ("GIT_CONFIG_KEY_0", "merge.visites.driver"),
            ("GIT_CONFIG_VALUE_0", "true"),
        ):
            patch.setenv(key, value)
        stopped = b.run("sync")
    assert stopped.code == 1
    assert "Fusion annulée" in stopped.err and "2015-001.yaml" in stopped.err
    assert "l'événement du 03/02/2015 (visite) ajouté chez un·e collègue" in stopped.err
    assert (b.head(), b.text("2015-001")) == before
    assert b.leftovers() == [] and b.git("status", "--porcelain", "--untracked-files=no") == ""
    assert b.run("sync").code == 0  # with the real driver
    assert {"note A", "note B"} <= set(b.notes("2015-001"))


# ---------------------------------------------------------------------------- 2. IDs reused


def test_a_deleted_cases_id_is_never_given_again_and_a_stale_note_never_moves(
    team: list[Clone],
) -> None:
    a, b = team
    a.ok("close", "2015-003", "--date", "2015-02-01")
    a.ok("delete", "2015-003", "--yes")
    new = a.referral("Famille Nouvelle")
    assert new == "2015-004"
    assert '- {type: suppression, id: "2015-003"' in (a.path / "registre.yaml").read_text()
    a.ok("sync")
    b.event("2015-003", "note confidentielle de B")  # B's clone still has the old 2015-003
    stopped = b.run("sync")
    assert stopped.code == 1
    assert "2015-003 a été supprimé par un·e collègue le" in stopped.err
    assert "vous l'avez modifié ici" in stopped.err
    assert "visites sync --accept-erasure 2015-003" in stopped.err
    assert not (b.path / "2015-004.yaml").exists()  # nothing merged before B decides
    assert "note confidentielle" not in a.text("2015-004")
    # On B, the next number is not 2015-003 either (the remote, as fetched, counts).
    assert b.referral("Famille Troisième", day="2015-03-01") == "2015-005"
    assert b.run("sync", "--accept-erasure", "2015-003").code == 0
    a.ok("sync")
    for clone in team:
        assert households(clone.path) == {
            "2015-001": "Famille Départ 1",
            "2015-002": "Famille Départ 2",
            "2015-004": "Famille Nouvelle",
            "2015-005": "Famille Troisième",
        }
        texts = "".join(p.read_text() for p in clone.path.glob("*.yaml"))
        assert "note confidentielle" not in texts


def test_a_sync_stopped_before_merging_still_counts_the_remotes_new_ids(
    team: list[Clone],
) -> None:
    a, b = team
    assert [a.referral("Famille Alpha"), a.referral("Famille Gamma")] == ["2015-004", "2015-005"]
    a.ok("close", "2015-002", "--date", "2015-02-01")
    a.ok("delete", "2015-002", "--yes")
    a.ok("sync")
    b.event("2015-002", "note de B")
    assert b.run("sync").code == 1  # stopped on the erasure: nothing merged here yet
    assert not (b.path / "2015-004.yaml").exists()
    assert b.referral("Famille Beta") == "2015-006"  # the remote, as last fetched, counts


# ---------------------------------------------------------------------------- 3. erasure


def test_an_erasure_never_comes_back_and_the_user_chooses_how(team: list[Clone]) -> None:
    a, b = team
    a.ok("close", "2015-003", "--date", "2015-02-01")
    a.ok("delete", "2015-003", "--yes")
    a.ok("sync")
    b.event("2015-003", "visite chez la famille")
    for _ in range(2):  # again and again: never pushed back
        stopped = b.run("sync")
        assert stopped.code == 1
        assert "2015-003 a été supprimé par un·e collègue" in stopped.err
        assert "fichier 2015-003.yaml" in stopped.err
        assert "visites sync --keep-as-new 2015-003" in stopped.err
        no_git_advice(stopped.err)
        a.ok("sync")
        assert not (a.path / "2015-003.yaml").exists()
    accepted = b.run("sync", "--accept-erasure", "2015-003")
    assert accepted.code == 0, accepted.err
    assert "Effacement de 2015-003 accepté" in accepted.out
    a.ok("sync")
    for clone in team:
        assert not (clone.path / "2015-003.yaml").exists()
        assert "visite chez la famille" not in "".join(households(clone.path))
        assert clone.run("check").code == 0
    assert tree(a.path) == tree(b.path)


def test_an_erasure_against_a_change_can_keep_the_change_as_a_new_case(
    team: list[Clone],
) -> None:
    a, b = team
    a.ok("close", "2015-002", "--date", "2015-02-01")
    a.ok("delete", "2015-002", "--yes")
    a.ok("sync")
    b.event("2015-002", "le ménage est toujours suivi")
    kept = b.run("sync", "--keep-as-new", "2015-002")
    assert kept.code == 0, kept.err
    assert "gardées dans le nouveau dossier 2015-004" in kept.out
    a.ok("sync")
    for clone in team:
        assert not (clone.path / "2015-002.yaml").exists()
        assert "le ménage est toujours suivi" in clone.notes("2015-004")
        assert clone.case("2015-004")["id"] == "2015-004"
    assert '"2015-002"' in (b.path / "registre.yaml").read_text()


def test_a_case_deleted_here_and_changed_there_stops_too(team: list[Clone]) -> None:
    a, b = team
    a.event("2015-001", "note de A")
    a.ok("sync")
    b.ok("close", "2015-001", "--date", "2015-02-01")
    b.ok("delete", "2015-001", "--yes")
    stopped = b.run("sync")
    assert stopped.code == 1
    assert "2015-001 : vous l'avez supprimé ici le" in stopped.err
    assert b.run("sync", "--accept-erasure", "2015-001").code == 0
    a.ok("sync")
    assert not (a.path / "2015-001.yaml").exists()


def test_an_anonymised_case_never_takes_a_colleagues_change(team: list[Clone]) -> None:
    a, b = team
    a.ok("close", "2015-001", "--date", "2015-02-01")
    a.ok("anonymise", "2015-001", "--yes", "--today", "2015-03-12")
    a.ok("sync")
    b.event("2015-001", "nouvelle note personnelle")
    stopped = b.run("sync")
    assert stopped.code == 1
    assert "2015-001 a été anonymisé par un·e collègue le 12/03/2015" in stopped.err
    assert b.run("sync", "--accept-erasure", "2015-001").code == 0
    a.ok("sync")
    for clone in team:
        text = clone.text("2015-001")
        assert "anonymise_le: 2015-03-12" in text
        assert "Famille Départ 1" not in text and "nouvelle note" not in text


def test_the_merge_driver_refuses_a_change_into_an_anonymised_file(tmp_path: Path) -> None:
    from visites.cli import main

    base, ours, theirs = (tmp_path / n for n in ("base", "ours", "theirs"))
    common = "id: 2015-001\nmenage:\n  nom: Famille Secrète\n  commune: Nantes\n"
    base.write_text(common)
    ours.write_text(common + "evenements:\n- date: 2015-02-03\n  type: visite\n  note: secret\n")
    theirs.write_text(
        "id: 2015-001\nanonymise_le: 2015-03-12\nmenage:\n  nom: anonymisé\n  commune: Nantes\n"
    )
    assert main(["merge-file", str(base), str(ours), str(theirs), "2015-001.yaml"]) == 1
    merged = ours.read_text()
    assert "anonymise_le: 2015-03-12" in merged and "conflit_visites" in merged
    assert "Famille Secrète" not in merged and "secret" not in merged


# ---------------------------------------------------------------------------- 4. same ID


def test_two_households_created_offline_with_the_same_id_are_both_kept(
    team: list[Clone],
) -> None:
    a, b = team
    assert a.referral("Famille ALPHA") == "2015-004"
    assert b.referral("Famille BETA", phone="06 00 00 00 01") == "2015-004"
    b.ok("consent", "2015-004", "--date", "2015-01-20")
    b.ok(
        "document",
        "2015-004",
        "convocation-tripartite",
        "--meeting",
        "2015-01-25 14:30",
        "--place",
        "à l'agence",
        "--date",
        "2015-01-21",
        "--output",
        str(b.path.parent / "convocation.md"),
    )
    a.ok("sync")
    synced = b.run("sync")
    assert synced.code == 0, synced.err
    assert (
        "votre dossier 2015-004 devient 2015-005 : un·e collègue a déjà enregistré 2015-004"
    ) in synced.out
    assert "21/01/2015 (document produit : convocation-tripartite)" in synced.out
    a.ok("sync")
    for clone in team:
        names = households(clone.path)
        assert names["2015-004"] == "Famille ALPHA" and names["2015-005"] == "Famille BETA"
        assert clone.case("2015-005")["household"]["phone"] == "06 00 00 00 01"
    assert tree(a.path) == tree(b.path)
    a.event("2015-004", "pour ALPHA")
    assert "pour ALPHA" in a.text("2015-004") and "pour ALPHA" not in a.text("2015-005")
    history = b.ok("history", "2015-005")
    assert "dossier créé" in history


# ---------------------------------------------------------------------------- 5. smaller


def test_a_conflict_in_the_settings_is_named_with_both_values_and_the_way_out(
    team: list[Clone],
) -> None:
    a, b = team
    for clone, budget in ((a, "31000"), (b, "32000")):
        settings = clone.path / "visites.yaml"
        text = settings.read_text()
        assert "montant: 30000" in text
        settings.write_text(text.replace("montant: 30000", f"montant: {budget}"))
        clone.git("commit", "-qam", "budget", "--no-verify")
    a.ok("sync")
    stopped = b.run("sync")
    assert stopped.code == 1
    assert "conflit : visites.yaml, ligne" in stopped.err
    assert "ici « 2015: {montant: 32000, menages: 55} »" in stopped.err
    assert "chez un·e collègue « 2015: {montant: 31000, menages: 55} »" in stopped.err
    assert "visites sync --theirs visites.yaml" in stopped.err
    status = b.run("status")  # every command says it is a conflict, not a syntax error
    assert status.code == 1 and "conflit" in status.err and "visites sync" in status.err
    resolved = b.run("sync", "--theirs", "visites.yaml")
    assert resolved.code == 0, resolved.err
    assert "rien de nouveau reçu" not in resolved.out and "fusion terminée" in resolved.out
    a.ok("sync")
    assert "montant: 31000" in (b.path / "visites.yaml").read_text()
    assert tree(a.path) == tree(b.path)


def test_after_a_field_conflict_is_resolved_sync_says_it_merged(
    team: list[Clone], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = team
    for clone in team:
        clone.ok("consent", "2015-001", "--date", "2015-01-20")
    a.ok("orient", "2015-001", "--to", "sans-suite", "--date", "2015-03-10")
    b.ok("orient", "2015-001", "--to", "remobilisation", "--date", "2015-03-10")
    a.ok("sync")
    stopped = b.run("sync")
    assert stopped.code == 1
    assert (
        "conflit : dossier 2015-001 (2015-001.yaml), champ « orientation.vers » : ici "
        "« remobilisation », chez un·e collègue « sans-suite »"
    ) in stopped.err
    assert "visites edit 2015-001" in stopped.err
    text = b.text("2015-001")
    head, _, rest = text.partition("conflit_visites:")
    fixed = head + rest[rest.index("id:") :]
    editor = tmp_path / "editor.py"
    editor.write_text(f"import sys, pathlib\npathlib.Path(sys.argv[1]).write_text({fixed!r})\n")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    assert b.run("edit", "2015-001").code == 0
    resumed = b.run("sync")
    assert resumed.code == 0, resumed.err
    assert "fusion terminée" in resumed.out and "rien de nouveau" not in resumed.out
    a.ok("sync")
    assert a.case("2015-001")["orientation"]["to"] == "remobilisation"


FAKE_GIT = """#!/bin/sh
for arg in "$@"; do
  case "$arg" in commit|add)
    echo "error: unable to create temporary file: No space left on device" >&2
    echo "fatal: failed to write object" >&2
    exit 128;;
  esac
done
exec {git} "$@"
"""


@contextlib.contextmanager
def full_disk_for_git(tmp_path: Path) -> Iterator[None]:
    """A `git` first on PATH that fails to commit as git does on a full disk."""
    import shutil

    tools = tmp_path / "fake-git"
    tools.mkdir(exist_ok=True)
    script = tools / "git"
    script.write_text(FAKE_GIT.format(git=shutil.which("git")))
    script.chmod(0o755)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PATH", f"{tools}{os.pathsep}{os.environ['PATH']}")
        yield


def test_a_failed_commit_says_why_and_the_next_command_records_the_change(
    team: list[Clone], tmp_path: Path
) -> None:
    a = team[0]
    with full_disk_for_git(tmp_path):
        created = a.run(
            "new-referral",
            "--household",
            "Famille Disque",
            "--commune",
            "Nantes",
            "--context",
            "entree",
            "--referrer",
            "Mme P",
            "--date",
            "2015-02-01",
        )
        assert created.code == 0, created.err
        assert created.out.strip() == "2015-004"  # the ID, whatever happens after
        assert "enregistrement git impossible (disque plein)" in created.err
        assert "le dossier 2015-004 est bien écrit (2015-004.yaml)" in created.err
        assert "pas encore dans l'historique" in created.err
        no_git_advice(created.err)
        event = a.run("event", "2015-001", "--kind", "visite", "--date", "2015-02-02")
        assert event.code == 0 and "disque plein" in event.err
    a.event("2015-002", "plus tard")  # the disk has room again
    log = a.git("log", "--format=%s", "-4").splitlines()
    assert log[:3] == [
        "2015-002: événement visite",
        "2015-001: événement visite",
        "2015-004: nouvelle orientation reçue",
    ]
    assert a.git("status", "--porcelain") == ""


def test_a_read_only_repository_is_named_as_such(team: list[Clone]) -> None:
    from visites.git import run as gitops

    done = __import__("subprocess").CompletedProcess(
        [], 128, b"", b"fatal: Unable to create '/x/.git/index.lock': Read-only file system\n"
    )
    assert gitops.failure_reason(team[0].path, done) == "le dépôt git est en lecture seule"
    denied = __import__("subprocess").CompletedProcess(
        [], 128, b"", b"error: insufficient permission for adding an object\n"
    )
    assert gitops.failure_reason(team[0].path, denied) == "droits insuffisants sur le dépôt git"


def test_sync_commits_what_visites_wrote_but_could_not_commit(
    team: list[Clone], tmp_path: Path
) -> None:
    a, b = team
    with full_disk_for_git(tmp_path):
        assert a.referral("Famille Attente") == "2015-004"
    synced = a.run("sync")
    assert synced.code == 0, synced.err
    assert "Enregistré d'abord dans l'historique : 2015-004.yaml" in synced.out
    b.ok("sync")
    assert households(b.path)["2015-004"] == "Famille Attente"
