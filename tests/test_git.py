"""The case folder as a git repository: commits, history, undo, edit, hook, sync and merges."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import Outcome, Run, referral, snapshot

from visites.cli import main


def git(folder: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True,
                          check=check, env={**os.environ, "LC_ALL": "C"})  # fmt: skip


def identify(folder: Path, name: str = "Poste A") -> None:
    """A git identity for this clone (hand commits need one)."""
    git(folder, "config", "user.name", name)
    git(folder, "config", "user.email", "poste@example.org")


def subjects(folder: Path) -> list[str]:
    return git(folder, "log", "--format=%s").stdout.splitlines()


def at(folder: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    """A runner on another folder than the `cases` fixture (a second clone)."""

    def invoke(*args: str) -> Outcome:
        code = main(["--cases", str(folder), *args])
        captured = capsys.readouterr()
        return Outcome(code, captured.out, captured.err)

    return invoke


# ---------------------------------------------------------------------------- init, commits


def test_init_makes_a_repository_with_driver_hook_and_first_commit(cases: Path) -> None:
    assert subjects(cases) == ["création du dossier de cas"]
    assert git(cases, "status", "--porcelain").stdout == ""
    assert "merge=visites" in (cases / ".gitattributes").read_text()
    driver = git(cases, "config", "merge.visites.driver").stdout
    assert f"{sys.executable} -m visites.services.sync.mergedriver" in driver
    assert "pre-commit-check" in (cases / ".git" / "hooks" / "pre-commit").read_text()


def test_each_command_commits_exactly_the_file_it_changed(run: Run, cases: Path) -> None:
    case_id = referral(run)
    (cases / "notes.txt").write_text("brouillon\n")  # untracked: must stay out
    with (cases / "visites.yaml").open("a") as settings:  # changed but not ours to commit
        settings.write("# note\n")
    assert run("consent", case_id, "--date", "2015-01-20").code == 0
    assert run("event", case_id, "--kind", "visite", "--date", "2015-01-21").code == 0
    assert run("orient", case_id, "--to", "accompagnement", "--date", "2015-03-10").code == 0
    assert subjects(cases)[:4] == [
        f"{case_id}: orientation accompagnement",
        f"{case_id}: événement visite",
        f"{case_id}: adhésion",
        f"{case_id}: nouvelle orientation reçue",
    ]
    last = git(cases, "show", "--name-only", "--format=%B", "HEAD").stdout
    assert "Visites-Action: orient" in last and last.rstrip().endswith(f"{case_id}.yaml")
    status = git(cases, "status", "--porcelain").stdout.splitlines()
    assert sorted(status) == [" M visites.yaml", "?? notes.txt"]


def test_author_is_by_then_visites_user_then_a_neutral_identity(
    run: Run, cases: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = referral(run)  # no identity anywhere: neutral
    run("event", case_id, "--kind", "visite", "--date", "2015-01-13", "--by", "Référente A")
    monkeypatch.setenv("VISITES_USER", "Référente B")
    run("consent", case_id, "--date", "2015-01-20")
    authors = git(cases, "log", "-3", "--format=%an <%ae>").stdout.splitlines()
    assert authors == [
        "Référente B <visites@localhost>",
        "Référente A <visites@localhost>",
        "visites <visites@localhost>",
    ]


def test_autocommit_false_writes_without_committing(run: Run, cases: Path) -> None:
    settings = cases / "visites.yaml"
    settings.write_text(settings.read_text().replace("autocommit: true", "autocommit: false"))
    identify(cases)
    git(cases, "commit", "-qam", "réglages")
    case_id = referral(run)
    assert (cases / f"{case_id}.yaml").exists()
    assert subjects(cases)[0] == "réglages"


def test_a_folder_without_repository_works_without_commits(run: Run, cases: Path) -> None:
    subprocess.run(["rm", "-rf", str(cases / ".git")], check=True)
    case_id = referral(run)
    assert run("consent", case_id, "--date", "2015-01-20").code == 0
    result = run("history", case_id)
    assert result.code == 1 and "n'est pas un dépôt git" in result.err


def test_the_log_of_a_scripted_year_names_no_household(run: Run, cases: Path) -> None:
    names = ["Famille Kerhervé", "Famille Quéméneur-Loz", "Famille Vandenbroucke"]
    for number, name in enumerate(names):
        case_id = referral(run, household=name, date=f"2015-0{number + 1}-05",
                           referent="Référente A", phone="06 12 34 56 78",
                           reason=f"Impayés signalés par {name}")  # fmt: skip
        run("consent", case_id, "--date", f"2015-0{number + 1}-10")
        run("event", case_id, "--kind", "visite", "--date", f"2015-0{number + 1}-12",
            "--note", f"Visite chez {name}")  # fmt: skip
        run("diagnose", case_id, "--problem", "budget-impayes", "--situation", name)
        run("orient", case_id, "--to", "accompagnement", "--date", f"2015-0{number + 3}-01")
        run("renew", case_id, "--date", f"2015-0{number + 6}-01")
        run("close", case_id, "--date", "2015-12-15", "--outcome", "maintien dans le logement")
    log = git(cases, "log", "--format=%an%n%ae%n%cn%n%B").stdout
    assert len(subjects(cases)) == 1 + 7 * len(names)
    for name in names:
        for word in name.replace("-", " ").split()[1:]:
            assert word not in log
    assert "Impayés" not in log and "Visite chez" not in log


# ---------------------------------------------------------------------------- history, undo


def test_history_tells_the_case_life_in_french(run: Run, cases: Path) -> None:
    case_id = referral(run)
    run("consent", case_id, "--date", "2015-01-20")
    run("event", case_id, "--kind", "visite", "--date", "2015-02-03", "--by", "Référente A")
    run("orient", case_id, "--to", "accompagnement", "--date", "2015-03-10")
    result = run("history", case_id)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == f"Historique du dossier {case_id} (4 enregistrements) :"
    changes = [line.strip() for line in lines if line.startswith("    ")]
    assert changes[0] == "dossier créé (orientation reçue)"
    assert "adhésion (rencontre tripartite)" in changes  # labels, never codes
    assert "événement ajouté (visite à domicile, 03/02/2015)" in changes
    assert "orientation : accompagnement personnalisé" in changes
    assert any("Référente A" in line for line in lines)


def test_undo_reverts_the_last_visites_commit_after_showing_it(run: Run, cases: Path) -> None:
    case_id = referral(run)
    before = (cases / f"{case_id}.yaml").read_bytes()
    run("consent", case_id, "--date", "2015-01-20")
    result = run("undo", "--yes")
    assert result.code == 0, result.err
    assert f"Dernier enregistrement : {case_id}: adhésion" in result.out
    assert (cases / f"{case_id}.yaml").read_bytes() == before
    assert subjects(cases)[0] == f"{case_id}: annulation (adhésion)"


def test_undo_refuses_a_hand_commit_and_a_dirty_tree(run: Run, cases: Path) -> None:
    case_id = referral(run)
    identify(cases)
    path = cases / f"{case_id}.yaml"
    path.write_text(path.read_text() + "# relu\n")
    dirty = run("undo", "--yes")
    assert dirty.code == 1 and "modifications non enregistrées" in dirty.err
    git(cases, "commit", "-qam", "relecture", "--no-verify")
    manual = run("undo", "--yes")
    assert manual.code == 1 and "n'a pas été fait par visites" in manual.err
    assert subjects(cases)[0] == "relecture"


def test_undo_without_terminal_asks_for_yes(run: Run) -> None:
    referral(run)
    result = run("undo")
    assert result.code == 1 and "--yes" in result.err


# ---------------------------------------------------------------------------- check, hook


def test_the_pre_commit_hook_refuses_a_broken_case_file(run: Run, cases: Path) -> None:
    case_id = referral(run)
    identify(cases)
    path = cases / f"{case_id}.yaml"
    path.write_text(path.read_text().replace("contexte: entree", "contexte: ailleurs"))
    git(cases, "add", path.name)
    refused = git(cases, "commit", "-m", "main", check=False)
    assert refused.returncode != 0
    assert f"{case_id}.yaml:" in refused.stderr and "contexte" in refused.stderr
    assert subjects(cases)[0] == f"{case_id}: nouvelle orientation reçue"
    path.write_text(path.read_text().replace("contexte: ailleurs", "contexte: en-cours"))
    git(cases, "add", path.name)
    assert git(cases, "commit", "-qm", "main", check=False).returncode == 0


def test_check_flags_git_conflict_markers_with_their_line(run: Run, cases: Path) -> None:
    case_id = referral(run)
    path = cases / f"{case_id}.yaml"
    lines = path.read_text().splitlines()
    lines[5:5] = ["<<<<<<< locale", "=======", ">>>>>>> distante"]
    path.write_text("\n".join(lines) + "\n")
    result = run("check")
    assert result.code == 1
    assert f"{path}:6: marqueur de conflit git" in result.out + result.err


# ---------------------------------------------------------------------------- edit


EDITOR = """\
import json, pathlib, sys
here = pathlib.Path(__file__).parent
state = here / "calls.json"
calls = json.loads(state.read_text()) if state.exists() else []
folder = pathlib.Path(sys.argv[1]).parent
files = {p.name: p.read_bytes().hex() for p in sorted(folder.iterdir()) if p.is_file()}
calls.append({"opened": pathlib.Path(sys.argv[1]).read_text(), "files": files})
state.write_text(json.dumps(calls))
versions = json.loads((here / "versions.json").read_text())
pathlib.Path(sys.argv[1]).write_text(versions[min(len(calls), len(versions)) - 1])
"""


def scripted_editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *versions: str) -> Path:
    """$EDITOR: a script saving `versions` one per call, recording what it saw each time."""
    import json

    tools = tmp_path / "editor"
    tools.mkdir()
    (tools / "edit.py").write_text(EDITOR)
    (tools / "versions.json").write_text(json.dumps(list(versions)))
    monkeypatch.setenv("EDITOR", f"{sys.executable} {tools / 'edit.py'}")
    return tools / "calls.json"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_edit_reopens_the_users_text_with_errors_then_saves_the_valid_one(
    run: Run, cases: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    case_id = referral(run, phone="06 00 00 00 00")
    path = cases / f"{case_id}.yaml"
    original = path.read_text()
    invalid = original.replace("commune: Nantes", "commune: Nantes\n  telephone: [").replace(
        "06 00 00 00 00", "06 99 99 99 99"
    )
    valid = original.replace("06 00 00 00 00", "06 99 99 99 99")
    calls = scripted_editor(tmp_path, monkeypatch, invalid, valid)
    monkeypatch.setattr(sys, "stdin", Terminal("\n"))  # « Rouvrir l'éditeur ? » → oui
    before = snapshot(cases)
    result = run("edit", case_id)
    assert result.code == 0, result.err
    assert path.read_text() == valid
    seen = json.loads(calls.read_text())
    assert len(seen) == 2
    assert seen[1]["opened"].startswith("# --- visites : erreurs à corriger")
    assert seen[1]["opened"].endswith(invalid)  # the user's own text, below the errors
    for call in seen:  # between the two saves nothing but the editor's copy was written
        shown = {k: bytes.fromhex(v) for k, v in call["files"].items() if "-tmp-edit-" not in k}
        assert shown == {k: v for k, v in before.items() if "/" not in k}
    assert subjects(cases)[0] == f"{case_id}: modification manuelle"
    assert not list(cases.glob(".visites-tmp-*"))


def test_edit_without_terminal_keeps_the_invalid_text_and_writes_nothing(
    run: Run, cases: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = referral(run)
    text = (cases / f"{case_id}.yaml").read_text()
    invalid = text.replace("contexte: entree", "contexte: ailleurs")
    scripted_editor(tmp_path, monkeypatch, invalid)
    before = snapshot(cases)
    result = run("edit", case_id)
    assert result.code == 1 and "contexte" in result.err
    kept = [p for p in cases.glob(".visites-tmp-edit-*")]
    assert len(kept) == 1 and kept[0].read_text() == invalid
    assert str(kept[0]) in result.err
    assert {k: v for k, v in snapshot(cases).items() if "-tmp-edit-" not in k} == before


def test_edit_saving_the_same_text_is_a_no_op(
    run: Run, cases: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = referral(run)
    scripted_editor(tmp_path, monkeypatch, (cases / f"{case_id}.yaml").read_text())
    before, commits = snapshot(cases), subjects(cases)
    result = run("edit", case_id)
    assert result.code == 0 and "aucune modification" in result.out
    assert snapshot(cases) == before and subjects(cases) == commits


# ---------------------------------------------------------------------------- sync


@pytest.fixture
def two_clones(
    run: Run, cases: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[Run, Path, Run, Path, str]:
    """The `cases` folder and a second clone of it, through a bare remote, with one case."""
    case_id = referral(run, referent="Référente A", phone="06 00 00 00 00")
    remote = tmp_path / "equipe.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(cases, "remote", "add", "origin", str(remote))
    identify(cases, "Poste A")
    first = run("sync")
    assert first.code == 0, first.err
    other = tmp_path / "clone-b"
    git(tmp_path, "clone", "-q", str(remote), str(other))
    identify(other, "Poste B")
    return run, cases, at(other, capsys), other, case_id


def hand_edit(folder: Path, case_id: str, old: str, new: str) -> None:
    path = folder / f"{case_id}.yaml"
    path.write_text(path.read_text().replace(old, new))
    git(folder, "commit", "-qam", f"{case_id}: correction", "--no-verify")


def test_sync_merges_two_workers_changes_on_one_case(two_clones) -> None:
    run_a, a, run_b, b, case_id = two_clones
    run_a("event", case_id, "--kind", "visite", "--date", "2015-02-10")
    hand_edit(a, case_id, "referent: Référente A", "referent: Référente C")
    run_b("event", case_id, "--kind", "telephone", "--date", "2015-02-03")
    run_b("event", case_id, "--kind", "courrier", "--date", "2015-02-20")
    hand_edit(b, case_id, "06 00 00 00 00", "06 11 22 33 44")
    assert run_a("sync").code == 0
    merged = run_b("sync")
    assert merged.code == 0, merged.err
    assert "modifications reçues" in merged.out
    assert run_a("sync").code == 0
    for run in (run_a, run_b):
        shown = run("show", case_id, "--json")
        case = __import__("json").loads(shown.out)["case"]
        assert [(e["date"], e["kind"]) for e in case["events"]] == [
            ("2015-02-03", "telephone"), ("2015-02-10", "visite"), ("2015-02-20", "courrier"),
        ]  # fmt: skip
        assert case["referent"] == "Référente C"
        assert case["household"]["phone"] == "06 11 22 33 44"
        assert run("check").code == 0
    assert (a / f"{case_id}.yaml").read_bytes() == (b / f"{case_id}.yaml").read_bytes()
    assert (b / f"{case_id}.yaml").stat().st_mode & 0o777 == 0o600  # git's clone: 0644
    assert "Dossier du programme" in (b / f"{case_id}.yaml").read_text()  # comments kept


def test_sync_stops_on_two_orientations_and_names_case_and_field(
    two_clones, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_a, a, run_b, b, case_id = two_clones
    for run in (run_a, run_b):
        run("consent", case_id, "--date", "2015-01-20")
    run_a("orient", case_id, "--to", "accompagnement", "--date", "2015-03-10")
    run_b("orient", case_id, "--to", "droit-commun", "--measure", "ASLL", "--date", "2015-03-10")
    assert run_a("sync").code == 0
    stopped = run_b("sync")
    assert stopped.code == 1
    assert f"conflit : dossier {case_id}" in stopped.err
    report = stopped.out + stopped.err
    assert "orientation.vers" in report and "droit-commun" in report
    assert "accompagnement" in report and "visites edit" in report
    text = (b / f"{case_id}.yaml").read_text()
    assert "conflit_visites:" in text and "ASLL" in text  # nothing lost
    checked = run_b("check")
    assert checked.code == 1
    assert f"{case_id}.yaml:4: conflit de fusion sur « orientation.vers »" in checked.err
    # The worker decides (droit-commun), removes the section, and syncs again.
    head, _, rest = text.partition("conflit_visites:")
    fixed = head + rest[rest.index("id:") :].split("accompagnement:\n  debut")[0]
    scripted_editor(tmp_path, monkeypatch, fixed)
    edited = run_b("edit", case_id)
    assert edited.code == 0, edited.err
    resumed = run_b("sync")
    assert resumed.code == 0, resumed.err
    assert run_a("sync").code == 0
    assert (a / f"{case_id}.yaml").read_text() == fixed
    assert run_a("check").code == 0


def test_sync_keeps_the_appointments_added_on_both_sides_and_one_sides_edits(
    two_clones,
) -> None:
    import json

    run_a, a, run_b, b, case_id = two_clones
    soon = date.today() + timedelta(days=3)
    for hour in ("09:00", "10:00"):  # two appointments both clones know
        assert run_a("rdv", case_id, "--date", soon.isoformat(), "--time", hour).code == 0
    assert run_a("sync").code == 0 and run_b("sync").code == 0
    # A cancels the first and adds one; B moves the second and adds another.
    assert run_a("rdv", case_id, "1", "--cancel").code == 0
    assert run_a("rdv", case_id, "--date", soon.isoformat(), "--time", "14:00").code == 0
    assert run_b("rdv", case_id, "2", "--move", f"{soon.isoformat()} 11:00").code == 0
    assert run_b("rdv", case_id, "--date", soon.isoformat(), "--time", "16:00",
                 "--kind", "telephone").code == 0  # fmt: skip
    assert run_a("sync").code == 0
    merged = run_b("sync")
    assert merged.code == 0, merged.err
    assert run_a("sync").code == 0
    for run in (run_a, run_b):
        case = json.loads(run("show", case_id, "--json").out)["case"]
        kept = sorted((x["time"], x["kind"], "cancelled" in x) for x in case["appointments"])
        assert kept == [
            ("09:00", "visite", True),  # A's cancellation
            ("11:00", "visite", False),  # B's move
            ("14:00", "visite", False),  # added by A
            ("16:00", "telephone", False),  # added by B
        ]
        assert len({x["uid"] for x in case["appointments"]}) == 4
        checked = run("check")
        assert checked.code == 0 and "deux versions" not in checked.out + checked.err
    assert (a / f"{case_id}.yaml").read_bytes() == (b / f"{case_id}.yaml").read_bytes()


def test_merge_driver_on_an_unreadable_side_falls_back_to_lines(tmp_path: Path, capsys) -> None:
    base, ours, theirs = (tmp_path / n for n in ("base", "ours", "theirs"))
    base.write_text("id: 2015-001\nreferent: A\n")
    ours.write_text("id: 2015-001\nreferent: B\n")
    theirs.write_text("id: 2015-001\nreferent: [C\n")
    assert main(["merge-file", str(base), str(ours), str(theirs), "2015-001.yaml"]) == 1
    assert "<<<<<<< locale" in ours.read_text()


def test_other_writers_commit_through_the_same_hook(run: Run, cases: Path) -> None:
    """What a document or deletion command does: write through the journal `committing`
    yields (or note a file written its own way), name the action."""
    from visites.services.committing import committing
    from visites.store import Folder

    kept, removed = referral(run), referral(run, household="Famille Deux")
    folder = Folder(cases)
    with committing(folder, by="Référente A") as change:
        document = cases / "documents" / f"{kept}-avis.txt"
        document.parent.mkdir()
        change.write(document, b"avis\n")
        (cases / f"{removed}.yaml").unlink()
        change.note(cases / f"{removed}.yaml")
        change.action, change.label, change.case_ids = "delete", "suppression", [removed]
    shown = git(cases, "show", "--name-status", "--format=%an|%s", "HEAD").stdout.split("\n")
    assert shown[0] == f"Référente A|{removed}: suppression"
    assert sorted(line for line in shown[1:] if line) == [
        f"A\tdocuments/{kept}-avis.txt", f"D\t{removed}.yaml",
    ]  # fmt: skip


def test_a_git_lock_left_by_a_killed_commit_does_not_block_the_next_command(
    run: Run, cases: Path
) -> None:
    case_id = referral(run)
    (cases / ".git" / "index.lock").write_bytes(b"")  # what a SIGKILL during `git commit` leaves
    result = run("event", case_id, "--kind", "visite", "--date", "2015-02-01")
    assert result.code == 0, result.err
    log = subprocess.run(["git", "-C", str(cases), "log", "-1", "--format=%s"],
                         capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert log.strip() == f"{case_id}: événement visite"
    assert not (cases / ".git" / "index.lock").exists()


def test_history_of_a_case_shows_only_its_own_commits(run: Run, cases: Path) -> None:
    first = referral(run, household="Famille Une")
    second = referral(run, household="Famille Deux")  # an almost identical new file
    run("consent", second, "--date", "2015-01-20")
    result = run("history", first)
    assert result.code == 0, result.err
    assert result.out.count("dossier créé") == 1
    assert "adhésion" not in result.out
