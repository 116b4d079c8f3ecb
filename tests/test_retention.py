"""Retention period, anonymisation and erasure: what is kept, what is gone, what is asked."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from conftest import referral, snapshot
from privacy_support import (  # noqa: F401  (fixtures)
    FAR_FUTURE,
    demo_fixture,
    demo_template_fixture,
    figures,
    ok,
    statistics,
)

from visites import casefile, privacy
from visites.config import Config, Retention
from visites.model import Case, Phase, field_classes
from visites.store import Folder


def closed_case(run) -> str:
    case_id = referral(run, "Famille Lemoine", "2015-01-12", address="3 rue Haute",
                       phone="06 12 34 56 78", reason="Impayés")  # fmt: skip
    ok(run, "consent", case_id, "--date", "2015-01-20")
    ok(run, "orient", case_id, "--to", "sans-suite", "--date", "2015-03-01",
       "--outcome", "maintien dans le logement")  # fmt: skip
    return case_id


# ---------------------------------------------------------------------------- retention


def test_retention_counts_from_the_last_contact_and_starts_the_day_after(run, cases) -> None:
    case_id = closed_case(run)
    ok(run, "event", case_id, "--kind", "telephone", "--date", "2015-04-10")
    case = Folder(cases).read(case_id).case
    assert case.last_contact == date(2015, 4, 10)
    assert privacy.retention_due([case], Config(), date(2017, 4, 10)) == []
    (due,) = privacy.retention_due([case], Config(), date(2017, 4, 11))
    assert (due.case.id, due.last_contact, due.expired_on) == (
        case_id, date(2015, 4, 10), date(2017, 4, 10))  # fmt: skip


def test_retention_period_comes_from_the_settings(run, cases) -> None:
    case = Folder(cases).read(closed_case(run)).case
    three_years = Config(retention=Retention(years_after_last_contact=3))
    assert privacy.retention_due([case], Config(), date(2017, 6, 1))
    assert not privacy.retention_due([case], three_years, date(2017, 6, 1))
    settings = cases / "visites.yaml"
    text = settings.read_text(encoding="utf-8")
    assert "annees_apres_dernier_contact: 2" in text
    settings.write_text(
        text.replace("annees_apres_dernier_contact: 2", "annees_apres_dernier_contact: 3")
    )
    assert json.loads(ok(run, "retention", "--today", "2017-06-01", "--json")) == []


def test_open_cases_are_never_due(run, cases) -> None:
    case_id = referral(run, "Famille Ouverte", "2015-01-12")
    case = Folder(cases).read(case_id).case
    assert case.phase is Phase.REFERRAL
    assert privacy.retention_due([case], Config(), date(2099, 1, 1)) == []


def test_last_contact_is_the_latest_dated_fact(run, cases) -> None:
    case_id = referral(run, "Famille Datée", "2015-01-12")
    ok(run, "consent", case_id, "--date", "2015-01-20")
    ok(run, "share", case_id, "--date", "2015-02-01")
    assert Folder(cases).read(case_id).case.last_contact == date(2015, 2, 1)
    ok(run, "orient", case_id, "--to", "accompagnement", "--date", "2015-03-01")
    ok(run, "renew", case_id, "--date", "2015-09-01", "--months", "6")
    assert Folder(cases).read(case_id).case.last_contact == date(2015, 9, 1)
    ok(run, "close", case_id, "--date", "2016-01-15")
    assert Folder(cases).read(case_id).case.last_contact == date(2016, 1, 15)


def test_retention_lists_due_cases_by_id_only(run, cases) -> None:
    case_id = closed_case(run)
    out = ok(run, "retention", "--today", "2017-03-02")
    assert case_id in out and "Lemoine" not in out
    assert json.loads(ok(run, "retention", "--today", "2017-03-02", "--json")) == [
        {"id": case_id, "closed_on": "2015-03-01", "last_contact": "2015-03-01",
         "expired_on": "2017-03-01"}]  # fmt: skip
    assert "Aucun dossier" in ok(run, "retention", "--today", "2017-03-01")


# ---------------------------------------------------------------------------- anonymise


def test_anonymise_due_keeps_every_figure_of_the_demo_folder(run, demo: Path) -> None:
    folder = Folder(demo)
    before = folder.load_all().cases
    years = sorted({c.referral.date.year for c in before})
    figures_before = figures(run, years)
    due = [e.case.id for e in privacy.retention_due(before, folder.config, date(2099, 1, 1))]
    assert len(due) >= 5
    out = ok(run, "anonymise", "--due", "--today", FAR_FUTURE, "--yes")
    assert all(f"Dossier {case_id} : anonymisé." in out for case_id in due)
    after = Folder(demo).load_all()
    assert not after.problems or all(not p.is_error for p in after.problems)
    assert sorted(map(statistics, after.cases)) == sorted(map(statistics, before))
    assert figures(run, years) == figures_before
    anonymised = [c.id for c in after.cases if c.anonymised_on]
    assert sorted(anonymised) == sorted(due)
    assert "Aucun dossier" in ok(run, "anonymise", "--due", "--today", FAR_FUTURE, "--yes")


BILAN_FORMATS = ((), ("--json",), ("--format", "md"), ("--format", "html"), ("--format", "csv"),
                 ("--format", "xlsx"))  # fmt: skip


def every_bilan(run, folder: Path) -> dict[tuple[str, ...], bytes]:
    """Every bilan of the demo's years, and their comparison (whole years and over the first
    half), in every format, as bytes."""
    commands = [("bilan", "2015"), ("bilan", "2016"), ("bilan", "2016", "--compare", "2015"),
                ("bilan", "2016", "--compare", "2015", "--today", "2016-06-30")]  # fmt: skip
    found = {}
    for command in commands:
        for extra in BILAN_FORMATS:
            if extra == ("--format", "xlsx"):
                target = folder.parent / "bilan.xlsx"
                ok(run, *command, "--output", str(target))
                found[(*command, *extra)] = target.read_bytes()
            else:
                found[(*command, *extra)] = ok(run, *command, *extra).encode()
    return found


def test_anonymise_due_leaves_every_bilan_and_comparison_byte_identical(run, demo: Path) -> None:
    before = every_bilan(run, demo)
    b2015 = json.loads(before[("bilan", "2015", "--json")])
    b2016 = json.loads(before[("bilan", "2016", "--json")])
    # The new sections have something to lose: objectives (2016), arrears, effort rate.
    assert b2016["objectives"]["total"] >= 2 and b2016["arrears"]["households"] >= 2
    assert b2015["arrears"]["households"] >= 2 and b2015["effort_rate"]["households"] >= 2
    out = ok(run, "anonymise", "--due", "--today", FAR_FUTURE, "--yes")
    anonymised = [c for c in Folder(demo).load_all().cases if c.anonymised_on]
    assert f"Dossier {anonymised[0].id} : anonymisé." in out
    assert any(c.objectives for c in anonymised) and any(c.finances for c in anonymised)
    assert all(o.text is None for c in anonymised for o in c.objectives)
    after = every_bilan(run, demo)
    assert after.keys() == before.keys()
    for command, content in before.items():
        assert after[command] == content, command


def _personal_values(model, found: set[str]) -> set[str]:
    """Every string held in a personal field of `model`, at any depth."""
    for name, field in type(model).model_fields.items():
        value = getattr(model, name)
        personal = field.json_schema_extra["personal"]
        if hasattr(type(value), "model_fields"):
            _personal_values(value, found)
        elif isinstance(value, tuple):
            for item in value:
                if hasattr(type(item), "model_fields"):
                    _personal_values(item, found)
                elif personal:
                    found.add(str(item))
        elif personal and value is not None:
            found.add(str(value))
    return found


def test_no_name_phone_address_or_note_remains(run, demo: Path) -> None:
    folder = Folder(demo)
    before = {c.id: c for c in folder.load_all().cases}
    due = [e.case.id for e in privacy.retention_due(list(before.values()), folder.config,
                                                    date(2099, 1, 1))]  # fmt: skip
    texts_before = {case_id: (demo / f"{case_id}.yaml").read_text() for case_id in due}
    ok(run, "anonymise", "--due", "--today", FAR_FUTURE, "--yes")
    checked = 0
    for case_id in due:
        text = (demo / f"{case_id}.yaml").read_text()
        case = Folder(demo).read(case_id).case
        kept = repr(casefile.tree(case))  # what statistics keep (the referent's name is staff)
        secrets = _personal_values(before[case_id], set()) - {privacy.PLACEHOLDER}
        for secret in secrets:
            if f"'{secret}'" not in kept:
                assert secret not in text, (case_id, secret)
                checked += 1
        assert _personal_values(case, set()) <= {privacy.PLACEHOLDER}
        # Hand comments and unknown keys may hold anything: they are gone too.
        comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
        assert comments == casefile.HEADER.strip().splitlines(), case_id
        assert "portable_soeur" not in text and "06 99" not in text
        assert case.anonymised_on == date(2099, 1, 1) and f"anonymise_le: {FAR_FUTURE}" in text
        assert texts_before[case_id] != text
    assert checked >= 20


def test_anonymised_case_is_valid_and_marked() -> None:
    from visites.model import (
        Adhesion,
        Closure,
        Diagnostic,
        Event,
        Household,
        Member,
        Orientation,
        Outcome,
        Referral,
        Refusal,
    )

    case = Case(
        id="2015-042",
        referral=Referral(date=date(2015, 1, 2), context="entree", referrer="Mme Lebrun",
                          landlord_ref="LOG-1", reason="Motif", deadline=date(2015, 2, 1)),
        household=Household(name="Famille Test", address="1 rue", commune="Nantes",
                            phone="06", members=(Member(first_name="Léa", role="enfant",
                                                        birth_year=2010),)),
        referent="Claire Dubois",
        adhesion=Adhesion(date=date(2015, 1, 5), consent_to_share=date(2015, 1, 5)),
        diagnostic=Diagnostic(problems=("sante",), situation="S", levers="L", network="R"),
        orientation=Orientation(date=date(2015, 2, 1), to=Outcome.DROIT_COMMUN, measure="MASP",
                                recommendations="P"),
        closure=Closure(date=date(2015, 2, 1), outcome="relais droit commun"),
        events=(Event(date=date(2015, 1, 5), kind="visite", author="Claire", note="N"),),
    )  # fmt: skip
    done = privacy.anonymise(case, date(2018, 1, 1))
    # Still valid for the model and for `check`:
    assert Case.model_validate(casefile.tree(done), by_alias=True) == done
    parsed = casefile.parse(casefile.render_new(done).encode(), "x", Config())
    assert not parsed.errors
    assert done.anonymised_on == date(2018, 1, 1)
    assert done.household.name == privacy.PLACEHOLDER
    assert done.household.members[0].first_name == privacy.PLACEHOLDER
    assert done.referral.reason is None and done.events[0].note is None
    assert done.events[0].author is None and done.household.phone is None
    assert done.orientation.recommendations is None and done.referral.landlord_ref is None
    assert done.diagnostic.problems == ("sante",) and done.orientation.measure == "MASP"
    with pytest.raises(privacy.AlreadyAnonymised):
        privacy.anonymise(done, date(2019, 1, 1))
    refusal = Refusal(date=date(2015, 1, 3), reason="Pas besoin")
    gone = {"adhesion": None, "diagnostic": None, "orientation": None, "closure": None}
    refused = case.model_copy(update={**gone, "refusal": refusal})
    assert privacy.anonymise(refused, date(2018, 1, 1)).refusal.reason is None


def test_anonymise_twice_is_refused_and_says_when(run, cases) -> None:
    case_id = closed_case(run)
    ok(run, "anonymise", case_id, "--today", "2018-01-01", "--yes")
    before = snapshot(cases)
    result = run("anonymise", case_id, "--yes")
    assert result.code == 1
    assert f"dossier {case_id} déjà anonymisé le 01/01/2018" in result.err
    assert snapshot(cases) == before


def test_anonymise_an_open_case_is_refused(run, cases) -> None:
    closed = closed_case(run)
    open_id = referral(run, "Famille Encours", "2015-02-01")
    before = snapshot(cases)
    result = run("anonymise", closed, open_id, "--yes")
    assert result.code == 1 and f"dossier {open_id} encore ouvert" in result.err
    assert "Encours" not in result.err
    assert snapshot(cases) == before  # the closed one was not written either


def test_anonymise_needs_ids_or_due(run, cases) -> None:
    assert run("anonymise").code == 2
    assert run("anonymise", "2015-001", "--due").code == 2


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_anonymise_without_terminal_nor_yes_is_refused(run, cases) -> None:
    case_id = closed_case(run)
    before = snapshot(cases)
    result = run("anonymise", case_id)
    assert result.code == 1 and "--yes" in result.err
    assert snapshot(cases) == before


@pytest.mark.parametrize("answer, done", [("o\n", True), ("oui\n", True), ("n\n", False),
                                          ("\n", False)])  # fmt: skip
def test_anonymise_asks_in_french(run, cases, monkeypatch, answer: str, done: bool) -> None:
    case_id = closed_case(run)
    before = snapshot(cases)
    monkeypatch.setattr("sys.stdin", Terminal(answer))
    result = run("anonymise", case_id, "--today", "2018-01-01")
    assert "[o/N]" in result.out
    if done:
        assert result.code == 0 and Folder(cases).read(case_id).case.anonymised_on
    else:
        assert result.code == 1 and "Abandon" in result.err
        assert snapshot(cases) == before


# ---------------------------------------------------------------------------- delete


def test_delete_removes_the_file_and_reminds_of_git_history(run, cases) -> None:
    case_id = closed_case(run)
    other = referral(run, "Famille Reste", "2015-02-01")
    out = ok(run, "delete", case_id, "--yes")
    assert not (cases / f"{case_id}.yaml").exists()
    assert (cases / f"{other}.yaml").exists()
    assert f"git filter-repo --invert-paths --path {case_id}.yaml" in out
    assert "git push --force" in out and "recloner" in out
    assert run("delete", case_id, "--yes").code == 1


def test_delete_names_the_path_inside_the_repository(run, cases, tmp_path) -> None:
    import shutil

    case_id = closed_case(run)
    if (cases / ".git").exists():  # init made the case folder its own repository
        other = closed_case(run)
        assert f"--path {other}.yaml" in ok(run, "delete", other, "--yes")
        shutil.rmtree(cases / ".git")
    (tmp_path / ".git").mkdir()  # the case folder is tmp_path/dossiers, inside a repository
    out = ok(run, "delete", case_id, "--yes")
    assert f"--path dossiers/{case_id}.yaml" in out


def test_delete_asks_first(run, cases, monkeypatch) -> None:
    case_id = closed_case(run)
    before = snapshot(cases)
    assert run("delete", case_id).code == 1  # no terminal, no --yes
    monkeypatch.setattr("sys.stdin", Terminal("n\n"))
    assert run("delete", case_id).code == 1
    assert snapshot(cases) == before


# ---------------------------------------------------------------------------- consent


def test_consent_to_share_can_be_given_after_the_adhesion_and_withdrawn(run, cases) -> None:
    case_id = referral(run, "Famille Accord", "2015-01-12")
    assert run("share", case_id, "--date", "2015-01-20").code == 1  # no adhesion yet
    ok(run, "consent", case_id, "--date", "2015-01-20")
    refused = run("share", case_id, "--date", "2015-01-15")
    assert refused.code == 1 and "avant l'adhésion" in refused.err
    ok(run, "share", case_id, "--date", "2015-02-03")
    case = Folder(cases).read(case_id).case
    assert case.adhesion.consent_to_share == date(2015, 2, 3)
    assert "accord_echanges_bailleur: 2015-02-03" in (cases / f"{case_id}.yaml").read_text()
    assert field_classes(type(case.adhesion))["accord_echanges_bailleur"][0] == "shareable"
    ok(run, "export", case_id, "--output", str(cases.parent / "acces.md"))
    notice = "Accord du ménage pour les échanges avec le bailleur : donné le 03/02/2015."
    assert notice in (cases.parent / "acces.md").read_text(encoding="utf-8")
    ok(run, "share", case_id, "--withdraw")
    assert Folder(cases).read(case_id).case.adhesion.consent_to_share is None
