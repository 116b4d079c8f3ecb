"""`check` as lists of pure rules: the case rules, the folder rules over gathered facts."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

from visites import checks, workflow
from visites.checks import CASE_RULES, FOLDER_RULES, FolderFacts, validate_case, validate_folder
from visites.config import Config
from visites.errors import ERROR, WARNING, UsageProblem, WorkflowError
from visites.model import Adhesion, Case, Diagnostic, Event, Household, Referral
from visites.workflow import AddEvent, Diagnose, apply

CONFIG = Config()
TODAY = date(2016, 12, 31)


def diagnosing(*problems: str) -> Case:
    return Case(
        id="2015-001",
        referral=Referral(date=date(2015, 1, 12), context="entree", referrer="Mme Test"),
        household=Household(name="Famille Essai", commune="Nantes"),
        adhesion=Adhesion(date=date(2015, 1, 20)),
        diagnostic=Diagnostic(problems=problems) if problems else None,
    )


def facts(**changes: object) -> FolderFacts:
    base: dict[str, object] = {
        "root": "/cas",
        "has_settings": True,
        "stray_files": (),
        "case_files": {"2015-001": "/cas/2015-001.yaml"},
        "folder_mode": 0o40700,
        "file_modes": {"2015-001": 0o100600},
    }
    return FolderFacts(**{**base, **changes})  # type: ignore[arg-type]


def test_a_tidy_folder_breaks_no_folder_rule() -> None:
    assert validate_folder(facts()) == []


def test_folder_rules_read_only_the_facts_they_are_given() -> None:
    found = validate_folder(
        facts(
            has_settings=False,
            stray_files=("/cas/notes.yaml",),
            case_files={"2015-007": "/cas/2015-007.yaml", "2015-0007": "/cas/2015-0007.yaml"},
            folder_mode=0o40755,
            file_modes={"2015-007": 0o100644},
        )
    )
    said = [(p.path, p.severity, p.message.split(" :")[0]) for p in found]
    assert said == [
        ("/cas", WARNING, "pas de visites.yaml"),
        ("/cas/notes.yaml", WARNING, "fichier ignoré"),
        ("/cas/2015-007.yaml", ERROR, "numéro de dossier en double"),
        ("/cas/2015-0007.yaml", ERROR, "numéro de dossier en double"),
        ("/cas", WARNING, "dossier accessible à d'autres utilisateurs"),
        ("/cas/2015-007.yaml", WARNING, "fichier lisible par d'autres utilisateurs"),
    ]


def test_check_runs_every_rule_of_the_two_lists_and_nothing_else() -> None:
    assert all(rule.__name__.startswith("validate_") for rule in (*CASE_RULES, *FOLDER_RULES))
    case = diagnosing("inconnue").model_copy(update={"referent": "Personne"})
    config = Config.model_validate({"listes": {"referents": ["Claire Dubois"]}})
    expected = [f for rule in CASE_RULES for f in rule(case, config)]
    assert validate_case(case, config) == expected
    assert {f.severity for f in expected} == {ERROR, WARNING}


def test_a_typed_value_out_of_the_lists_is_a_usage_error_in_the_words_of_its_flag() -> None:
    with pytest.raises(UsageProblem) as refused:
        apply(diagnosing(), Diagnose(problems=("inconnue",)), CONFIG, TODAY)
    assert "problématique « inconnue » inconnue. Valeurs possibles" in str(refused.value)
    assert "(listes modifiables dans visites.yaml)" in str(refused.value)


def test_a_value_the_file_already_held_refuses_the_move_as_a_rule_of_the_file() -> None:
    # The list changed after the diagnostic: the next move names the rule, not a flag.
    case = diagnosing("ancienne")
    with pytest.raises(WorkflowError) as refused:
        apply(case, AddEvent(Event(date=date(2015, 2, 1), kind="visite")), CONFIG, TODAY)
    message = str(refused.value)
    assert "événement impossible : problématique « ancienne » inconnue ; valeurs possibles" in (
        message
    )


def test_the_workflow_reads_no_list_and_no_deadline_itself() -> None:
    """Each rule is written once: list membership, the measure rule and the deadlines are
    read in `checks` and `deadlines`, never in `workflow`."""
    tree = ast.parse(Path(workflow.__file__).read_text(encoding="utf-8"))
    read = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    assert not read & {"lists", "measures", "problem_domains", "outcomes", "deadlines"}
    assert "validate_case" in Path(workflow.__file__).read_text(encoding="utf-8")
    assert checks.validate_measure in CASE_RULES and checks.validate_lists in CASE_RULES
