"""Regression: `consent --share` writes the same date twice; it must not become a YAML alias."""

from conftest import referral


def test_consent_with_share_writes_plain_dates(run, cases):
    case_id = referral(run)
    result = run("consent", case_id, "--date", "2015-01-20", "--share")
    assert result.code == 0, result.err
    text = (cases / f"{case_id}.yaml").read_text()
    assert "accord_echanges_bailleur: 2015-01-20" in text
    assert "&" not in text and "*id" not in text
