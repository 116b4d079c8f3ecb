"""Test support for data protection: a demo folder covering every phase, markers planted in
every confidential field, and the outputs meant for the landlord.

The demo folder is the repository's `cases/`, copied (tests never change it). Every value is
fictional.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from visites import casefile, yamlio
from visites.config import PARTNERS, PROBLEM_DOMAINS
from visites.model import CONFIDENTIAL, Case

REPO_DEMO = Path(__file__).resolve().parents[1] / "cases"
FAR_FUTURE = "2099-01-01"  # every closed case is past its retention period on that day
MARKER = "SECRETMARK"

Run = Callable[..., Any]


def ok(run: Run, *args: str) -> str:
    result = run(*args)
    assert result.code == 0, (args, result.err)
    return result.out


def build_demo(run: Run, folder: Path) -> None:
    """The repository's demo folder (every phase, every orientation, a refusal, events,
    consent to share), plus one hand-edited file with household members, a comment and an
    unknown key."""
    shutil.rmtree(folder)
    shutil.copytree(REPO_DEMO, folder)
    add_projects(run)
    hand_edit(folder)
    assert ok(run, "check")


# Accompaniment projects and finances added to the demo through the CLI: objectives with
# their statuses, statements from the referral to the closure, two accompaniments closed in
# 2016 and three cases closed in 2015 with arrears figures (so every total sums two or more).
PROJECTS: list[list[str]] = [
    ["finances", "2015-008", "--date", "2015-04-14", "--arrears", "3 150", "--resources",
     "1 050,00", "--rent", "560", "--housing-benefit", "210 €"],
    ["objective", "add", "2015-008", "--text", "Monter le dossier de surendettement",
     "--problem", "dettes", "--date", "2015-05-12"],
    ["objective", "add", "2015-008", "--text", "Reprendre le paiement du loyer courant",
     "--problem", "budget-impayes", "--date", "2015-05-12"],
    ["objective", "set", "2015-008", "1", "--status", "atteint", "--date", "2015-10-05",
     "--note", "Dossier déposé à la Banque de France."],
    ["finances", "2015-008", "--date", "2015-11-02", "--arrears", "1 200,50 €",
     "--repayment-plan"],
    ["close", "2015-008", "--date", "2016-01-29", "--outcome", "plan d'apurement"],
    ["objective", "set", "2015-008", "2", "--status", "partiel", "--date", "2016-01-29"],
    ["finances", "2015-001", "--date", "2015-01-08", "--arrears", "640", "--resources", "1350",
     "--rent", "610"],
    ["objective", "add", "2015-001", "--text", "Participer à un atelier du centre social",
     "--problem", "isolement", "--date", "2015-02-16"],
    ["finances", "2015-001", "--date", "2016-03-01", "--arrears", "0"],
    ["close", "2015-001", "--date", "2016-03-15", "--outcome", "maintien dans le logement"],
    ["finances", "2015-002", "--date", "2015-01-20", "--arrears", "2 400", "--resources",
     "1 100", "--rent", "520", "--housing-benefit", "180,50"],
    ["objective", "add", "2015-002", "--text", "Retrouver un emploi", "--problem", "emploi",
     "--date", "2015-03-10"],
    ["finances", "2015-003", "--date", "2015-02-02", "--arrears", "800", "--resources", "900",
     "--rent", "430", "--housing-benefit", "250"],
    ["finances", "2015-003", "--date", "2015-04-09", "--arrears", "0"],
    ["finances", "2015-006", "--date", "2015-03-16", "--arrears", "1 500"],
    ["finances", "2015-006", "--date", "2015-04-20", "--arrears", "1 650"],
    ["finances", "2015-010", "--date", "2015-05-04", "--arrears", "650", "--resources", "0",
     "--rent", "400"],
]  # fmt: skip


def add_projects(run: Run) -> None:
    for command in PROJECTS:
        ok(run, *command)


def hand_edit(folder: Path) -> None:
    """What hand edits add to a closed case: household members, a handover with its note, a
    comment and an unknown key."""
    from visites.model import Handover, Member, Phase
    from visites.store import Folder

    cases = [c for c in Folder(folder).load_all().cases if c.phase is Phase.CLOSED]
    chosen = max(cases, key=lambda c: (len(c.events), c.diagnostic is not None))
    stored = Folder(folder).read(chosen.id)
    members = (Member(first_name="Julie", role="titulaire du bail"),
               Member(first_name="Enzo", role="enfant", birth_year=2009))  # fmt: skip
    household = stored.case.household.model_copy(update={"members": members})
    handover = Handover(name="Référente Remplaçante", since=chosen.referral.date,
                        note="Congé de la référente")  # fmt: skip
    edited = stored.case.model_copy(update={"household": household, "handovers": (handover,)})
    text = casefile.render_update(stored.text, stored.case, edited)
    text += "# Rappel : Julie préfère être appelée le matin\nportable_soeur: 06 99 99 99 99\n"
    stored.path.write_text(text, encoding="utf-8")


_BUILT: list[Path] = []


# Test modules import both fixtures (`from privacy_support import demo_fixture,
# demo_template_fixture`) to use `demo`.
@pytest.fixture(scope="session", name="demo_template")
def demo_template_fixture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo folder, built once per test session (each module importing this fixture
    gets its own copy of the definition: the folder itself is shared through _BUILT)."""
    from types import SimpleNamespace

    from visites.cli import main

    if _BUILT:
        return _BUILT[0]
    folder = tmp_path_factory.mktemp("demo") / "dossiers"
    assert main(["init", str(folder)]) == 0

    def invoke(*args: str) -> SimpleNamespace:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["--cases", str(folder), *args])
        return SimpleNamespace(code=code, out=out.getvalue(), err=err.getvalue())

    build_demo(invoke, folder)
    _BUILT.append(folder)
    return folder


@pytest.fixture(name="demo")
def demo_fixture(demo_template: Path, cases: Path) -> Path:
    """A fresh copy of the demo folder, at the `cases` fixture's place (so `run` uses it)."""
    shutil.rmtree(cases)
    shutil.copytree(demo_template, cases)
    return cases


# ---------------------------------------------------------------------------- markers


def _is_text(annotation: Any) -> bool:
    """`Text` or `Text | None`: a free string field."""
    if annotation is str:
        return True
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _is_text(typing.get_args(annotation)[0])
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    return origin is not None and origin is not tuple and len(args) == 1 and _is_text(args[0])


def _is_text_tuple(annotation: Any) -> bool:
    return typing.get_origin(annotation) is tuple and typing.get_args(annotation)[0] is str


def plant(model: BaseModel, markers: list[str], secret: bool = False) -> BaseModel:
    """`model` with a unique marker in every string of every confidential field (and of
    everything under one). Optional strings that were empty get one too."""
    update: dict[str, Any] = {}
    for name, field in type(model).model_fields.items():
        extra = field.json_schema_extra
        assert isinstance(extra, dict)
        hidden = secret or extra["share"] == CONFIDENTIAL
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            update[name] = plant(value, markers, hidden)
        elif isinstance(value, tuple) and value and isinstance(value[0], BaseModel):
            update[name] = tuple(plant(item, markers, hidden) for item in value)
        elif hidden and (_is_text(field.annotation) or _is_text_tuple(field.annotation)):
            marker = f"{MARKER}{len(markers):04d}"
            markers.append(marker)
            update[name] = (marker,) if _is_text_tuple(field.annotation) else marker
    return model.model_copy(update=update)


def plant_folder(folder: Path) -> list[str]:
    """Plant markers in every case of `folder` (files rewritten), the markers added to the
    folder's lists of problem domains and partners (so that planted codes stay valid).
    Return every marker planted."""
    from visites.store import Folder

    markers: list[str] = []
    planted = []
    for case in Folder(folder).load_all().cases:
        planted.append(plant(case, markers))
    settings = folder / "visites.yaml"
    document = yamlio.load(settings.read_text(encoding="utf-8")) if settings.exists() else {}
    lists = document.setdefault("listes", {})
    lists["problematiques"] = [*lists.get("problematiques", PROBLEM_DOMAINS), *markers]
    lists["partenaires"] = [*lists.get("partenaires", PARTNERS), *markers]
    settings.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    for case in planted:
        assert isinstance(case, Case)
        (folder / f"{case.id}.yaml").write_text(casefile.render_new(case), encoding="utf-8")
    return markers


# ---------------------------------------------------------------------------- outputs

# Every command whose output may reach the landlord, as it exists on this branch. Extend it
# when a command is added: suivi export (csv, xlsx), bilan in every format.
LANDLORD_COMMANDS: list[list[str]] = [
    ["status"],
    ["status", "--all"],
    ["status", "--all", "--json"],
    ["status", "--overdue", "--today", FAR_FUTURE],
    ["retention", "--today", FAR_FUTURE],
    ["retention", "--today", FAR_FUTURE, "--json"],
    ["bilan", "2015"],
    ["bilan", "2015", "--json"],
    ["bilan", "2015", "--format", "md"],
    ["bilan", "2015", "--format", "html"],
    ["bilan", "2015", "--format", "csv"],
    ["bilan", "2016", "--compare", "2015"],
    ["bilan", "2016", "--compare", "2015", "--json"],
    ["bilan", "2016", "--compare", "2015", "--format", "md"],
    ["bilan", "2016", "--compare", "2015", "--format", "html"],
    ["bilan", "2016", "--compare", "2015", "--format", "csv"],
    ["costs", "2015"],
    ["costs", "2015", "--by", "commune", "--json"],
    ["groupe", "--date", "2015-06-30", "--since", "2015-01-01"],
    ["agenda", "--from", "2015-01-01", "--days", "366", "--json"],
]
# The same, run for each case ("{id}" replaced); a refusal (exit 1) is fine, a leak is not.
LANDLORD_CASE_COMMANDS: list[list[str]] = [
    ["document", "{id}", "avis-bailleur", "--preview"],
]


def figure_commands(years: list[int]) -> list[list[str]]:
    """Commands whose figures anonymisation must not change: every year's bilan, and status."""
    bilans = [["bilan", str(year), "--json"] for year in years]
    return [["status", "--all", "--json", "--today", FAR_FUTURE], *bilans]


def figures(run: Run, years: list[int]) -> list[Any]:
    """The statistics as the commands print them, names of households left out."""
    import json

    found = []
    for command in figure_commands(years):
        value = json.loads(ok(run, *command))
        if command[0] == "status":
            value = [{k: v for k, v in row.items() if k != "household"} for row in value]
        found.append(value)
    return found


def statistics(case: Case) -> tuple:
    """Everything the bilan may count about one case."""
    a, o, acc, c = case.adhesion, case.orientation, case.accompaniment, case.closure
    return (
        case.id, case.phase, case.closed_on, case.last_contact, case.referent,
        case.referral.date, case.referral.context, case.referral.referrer,
        case.referral.deadline, case.household.commune, len(case.household.members),
        (a.date, a.mode, a.consent_to_share) if a else None,
        case.refusal.date if case.refusal else None,
        case.diagnostic.problems if case.diagnostic else None,
        (o.date, o.to, o.measure) if o else None,
        (acc.start, [(r.date, r.months) for r in acc.renewals]) if acc else None,
        (c.date, c.outcome) if c else None,
        [(e.date, e.kind, e.partner) for e in case.events],
        # The profile, the partners' codes and dates, the earlier cases: the « Publics ».
        (case.household.typology, case.household.size, case.household.priorities,
         case.household.housing),
        [(p.partner, p.start, p.end) for p in case.partners],
        [(k.case_id, k.closed_on) for k in case.known_before],
        [(o.number, o.problem, [(s.date, s.status) for s in o.statuses])
         for o in case.objectives],
        case.finances,  # every amount: statistics with no name
    )  # fmt: skip
