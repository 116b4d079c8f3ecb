"""Hostile input on the command line, and files saved by other editors (BOM, CRLF)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Run, referral

NEW_REFERRAL = (
    "new-referral",
    "--household",
    "Famille Essai",
    "--commune",
    "Nantes",
    "--context",
    "entree",
    "--referrer",
    "Mme Lebrun",
    "--date",
    "2015-01-12",
)


def test_a_crlf_file_with_bom_loads_and_a_rewrite_keeps_its_line_endings(
    run: Run, cases: Path
) -> None:
    case_id = referral(run)
    path = cases / f"{case_id}.yaml"
    windows = b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(windows)
    assert run("check").code == 0
    assert run("event", case_id, "--kind", "visite", "--date", "2015-02-01").code == 0
    after = path.read_bytes()
    # Regression: comment lines kept "\r\n" and the rest lost it, a file of mixed endings.
    assert after.count(b"\n") == after.count(b"\r\n") == windows.count(b"\n") + 3
    assert after.replace(b"\r\n", b"\n").startswith(windows[3:].replace(b"\r\n", b"\n"))
    assert not after.startswith(b"\xef\xbb\xbf")  # the BOM goes: plain UTF-8 is read everywhere
    assert run("check").code == 0
    assert run("show", case_id, "--json").code == 0


def test_a_case_file_that_is_a_symlink_is_read_but_never_written_through(
    run: Run, cases: Path, tmp_path: Path
) -> None:
    case_id = referral(run)
    path = cases / f"{case_id}.yaml"
    outside = tmp_path / "ailleurs.yaml"
    outside.write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(outside)
    before = outside.read_bytes()
    assert run("check").code == 0
    assert run("show", case_id).code == 0
    refused = run("event", case_id, "--kind", "visite", "--date", "2015-02-01")
    # Regression: the link was replaced by a copy and its target kept the old content.
    assert refused.code == 1
    assert f"{path}: écriture refusée : ce fichier est un lien symbolique" in refused.err
    assert path.is_symlink() and outside.read_bytes() == before


def test_a_dangling_symlink_named_like_a_case_is_reported_and_never_written(
    run: Run, cases: Path, tmp_path: Path
) -> None:
    link = cases / "2015-001.yaml"
    link.symlink_to(tmp_path / "absent.yaml")
    check = run("check")
    assert check.code == 1 and f"{link}: lecture impossible" in check.err
    assert run(*NEW_REFERRAL).out.strip() == "2015-002"
    assert link.is_symlink() and not (tmp_path / "absent.yaml").exists()


def test_a_folder_named_like_a_case_is_reported_and_its_number_skipped(
    run: Run, cases: Path
) -> None:
    first = referral(run)
    (cases / "2015-002.yaml").mkdir()
    check = run("check")
    # Regression: `check` skipped it silently and new-referral was refused forever
    # ("le dossier 2015-002 existe déjà").
    assert check.code == 1
    assert f"{cases / '2015-002.yaml'}: lecture impossible : c'est un dossier" in check.err
    status = run("status", "--json")
    assert status.code == 0 and first in status.out and "2015-002.yaml" in status.err
    assert referral(run) == "2015-003"


def test_a_text_that_looks_like_an_impossible_date_survives_a_rewrite(
    run: Run, cases: Path
) -> None:
    case_id = referral(run)
    path = cases / f"{case_id}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("prescripteur: Mme Prescriptrice", "prescripteur: 2015-02-30"))
    assert run("check").code == 0  # a text field: any text is fine
    # Regression: the writer read it as a date and crashed with a traceback.
    assert run("event", case_id, "--kind", "visite", "--date", "2015-02-01").code == 0
    assert run("check").code == 0
    assert "2015-02-30" in path.read_text(encoding="utf-8")


def test_a_file_the_reader_accepts_but_the_writer_cannot_round_trip_is_refused_clearly(
    run: Run, cases: Path
) -> None:
    case_id = referral(run)
    path = cases / f"{case_id}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("prescripteur:", "prescripteur\t:"), encoding="utf-8")
    before = path.read_bytes()
    assert run("check").code == 0  # libyaml reads a tab before the colon; ruamel.yaml does not
    refused = run("event", case_id, "--kind", "visite", "--date", "2015-02-01")
    # Regression: a traceback from ruamel.yaml's scanner.
    assert refused.code == 1 and "Traceback" not in refused.err
    assert f"{path}:7: réécriture impossible, corrigez cette ligne à la main" in refused.err
    assert path.read_bytes() == before
