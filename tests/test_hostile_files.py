"""Hostile case files: whatever bytes a case file holds, `check` names file and line, `status`
warns and lists the other cases, no command writes to it, nothing crashes or hangs.

The properties live in tests/hostile_kit.py; bench/reliability.py runs them thousands of times.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from tests import hostile_kit as kit
from tests.reliability_kit import NEW_REFERRAL, child_environment, ok
from visites import yamlio

FAST = settings(
    deadline=None,  # the hang guard is kit.within(); timing single examples would be flaky
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@settings(FAST, max_examples=500)
@given(kit.hostile_files())
def test_any_bytes_give_problems_with_a_line_never_an_exception(raw: bytes) -> None:
    kit.parses_to_located_problems(raw)


@settings(FAST, max_examples=150)
@given(kit.hostile_files())
def test_an_accepted_file_survives_a_rewrite(raw: bytes) -> None:
    kit.accepted_file_survives_a_rewrite(raw)


@settings(FAST, max_examples=40)
@given(kit.hostile_files())
def test_hostile_files_through_the_commands_are_reported_and_never_written(raw: bytes) -> None:
    kit.commands_report_and_never_write(raw)


def test_every_prefix_of_a_case_file_is_reported_or_accepted() -> None:
    raw = kit.FULL.encode()
    for length in range(0, len(raw) + 1, 3):
        kit.parses_to_located_problems(raw[:length])


# Slow: ≥ 1,000 examples each (pytest -m slow, or bench/reliability.py).
LONG = settings(FAST, max_examples=2000)


@pytest.mark.slow
@LONG
@given(kit.hostile_files())
def test_long_any_bytes(raw: bytes) -> None:
    kit.parses_to_located_problems(raw)


@pytest.mark.slow
@settings(LONG, max_examples=1000)
@given(kit.hostile_files())
def test_long_rewrites(raw: bytes) -> None:
    kit.accepted_file_survives_a_rewrite(raw)


@pytest.mark.slow
@settings(LONG, max_examples=300)
@given(kit.hostile_files())
def test_long_commands(raw: bytes) -> None:
    kit.commands_report_and_never_write(raw)


VALID = (
    "id: 2015-007\n"
    "orientation_recue:\n  date: 2015-01-12\n  contexte: entree\n  prescripteur: Mme Lebrun\n"
    "menage:\n  nom: Famille Essai\n  commune: Nantes\n"
)


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
    parsed = kit.parse(raw)
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
        ("  nombre: !!int\n", "valeur YAML illisible"),
        ("  nombre: !!float\n", "valeur YAML illisible"),
        ("  oui: !!bool peut-être\n", "valeur YAML illisible"),
        ("  quand: !!timestamp demain\n", "valeur YAML illisible"),
        ("  membres: !!set .\n", "étiquette YAML (!…) qui ne convient pas à la valeur"),
        ("  membres: !!omap .\n", "étiquette YAML (!…) qui ne convient pas à la valeur"),
    ],
    ids=[
        "escape",
        "accents-then-escape",
        "nul",
        "next-line-then-escape",
        "int-of-5000-digits",
        "empty-int",
        "empty-float",
        "bool-maybe",
        "timestamp-word",
        "set-of-a-scalar",
        "omap-of-a-scalar",
    ],  # fmt: skip
)
def test_unreadable_characters_and_values_are_reported_with_their_line(
    hostile: str, message: str
) -> None:
    # Regression: these came out as "file: message" without a line.
    text = "# Commentaire accentué : é, à, « ».\n" + VALID + hostile
    problem = kit.parse(text.encode()).errors[0]
    assert message in problem.message
    assert problem.line == text.count("\n"), problem


@pytest.mark.parametrize(
    ("text", "line"),
    [("nom: 'Famille\n", 1), ("\xa0:\n  (:\t\xa0\n  .", 3), ("a: [\n\n\n", 3)],
)
def test_an_error_at_the_end_of_the_file_names_its_last_line(text: str, line: int) -> None:
    # Regression: libyaml points one line past the end ("file:4" for a 3-line file).
    assert kit.parse(text.encode()).errors[0].line == line


# ---------------------------------------------------------------------------- the worst files

LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(9)
)
WORST = {
    "empty": (b"", 1, "le fichier doit contenir des clés"),
    "bom-only": (b"\xef\xbb\xbf", 1, "le fichier doit contenir des clés"),
    "binary": (bytes(range(256)) * 40, 2, "n'est pas en UTF-8"),
    "latin-1": (kit.FULL.encode("latin-1", errors="replace"), 1, "n'est pas en UTF-8"),
    "utf-16": (kit.FULL.encode("utf-16"), 1, "n'est pas en UTF-8"),
    "5-mb-value": (
        kit.FULL.replace("  nom: Famille Martin-Roux", "  nom: " + "x" * 5_000_000).encode(),
        11,
        "nom : texte trop long",
    ),
    "10000-brackets": (b"id: 2015-007\nmenage: " + b"[" * 10_000, 2, "syntaxe YAML invalide"),
    "deep-block": ("".join(" " * i + "a:\n" for i in range(3000)).encode(), 1000, "syntaxe"),
    "billion-laughs": (LAUGHS.encode(), 1, "ancres et alias YAML"),
    "python-object": (
        b"id: !!python/object/apply:os.system ['touch /tmp/visites-pwned']\n",
        1,
        "étiquette YAML (!…) non acceptée",
    ),
    "python-name": (b"referent: !!python/name:os.system\n", 1, "étiquette YAML"),
    "duplicate-key": (
        (kit.FULL + "referent: Karim\n").encode(),
        kit.FULL.count("\n") + 1,
        "clé « referent » en double",
    ),
    "february-30": (
        kit.FULL.replace("2015-01-20\n  mode", "2015-02-30\n  mode").encode(),
        20,
        "date impossible « 2015-02-30 »",
    ),  # fmt: skip
    "wrong-type": (
        kit.FULL.replace("  mode: tripartite", "  mode: [1, 2]").encode(),
        21,
        "mode : ",
    ),  # fmt: skip
    "a-list": (b"- id: 2015-007\n", 1, "le fichier doit contenir des clés"),
    "two-documents": (
        (kit.FULL + "---\nid: 2015-008\n").encode(),
        kit.FULL.count("\n") + 1,
        "syntaxe YAML invalide",
    ),
}


@pytest.mark.parametrize("name", WORST)
def test_the_worst_files_are_reported_with_file_and_line(name: str) -> None:
    raw, line, message = WORST[name]
    parsed = kit.parses_to_located_problems(raw)
    first = parsed.errors[0]
    assert (first.line, message in first.message) == (line, True), first


def test_the_worst_files_together_through_the_real_entry_point(tmp_path: Path) -> None:
    folder = tmp_path / "dossiers"
    ok(tmp_path, "init", str(folder))
    ok(folder, "new-referral", "--household", "Famille Saine", "--commune", "Nantes",
       "--context", "entree", "--referrer", "Mme Lebrun", "--date", "2015-01-12")  # fmt: skip
    paths = {}
    for number, (name, (raw, _, _)) in enumerate(WORST.items(), start=100):
        paths[name] = folder / f"2015-{number}.yaml"
        paths[name].write_bytes(raw)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in paths.values()}

    def visites(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "visites", "--cases", str(folder), *args],
            env=child_environment(), capture_output=True, text=True, timeout=120,
        )  # fmt: skip

    check = visites("check")
    assert check.returncode == 1 and "Traceback" not in check.stderr
    for name, path in paths.items():
        assert f"{path}:{WORST[name][1]}: " in check.stderr, name
    status = visites("status", "--json")
    assert status.returncode == 0 and "Traceback" not in status.stderr
    assert [row["id"] for row in json.loads(status.stdout)] == ["2015-001"]
    assert all(str(path) in status.stderr for path in paths.values())
    assert visites("new-referral", *NEW_REFERRAL[1:]).stdout.strip() == "2015-116"
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in paths.values()} == before
    assert not Path("/tmp/visites-pwned").exists()
