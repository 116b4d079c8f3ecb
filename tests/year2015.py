"""A year of casework built through the CLI, shared by the bilan, costs and export tests.

Twelve fictional households referred from December 2014 to January 2016, chosen so that every
bilan rule is exercised: on-time and late diagnostics, one still open and late at year end,
one stopped during the diagnostic, a refusal, a pending referral, each of the four
orientations, accompaniments ended in the year, running into the next year, and still open.
"""

from __future__ import annotations

import contextlib
import io
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

Run = Callable[..., Any]


def ok(run: Run, *args: str) -> str:
    result = run(*args)
    assert result.code == 0, (args, result.err)
    return result.out.strip()


def new(run: Run, date: str, context: str, commune: str, referrer: str, referent: str) -> str:
    return ok(run, "new-referral", "--household", f"Ménage {date}", "--commune", commune,
              "--context", context, "--referrer", referrer, "--referent", referent,
              "--date", date, "--landlord-ref", f"LOG-{date}")  # fmt: skip


def build(run: Run) -> dict[str, str]:
    """Create the year; return the IDs by letter (A…M), for the tests' reasoning."""
    ids: dict[str, str] = {}
    claire, karim = "Claire Dubois", "Karim Benali"
    lebrun, morel = "Mme Lebrun", "M. Morel"

    # K: referred and consented in 2014, oriented to accompaniment in 2015 one day late
    # (due 15/02/2015), closed 03/04/2015.
    ids["K"] = k = new(run, "2014-12-10", "en-cours", "Nantes", lebrun, karim)
    ok(run, "consent", k, "--date", "2014-12-15", "--share")
    ok(run, "diagnose", k, "--problem", "isolement")
    ok(run, "event", k, "--kind", "visite", "--date", "2014-12-20")
    ok(run, "event", k, "--kind", "visite", "--date", "2015-01-15")
    ok(run, "orient", k, "--to", "accompagnement", "--date", "2015-02-16")
    ok(run, "close", k, "--date", "2015-04-03", "--outcome", "relogement ou mutation")

    # A: on time (due 20/03), accompaniment March to September 2015.
    ids["A"] = a = new(run, "2015-01-12", "entree", "Nantes", lebrun, claire)
    ok(run, "consent", a, "--date", "2015-01-20", "--share")
    ok(run, "diagnose", a, "--problem", "budget-impayes", "--problem", "emploi")
    ok(run, "event", a, "--kind", "tripartite", "--date", "2015-01-20")
    ok(run, "event", a, "--kind", "visite", "--date", "2015-02-03")
    ok(run, "orient", a, "--to", "accompagnement", "--date", "2015-03-10")
    ok(run, "close", a, "--date", "2015-09-15", "--outcome", "maintien dans le logement")

    # B: late (due 10/04, oriented 20/04) to droit commun, ASLL.
    ids["B"] = b = new(run, "2015-02-02", "en-cours", "Saint-Herblain", morel, claire)
    ok(run, "consent", b, "--date", "2015-02-10")
    ok(run, "diagnose", b, "--problem", "dettes", "--problem", "budget-impayes")
    ok(run, "event", b, "--kind", "telephone", "--date", "2015-02-12")
    ok(run, "orient", b, "--to", "droit-commun", "--measure", "ASLL", "--date", "2015-04-20",
       "--outcome", "relais droit commun")  # fmt: skip

    # C: refused.
    ids["C"] = c = new(run, "2015-03-05", "en-cours", "Rezé", morel, karim)
    ok(run, "consent", c, "--refused", "--date", "2015-03-20")

    # D: sans suite, no outcome given.
    ids["D"] = d = new(run, "2015-04-01", "entree", "Nantes", lebrun, claire)
    ok(run, "consent", d, "--date", "2015-04-15")
    ok(run, "orient", d, "--to", "sans-suite", "--date", "2015-05-20")

    # E: remobilisation.
    ids["E"] = e = new(run, "2015-05-04", "en-cours", "Nantes", lebrun, karim)
    ok(run, "consent", e, "--date", "2015-05-11")
    ok(run, "orient", e, "--to", "remobilisation", "--date", "2015-07-01",
       "--outcome", "maintien dans le logement")  # fmt: skip

    # F: the worked example: accompaniment 01/07/2015 → 15/02/2016.
    ids["F"] = f = new(run, "2015-06-01", "entree", "Saint-Nazaire", morel, karim)
    ok(run, "consent", f, "--date", "2015-06-03")
    ok(run, "event", f, "--kind", "absence", "--date", "2015-06-10")
    ok(run, "orient", f, "--to", "accompagnement", "--date", "2015-07-01")
    ok(run, "close", f, "--date", "2016-02-15", "--outcome", "maintien dans le logement")

    # L: stops during the diagnostic (still billed).
    ids["L"] = x = new(run, "2015-06-10", "entree", "Orvault", lebrun, claire)
    ok(run, "consent", x, "--date", "2015-06-20")
    ok(run, "close", x, "--date", "2015-07-10", "--outcome", "rupture ou abandon")

    # G: the second example: accompaniment from 30/10/2015, still open.
    ids["G"] = g = new(run, "2015-09-01", "en-cours", "Nantes", morel, claire)
    ok(run, "consent", g, "--date", "2015-09-10")
    ok(run, "orient", g, "--to", "accompagnement", "--date", "2015-10-30")

    # H: diagnostic still open at year end, due 20/12/2015: late.
    ids["H"] = h = new(run, "2015-10-05", "entree", "Rezé", lebrun, karim)
    ok(run, "consent", h, "--date", "2015-10-20")
    ok(run, "diagnose", h, "--problem", "sante")

    # I: diagnostic open at year end, due 25/01/2016: not late.
    ids["I"] = i = new(run, "2015-11-16", "en-cours", "Saint-Herblain", morel, claire)
    ok(run, "consent", i, "--date", "2015-11-25")

    # J: referred in December, no answer yet: pending.
    ids["J"] = new(run, "2015-12-01", "entree", "Nantes", lebrun, claire)

    # M: referred in 2016: outside the 2015 bilan.
    ids["M"] = new(run, "2016-01-05", "entree", "Nantes", lebrun, claire)
    return ids


def built_once(template: Path) -> dict[str, str]:
    """Build the year into `template` through the real entry point (no pytest fixtures)."""
    from visites.cli import main

    @dataclass(frozen=True)
    class Result:
        code: int
        out: str
        err: str

    def run(*args: str) -> Result:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["--cases", str(template), *args])
        return Result(code, out.getvalue(), err.getvalue())

    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["init", str(template)]) == 0
    return build(run)


def copy_into(template: Path, cases: Path) -> None:
    """Replace the (freshly initialised) `cases` folder's files with the template's."""
    for path in template.iterdir():
        if path.is_file():
            shutil.copy2(path, cases / path.name)


@pytest.fixture(scope="session")
def year_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """The year built once through the CLI; each test gets a copy (building takes seconds)."""
    template = tmp_path_factory.mktemp("annee-2015") / "dossiers"
    return template, built_once(template)


@pytest.fixture
def year(year_template: tuple[Path, dict[str, str]], cases: Path) -> dict[str, str]:
    """The year 2015 in the test's own case folder; the IDs by letter."""
    template, ids = year_template
    copy_into(template, cases)
    return ids
