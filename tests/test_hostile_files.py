"""Hostile case files: whatever bytes a case file holds, `check` names file and line, `status`
warns and lists the other cases, no command writes to it, nothing crashes or hangs."""

from __future__ import annotations

import pytest
import yaml

from visites import casefile, yamlio
from visites.config import Config

CONFIG = Config()
VALID = (
    "id: 2015-001\n"
    "orientation_recue:\n  date: 2015-01-12\n  contexte: entree\n  prescripteur: Mme Lebrun\n"
    "menage:\n  nom: Famille Essai\n  commune: Nantes\n"
)


def parse(raw: bytes) -> casefile.Parsed:
    return casefile.parse(raw, "2015-001.yaml", CONFIG, expected_id="2015-001")


def test_many_problems_in_one_file_compose_it_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # Regression: each problem re-parsed the whole file to find its line, so a file with
    # 1,000 wrong events took a minute (quadratic), and 5,000 would hang `check`.
    calls = []
    real = yaml.compose

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(yamlio.yaml, "compose", counting)
    raw = (VALID + "evenements:\n" + "  - date: 2015-13-01\n    type: zz\n" * 500).encode()
    parsed = parse(raw)
    assert len(parsed.errors) == 1000
    assert parsed.errors[-1].line == 10 + 2 * 499 + 1
    assert len(calls) == 1


@pytest.mark.parametrize(
    ("hostile", "message"),
    [
        ("  note: \x1b[31m\n", "caractère interdit"),
        ("  note: « é » \x1b\n", "caractère interdit"),
        ("  note: a\x00b\n", "caractère nul"),
        ("  note: \x85\x1b\n", "caractère interdit"),
        ("  nombre: " + "9" * 5000 + "\n", "valeur YAML illisible"),
    ],
    ids=["escape", "accents-then-escape", "nul", "next-line-then-escape", "int-of-5000-digits"],
)
def test_unreadable_characters_and_values_are_reported_with_their_line(
    hostile: str, message: str
) -> None:
    # Regression: these came out as "file: message" without a line.
    text = "# Commentaire accentué : é, à, « ».\n" + VALID + hostile
    problem = parse(text.encode()).errors[0]
    assert message in problem.message
    assert problem.line == text.count("\n"), problem
