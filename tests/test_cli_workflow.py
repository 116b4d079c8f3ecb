"""The command contract, through the real CLI entry point."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Run, referral, snapshot


def test_new_referral_prints_the_new_id_and_creates_a_private_file(run: Run, cases: Path) -> None:
    result = run("new-referral", "--household", "Famille Essai", "--commune", "Nantes",
                 "--context", "entree", "--referrer", "Mme Prescriptrice", "--date", "12/01/2015",
                 "--json")  # fmt: skip
    assert result.code == 0, result.err
    payload = json.loads(result.out)
    assert payload["id"] == "2015-001" and payload["phase"] == "referral"
    assert payload["due"] == "2015-02-11"
    path = cases / "2015-001.yaml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "date: 2015-01-12" in path.read_text(encoding="utf-8")
    assert referral(run, date="2015-03-01") == "2015-002"
    assert referral(run, date="2016-01-04") == "2016-001"


def test_new_referral_without_terminal_lists_the_missing_flags(run: Run, cases: Path) -> None:
    before = snapshot(cases)
    result = run("new-referral", "--household", "Famille Essai")
    assert result.code == 2
    assert "--commune" in result.err and "--context" in result.err and "--referrer" in result.err
    assert "Famille" not in result.err
    assert snapshot(cases) == before


def test_new_referral_prompts_in_french_on_a_terminal(run: Run, cases: Path, monkeypatch) -> None:
    answers = {"Contexte": ["pigeon", "en cours de location"], "Prescripteur": ["M. X"],
               "Commune": ["saint nazaire"], "Créer le dossier": ["o"]}  # fmt: skip
    asked = []

    def prompt(question: str, **_: object) -> str:
        asked.append(question)
        assert len(asked) < 30, asked  # a question asked again and again
        return next((a.pop(0) for q, a in answers.items() if question.startswith(q) and a), "")

    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    monkeypatch.setattr("typer.prompt", prompt)
    result = run("new-referral", "--household", "Famille Essai", "--date", "2015-02-01")
    assert result.code == 0, result.err
    # « pigeon » is no context: asked again at once, with the values allowed
    assert "contexte « pigeon » inconnu ; valeurs possibles : entree, en-cours" in result.err
    assert [q.split(" (")[0] for q in asked[:3]] == ["Contexte", "Contexte", "Prescripteur"]
    assert not any(q.startswith(("Ménage", "Date de la fiche")) for q in asked)  # given
    assert any(q.startswith("Typologie du ménage") for q in asked)  # the profile follows
    text = (cases / "2015-001.yaml").read_text(encoding="utf-8")
    assert "commune: Saint-Nazaire" in text and "contexte: entree" not in text


def test_a_full_life_through_the_commands(run: Run, cases: Path) -> None:
    case_id = referral(run)
    steps = [
        ("consent", case_id, "--date", "2015-01-20", "--mode", "courrier", "--share"),
        ("diagnose", case_id, "--problem", "dettes", "--situation", "Dette de loyer."),
        ("diagnose", case_id, "--problem", "emploi", "--levers", "Motivée."),
        ("event", case_id, "--kind", "visite", "--date", "2015-02-03", "--note", "Point budget."),
        ("orient", case_id, "--to", "accompagnement", "--date", "2015-03-10"),
        ("renew", case_id, "--date", "2015-09-08"),
        ("close", case_id, "--date", "2016-01-29", "--outcome", "maintien dans le logement"),
        ("event", case_id, "--kind", "courrier", "--date", "2016-02-01"),
    ]
    for step in steps:
        result = run(*step)
        assert result.code == 0, (step, result.err)
    shown = json.loads(run("show", case_id, "--json").out)
    assert shown["phase"] == "closed" and shown["due"] is None
    case = shown["case"]
    assert case["adhesion"] == {"date": "2015-01-20", "mode": "courrier",
                                "consent_to_share": "2015-01-20",
                                "notice": "2015-01-20"}  # fmt: skip
    assert case["diagnostic"]["problems"] == ["dettes", "emploi"]
    assert case["accompaniment"]["renewals"] == [{"date": "2015-09-08", "months": 6}]
    assert case["closure"] == {"date": "2016-01-29", "outcome": "maintien dans le logement"}
    assert [e["kind"] for e in case["events"]] == ["visite", "courrier"]
    assert run("status").out.startswith("Dossiers ouverts") and case_id not in run("status").out
    assert case_id in run("status", "--all").out


REFUSED_MOVES = [
    (
        ("orient", "2015-001", "--to", "sans-suite", "--date", "2015-02-01"),
        1,
        "orientation impossible",
    ),
    (("renew", "2015-001", "--date", "2015-02-01"), 1, "renouvellement impossible"),
    (("diagnose", "2015-001", "--problem", "dettes"), 1, "diagnostic impossible"),
    (("consent", "2015-001", "--date", "2015-01-01"), 1, "avant l'orientation reçue"),
    (("consent", "2015-001", "--date", "2015-02-30"), 2, "--date : le 30 février n'existe pas"),
    (("consent", "2015-001", "--date", "2099-01-01"), 2, "le 01/01/2099 est dans le futur"),
    (("consent", "2015-001", "--mode", "pigeon"), 2, "tripartite, courrier"),
    (("close", "2015-001", "--outcome", "disparu"), 2, "maintien dans le logement"),
    (("event", "2015-001", "--kind", "fete"), 2, "visite, tripartite"),
    (("event", "2015-001", "--kind", "visite", "--note", "a\x1bb"), 2, "caractère de contrôle"),
    (("event", "2099-999", "--kind", "visite"), 1, "introuvable"),
    (("event", "../../etc/passwd", "--kind", "visite"), 2, "identifiant de dossier invalide"),
    (("show", "2015-001/../../x"), 2, "identifiant de dossier invalide"),
    (("status", "--today", "31/02/2015"), 2, "--today : le 31 février n'existe pas"),
    (("status", "--phase", "nulle"), 2, "orientation-recue"),
    (("orient", "2015-001", "--to", "ailleurs"), 2, "sans-suite, remobilisation"),
    (("consent",), 2, "argument manquant"),
    (("consent", "2015-001", "--bogus"), 2, "option inconnue"),
]


@pytest.mark.parametrize(("args", "code", "message"), REFUSED_MOVES, ids=lambda a: str(a)[:40])
def test_refused_moves_leave_every_file_byte_identical(
    run: Run, cases: Path, args: tuple, code: int, message: str
) -> None:
    referral(run)
    before = snapshot(cases)
    result = run(*args)
    assert result.code == code, result.err
    assert message in result.err
    assert "Traceback" not in result.err + result.out
    assert snapshot(cases) == before


def test_refused_move_names_case_phase_and_next_moves(run: Run) -> None:
    case_id = referral(run)
    assert run("consent", case_id, "--refused", "--date", "2015-01-15").code == 0
    result = run("orient", case_id, "--to", "sans-suite")
    assert result.code == 1
    assert result.err.strip() == (
        "erreur : dossier 2015-001 : orientation impossible en phase « clôturé ». "
        "Possible maintenant : visites event, visites finances."
    )


def test_measure_is_required_with_droit_commun_and_refused_otherwise(run: Run) -> None:
    case_id = referral(run)
    run("consent", case_id, "--date", "2015-01-20")
    missing = run("orient", case_id, "--to", "droit-commun", "--date", "2015-02-01")
    assert missing.code == 2 and "--measure" in missing.err and "ASLL" in missing.err
    extra = run("orient", case_id, "--to", "remobilisation", "--measure", "ASLL")
    assert extra.code == 2
    unknown = run("orient", case_id, "--to", "droit-commun", "--measure", "XYZ")
    assert unknown.code == 2 and "MASP" in unknown.err
    ok = run("orient", case_id, "--to", "droit-commun", "--measure", "MASP", "--date", "2015-02-01")
    assert ok.code == 0, ok.err


def test_lists_can_be_extended_in_settings(run: Run, cases: Path) -> None:
    settings = cases / "visites.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("mesures: [ASLL,", "mesures: [PCH, ASLL,"), encoding="utf-8")
    case_id = referral(run)
    run("consent", case_id, "--date", "2015-01-20")
    ok = run("orient", case_id, "--to", "droit-commun", "--measure", "PCH", "--date", "2015-02-01")
    assert ok.code == 0, ok.err


def test_a_commune_out_of_the_list_written_by_hand_is_a_warning(run: Run, cases: Path) -> None:
    referral(run, commune="Couëron")
    path = cases / "2015-001.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Couëron", "Coueron"), "utf-8")
    result = run("check")
    assert result.code == 0
    assert "2015-001.yaml:" in result.err and "commune « Coueron »" in result.err
    assert "vouliez-vous écrire « Couëron » ?" in result.err


def test_status_json_contract(run: Run) -> None:
    late = referral(run, date="2015-01-12")
    run("consent", late, "--date", "2015-01-20")
    fresh = referral(run, date="2015-03-20")
    rows = json.loads(run("status", "--json", "--today", "2015-04-01").out)
    assert [r["id"] for r in rows] == [late, fresh]
    assert rows[0] == rows[0] | {"phase": "diagnostic", "due": "2015-03-20", "days_overdue": 12}
    assert rows[1] == rows[1] | {"phase": "referral", "due": "2015-04-19", "days_overdue": 0}
    overdue = json.loads(run("status", "--overdue", "--json", "--today", "2015-04-01").out)
    assert [r["id"] for r in overdue] == [late]


def test_status_filters_by_phase_and_referent(run: Run) -> None:
    a = referral(run, referent="Claire Dubois")
    b = referral(run, referent="Karim Benali")
    run("consent", b, "--date", "2015-01-20")
    by_phase = json.loads(run("status", "--json", "--phase", "diagnostic").out)
    assert [r["id"] for r in by_phase] == [b]
    by_referent = json.loads(run("status", "--json", "--referent", "claire dubois").out)
    assert [r["id"] for r in by_referent] == [a]


def test_status_titles_the_table_after_the_phase_asked(run: Run) -> None:
    case = referral(run)
    run("consent", case, "--date", "2015-01-20")
    assert "Dossiers en phase « diagnostic »" in run("status", "--phase", "diagnostic").out
    closed = run("status", "--phase", "clôturé").out
    assert "Dossiers en phase « clôturé »" in closed and "Dossiers ouverts" not in closed
    assert "Dossiers ouverts" in run("status").out


def test_folder_found_from_env_and_from_parent(cases: Path, monkeypatch, capsys) -> None:
    from visites.cli import main

    monkeypatch.setenv("VISITES_CASES", str(cases))
    assert main(["status"]) == 0
    monkeypatch.delenv("VISITES_CASES")
    (cases / "sous-dossier").mkdir()
    monkeypatch.chdir(cases / "sous-dossier")
    assert main(["status", "--json"]) == 0
    assert capsys.readouterr().out.strip().endswith("[]")


def test_missing_folder_is_a_clear_error(tmp_path: Path, capsys) -> None:
    from visites.cli import main

    assert main(["--cases", str(tmp_path / "absent"), "status"]) == 1
    assert "visites init" in capsys.readouterr().err


def test_init_refuses_an_existing_folder(cases: Path, capsys) -> None:
    from visites.cli import main

    before = snapshot(cases)
    assert main(["init", str(cases)]) == 1
    assert "déjà" in capsys.readouterr().err
    assert snapshot(cases) == before


def test_installed_entry_point_runs_as_a_subprocess(cases: Path) -> None:
    env = {**os.environ, "VISITES_CASES": str(cases), "COLUMNS": "80"}
    help_text = subprocess.run([sys.executable, "-m", "visites", "--help"], capture_output=True,
                               text=True, env=env, check=True).stdout  # fmt: skip
    assert "Utilisation" in help_text and "new-referral" in help_text
    bad = subprocess.run([sys.executable, "-m", "visites", "show", "2015-999"],
                         capture_output=True, text=True, env=env)  # fmt: skip
    assert bad.returncode == 1 and "dossier 2015-999 introuvable" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_an_empty_diagnose_is_refused_and_writes_nothing(run: Run, cases: Path) -> None:
    case_id = referral(run)
    run("consent", case_id, "--date", "2015-01-20")
    before = snapshot(cases)
    result = run("diagnose", case_id)
    assert result.code == 2 and "rien à enregistrer" in result.err
    assert snapshot(cases) == before


def test_status_and_show_on_a_past_day_ignore_later_facts(run: Run) -> None:
    early = referral(run, date="2015-01-12")
    run("consent", early, "--date", "2015-01-20")
    run("orient", early, "--to", "accompagnement", "--date", "2015-03-10")
    run("close", early, "--date", "2015-10-01", "--outcome", "maintien dans le logement")
    late = referral(run, date="2015-06-01")
    in_may = json.loads(run("status", "--json", "--today", "2015-05-01").out)
    assert [(r["id"], r["phase"], r["due"]) for r in in_may] == [
        (early, "accompaniment", "2015-09-10")
    ]
    now = [(r["id"], r["phase"]) for r in json.loads(run("status", "--json").out)]
    assert now == [(late, "referral")]
    assert late in run("status", "--today", "2015-06-02").out
    shown = json.loads(run("show", early, "--json", "--today", "2015-05-01").out)
    assert shown["phase"] == "accompaniment" and "closure" not in shown["case"]
    before = run("show", late, "--today", "2015-05-01")
    assert before.code == 1 and "après le 01/05/2015" in before.err


def test_unknown_commune_is_refused_unless_it_is_said_new(run: Run, cases: Path) -> None:
    before = snapshot(cases)
    args = ("new-referral", "--household", "Famille Essai", "--commune", "Parisse",
            "--context", "entree", "--referrer", "Mme P", "--date", "2015-01-12")  # fmt: skip
    result = run(*args)
    assert result.code == 2 and "commune « Parisse » hors de la liste" in result.err
    assert "--new-commune" in result.err and snapshot(cases) == before
    result = run(*args, "--new-commune")
    assert result.code == 0 and result.out.strip() == "2015-001", result.err


def test_consent_to_share_can_follow_a_closing_orientation(run: Run) -> None:
    case_id = referral(run)
    run("consent", case_id, "--date", "2015-01-20")
    run("orient", case_id, "--to", "droit-commun", "--measure", "ASLL", "--date", "2015-03-01")
    assert run("share", case_id, "--date", "2015-03-05").code == 0
    avis = run("document", case_id, "avis-bailleur", "--preview", "--date", "2015-03-06")
    assert avis.code == 0, avis.err
    refused = referral(run)
    run("consent", refused, "--refused", "--date", "2015-01-20")
    assert run("share", refused, "--date", "2015-01-21").code == 1
