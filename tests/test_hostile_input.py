"""Hostile input on the command line, and files saved by other editors (BOM, CRLF)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Run, referral


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
