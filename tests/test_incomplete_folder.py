"""A document others count from (bilan, tableau de suivi, groupe pack) is refused while a case
file fails to parse: nobody reads figures short of a household without knowing it. The
terminal views a worker needs for their day keep listing the other cases."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Run, referral, snapshot


@pytest.fixture
def broken(run: Run, cases: Path) -> tuple[str, str]:
    """Two cases; the second one's file broken on a line of its own (a hand edit gone wrong)."""
    kept = referral(run, "Famille Gardée", date="2015-01-12")
    spoilt = referral(run, "Famille Abîmée", date="2015-02-03")
    path = cases / f"{spoilt}.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(3, "  : : [non fermé\n")
    path.write_text("".join(lines), encoding="utf-8")
    return kept, spoilt


DOCUMENTS = [
    ("bilan", "2015", "--today", "2015-12-31"),
    ("bilan", "2015", "--json", "--today", "2015-12-31"),
    ("bilan", "2015", "--format", "md", "--today", "2015-12-31"),
    ("bilan", "2015", "--compare", "2016", "--today", "2016-12-31"),
    ("bilan", "2015", "--output", "{out}.xlsx", "--today", "2015-12-31"),
    ("bilan", "2015", "--output", "{out}.html", "--compare", "2016", "--today", "2016-12-31"),
    ("export", "suivi", "--output", "{out}.csv", "--today", "2015-12-31"),
    ("export", "suivi", "--output", "{out}.xlsx", "--today", "2015-12-31"),
    ("groupe", "--date", "2015-06-01", "--output", "{out}.md"),
    ("groupe", "--date", "2015-06-01", "--final"),
]


@pytest.mark.parametrize("args", DOCUMENTS, ids=lambda a: " ".join(a[:4]))
def test_a_document_is_refused_while_a_case_file_does_not_read(
    run: Run, cases: Path, tmp_path: Path, broken: tuple[str, str], args: tuple[str, ...]
) -> None:
    _, spoilt = broken
    out = tmp_path / "ancien"
    wanted = [a.format(out=out) for a in args]
    existing = Path(next((a for a in wanted if a.startswith(str(out))), str(out) + ".md"))
    existing.write_bytes(b"le document d'avant\n")
    before = snapshot(cases)
    result = run(*wanted)
    assert result.code == 1, result.out
    assert result.out == ""
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("erreur : ")
    assert f"non produit : {spoilt}.yaml:4 illisible (" in lines[0]
    assert "il compterait un ménage de moins. Corrigez le fichier (visites check)" in lines[0]
    assert existing.read_bytes() == b"le document d'avant\n"
    assert snapshot(cases) == before  # --final recorded no meeting either


def test_each_broken_file_gets_its_own_line(run: Run, cases: Path, broken) -> None:
    other = referral(run, "Famille Seconde", date="2015-03-02")
    (cases / f"{other}.yaml").write_text("dossier: [\n", encoding="utf-8")
    result = run("bilan", "2015", "--today", "2015-12-31")
    assert result.code == 1
    lines = result.err.splitlines()
    assert [line.split(" illisible")[0] for line in lines] == [
        f"erreur : bilan non produit : {broken[1]}.yaml:4",
        f"erreur : bilan non produit : {other}.yaml:1",
    ]


@pytest.mark.parametrize("view", [("status",), ("agenda",)])
def test_the_day_views_still_list_the_other_cases(run: Run, broken, view) -> None:
    kept, spoilt = broken
    result = run(*view, "--json")
    assert result.code == 0, result.err
    assert "fichier illisible ignoré" in result.err
    if view[0] == "status":
        assert kept in result.out and spoilt not in result.out
