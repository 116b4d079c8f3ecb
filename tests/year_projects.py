"""Accompaniment projects and finances over 2014–2016, built through the CLI, for the bilan's
new figures (objectives, arrears, effort rate) and `--compare`. Each case is chosen for a
rule; the tests work every figure out by hand from the comments below.

P  referred 05/01/2015, adhesion 10/01/2015 (share), accompaniment 01/02 → closed 01/10/2015.
   Objectives: 1 atteint, 2 partiel, 3 left en cours. Statements: 10/01 arrears 3 000,
   resources 1 200, rent 600, benefit 200 (effort 400 / 1 200 = 0,3333); 01/05 arrears 1 500
   and a repayment plan; 30/09 arrears 0.
Q  adhesion 05/02/2015, accompaniment 01/03 → closed 30/11/2015. Objectives: 1 non atteint,
   2 abandonné. Statements: 02/03 arrears 800, resources 1 000 (no rent); 01/06 rent 500,
   benefit 100 (no resources): no statement gives both, no effort rate; 01/11 arrears 950.
R  adhesion 05/03/2015, accompaniment 01/04/2015 → closed 01/03/2016. Objective 1 atteint on
   01/10/2015. Statements: 05/03 resources 900, rent 450 (no benefit: effort 0,5); 01/12 a
   repayment plan. No arrears figure.
S  referred 01/04/2015 with arrears 1 200 (a statement before the adhesion), adhesion 10/04,
   statement 10/04 resources 0, rent 400 (no effort rate: resources 0), closed 15/05/2015
   during the diagnostic.
T  referred 03/11/2014, adhesion 10/11/2014 (its diagnostic began in 2014), statement 10/11
   arrears 500, resources 800, rent 300; 01/12/2014 a repayment plan (in 2014); oriented sans
   suite 08/01/2015 (closed), statement that day arrears 450.
U  adhesion 05/05/2015, statement resources 1 500, rent 700, benefit 250 (effort 0,3); 01/06
   « no repayment plan » (recorded false: not counted). Open.
V  adhesion 05/06/2015, statement resources 1 000, rent 250, benefit 0 (effort 0,25). Open.
"""

from __future__ import annotations

import contextlib
import io
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

Run = Callable[..., Any]


def ok(run: Run, *args: str) -> str:
    result = run(*args)
    assert result.code == 0, (args, result.err)
    return result.out.strip()


def new(run: Run, date: str, name: str) -> str:
    return ok(run, "new-referral", "--household", name, "--commune", "Nantes", "--context",
              "en-cours", "--referrer", "Mme Lebrun", "--date", date)  # fmt: skip


def build(run: Run) -> dict[str, str]:
    ids: dict[str, str] = {}
    money = ("finances",)

    ids["T"] = t = new(run, "2014-11-03", "Ménage T")
    ok(run, "consent", t, "--date", "2014-11-10")
    ok(run, *money, t, "--date", "2014-11-10", "--arrears", "500", "--resources", "800",
       "--rent", "300")  # fmt: skip
    ok(run, *money, t, "--date", "2014-12-01", "--repayment-plan")
    ok(run, "orient", t, "--to", "sans-suite", "--date", "2015-01-08")
    ok(run, *money, t, "--date", "2015-01-08", "--arrears", "450")

    ids["P"] = p = new(run, "2015-01-05", "Ménage P")
    ok(run, "consent", p, "--date", "2015-01-10", "--share")
    ok(run, "diagnose", p, "--problem", "budget-impayes", "--problem", "emploi")
    ok(run, *money, p, "--date", "2015-01-10", "--arrears", "3 000", "--resources", "1 200",
       "--rent", "600", "--housing-benefit", "200")  # fmt: skip
    ok(run, "orient", p, "--to", "accompagnement", "--date", "2015-02-01")
    goals = (("Reprendre le loyer courant", "budget-impayes"), ("Chercher un emploi", "emploi"),
             ("Ouvrir les droits", None))  # fmt: skip
    for text, problem in goals:
        extra = ("--problem", problem) if problem else ()
        ok(run, "objective", "add", p, "--text", text, "--date", "2015-02-01", *extra)
    ok(run, *money, p, "--date", "2015-05-01", "--arrears", "1 500", "--repayment-plan")
    ok(run, "objective", "set", p, "1", "--status", "atteint", "--date", "2015-06-01")
    ok(run, "objective", "set", p, "2", "--status", "partiel", "--date", "2015-09-01")
    ok(run, *money, p, "--date", "2015-09-30", "--arrears", "0")
    ok(run, "close", p, "--date", "2015-10-01", "--outcome", "maintien dans le logement")

    ids["Q"] = q = new(run, "2015-02-02", "Ménage Q")
    ok(run, "consent", q, "--date", "2015-02-05")
    ok(run, "orient", q, "--to", "accompagnement", "--date", "2015-03-01")
    ok(run, "objective", "add", q, "--text", "Payer le loyer", "--date", "2015-03-01")
    ok(run, "objective", "add", q, "--text", "Vendre la voiture", "--date", "2015-03-01")
    ok(run, *money, q, "--date", "2015-03-02", "--arrears", "800", "--resources", "1 000")
    ok(run, *money, q, "--date", "2015-06-01", "--rent", "500", "--housing-benefit", "100")
    ok(run, "objective", "set", q, "2", "--status", "abandonne", "--date", "2015-07-01")
    ok(run, "objective", "set", q, "1", "--status", "non-atteint", "--date", "2015-08-01")
    ok(run, *money, q, "--date", "2015-11-01", "--arrears", "950")
    ok(run, "close", q, "--date", "2015-11-30", "--outcome", "rupture ou abandon")

    ids["R"] = r = new(run, "2015-03-01", "Ménage R")
    ok(run, "consent", r, "--date", "2015-03-05")
    ok(run, *money, r, "--date", "2015-03-05", "--resources", "900", "--rent", "450")
    ok(run, "orient", r, "--to", "accompagnement", "--date", "2015-04-01")
    ok(run, "objective", "add", r, "--text", "Entretenir le logement", "--date", "2015-04-01")
    ok(run, "objective", "set", r, "1", "--status", "atteint", "--date", "2015-10-01")
    ok(run, *money, r, "--date", "2015-12-01", "--repayment-plan")
    ok(run, "close", r, "--date", "2016-03-01", "--outcome", "maintien dans le logement")

    ids["S"] = s = new(run, "2015-04-01", "Ménage S")
    ok(run, *money, s, "--date", "2015-04-01", "--arrears", "1 200")
    ok(run, "consent", s, "--date", "2015-04-10")
    ok(run, *money, s, "--date", "2015-04-10", "--resources", "0", "--rent", "400")
    ok(run, "close", s, "--date", "2015-05-15", "--outcome", "départ du logement")

    ids["U"] = u = new(run, "2015-05-01", "Ménage U")
    ok(run, "consent", u, "--date", "2015-05-05")
    ok(run, *money, u, "--date", "2015-05-05", "--resources", "1 500", "--rent", "700",
       "--housing-benefit", "250")  # fmt: skip
    ok(run, *money, u, "--date", "2015-06-01", "--no-repayment-plan")

    ids["V"] = v = new(run, "2015-06-01", "Ménage V")
    ok(run, "consent", v, "--date", "2015-06-05")
    ok(run, *money, v, "--date", "2015-06-05", "--resources", "1 000", "--rent", "250",
       "--housing-benefit", "0")  # fmt: skip
    return ids


@pytest.fixture(scope="session")
def projects_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """The cases built once through the real entry point; each test gets a copy."""
    from visites.cli import main

    template = tmp_path_factory.mktemp("projets") / "dossiers"
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["init", str(template)]) == 0

    def run(*args: str) -> Any:
        from types import SimpleNamespace

        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["--cases", str(template), *args])
        return SimpleNamespace(code=code, out=out.getvalue(), err=err.getvalue())

    return template, build(run)


@pytest.fixture
def projects(projects_template: tuple[Path, dict[str, str]], cases: Path) -> dict[str, str]:
    """The cases in the test's own folder; their IDs by letter."""
    template, ids = projects_template
    for path in template.iterdir():
        if path.is_file():
            shutil.copy2(path, cases / path.name)
    return ids
