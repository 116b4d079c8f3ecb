"""Test support for data protection: a demo folder covering every phase, markers planted in
every confidential field, and the outputs meant for the landlord.

The demo folder is the repository's `cases/` when it exists (copied: tests never change it),
otherwise one built here through the CLI. Every value is fictional.
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
from visites.config import PROBLEM_DOMAINS
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
    """About ten cases through the CLI: every phase, every step, events, consent to share,
    plus one hand-edited file with household members, a comment and an unknown key."""
    if (REPO_DEMO / "visites.yaml").is_file():
        shutil.rmtree(folder)
        shutil.copytree(REPO_DEMO, folder)
        return

    def new(name: str, when: str, **extra: str) -> str:
        args = ["new-referral", "--household", name, "--commune", extra.pop("commune", "Nantes"),
                "--context", extra.pop("context", "entree"), "--referrer", "Mme Lebrun",
                "--date", when, "--referent", extra.pop("referent", "Claire Dubois")]  # fmt: skip
        for key, value in extra.items():
            args += [f"--{key.replace('_', '-')}", value]
        return ok(run, *args).strip()

    full = {"address": "12 rue des Olivettes, apt 34", "phone": "06 00 00 00 01",
            "reason": "Retards de loyer depuis l'automne", "landlord_ref": "LOG-44-01234",
            "deadline": "2015-02-20"}  # fmt: skip
    # 2015-001: referral only, still open.
    new("Famille Arnaud", "2015-01-05", **full)
    # 2015-002: refused.
    refused = new("Famille Bernard", "2015-01-08", context="en-cours", commune="Rezé")
    ok(run, "consent", refused, "--refused", "--date", "2015-01-20")
    # 2015-003: diagnostic open, consent to share given after the adhesion.
    diag = new("Famille Charpentier", "2015-02-02", phone="06 00 00 00 03")
    ok(run, "consent", diag, "--date", "2015-02-10", "--mode", "courrier")
    ok(run, "share", diag, "--date", "2015-02-20")
    ok(run, "diagnose", diag, "--problem", "dettes", "--situation", "Père seul, deux enfants",
       "--levers", "Motivé", "--network", "Une sœur à Rezé")  # fmt: skip
    ok(run, "event", diag, "--kind", "visite", "--date", "2015-02-25", "--note", "Point budget")
    # 2015-004: sans suite.
    sans = new("Famille Dupont", "2015-02-10", commune="Saint-Herblain", context="en-cours")
    ok(run, "consent", sans, "--date", "2015-02-15", "--share")
    ok(run, "diagnose", sans, "--problem", "voisinage")
    ok(run, "orient", sans, "--to", "sans-suite", "--date", "2015-03-20",
       "--outcome", "maintien dans le logement")  # fmt: skip
    # 2015-005: remobilisation.
    remob = new("Famille Etienne", "2015-03-01", referent="Karim Benali")
    ok(run, "consent", remob, "--date", "2015-03-05")
    ok(run, "diagnose", remob, "--problem", "emploi", "--problem", "isolement")
    ok(run, "event", remob, "--kind", "telephone", "--date", "2015-03-10", "--note", "Appel")
    ok(run, "orient", remob, "--to", "remobilisation", "--date", "2015-04-15",
       "--recommendations", "Atelier collectif")  # fmt: skip
    # 2015-006: droit commun (ASLL), closed at the orientation.
    dc = new("Famille Fabre", "2015-03-12", **full)
    ok(run, "consent", dc, "--date", "2015-03-20", "--share")
    ok(run, "diagnose", dc, "--problem", "budget-impayes", "--problem", "sante",
       "--situation", "Suivi médical lourd")  # fmt: skip
    ok(run, "orient", dc, "--to", "droit-commun", "--measure", "ASLL", "--date", "2015-05-02",
       "--outcome", "relais droit commun", "--recommendations", "Dossier FSL")  # fmt: skip
    # 2015-007: accompaniment still open, renewed.
    acc = new("Famille Garnier", "2015-04-01", commune="Saint-Nazaire")
    ok(run, "consent", acc, "--date", "2015-04-08")
    ok(run, "diagnose", acc, "--problem", "acces-aux-droits")
    ok(run, "orient", acc, "--to", "accompagnement", "--date", "2015-05-15")
    ok(run, "renew", acc, "--date", "2015-11-10", "--months", "6")
    ok(run, "event", acc, "--kind", "tripartite", "--date", "2015-06-01", "--note", "Signature")
    # 2015-008: accompaniment closed after a renewal.
    done = new("Famille Henry", "2015-04-20", **full)
    ok(run, "consent", done, "--date", "2015-04-28", "--share")
    ok(run, "diagnose", done, "--problem", "budget-impayes", "--situation", "Dette de loyer",
       "--levers", "Très investie", "--network", "Voisine")  # fmt: skip
    ok(run, "orient", done, "--to", "accompagnement", "--date", "2015-06-10",
       "--recommendations", "Plan d'apurement")  # fmt: skip
    ok(run, "renew", done, "--date", "2015-12-01", "--months", "3")
    ok(
        run,
        "event",
        done,
        "--kind",
        "visite",
        "--date",
        "2015-07-01",
        "--note",
        "Visite à domicile",
    )
    ok(run, "event", done, "--kind", "absence", "--date", "2015-09-15", "--note", "Absente")
    ok(run, "close", done, "--date", "2016-02-29", "--outcome", "plan d'apurement")
    # 2015-009: closed before any adhesion (household gone).
    gone = new("Famille Imbert", "2015-05-04", context="en-cours")
    ok(run, "close", gone, "--date", "2015-06-01", "--outcome", "départ du logement")
    # 2016-001: closed during the diagnostic.
    stop = new("Famille Joly", "2016-01-11", commune="Orvault")
    ok(run, "consent", stop, "--date", "2016-01-18")
    ok(run, "diagnose", stop, "--problem", "liens-familiaux", "--situation", "Conflit familial")
    ok(run, "close", stop, "--date", "2016-02-15", "--outcome", "rupture ou abandon")
    # Hand edits: household members, a comment, an unknown key, in a closed case.
    from visites.model import Member
    from visites.store import Folder

    stored = Folder(folder).read(done)
    members = (Member(first_name="Julie", role="titulaire du bail"),
               Member(first_name="Enzo", role="enfant", birth_year=2009))  # fmt: skip
    household = stored.case.household.model_copy(update={"members": members})
    text = casefile.render_update(
        stored.text, stored.case, stored.case.model_copy(update={"household": household})
    )
    text += "# Rappel : Julie préfère être appelée le matin\nportable_soeur: 06 99 99 99 99\n"
    stored.path.write_text(text, encoding="utf-8")
    assert ok(run, "check")


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
    """Plant markers in every case of `folder` (files rewritten), the problem-domain markers
    added to the folder's list. Return every marker planted."""
    from visites.store import Folder

    markers: list[str] = []
    planted = []
    for case in Folder(folder).load_all().cases:
        planted.append(plant(case, markers))
    settings = folder / "visites.yaml"
    document = yamlio.load(settings.read_text(encoding="utf-8")) if settings.exists() else {}
    lists = document.setdefault("listes", {})
    lists["problematiques"] = [*lists.get("problematiques", PROBLEM_DOMAINS), *markers]
    settings.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    for case in planted:
        assert isinstance(case, Case)
        (folder / f"{case.id}.yaml").write_text(casefile.render_new(case), encoding="utf-8")
    return markers


# ---------------------------------------------------------------------------- outputs

# Every command whose output may reach the landlord, as it exists on this branch. Extend it
# when a command is added: suivi export (csv, xlsx), bilan in every format, avis au bailleur.
LANDLORD_COMMANDS: list[list[str]] = [
    ["status"],
    ["status", "--all"],
    ["status", "--all", "--json"],
    ["status", "--overdue", "--today", FAR_FUTURE],
    ["retention", "--today", FAR_FUTURE],
    ["retention", "--today", FAR_FUTURE, "--json"],
]


def figure_commands(years: list[int]) -> list[list[str]]:
    """Commands whose figures anonymisation must not change. At the merge with the bilan:
    add ["bilan", str(year), "--json"] for each year."""
    return [["status", "--all", "--json", "--today", FAR_FUTURE]]


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
        [(e.date, e.kind) for e in case.events],
    )  # fmt: skip
