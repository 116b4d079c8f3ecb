"""Case files: deterministic, hand edits and comments survive, broken files are reported."""

from __future__ import annotations

import difflib
import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import Run, referral, snapshot

EXAMPLE = Path(__file__).parent.parent / "cases"


def changed_lines(before: str, after: str) -> list[str]:
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_same_content_gives_same_bytes(run: Run, cases: Path, tmp_path: Path) -> None:
    referral(run, household="Famille Essai", landlord_ref="LOG-1")
    first = (cases / "2015-001.yaml").read_bytes()
    referral(run, household="Famille Essai", landlord_ref="LOG-1")  # an ID is never given again
    second = (cases / "2015-002.yaml").read_bytes()
    assert second.replace(b"id: 2015-002", b"id: 2015-001") == first
    assert b"\\u" not in first and "é".encode() in first  # UTF-8, accents unescaped


def test_a_command_changes_only_its_lines_and_keeps_hand_comments(run: Run, cases: Path) -> None:
    case_id = referral(run)
    path = cases / f"{case_id}.yaml"
    hand = (
        path.read_text(encoding="utf-8").replace(
            "  contexte: entree\n", "  contexte: entree   # vu avec le gestionnaire\n"
        )
        + "# Note à la main en fin de fichier.\n"
    )
    hand = hand.replace("menage:\n", "# Le ménage préfère être appelé le matin.\nmenage:\n")
    path.write_text(hand, encoding="utf-8")
    assert run("consent", case_id, "--date", "2015-01-20").code == 0
    after = path.read_text(encoding="utf-8")
    assert "# vu avec le gestionnaire" in after
    assert "# Le ménage préfère être appelé le matin." in after
    assert "# Note à la main en fin de fichier." in after
    assert changed_lines(hand, after) == [
        "+adhesion:",
        "+  date: 2015-01-20",
        "+  mode: tripartite",
        "+  information_rgpd: 2015-01-20",  # the notice given, by default on the adhesion day
    ]
    assert run("event", case_id, "--kind", "visite", "--date", "2015-02-01").code == 0
    final = path.read_text(encoding="utf-8")
    added = changed_lines(after, final)
    assert all(line.startswith("+") for line in added) and "+  - date: 2015-02-01" in added


def test_an_earlier_event_is_inserted_in_date_order(run: Run, cases: Path) -> None:
    case_id = referral(run)
    run("event", case_id, "--kind", "visite", "--date", "2015-03-01")
    run("event", case_id, "--kind", "telephone", "--date", "2015-02-01")
    text = (cases / f"{case_id}.yaml").read_text(encoding="utf-8")
    assert text.index("2015-02-01") < text.index("2015-03-01")


def test_a_hand_written_layout_is_kept(run: Run, cases: Path) -> None:
    case_id = referral(run)
    path = cases / f"{case_id}.yaml"
    # Four-space indentation and dashes flush with their key: another common style.
    text = path.read_text(encoding="utf-8").replace("\n  ", "\n    ")
    text += "evenements:\n- date: 2015-01-15\n  type: visite\n"
    path.write_text(text, encoding="utf-8")
    assert run("check").code == 0
    assert run("event", case_id, "--kind", "absence", "--date", "2015-01-16").code == 0
    after = path.read_text(encoding="utf-8")
    assert changed_lines(text, after) == ["+- date: 2015-01-16", "+  type: absence"]


def test_unknown_key_is_kept_and_reported(run: Run, cases: Path) -> None:
    case_id = referral(run)
    path = cases / f"{case_id}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "menage:\n", "menage:\n  telephnoe: 06 11 22 33 44\n"), encoding="utf-8")  # fmt: skip
    check = run("check")
    assert check.code == 0
    assert f"{case_id}.yaml:9: avertissement : clé inconnue « telephnoe »" in check.err
    run("consent", case_id, "--date", "2015-01-20")
    assert "telephnoe: 06 11 22 33 44" in path.read_text(encoding="utf-8")


BROKEN = [
    ("menage:\n  nom: [unclosed\n", "syntaxe YAML invalide", 2),  # the last line, not past it
    ("\tid: 2015-001\n", "tabulation interdite", 1),
    ("referent: &a Claire\nnote: *a\n", "ancres et alias", 1),
    ("referent: Claire\nreferent: Karim\n", "clé « referent » en double", 2),
    ("referent: !!python/object/apply:os.system [echo]\n", "étiquette YAML", 1),
]


@pytest.mark.parametrize(("appended", "message", "line_offset"), BROKEN, ids=lambda x: str(x)[:25])
def test_a_broken_file_is_reported_with_its_line_and_others_still_listed(
    run: Run, cases: Path, appended: str, message: str, line_offset: int
) -> None:
    broken = referral(run, household="Famille Cassée")
    fine = referral(run, household="Famille Saine")
    path = cases / f"{broken}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + appended, encoding="utf-8")
    before = snapshot(cases)
    line = text.count("\n") + line_offset
    check = run("check")
    assert check.code == 1
    assert f"{path}:{line}: {message}" in check.err, check.err
    status = run("status", "--json")
    assert status.code == 0
    assert [row["id"] for row in json.loads(status.out)] == [fine]
    assert str(path) in status.err and "visites check" in status.err
    refused = run("event", broken, "--kind", "visite")
    assert refused.code == 1 and str(path) in refused.err
    assert "Traceback" not in check.err + status.err + refused.err
    assert snapshot(cases) == before


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("  date: 2015-01-12\n", "  date: 2015-02-30\n", "date impossible"),
        ("  contexte: entree\n", "  contexte: dehors\n", "valeurs possibles : entree, en-cours"),
        ("  commune: Nantes\n", "  commune:\n", "commune : valeur manquante"),
        ("id: 2015-001\n", "id: 2015-002\n", "ne correspond pas au nom du fichier"),
        ("menage:\n  nom: Famille Essai\n", "menage:\n", "nom : champ obligatoire manquant"),
    ],
)
def test_schema_errors_name_file_line_and_field(
    run: Run, cases: Path, old: str, new: str, message: str
) -> None:
    case_id = referral(run)
    path = cases / f"{case_id}.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    check = run("check")
    assert check.code == 1
    line = text[: text.index(old)].count("\n") + 1
    assert f"{path}:" in check.err and message in check.err, check.err
    assert any(f"{path}:{n}:" in check.err for n in (line, line + 1)), check.err


def test_dates_out_of_order_by_hand_are_reported(run: Run, cases: Path) -> None:
    case_id = referral(run)
    run("consent", case_id, "--date", "2015-01-20")
    path = cases / f"{case_id}.yaml"
    text = path.read_text(encoding="utf-8").replace("  date: 2015-01-20", "  date: 2015-01-02")
    path.write_text(text, encoding="utf-8")
    check = run("check")
    assert check.code == 1
    assert "adhésion (02/01/2015) avant l'orientation reçue (12/01/2015)" in check.err


def test_duplicate_referral_numbers_are_reported(run: Run, cases: Path) -> None:
    referral(run)
    text = (cases / "2015-001.yaml").read_text(encoding="utf-8")
    (cases / "2015-0001.yaml").write_text(text.replace("id: 2015-001", "id: 2015-0001"))
    check = run("check")
    assert check.code == 1 and "numéro de dossier en double" in check.err


def test_demo_folder_is_valid_and_shows_overdue_cases(tmp_path: Path, capsys) -> None:
    from visites.cli import main

    demo = tmp_path / "cases"
    shutil.copytree(EXAMPLE, demo)
    assert main(["--cases", str(demo), "check"]) == 0
    capsys.readouterr()
    assert (
        main(["--cases", str(demo), "status", "--overdue", "--today", "2015-06-30", "--json"]) == 0
    )
    rows = json.loads(capsys.readouterr().out)
    assert {r["id"]: r["days_overdue"] for r in rows} == {
        "2015-005": 59, "2015-009": 40, "2015-001": 15, "2015-011": 15, "2015-012": 5,
    }  # fmt: skip
    phases = set()
    for path in demo.glob("2015-*.yaml"):
        assert main(["--cases", str(demo), "show", path.stem, "--json"]) == 0
        phases.add(json.loads(capsys.readouterr().out)["phase"])
    assert phases == {"referral", "diagnostic", "accompaniment", "closed"}
