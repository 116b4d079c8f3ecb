"""The index cache never serves stale data, and is rebuilt when missing or damaged."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Run, referral

from visites.cache import index
from visites.store import Folder

INDEX = Path(index.CACHE_DIR) / index.INDEX_FILE


def status(run: Run) -> dict[str, dict]:
    result = run("status", "--all", "--json", "--today", "2015-12-31")
    assert result.code == 0, result.err
    return {row["id"]: row for row in json.loads(result.out)}


def rewrite_keeping_mtime(path: Path, old: str, new: str) -> None:
    """Change the text in place, same size, and set the modification time back."""
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    assert len(old) == len(new) and old in text
    with open(path, "r+", encoding="utf-8") as handle:  # same inode
        handle.write(text.replace(old, new))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        before.st_size,
        before.st_mtime_ns,
        before.st_ino,
    )


def age(path: Path, days: int = 400) -> None:
    """Date the file's modification back, as if written long before the cache."""
    when = path.stat().st_mtime_ns - days * 86_400 * 10**9
    os.utime(path, ns=(when, when))


def test_warm_status_is_the_cold_status(run: Run, cases: Path) -> None:
    referral(run, "Famille Alpha")
    referral(run, "Famille Beta", commune="Rezé")
    cold = run("status", "--all", "--json", "--today", "2015-12-31").out
    assert (cases / INDEX).is_file()
    warm = run("status", "--all", "--json", "--today", "2015-12-31").out
    assert warm == cold
    assert [row["household"] for row in json.loads(warm)] == ["Famille Alpha", "Famille Beta"]


def test_hand_edit_is_seen_at_once(run: Run, cases: Path) -> None:
    case_id = referral(run, "Famille Alpha")
    status(run)
    path = cases / f"{case_id}.yaml"
    path.write_text(path.read_text().replace("Famille Alpha", "Famille Gamma-Delta"))
    assert status(run)[case_id]["household"] == "Famille Gamma-Delta"


def test_same_size_and_mtime_rewrite_of_an_old_file_is_seen(run: Run, cases: Path) -> None:
    case_id = referral(run, "Famille Alpha")
    path = cases / f"{case_id}.yaml"
    age(path)  # the row will not be racy: only the key can catch the change
    assert status(run)[case_id]["household"] == "Famille Alpha"
    rewrite_keeping_mtime(path, "Famille Alpha", "Famille Omega")
    assert status(run)[case_id]["household"] == "Famille Omega"


def test_same_size_and_mtime_rewrite_is_seen_when_only_the_hash_can_tell(
    run: Run, cases: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A file system without inode numbers or ctime (some network shares): the key is then
    # size and mtime alone, and a recent file is protected by its content hash.
    def blind(stat: os.stat_result) -> tuple[int, int, int, int]:
        return (0, stat.st_size, stat.st_mtime_ns, 0)

    monkeypatch.setattr(index, "file_key", blind)
    case_id = referral(run, "Famille Alpha")
    assert status(run)[case_id]["household"] == "Famille Alpha"
    rewrite_keeping_mtime(cases / f"{case_id}.yaml", "Famille Alpha", "Famille Omega")
    assert status(run)[case_id]["household"] == "Famille Omega"


def test_racy_rows_are_settled_once_old_enough(run: Run, cases: Path) -> None:
    case_id = referral(run, "Famille Alpha")
    status(run)
    with sqlite3.connect(cases / INDEX) as db:
        assert db.execute("SELECT digest FROM cases").fetchone()[0] is not None
    age(cases / f"{case_id}.yaml")  # changes the key: read again, now not racy
    status(run)
    with sqlite3.connect(cases / INDEX) as db:
        assert db.execute("SELECT digest FROM cases").fetchone()[0] is None
    assert status(run)[case_id]["household"] == "Famille Alpha"


def test_deleted_and_added_files_are_seen(run: Run, cases: Path) -> None:
    first = referral(run, "Famille Alpha")
    second = referral(run, "Famille Beta")
    assert set(status(run)) == {first, second}
    (cases / f"{first}.yaml").unlink()
    assert set(status(run)) == {second}
    shutil.copy(cases / f"{second}.yaml", cases / "2015-009.yaml")
    text = (cases / "2015-009.yaml").read_text().replace(f"id: {second}", "id: 2015-009")
    (cases / "2015-009.yaml").write_text(text)
    assert set(status(run)) == {second, "2015-009"}


def test_a_file_turned_invalid_is_reported_not_served(run: Run, cases: Path) -> None:
    case_id = referral(run, "Famille Alpha")
    status(run)
    path = cases / f"{case_id}.yaml"
    path.write_text(path.read_text().replace("contexte: entree", "contexte: ailleurs"))
    result = run("status", "--json", "--today", "2015-12-31")
    assert json.loads(result.out) == []
    assert f"{case_id}.yaml" in result.err and "contexte" in result.err


def git(cases: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cases, check=True, capture_output=True)


def git_out(cases: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cases, check=True, capture_output=True, text=True)
    return done.stdout.strip()


def test_git_checkout_and_merge_are_seen(run: Run, cases: Path) -> None:
    if not (cases / ".git").is_dir():
        pytest.skip("git absent : pas de dépôt créé par init")
    case_id = referral(run, "Famille Alpha")  # committed by the command itself
    first = git_out(cases, "rev-parse", "--abbrev-ref", "HEAD")
    assert status(run)[case_id]["phase"] == "referral"
    git(cases, "checkout", "-qb", "other")
    assert run("consent", case_id, "--date", "2015-01-20").code == 0
    assert git_out(cases, "status", "--porcelain") == ""  # committed; the index is ignored
    assert status(run)[case_id]["phase"] == "diagnostic"
    git(cases, "checkout", "-q", first)
    assert status(run)[case_id]["phase"] == "referral"
    git(cases, "merge", "-q", "other")
    assert status(run)[case_id]["phase"] == "diagnostic"
    assert index.CACHE_DIR not in git_out(cases, "ls-files")


def test_corrupt_cache_file_is_rebuilt(run: Run, cases: Path) -> None:
    case_id = referral(run, "Famille Alpha")
    expected = status(run)
    (cases / INDEX).write_bytes(b"not a database at all" * 100)
    assert status(run) == expected
    with sqlite3.connect(cases / INDEX) as db:  # rebuilt: a database again
        assert db.execute("SELECT name FROM cases").fetchall() == [(case_id,)]


def test_damaged_rows_are_never_served(run: Run, cases: Path) -> None:
    case_id = referral(run, "Famille Alpha")
    expected = status(run)
    with sqlite3.connect(cases / INDEX) as db:
        db.execute("UPDATE cases SET phase = 'nowhere'")
    assert status(run) == expected
    with sqlite3.connect(cases / INDEX) as db:
        db.execute("UPDATE models SET model = '{broken'")
    catalogue = Folder(cases).load_all()
    assert [case.id for case in catalogue.cases] == [case_id]
    assert catalogue.cases[0].household.name == "Famille Alpha"


def test_settings_change_recomputes_due_dates(run: Run, cases: Path) -> None:
    case_id = referral(run, "Famille Alpha", date="2015-01-12")
    assert status(run)[case_id]["due"] == "2015-02-11"  # 30 days to consent
    settings = cases / "visites.yaml"
    settings.write_text(settings.read_text().replace("adhesion_jours: 30", "adhesion_jours: 10"))
    assert status(run)[case_id]["due"] == "2015-01-22"


def test_cache_is_private(run: Run, cases: Path) -> None:
    referral(run)
    status(run)
    assert stat.S_IMODE((cases / index.CACHE_DIR).stat().st_mode) == 0o700
    assert stat.S_IMODE((cases / INDEX).stat().st_mode) == 0o600


def test_load_all_by_year_keeps_the_cases_touching_it(run: Run, cases: Path) -> None:
    closed = referral(run, "Famille Close", date="2015-03-01")
    assert run("consent", closed, "--refused", "--date", "2015-03-10").code == 0
    still_open = referral(run, "Famille Ouverte", date="2015-05-01")
    later = referral(run, "Famille Tardive", date="2016-02-01")
    for attempt in ("cold", "warm"):
        folder = Folder(cases)
        by_year = {
            year: [c.id for c in folder.load_all(years=range(year, year + 1)).cases]
            for year in (2015, 2016, 2017)
        }
        assert by_year == {
            2015: [closed, still_open],
            2016: [still_open, later],
            2017: [still_open, later],
        }, attempt


def test_warm_status_loads_neither_models_nor_yaml(run: Run, cases: Path) -> None:
    referral(run)
    status(run)
    probe = (
        "import sys\n"
        "from visites.cli import main\n"
        f"code = main(['--cases', {str(cases)!r}, 'status', '--overdue'])\n"
        "heavy = [m for m in ('visites.model', 'yaml', 'ruamel.yaml') if m in sys.modules]\n"
        "print(code, heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert out.stdout.strip().splitlines()[-1] == "0 []", out.stderr


def test_warm_status_imports_neither_pydantic_nor_rich(run: Run, cases: Path) -> None:
    """Served from the index, status validates no model, and typer's coercion of its
    options (strings and flags: cli/typer_adapter.light_coercion) does not need pydantic."""
    referral(run, "Famille Alpha", referent="Claire Dubois")
    referral(run, "Famille Beta", commune="Rezé")
    status(run)
    probe = (
        "import sys\n"
        "from visites.cli import main\n"
        f"codes = [main(['--cases', {str(cases)!r}, *args]) for args in (\n"
        "    ['status'], ['status', '--overdue', '--today', '2016-06-30'],\n"
        "    ['status', '--all', '--referent', 'claire', '--phase', 'diagnostic'])]\n"
        "print(codes, sorted(m for m in ('pydantic', 'rich') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert out.stdout.strip().splitlines()[-1] == "[0, 0, 0] []", out.stdout + out.stderr


def test_help_does_not_import_pydantic() -> None:
    probe = (
        "import sys\n"
        "from visites.cli import main\n"
        "main(['--help'])\n"
        "print('pydantic' in sys.modules, 'rich' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert out.stdout.strip().splitlines()[-1] == "False False", out.stderr


def test_a_row_settled_in_a_pass_is_served_without_rebuilding_the_index(
    run: Run, cases: Path, monkeypatch
) -> None:
    """A file read while racy keeps its hash; the first pass after it is old enough clears
    the hash, and serves the row: it does not take the index for damaged (a full rebuild,
    seconds at 10,000 files)."""
    case_id = referral(run, "Famille Alpha")
    status(run)
    with sqlite3.connect(cases / INDEX) as db:
        assert db.execute("SELECT digest FROM cases").fetchone()[0] is not None
    monkeypatch.setattr(index, "RACY_SECONDS", 0)  # as if two seconds had passed
    parsed: list[str] = []
    original = Folder._parse

    def counting(self: Folder, raw: bytes, path: str, name: str):  # noqa: ANN202
        parsed.append(name)
        return original(self, raw, path, name)

    monkeypatch.setattr(Folder, "_parse", counting)
    assert status(run)[case_id]["household"] == "Famille Alpha"
    assert parsed == []  # served from the index, nothing read again
    with sqlite3.connect(cases / INDEX) as db:
        assert db.execute("SELECT digest FROM cases").fetchone()[0] is None


# Run as `python -m visites` runs: at exit, print the heavy libraries loaded by then.
WATCHED_RUN = """
import atexit, runpy, sys
atexit.register(lambda: print("loaded:", sorted(
    m for m in ("pydantic", "rich", "yaml", "ruamel", "visites.model") if m in sys.modules)))
sys.argv = ["visites", *sys.argv[1:]]
runpy.run_module("visites", run_name="__main__", alter_sys=True)
"""


def test_warm_overdue_status_of_a_demo_folder_loads_neither_pydantic_nor_rich(
    tmp_path: Path,
) -> None:
    """The process a user starts, on a folder with overdue cases, handovers and agenda: the
    second `status --overdue` is served from the index and printed as plain text, so it
    must not load pydantic, Rich or YAML (start-up or command). Through a wrapper that runs
    `python -m visites` and prints sys.modules at exit."""
    folder = tmp_path / "demo"
    from visites.cli import main

    assert main(["demo", str(folder), "--households", "30", "--years", "2024-2026"]) == 0
    args = ["--cases", str(folder), "status", "--overdue", "--today", "2026-12-31"]
    command = [sys.executable, "-c", WATCHED_RUN, *args]
    cold, warm = (
        subprocess.run(command, capture_output=True, text=True, cwd=tmp_path) for _ in range(2)
    )
    assert cold.returncode == warm.returncode == 0, cold.stderr + warm.stderr
    assert "en retard" in warm.stdout and warm.stdout.count("\n") > 3  # rows were listed
    assert cold.stdout.splitlines()[:-1] == warm.stdout.splitlines()[:-1]  # the same table
    assert "pydantic" in cold.stdout.splitlines()[-1]  # the watch sees what is loaded
    assert warm.stdout.splitlines()[-1] == "loaded: []", warm.stdout


def test_the_fingerprint_follows_every_module_of_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edited rule anywhere in visites (not only in visites/cache/) drops the rows."""
    stamped = {stamp.split(":")[0] for stamp in index._module_stamps(str(index.PACKAGE))}
    assert {"deadlines.py", "cache/index.py", "cli/app.py"} <= stamped
    package = tmp_path / "pkg"
    (package / "rules").mkdir(parents=True)
    (package / "a.py").write_text("A = 1\n")
    (package / "rules" / "b.py").write_text("B = 1\n")
    monkeypatch.setattr(index, "PACKAGE", package)
    before = index.fingerprint(b"settings")
    assert index.fingerprint(b"settings") == before
    assert index.fingerprint(b"other settings") != before
    (package / "rules" / "b.py").write_text("B = 22\n")
    assert index.fingerprint(b"settings") != before
