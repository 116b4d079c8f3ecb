"""Tolerant, consistent input through the command line: list values matched and stored in
their canonical form, near misses refused with « Vouliez-vous dire … ? », the open lists
extended only on purpose (in visites.yaml, in the same commit), dates told in French."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import Run, referral, snapshot
from tests.test_referral_forms import fill


def git_log(folder: Path, *args: str) -> str:
    command = ["git", "-C", str(folder), "log", "--format=%s", "--name-only", *args]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def new(run: Run, *flags: str, **fields: str) -> str:
    """A referral through the CLI with `flags` (`--new-commune`) added; its new ID."""
    args = ["new-referral", "--household", fields.pop("household", "Famille Essai"),
            "--context", "entree", "--referrer", "Mme P", "--date", "12/01/2015"]  # fmt: skip
    for key, value in fields.items():
        args += [f"--{key}", value]
    result = run(*args, *flags)
    assert result.code == 0, result.err
    return result.out.strip()


def case_file(cases: Path, case_id: str = "2015-001") -> str:
    return (cases / f"{case_id}.yaml").read_text(encoding="utf-8")


def test_a_commune_typed_without_accents_is_stored_as_the_list_writes_it(
    run: Run, cases: Path
) -> None:
    referral(run, commune="coueron")
    referral(run, commune="saint nazaire")
    assert "commune: Couëron" in case_file(cases)
    assert "commune: Saint-Nazaire" in case_file(cases, "2015-002")
    costs = json.loads(run("costs", "2015", "--by", "commune", "--json").out)
    assert "coueron" not in json.dumps(costs, ensure_ascii=False)


def test_a_near_miss_is_refused_with_a_suggestion_and_changes_nothing(
    run: Run, cases: Path
) -> None:
    before = snapshot(cases)
    result = run("new-referral", "--household", "Famille Essai", "--commune", "Couéronn",
                 "--context", "entree", "--referrer", "Mme P", "--date", "12/01/2015")  # fmt: skip
    assert result.code == 2
    assert result.err.startswith(
        "erreur : --commune : commune « Couéronn » hors de la liste de visites.yaml. "
        "Vouliez-vous dire « Couëron » ?"
    )
    assert snapshot(cases) == before


def test_a_new_commune_is_added_to_the_settings_in_the_same_commit(run: Run, cases: Path) -> None:
    settings = cases / "visites.yaml"
    before = settings.read_text(encoding="utf-8")
    case_id = new(run, "--new-commune", commune="Bouaye")
    after = settings.read_text(encoding="utf-8")
    assert after == before.replace("La Baule-Escoublac, Guérande]", "La Baule-Escoublac, "
                                   "Guérande, Bouaye]")  # fmt: skip
    assert "# Majuscules, accents et tirets" in after  # the comments stay
    last = git_log(cases, "-1")
    assert last.splitlines()[0] == f"{case_id}: nouvelle orientation reçue"
    assert set(last.split()[-2:]) == {f"{case_id}.yaml", "visites.yaml"}
    # from now on it is a commune of the list, matched like the others
    assert referral(run, commune="BOUAYE") == "2015-002"
    assert "commune: Bouaye" in case_file(cases, "2015-002")
    assert run("check").code == 0


def test_problem_domains_are_matched_by_code_or_french_label(run: Run, cases: Path) -> None:
    case_id = referral(run)
    assert run("consent", case_id, "--date", "20/01/2015").code == 0
    result = run("diagnose", case_id, "--problem", "santé", "--problem", "Emploi",
                 "--problem", "Accès aux droits")  # fmt: skip
    assert result.code == 0, result.err
    shown = json.loads(run("show", case_id, "--json").out)
    assert shown["case"]["diagnostic"]["problems"] == ["sante", "emploi", "acces-aux-droits"]
    before = snapshot(cases)
    refused = run("diagnose", case_id, "--problem", "snté")
    assert refused.code == 2
    assert "--problem : problématique « snté » inconnue. Vouliez-vous dire « Santé » ?" in (
        refused.err
    )
    assert snapshot(cases) == before


def test_orientation_measure_outcome_kind_and_mode_are_matched(run: Run, cases: Path) -> None:
    case_id = referral(run)
    assert run("consent", case_id, "--date", "20/01/2015", "--mode", "Courrier").code == 0
    assert run("event", case_id, "--kind", "téléphone", "--date", "21/01/2015").code == 0
    result = run("orient", case_id, "--to", "droit commun", "--measure", "asll",
                 "--outcome", "Relais droit commun", "--date", "01/03/2015")  # fmt: skip
    assert result.code == 0, result.err
    case = json.loads(run("show", case_id, "--json").out)["case"]
    assert case["adhesion"]["mode"] == "courrier"
    assert case["events"][0]["kind"] == "telephone"
    assert case["orientation"] == case["orientation"] | {"to": "droit-commun", "measure": "ASLL"}
    assert case["closure"]["outcome"] == "relais droit commun"


def test_referents_are_checked_only_when_the_folder_lists_them(run: Run, cases: Path) -> None:
    assert referral(run, referent="Qui que ce soit") == "2015-001"  # an empty list: no check
    settings = cases / "visites.yaml"
    text = settings.read_text(encoding="utf-8").replace(
        "  referents: []",
        "  referents:\n    - {nom: Claire Dubois, fonction: conseillère en économie sociale et "
        "familiale, civilite: Mme}\n    - {nom: Karim Benali, actif: false}\n    - Zoé Martin\n",
    )
    settings.write_text(text, encoding="utf-8")
    assert referral(run, referent="claire dubois") == "2015-002"
    assert "referent: Claire Dubois" in case_file(cases, "2015-002")
    before = snapshot(cases)
    inactive = run("new-referral", "--household", "F", "--commune", "Nantes", "--context",
                   "entree", "--referrer", "X", "--date", "2015-01-12", "--referent",
                   "Karim Benali")  # fmt: skip
    assert inactive.code == 2 and "« Karim Benali » marqué(e) inactif(ve)" in inactive.err
    near = run("new-referral", "--household", "F", "--commune", "Nantes", "--context", "entree",
               "--referrer", "X", "--date", "2015-01-12", "--referent", "Clare Dubois")  # fmt: skip
    assert near.code == 2 and "Vouliez-vous dire « Claire Dubois » ?" in near.err
    assert "--new-referent" in near.err
    assert snapshot(cases) == before
    assert new(run, "--new-referent", commune="Nantes", referent="Léa Nouvelle") == "2015-003"
    assert "- Léa Nouvelle\n" in settings.read_text(encoding="utf-8")
    assert run("check").code == 0


@pytest.mark.parametrize("kind", ["attestation-accompagnement", "projet-accompagnement"])
def test_the_household_documents_are_signed_with_the_referents_title(
    run: Run, cases: Path, kind: str
) -> None:
    settings = cases / "visites.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "  referents: []",
        "  referents: [{nom: Claire Dubois, fonction: conseillère en économie sociale et "
        "familiale, civilite: Mme}]",
    ), encoding="utf-8")  # fmt: skip
    case_id = referral(run, referent="Claire Dubois")
    run("consent", case_id, "--date", "20/01/2015")
    run("orient", case_id, "--to", "accompagnement", "--date", "01/03/2015")
    run("objective", "add", case_id, "--text", "Un objectif", "--date", "02/03/2015")
    result = run("document", case_id, kind, "--preview", "--date", "30/09/2015")
    assert result.code == 0, result.err
    assert "Mme Claire Dubois" in result.out
    assert "Conseillère en économie sociale et familiale" in result.out
    assert "référent(e)" not in result.out


def test_a_fiche_is_matched_to_the_lists_and_refused_with_its_line(
    run: Run, cases: Path, tmp_path: Path
) -> None:
    form = (cases / "templates" / "fiche-de-liaison.yaml").read_text(encoding="utf-8")
    fiche = tmp_path / "fiche.yaml"
    fiche.write_text(fill(form, "Famille Fiche", commune="coueron").replace(
        "contexte: en-cours", "contexte: Entrée"), encoding="utf-8")  # fmt: skip
    assert run("new-referral", "--from", str(fiche)).code == 0
    assert "commune: Couëron" in case_file(cases) and "contexte: entree" in case_file(cases)
    fiche.write_text(fill(form, "Famille Fiche", commune="Coueronn"), encoding="utf-8")
    before = snapshot(cases)
    refused = run("new-referral", "--from", str(fiche))
    assert refused.code == 1
    assert f"{fiche}:22: commune « Coueronn » hors de la liste de visites.yaml. " in refused.err
    assert "Vouliez-vous dire « Couëron » ?" in refused.err
    assert snapshot(cases) == before


def test_a_deadline_before_the_referral_is_refused_and_checked(run: Run, cases: Path) -> None:
    before = snapshot(cases)
    result = run("new-referral", "--household", "F", "--commune", "Nantes", "--context",
                 "entree", "--referrer", "X", "--date", "01/04/2015",
                 "--deadline", "15/03/2015")  # fmt: skip
    assert result.code == 2
    assert "--deadline : le 15/03/2015 précède la date de la fiche (01/04/2015)" in result.err
    assert snapshot(cases) == before
    referral(run, date="01/04/2015", deadline="20/04/2015")
    path = cases / "2015-001.yaml"
    path.write_text(case_file(cases).replace("2015-04-20", "2015-03-15"), encoding="utf-8")
    checked = run("check")
    assert checked.code == 1
    assert "2015-001.yaml:" in checked.err
    assert "date butoir (15/03/2015) avant l'orientation reçue (01/04/2015)" in checked.err


@pytest.mark.parametrize(
    ("date", "message"),
    [("01/04/2099", "--date : le 01/04/2099 est dans le futur"),
     ("12/13/2015", "--date : mois 13 impossible"),
     ("30/02/2015", "--date : le 30 février n'existe pas"),
     ("29/02/2015", "--date : le 29 février 2015 n'existe pas (2015 n'est pas bissextile)"),
     ("32/01/2015", "--date : jour 32 impossible"),
     ("demain", "--date : écrivez JJ/MM/AAAA ou AAAA-MM-JJ")],
)  # fmt: skip
def test_dates_are_refused_in_french_naming_the_option(
    run: Run, cases: Path, date: str, message: str
) -> None:
    case_id = referral(run, date="12/01/2015")
    result = run("consent", case_id, "--date", date)
    assert result.code == 2
    assert result.err == f"erreur : {message}\n"


@pytest.mark.parametrize(
    ("command", "message"),
    [(("partner", "{id}", "--add", "CAF", "--date", "01/04/2099"), "--date : le 01/04/2099"),
     (("referent", "{id}", "Paul Morel", "--date", "01/04/2099"), "--date : le 01/04/2099"),
     (("consent", "{id}", "--date", "20/01/2015", "--notice", "01/04/2099"),
      "--notice : le 01/04/2099")],
)  # fmt: skip
def test_a_future_date_checked_by_the_workflow_names_its_option_too(
    run: Run, cases: Path, command: tuple[str, ...], message: str
) -> None:
    case_id = referral(run, date="12/01/2015")
    before = snapshot(cases)
    result = run(*(word.format(id=case_id) for word in command))
    assert result.code == 2
    assert result.err.endswith(f"{message} est dans le futur\n"), result.err
    assert snapshot(cases) == before


def test_two_digit_years_are_read(run: Run, cases: Path) -> None:
    referral(run, date="12/01/15")
    assert "date: 2015-01-12" in case_file(cases)


def test_status_phase_takes_the_french_names_and_the_codes(run: Run) -> None:
    first = referral(run)
    second = referral(run, household="Famille Deux")
    run("consent", second, "--date", "20/01/2015")
    for name in ("diagnostic", "DIAGNOSTIC"):
        rows = json.loads(run("status", "--phase", name, "--json").out)
        assert [r["id"] for r in rows] == [second]
    for name in ("orientation-recue", "orientation reçue", "referral"):
        rows = json.loads(run("status", "--phase", name, "--json").out)
        assert [r["id"] for r in rows] == [first] and rows[0]["phase"] == "referral"
    run("close", first, "--date", "21/01/2015")
    for name in ("cloture", "clôturé", "closed"):
        assert [r["id"] for r in json.loads(run("status", "--phase", name, "--json").out)] == [
            first
        ]
    wrong = run("status", "--phase", "diagnostique")
    assert wrong.code == 2 and "Vouliez-vous dire « diagnostic » ?" in wrong.err


def test_status_referent_takes_a_part_of_the_name(run: Run) -> None:
    karim = referral(run, referent="Karim Benali")
    referral(run, household="Famille Deux", referent="Claire Dubois")
    for typed in ("Karim", "benali", "karim benali"):
        rows = json.loads(run("status", "--referent", typed, "--json").out)
        assert [r["id"] for r in rows] == [karim], typed
    unknown = run("status", "--referent", "Zoé")
    assert unknown.code == 2
    assert "référent(e) « Zoé » inconnu(e) (connu(e)s : Claire Dubois, Karim Benali)" in (
        unknown.err
    )


def test_init_takes_the_referents(tmp_path: Path, capsys, monkeypatch) -> None:
    from visites.cli import main
    from visites.store import load_config

    assert main(["init", str(tmp_path / "a"), "--referent", "Claire Dubois",
                 "--referent", "Karim: Benali"]) == 0  # fmt: skip
    assert load_config(tmp_path / "a").lists.referent_names() == ("Claire Dubois", "Karim: Benali")
    answers = iter(["Claire Dubois, Zoé Martin"])
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    monkeypatch.setattr("typer.prompt", lambda question, **_: next(answers))
    assert main(["init", str(tmp_path / "b")]) == 0
    assert load_config(tmp_path / "b").lists.referent_names() == ("Claire Dubois", "Zoé Martin")
    assert "Référent(e)s : Claire Dubois, Zoé Martin." in capsys.readouterr().out


def test_appointment_kinds_and_objective_statuses_are_matched_too(run: Run, cases: Path) -> None:
    case_id = referral(run)
    planned = run("rdv", case_id, "--date", "10/02/2015", "--time", "14:30",
                  "--kind", "Rencontre tripartite")  # fmt: skip
    assert planned.code == 0, planned.err
    assert "type: tripartite" in case_file(cases)
    near = run("rdv", case_id, "--date", "10/02/2015", "--time", "16:30", "--kind", "tripartit")
    assert near.code == 2
    assert "--kind : type de rendez-vous « tripartit » inconnu. Vouliez-vous dire" in near.err
