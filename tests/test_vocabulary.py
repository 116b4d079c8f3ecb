"""One vocabulary: every code of every enumeration has its French label, in one module."""

from __future__ import annotations

import ast
import subprocess
import sys
import typing
from pathlib import Path

from visites import agenda, vocabulary
from visites.appointments import DEADLINE_CODES
from visites.config import PARTNERS, PROBLEM_DOMAINS, TYPOLOGIES, Billing
from visites.model import (
    APPOINTMENT_KINDS,
    EVENT_KINDS,
    Adhesion,
    Context,
    Household,
    Outcome,
    Phase,
)

PACKAGE = Path(vocabulary.__file__).parent


def _literal(model: type, field: str) -> tuple[str, ...]:
    return typing.get_args(model.model_fields[field].annotation)


# Each table of the vocabulary and the enumeration whose codes it labels.
ENUMERATIONS: dict[str, tuple[dict[str, str], tuple[str, ...]]] = {
    "phases": (vocabulary.PHASE_LABELS, tuple(Phase)),
    "phases (options)": (vocabulary.PHASE_OPTION_NAMES, tuple(Phase)),
    "next steps": (vocabulary.NEXT_STEP_LABELS, tuple(Phase)),
    "contexts": (vocabulary.CONTEXT_LABELS, tuple(Context)),
    "orientations": (vocabulary.OUTCOME_LABELS, tuple(Outcome)),
    "event kinds": (vocabulary.EVENT_LABELS, EVENT_KINDS),
    "event kinds (counted)": (vocabulary.EVENT_COUNT_LABELS, EVENT_KINDS),
    "adhesion modes": (vocabulary.MODE_LABELS, _literal(Adhesion, "mode")),
    "billing modes": (vocabulary.BILLING_LABELS, _literal(Billing, "accompaniment")),
    "problem domains": (vocabulary.PROBLEM_DOMAIN_LABELS, PROBLEM_DOMAINS),
    "appointment kinds": (vocabulary.APPOINTMENT_LABELS, APPOINTMENT_KINDS),
    "appointment states": (
        vocabulary.APPOINTMENT_STATE_LABELS,
        (agenda.PLANNED, agenda.DONE, agenda.MISSED, agenda.CANCELLED, agenda.TO_FILL),
    ),
    "agenda deadlines": (vocabulary.DEADLINE_LABELS, tuple(DEADLINE_CODES.values())),
    "typologies": (vocabulary.TYPOLOGY_LABELS, TYPOLOGIES),
    "partners": (vocabulary.PARTNER_LABELS, PARTNERS),
    "housing types": (vocabulary.HOUSING_LABELS, _literal(Household, "housing")[0].__args__),
    "priority publics": (
        vocabulary.PRIORITY_LABELS,
        typing.get_args(typing.get_args(Household.model_fields["priorities"].annotation)[0]),
    ),
    "documents": (
        vocabulary.DOCUMENT_LABELS,
        tuple(p.stem for p in (PACKAGE / "data" / "templates").glob("[!_]*.html")),
    ),
}


def test_every_code_of_every_enumeration_has_a_label() -> None:
    for name, (table, codes) in ENUMERATIONS.items():
        assert codes, name
        assert set(table) == set(codes), (name, set(codes) ^ set(table))
        for code in codes:
            text = table[code]
            assert isinstance(text, str) and text.strip() and text != "", (name, code)


def test_a_code_without_a_label_is_shown_as_written() -> None:
    assert vocabulary.label(vocabulary.PROBLEM_DOMAIN_LABELS, "sante") == "Santé"
    assert vocabulary.label(vocabulary.PROBLEM_DOMAIN_LABELS, "logement-indigne") == (
        "logement-indigne"
    )
    assert vocabulary.labels(vocabulary.OUTCOME_LABELS, [Outcome.SANS_SUITE]) == ["sans suite"]


def test_every_phase_name_people_type_names_a_phase() -> None:
    for phase in Phase:
        assert vocabulary.PHASE_NAMES[phase.value] is phase
    assert vocabulary.PHASE_NAMES["accompagnement"] is Phase.ACCOMPANIMENT


def _code_keyed_tables(path: Path) -> list[tuple[int, str]]:
    """Dict literals of `path` whose keys are all codes of one enumeration: label tables."""
    enumerations = {name: {str(c) for c in codes} for name, (_, codes) in ENUMERATIONS.items()}
    members = {f"{type(c).__name__}.{c.name}": str(c) for e in (Phase, Context, Outcome) for c in e}
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Dict) or len(node.keys) < 2 or None in node.keys:
            continue
        keys = set()
        for key in node.keys:
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                keys.add(key.value)
            elif isinstance(key, ast.Attribute) and isinstance(key.value, ast.Name):
                keys.add(members.get(f"{key.value.id}.{key.attr}", "?"))
            else:
                keys.add("?")
        for name, codes in enumerations.items():
            if keys <= codes and all(isinstance(v, ast.Constant) for v in node.values):
                found.append((node.lineno, name))
    return found


def test_label_tables_live_in_the_vocabulary_only() -> None:
    elsewhere = {
        str(path.relative_to(PACKAGE)): tables
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "vocabulary.py" and (tables := _code_keyed_tables(path))
    }
    assert not elsewhere, f"code → label tables outside visites/vocabulary.py: {elsewhere}"
    assert _code_keyed_tables(PACKAGE / "vocabulary.py")  # the check does see tables


def test_the_vocabulary_is_light_to_import() -> None:
    code = (
        "import sys, visites.vocabulary; "
        "print(sorted(m for m in ('pydantic', 'rich', 'yaml', 'typer') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stderr


def test_the_history_labels_the_merge_conflict_section() -> None:
    from visites.merge.casediff import CONFLICT_KEY

    assert CONFLICT_KEY in vocabulary.FIELD_LABELS
