"""The fast YAML path builds exactly what PyYAML's own constructor builds, with the same
refusals (it only skips work, never a check)."""

from __future__ import annotations

from pathlib import Path

import pytest

from visites import yamlio

EXAMPLE = Path(__file__).parent.parent / "cases"
DOCUMENTS = [
    "id: 2015-001\nmenage: {nom: M. & Mme Durand, commune: Nantes}\n",  # & in text: checked path
    "note: 5 * 3\nliste: [1, 2.5, -3, 0x1F, 0o17, 1_000, .inf, true, False, null, ~, '']\n",
    "dates: [2015-02-03, 2015-2-3, 2015-02-30, 2015-02-03 10:00:00, '2015-02-03']\n",
    "cle: !!str 12\nautre: !!int '7'\n",
    "a:\n  b:\n    - {c: 1}\n    - d: [x, y]\n",
    "vide:\nnul: ~\n",
    "a: yes\nb: on\nc: 1:20\n",  # YAML 1.2: strings, not booleans or base 60
]
REFUSED = [
    ("a: &x 1\nb: *x\n", "ancres et alias", 1),
    ("a: 1\na: 2\n", "en double", 2),
    ("a:\n  b: 1\n  b: 2\n", "en double", 3),
    ("a: !!python/object/apply:os.system [echo]\n", "étiquette", None),
    ("a: *inconnu\n", "alias", 1),
]


def legacy(text: str) -> object:
    loader = yamlio._Loader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


@pytest.mark.parametrize("text", DOCUMENTS)
def test_fast_load_builds_what_pyyaml_builds(text: str) -> None:
    assert yamlio.load(text) == legacy(text)


def test_fast_load_builds_the_example_folder_like_pyyaml() -> None:
    files = sorted(EXAMPLE.glob("*.yaml"))
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert yamlio.load(text) == legacy(text), path.name


@pytest.mark.parametrize(("text", "message", "line"), REFUSED)
def test_fast_load_refuses_what_the_rules_refuse(text: str, message: str, line: int | None) -> None:
    with pytest.raises(yamlio.YamlProblem) as refused:
        yamlio.load(text)
    assert message in refused.value.message
    if line is not None:
        assert refused.value.line == line
