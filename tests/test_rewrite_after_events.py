"""Regressions found while producing documents: a case with events, then consent --share."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Run, referral


def test_consent_with_share_after_an_event_keeps_the_file_readable(run: Run, cases: Path) -> None:
    case_id = referral(run)
    assert run("event", case_id, "--kind", "courrier", "--date", "2015-01-13").code == 0
    before = (cases / f"{case_id}.yaml").read_text()
    # The adhesion date and the consent date are the same object: no YAML anchor/alias.
    result = run("consent", case_id, "--date", "2015-01-20", "--share")
    assert result.code == 0, result.err
    after = (cases / f"{case_id}.yaml").read_text()
    assert "&id" not in after and "*id" not in after
    # Only the adhesion's lines are added; the nested mappings keep their 2-space indent.
    added = [line for line in after.splitlines() if line not in before.splitlines()]
    assert added == [
        "adhesion:",
        "  date: 2015-01-20",
        "  mode: tripartite",
        "  accord_echanges_bailleur: 2015-01-20",
        "  information_rgpd: 2015-01-20",
    ]
    assert run("check").code == 0
