"""A programme year worked by hand: eleven households driven through the CLI in date order,
and `status --overdue` checked at two dates against figures computed by hand.

Rules (default settings): adhesion due 30 days after the referral; diagnostic due 2 calendar
months after the adhesion; the landlord's own deadline wins when earlier; accompaniment
reviewed 6 months after its start or N months after the last renewal.
Day numbers of 2015 used below: 05/02 = 36, 11/02 = 42, 10/04 = 100, 15/04 = 105,
31/05 = 151, 01/07 = 182, 30/11 = 334, 01/12 = 335.
"""

from __future__ import annotations

import json

from tests.conftest import Run, referral


def overdue(run: Run, today: str) -> dict[str, int]:
    result = run("status", "--overdue", "--json", "--today", today)
    assert result.code == 0, result.err
    return {row["id"]: row["days_overdue"] for row in json.loads(result.out)}


def ok(run: Run, *args: str) -> None:
    result = run(*args)
    assert result.code == 0, (args, result.err)


def test_a_programme_year_worked_by_hand(run: Run) -> None:
    claire, karim = "Claire Dubois", "Karim Benali"
    # --- January to mid-April -------------------------------------------------------
    h1 = referral(run, household="Famille Un", date="2015-01-05", referent=claire)
    ok(run, "consent", h1, "--date", "2015-01-15")
    h2 = referral(run, household="Famille Deux", date="2015-01-12", referent=karim)  # never answers
    h3 = referral(run, household="Famille Trois", date="2015-01-20", deadline="2015-02-05")
    ok(run, "consent", h3, "--date", "2015-01-30")  # diagnostic due: butoir 05/02 < 30/03
    h4 = referral(run, household="Famille Quatre", date="2015-02-02", context="en-cours")
    ok(run, "consent", h4, "--date", "2015-02-10", "--mode", "courrier")  # due 10/04
    h5 = referral(run, household="Famille Cinq", date="2015-02-16")
    ok(run, "consent", h5, "--refused", "--date", "2015-02-25")
    ok(run, "orient", h1, "--to", "accompagnement", "--date", "2015-03-02")  # review 02/09
    h6 = referral(run, household="Famille Six", date="2015-03-02")
    ok(run, "consent", h6, "--date", "2015-03-31")  # due 31/05
    h7 = referral(run, household="Famille Sept", date="2015-04-01")  # adhesion due 01/05
    ok(run, "event", h2, "--kind", "absence", "--date", "2015-02-20")

    # 15/04: h3 due 05/02 → 105-36 = 69 days; h2 due 11/02 → 105-42 = 63; h4 due 10/04 → 5.
    assert overdue(run, "2015-04-15") == {h3: 69, h2: 63, h4: 5}
    assert list(overdue(run, "2015-04-15")) == [h3, h2, h4]  # most urgent first

    # --- mid-April to December -------------------------------------------------------
    ok(run, "orient", h4, "--to", "droit-commun", "--measure", "ASLL", "--date", "2015-04-20")
    ok(run, "consent", h7, "--date", "2015-04-30")
    h8 = referral(run, household="Famille Huit", date="2015-05-04")
    ok(run, "consent", h8, "--date", "2015-05-12")
    h9 = referral(run, household="Famille Neuf", date="2015-06-01")  # adhesion due 01/07
    ok(run, "close", h8, "--date", "2015-06-01", "--outcome", "rupture ou abandon")
    ok(run, "orient", h7, "--to", "accompagnement", "--date", "2015-06-15")  # review 15/12
    h10 = referral(run, household="Famille Dix", date="2015-08-31")
    ok(run, "renew", h1, "--date", "2015-09-01")  # next review 01/03/2016
    ok(run, "consent", h10, "--date", "2015-09-10")
    h11 = referral(run, household="Famille Onze", date="2015-10-31")  # adhesion due 30/11
    ok(run, "orient", h10, "--to", "sans-suite", "--date", "2015-11-02")

    # 01/12: h3 335-36 = 299; h2 335-42 = 293; h6 due 31/05 → 184; h9 due 01/07 → 153;
    # h11 due 30/11 → 1. h1 (review 01/03/2016) and h7 (review 15/12) are on time;
    # h4, h5, h8, h10 are closed.
    assert overdue(run, "2015-12-01") == {h3: 299, h2: 293, h6: 184, h9: 153, h11: 1}
    assert list(overdue(run, "2015-12-01")) == [h3, h2, h6, h9, h11]

    open_cases = json.loads(run("status", "--json", "--today", "2015-12-01").out)
    assert {row["id"]: row["phase"] for row in open_cases} == {
        h1: "accompaniment", h2: "referral", h3: "diagnostic", h6: "diagnostic",
        h7: "accompaniment", h9: "referral", h11: "referral",
    }  # fmt: skip
    assert run("check").code == 0
