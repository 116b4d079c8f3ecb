"""No crash, no concurrent command and no failing disk loses or corrupts a case.

Crashes are real SIGKILLs of `visites` child processes; concurrent writers are real processes.
The long run of the same tests (≥ 200 kills) is bench/reliability.py.
"""

from __future__ import annotations

import errno
import os
import random
import shutil
from pathlib import Path

import pytest

from tests import reliability_kit as kit
from tests.conftest import Run, referral, snapshot
from visites import files, store


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return kit.make_template(tmp_path_factory.mktemp("modele"))


@pytest.fixture(scope="module")
def store_only(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return kit.make_template(tmp_path_factory.mktemp("modele"), autocommit=False)


# ---------------------------------------------------------------------------- crashes


@pytest.mark.parametrize("name", ["event", "orient"])
def test_a_killed_command_leaves_the_old_or_the_new_file_whole(
    name: str, store_only: Path, tmp_path: Path
) -> None:
    plan = kit.expected(store_only, tmp_path, name)
    rng = random.Random(f"{name}-ci")
    # At random moments of the whole command, then right inside the write (as soon as its
    # temp file appears). `kill_once` asserts old-or-new, check clean, next command clean.
    anywhere = [kit.kill_once(store_only, tmp_path, plan, rng, "anywhere") for _ in range(5)]
    in_write = [kit.kill_once(store_only, tmp_path, plan, rng, "write") for _ in range(5)]
    assert len(anywhere + in_write) == 10
    assert any(k.killed for k in in_write)


def test_a_command_killed_during_its_git_commit_does_not_break_the_next_one(
    template: Path, tmp_path: Path
) -> None:
    plan = kit.expected(template, tmp_path, "event")
    rng = random.Random("git-ci")
    for _ in range(3):
        kit.kill_once(template, tmp_path, plan, rng, "git")


def test_a_temp_file_left_by_a_crash_is_removed_by_the_next_write(run: Run, cases: Path) -> None:
    case_id = referral(run)
    stale = cases / f"{store.TEMP_PREFIX}abcd1234.part"
    stale.write_bytes(b"id: 2015-001\norientation_re")  # half a case: what a kill leaves
    assert run("check").code == 0  # not a case file: ignored by readers
    assert run("event", case_id, "--kind", "visite", "--date", "2015-02-01").code == 0
    assert not stale.exists()


@pytest.mark.parametrize("step", ["write", "fsync", "replace"])
@pytest.mark.parametrize("failure", [OSError(errno.EIO, "I/O"), KeyboardInterrupt()])
def test_atomic_write_interrupted_at_any_step_keeps_the_old_file_and_no_temp(
    step: str, failure: BaseException, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "2015-001.yaml"
    path.write_bytes(b"ancien\n")
    fail_at(monkeypatch, step, failure)
    with pytest.raises((type(failure), store.VisitesError)):
        store.atomic_write(path, b"nouveau\n" * 1000)
    assert path.read_bytes() == b"ancien\n"
    assert os.listdir(tmp_path) == ["2015-001.yaml"]


def fail_at(monkeypatch: pytest.MonkeyPatch, step: str, failure: BaseException) -> None:
    """Make one step of atomic_write fail: writing the temp file, syncing it, renaming it."""

    def fail(*_args: object, **_kwargs: object) -> None:
        raise failure

    if step == "write":
        real = os.fdopen

        class Failing:
            def __init__(self, fd: int, *args: object, **kwargs: object) -> None:
                self.file = real(fd, *args, **kwargs)

            def __enter__(self) -> Failing:
                return self

            def __exit__(self, *exc: object) -> None:
                self.file.close()

            def write(self, data: bytes) -> int:
                self.file.write(data[: len(data) // 2])  # half of it reached the disk
                self.file.flush()
                raise failure

        monkeypatch.setattr(store.os, "fdopen", Failing)
    else:
        monkeypatch.setattr(store.os, step, fail)


# ---------------------------------------------------------------------------- failing disk


@pytest.mark.parametrize(
    ("step", "code", "reason"),
    [
        ("write", errno.ENOSPC, "disque plein"),
        ("fsync", errno.ENOSPC, "disque plein"),
        ("fsync", errno.EDQUOT, "quota disque dépassé"),
        ("replace", errno.EROFS, "support en lecture seule"),
        ("replace", errno.EACCES, "droits insuffisants"),
    ],
)
def test_a_failing_disk_gives_a_clear_message_and_keeps_the_previous_file(
    step: str, code: int, reason: str, run: Run, cases: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = referral(run)
    before = snapshot(cases)
    fail_at(monkeypatch, step, OSError(code, os.strerror(code)))
    result = run("event", case_id, "--kind", "visite", "--date", "2015-02-01")
    assert result.code == 1
    path = cases / f"{case_id}.yaml"
    assert result.err == (
        f"erreur : {path}: écriture impossible : {reason} ; le fichier précédent est intact\n"
    )
    assert snapshot(cases) == before  # no temp file left either
    monkeypatch.undo()
    assert run("event", case_id, "--kind", "visite", "--date", "2015-02-01").code == 0


def test_a_full_disk_during_a_new_referral_leaves_no_partial_case(
    run: Run, cases: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    referral(run)
    before = snapshot(cases)
    fail_at(monkeypatch, "write", OSError(errno.ENOSPC, "No space left on device"))
    result = run(*kit.NEW_REFERRAL)
    assert result.code == 1 and "2015-002.yaml: écriture impossible : disque plein" in result.err
    assert snapshot(cases) == before


def test_a_read_only_folder_refuses_clearly_before_touching_anything(
    run: Run, cases: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests run as root, for whom chmod does not make a folder read-only: the refusal the
    # system gives (EROFS) is simulated where it first comes, creating the temp file.
    case_id = referral(run)
    before = snapshot(cases)

    def read_only(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(files.tempfile, "mkstemp", read_only)
    result = run("consent", case_id, "--date", "2015-01-20")
    assert result.code == 1
    assert f"{case_id}.yaml: écriture impossible : support en lecture seule" in result.err
    assert "Traceback" not in result.err and snapshot(cases) == before


# ---------------------------------------------------------------------------- concurrent writers


def test_two_processes_adding_25_events_each_to_one_case_keep_all_50(
    template: Path, tmp_path: Path
) -> None:
    folder = shutil.copytree(template, tmp_path / "dossiers")
    notes = kit.concurrent_events(folder, 25, same_case=True)[kit.CASE]
    written = {f"p{n}-{i}" for n in range(2) for i in range(25)}
    assert written <= set(notes) and len(notes) == 2 + 50
    kit.ok(folder, "check")


def test_two_processes_writing_two_cases_at_once_keep_every_event(
    template: Path, tmp_path: Path
) -> None:
    folder = shutil.copytree(template, tmp_path / "dossiers")
    notes = kit.concurrent_events(folder, 25, same_case=False)
    assert sorted(notes[kit.CASE][2:]) == sorted(f"p0-{i}" for i in range(25))
    assert sorted(notes[kit.OTHER]) == sorted(f"p1-{i}" for i in range(25))
    kit.ok(folder, "check")


def test_concurrent_new_referrals_get_unique_ids(template: Path, tmp_path: Path) -> None:
    folder = shutil.copytree(template, tmp_path / "dossiers")
    ids = kit.concurrent_referrals(folder, 10)
    assert ids == [f"2015-{n:03d}" for n in range(1, 23)]
    kit.ok(folder, "check")
