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


def test_a_new_case_is_never_written_through_a_dangling_symlink(
    run: Run, cases: Path, tmp_path: Path
) -> None:
    (cases / "2015-001.yaml").symlink_to(tmp_path / "absent.yaml")
    refused = run(*NEW_REFERRAL)
    assert refused.code == 1 and "lien symbolique" in refused.err
    assert not (tmp_path / "absent.yaml").exists()
