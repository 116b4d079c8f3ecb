"""Hostile input on the command line, and files saved by other editors (BOM, CRLF)."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Run, referral, snapshot
from tests.reliability_kit import NEW_REFERRAL


def test_a_crlf_file_with_bom_loads_and_a_rewrite_keeps_its_line_endings(
    run: Run, cases: Path
) -> None:
    case_id = referral(run)
    path = cases / f"{case_id}.yaml"
    windows = b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(windows)
    assert run("check").code == 0
    assert run("event", case_id, "--kind", "visite", "--date", "2015-02-01").code == 0
    after = path.read_bytes()
    # Regression: comment lines kept "\r\n" and the rest lost it, a file of mixed endings.
    assert after.count(b"\n") == after.count(b"\r\n") == windows.count(b"\n") + 3
    assert after.replace(b"\r\n", b"\n").startswith(windows[3:].replace(b"\r\n", b"\n"))
    assert not after.startswith(b"\xef\xbb\xbf")  # the BOM goes: plain UTF-8 is read everywhere
    assert run("check").code == 0
    assert run("show", case_id, "--json").code == 0


def test_a_case_file_that_is_a_symlink_is_read_but_never_written_through(
    run: Run, cases: Path, tmp_path: Path
) -> None:
    case_id = referral(run)
    path = cases / f"{case_id}.yaml"
    outside = tmp_path / "ailleurs.yaml"
    outside.write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(outside)
    before = outside.read_bytes()
    assert run("check").code == 0
    assert run("show", case_id).code == 0
    refused = run("event", case_id, "--kind", "visite", "--date", "2015-02-01")
    # Regression: the link was replaced by a copy and its target kept the old content.
    assert refused.code == 1
    assert f"{path}: écriture refusée : ce fichier est un lien symbolique" in refused.err
    assert path.is_symlink() and outside.read_bytes() == before


def test_a_dangling_symlink_named_like_a_case_is_reported_and_never_written(
    run: Run, cases: Path, tmp_path: Path
) -> None:
    link = cases / "2015-001.yaml"
    link.symlink_to(tmp_path / "absent.yaml")
    check = run("check")
    assert check.code == 1 and f"{link}: lecture impossible" in check.err
    assert run(*NEW_REFERRAL).out.strip() == "2015-002"
    assert link.is_symlink() and not (tmp_path / "absent.yaml").exists()


def test_a_folder_named_like_a_case_is_reported_and_its_number_skipped(
    run: Run, cases: Path
) -> None:
    first = referral(run)
    (cases / "2015-002.yaml").mkdir()
    check = run("check")
    # Regression: `check` skipped it silently and new-referral was refused forever
    # ("le dossier 2015-002 existe déjà").
    assert check.code == 1
    assert f"{cases / '2015-002.yaml'}: lecture impossible : c'est un dossier" in check.err
    status = run("status", "--json")
    assert status.code == 0 and first in status.out and "2015-002.yaml" in status.err
    assert referral(run) == "2015-003"


def test_a_text_that_looks_like_an_impossible_date_survives_a_rewrite(
    run: Run, cases: Path
) -> None:
    case_id = referral(run)
    path = cases / f"{case_id}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("prescripteur: Mme Prescriptrice", "prescripteur: 2015-02-30"))
    assert run("check").code == 0  # a text field: any text is fine
    # Regression: the writer read it as a date and crashed with a traceback.
    assert run("event", case_id, "--kind", "visite", "--date", "2015-02-01").code == 0
    assert run("check").code == 0
    assert "2015-02-30" in path.read_text(encoding="utf-8")


def test_a_file_the_reader_accepts_but_the_writer_cannot_round_trip_is_refused_clearly(
    run: Run, cases: Path
) -> None:
    case_id = referral(run)
    path = cases / f"{case_id}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("prescripteur:", "prescripteur\t:"), encoding="utf-8")
    before = path.read_bytes()
    assert run("check").code == 0  # libyaml reads a tab before the colon; ruamel.yaml does not
    refused = run("event", case_id, "--kind", "visite", "--date", "2015-02-01")
    # Regression: a traceback from ruamel.yaml's scanner.
    assert refused.code == 1 and "Traceback" not in refused.err
    assert f"{path}:7: réécriture impossible, corrigez cette ligne à la main" in refused.err
    assert path.read_bytes() == before


# ---------------------------------------------------------------------------- the command line

TRAVERSALS = ["../../etc/passwd", "2015-001/../x", "", "/etc/passwd", "2015-001.yaml", "..",
              ".", " 2015-001", "2015-001\n", "2015-001/", "~/2015-001", "2015-001\x00",
              "%2e%2e%2f2015-001", "C:\\2015-001", "x" * 10_000]  # fmt: skip
ID_COMMANDS = [
    ("show",),
    ("event", "--kind", "visite"),
    ("consent",),
    ("orient", "--to", "sans-suite"),
    ("close",),
    ("diagnose",),
    ("renew",),
]


def outside(root: Path, cases: Path) -> dict[str, bytes | None]:
    """Everything under `root` but the case folder: what no command may create or change."""
    return {
        str(p.relative_to(root)): p.read_bytes() if p.is_file() else None
        for p in sorted(root.rglob("*"))
        if cases not in (p, *p.parents)
    }


@pytest.mark.parametrize("command", ID_COMMANDS, ids=lambda c: c[0])
def test_path_traversal_ids_are_refused(
    run: Run, cases: Path, tmp_path: Path, command: tuple[str, ...]
) -> None:
    referral(run)
    (tmp_path / "x.yaml").write_text("id: 2015-001\n")  # a file a traversal could reach
    before, folder = outside(tmp_path, cases), snapshot(cases)
    for case_id in TRAVERSALS:
        result = run(command[0], case_id, *command[1:])
        assert result.code == 2, (case_id, result)
        assert result.err.startswith("erreur : identifiant de dossier invalide « "), result.err
        assert "(attendu : AAAA-NNN)" in result.err and "Traceback" not in result.err
        assert len(result.err) < 200  # a 10,000-character ID is not echoed whole
    assert outside(tmp_path, cases) == before and snapshot(cases) == folder


@pytest.mark.parametrize(
    "value",
    ["\x1b[31mrouge", "a\x00b", "ligne\rretour", "\x7f", "\x9b", "   ", "x" * 20_001],
    ids=["escape", "nul", "carriage-return", "delete", "c1-control", "blank", "too-long"],
)
@pytest.mark.parametrize("option", ["--note", "--by"])
def test_control_characters_and_oversized_texts_are_refused(
    run: Run, cases: Path, option: str, value: str
) -> None:
    case_id = referral(run)
    before = snapshot(cases)
    result = run("event", case_id, "--kind", "visite", "--date", "2015-02-01", option, value)
    assert result.code == 2, result
    assert result.err.startswith(f"erreur : dossier {case_id} : événement invalide : ")
    assert "Traceback" not in result.err and snapshot(cases) == before


@pytest.mark.parametrize("field", ["--household", "--commune", "--referrer", "--reason"])
def test_a_referral_with_control_characters_is_refused(run: Run, cases: Path, field: str) -> None:
    args = dict(zip(NEW_REFERRAL[1::2], NEW_REFERRAL[2::2], strict=True))
    args[field] = "Famille\x1b[2J"
    result = run("new-referral", *[x for pair in args.items() for x in pair])
    assert result.code == 2 and "caractère de contrôle interdit" in result.err, result
    assert not list(cases.glob("2015-*.yaml"))


FAR_DATES = ["0001-01-01", "9999-12-31", "31/12/9999", "1899-12-31", "2100-01-01", "0000-01-01",
             "10000-01-01", "-2015-01-01"]  # fmt: skip


@pytest.mark.parametrize("when", FAR_DATES)
def test_dates_far_in_the_past_or_future_are_refused(run: Run, cases: Path, when: str) -> None:
    case_id = referral(run)
    before = snapshot(cases)
    for args in (("event", case_id, "--kind", "visite"), ("consent", case_id),
                 ("close", case_id), ("orient", case_id, "--to", "sans-suite")):  # fmt: skip
        result = run(*args, "--date", when)
        assert result.code == 2 and result.err.startswith("erreur : --date : "), result
    result = run(*NEW_REFERRAL[:-1], when)
    assert result.code == 2 and result.err.startswith("erreur : --date : "), result
    assert snapshot(cases) == before


def test_long_and_unusual_texts_are_stored_safely_and_read_back(run: Run, cases: Path) -> None:
    case_id = referral(run)
    notes = [
        "x" * 10_000,
        "ligne 1\nligne 2\n\tindentée",
        "clé: valeur # pas un commentaire",
        "- pas une liste",
        "&ancre *alias !!python/object/apply:os.system ['echo']",
        "---\n...\n%YAML 1.1",
        "'guillemets' \"doubles\" \\ barre",
        "2015-02-30",
        "null",
        "yes",
        "0x1F",
        "\u202eà l'envers\u202c, emoji 🏠, « accents » éàç",
        "{[ ]}",
        " espace devant et derrière ",
    ]
    for n, note in enumerate(notes):
        day = f"2015-02-{n + 1:02d}"
        result = run("event", case_id, "--kind", "visite", "--date", day, "--note", note)
        assert result.code == 0, (note, result)
    assert run("check").code == 0
    shown = json.loads(run("show", case_id, "--json").out)
    assert [e["note"] for e in shown["case"]["events"]] == notes


@settings(deadline=None, max_examples=40, suppress_health_check=list(HealthCheck))
@given(st.text(max_size=300))
def test_any_note_is_stored_exactly_or_refused_clearly(cases: Path, note: str) -> None:
    from visites.cli import main

    case_id = "2015-001"
    if not (cases / f"{case_id}.yaml").exists():
        assert main(["--cases", str(cases), *NEW_REFERRAL]) == 0
    path = cases / f"{case_id}.yaml"
    before = path.read_bytes()
    args = ["--cases", str(cases), "event", case_id, "--kind", "visite", "--date", "2015-02-01"]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([*args, "--note", note])
        shown = main(["--cases", str(cases), "show", case_id, "--json"])
    assert "Traceback" not in err.getvalue()
    if code == 0:
        events = json.loads(out.getvalue().split("\n", 1)[1])["case"]["events"]
        assert events[-1].get("note") == (note or None)
    else:
        assert code == 2 and err.getvalue().startswith("erreur : "), err.getvalue()
        assert path.read_bytes() == before
    assert shown == 0
