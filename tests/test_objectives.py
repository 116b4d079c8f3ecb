"""The accompaniment project: objectives agreed with the household, with a dated status
history, through the CLI and the pure rules."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from conftest import Run, referral, snapshot

from visites import casefile, privacy
from visites.config import Config
from visites.model import Case
from visites.objectives import status_code, status_on
from visites.store import Folder


def ok(run: Run, *args: str) -> str:
    result = run(*args)
    assert result.code == 0, (args, result.err)
    return result.out


def accompanied(run: Run, start: str = "2015-03-10") -> str:
    """A case oriented to the accompaniment on `start`, its diagnostic naming two domains."""
    case_id = referral(run, "Famille Projet", "2015-01-12")
    ok(run, "consent", case_id, "--date", "2015-01-20", "--share")
    ok(run, "diagnose", case_id, "--problem", "budget-impayes", "--problem", "emploi")
    ok(run, "orient", case_id, "--to", "accompagnement", "--date", start)
    return case_id


def refused_unchanged(run: Run, cases: Path, code: int, *args: str) -> str:
    before = snapshot(cases)
    result = run(*args)
    assert result.code == code, (args, result.out, result.err)
    assert "Traceback" not in result.err and snapshot(cases) == before
    return result.err


# ---------------------------------------------------------------------------- phases


def test_objectives_are_refused_before_the_accompaniment_orientation(run: Run, cases) -> None:
    case_id = referral(run, "Famille Tôt", "2015-01-12")
    add = ("objective", "add", case_id, "--text", "Payer le loyer", "--date", "2015-01-13")
    err = refused_unchanged(run, cases, 1, *add)
    assert "objectif impossible en phase « orientation reçue »" in err and case_id in err
    ok(run, "consent", case_id, "--date", "2015-01-20")
    err = refused_unchanged(run, cases, 1, *add[:-1], "2015-01-21")
    assert "en phase « diagnostic »" in err
    ok(run, "orient", case_id, "--to", "sans-suite", "--date", "2015-02-10")
    err = refused_unchanged(run, cases, 1, *add[:-1], "2015-02-10")
    assert "en phase « clôturé »" in err


def test_an_objective_is_added_from_the_orientation_day_on(run: Run, cases) -> None:
    case_id = accompanied(run)
    err = refused_unchanged(run, cases, 1, "objective", "add", case_id, "--text", "Avant",
                            "--date", "2015-03-09")  # fmt: skip
    assert "objectif 1 : statut du 09/03/2015 avant le début de l'accompagnement" in err
    assert ok(run, "objective", "add", case_id, "--text", "Payer le loyer courant",
              "--date", "2015-03-10").strip() == "1"  # fmt: skip


def test_add_prints_the_number_or_json_and_starts_en_cours(run: Run, cases) -> None:
    case_id = accompanied(run)
    first = ok(run, "objective", "add", case_id, "--text", "Payer le loyer courant",
               "--problem", "budget-impayes", "--date", "2015-03-10")  # fmt: skip
    assert first == "1\n"
    second = ok(run, "objective", "add", case_id, "--text", "Chercher un emploi",
                "--date", "2015-03-12", "--json")  # fmt: skip
    assert json.loads(second) == {"id": case_id, "objective": 2}
    case = Folder(cases).read(case_id).case
    expected = [(1, "Payer le loyer courant", "budget-impayes"), (2, "Chercher un emploi", None)]
    assert [(o.number, o.text, o.problem) for o in case.objectives] == expected
    assert [o.statuses[0].status for o in case.objectives] == ["en-cours", "en-cours"]
    assert case.objectives[1].statuses[0].date == date(2015, 3, 12)


def test_each_status_change_is_dated_and_the_history_is_kept_in_the_file(run, cases) -> None:
    case_id = accompanied(run)
    ok(run, "objective", "add", case_id, "--text", "Payer le loyer", "--date", "2015-03-10")
    out = ok(run, "objective", "set", case_id, "1", "--status", "partiel", "--date",
             "2015-06-01", "--note", "Deux loyers sur trois")  # fmt: skip
    assert out == f"Dossier {case_id} : objectif 1 « partiellement atteint » au 01/06/2015.\n"
    ok(run, "objective", "set", case_id, "1", "--status", "atteint", "--date", "01/09/2015")
    text = (cases / f"{case_id}.yaml").read_text(encoding="utf-8")
    assert (
        """objectifs:
  - numero: 1
    texte: Payer le loyer
    statuts:
      - date: 2015-03-10
        statut: en-cours
      - date: 2015-06-01
        statut: partiel
        note: Deux loyers sur trois
      - date: 2015-09-01
        statut: atteint
"""
        in text
    )
    (objective,) = Folder(cases).read(case_id).case.objectives
    assert status_on(objective, date(2015, 7, 1)).status == "partiel"
    assert status_on(objective, date(2015, 3, 9)) is None
    assert status_on(objective).status == "atteint"


def test_a_status_dated_before_the_previous_one_is_refused(run, cases) -> None:
    case_id = accompanied(run)
    ok(run, "objective", "add", case_id, "--text", "Payer le loyer", "--date", "2015-04-01")
    err = refused_unchanged(run, cases, 1, "objective", "set", case_id, "1", "--status",
                            "atteint", "--date", "2015-03-20")  # fmt: skip
    assert "statut du 20/03/2015 avant le statut précédent (01/04/2015)" in err


def test_set_refuses_an_unknown_status_number_or_the_same_status(run, cases) -> None:
    case_id = accompanied(run)
    ok(run, "objective", "add", case_id, "--text", "Payer le loyer", "--date", "2015-03-10")
    err = refused_unchanged(run, cases, 2, "objective", "set", case_id, "1", "--status", "fini")
    assert "--status : statut « fini » inconnu" in err
    assert "en cours, atteint, partiellement atteint, non atteint, abandonné" in err
    err = refused_unchanged(run, cases, 2, "objective", "set", case_id, "1", "--status",
                            "partielement atteint")  # fmt: skip
    assert "Vouliez-vous dire « partiellement atteint » ?" in err  # the label, not `partiel`
    err = refused_unchanged(run, cases, 1, "objective", "set", case_id, "3", "--status",
                            "atteint", "--date", "2015-04-01")  # fmt: skip
    assert f"dossier {case_id} : objectif 3 inconnu (objectifs : 1)" in err
    err = refused_unchanged(run, cases, 1, "objective", "set", case_id, "1", "--status",
                            "en-cours", "--date", "2015-04-01")  # fmt: skip
    assert "déjà « en cours » depuis le 10/03/2015" in err
    err = refused_unchanged(run, cases, 2, "objective", "set", case_id, "1", "--status",
                            "atteint", "--date", "2099-01-01")  # fmt: skip
    assert "dans le futur" in err


def test_status_codes_are_matched_in_one_place_as_every_list() -> None:
    assert status_code("non-atteint") == "non-atteint"
    assert status_code("Atteint") == "atteint"  # case, accents and labels aside
    assert status_code("partiellement atteint") == "partiel"
    assert status_code("abandonné") == "abandonne"
    with pytest.raises(ValueError, match="valeurs possibles"):
        status_code("fini")
    with pytest.raises(ValueError, match="Vouliez-vous dire « atteint » ?"):
        status_code("ateint")


def test_a_problem_domain_outside_the_list_is_a_usage_error(run, cases) -> None:
    case_id = accompanied(run)
    err = refused_unchanged(run, cases, 2, "objective", "add", case_id, "--text", "Soigner",
                            "--problem", "soins", "--date", "2015-03-10")  # fmt: skip
    assert "« soins » inconnue ; valeurs possibles : Budget / impayés" in err
    accepted = run("objective", "add", case_id, "--text", "Soigner", "--problem", "Santé",
                   "--date", "2015-03-10")  # fmt: skip
    assert accepted.code == 0, accepted.err  # typed with its accent: stored as its code
    assert "problematique: sante" in (cases / f"{case_id}.yaml").read_text(encoding="utf-8")


def test_a_domain_the_diagnostic_did_not_name_is_kept_with_a_warning(run, cases) -> None:
    case_id = accompanied(run)
    result = run("objective", "add", case_id, "--text", "Voir un médecin", "--problem", "sante",
                 "--date", "2015-03-10")  # fmt: skip
    assert result.code == 0 and result.out == "1\n"
    assert "avertissement" in result.err
    assert "objectif 1 : problématique « Santé » absente du diagnostic" in result.err  # label
    assert f"absente du diagnostic (visites diagnose {case_id} --problem sante)" in result.err
    clean = run("objective", "add", case_id, "--text", "Emploi", "--problem", "emploi",
                "--date", "2015-03-10")  # fmt: skip
    assert clean.code == 0 and clean.err == ""


def test_an_empty_or_control_character_text_is_refused(run, cases) -> None:
    case_id = accompanied(run)
    err = refused_unchanged(run, cases, 2, "objective", "add", case_id, "--text", "  ",
                            "--date", "2015-03-10")  # fmt: skip
    assert f"dossier {case_id} : objectif invalide" in err and "texte vide" in err
    err = refused_unchanged(run, cases, 2, "objective", "add", case_id, "--text", "a\x1b[2J",
                            "--date", "2015-03-10")  # fmt: skip
    assert "caractère de contrôle" in err


# ---------------------------------------------------------------------------- renew, close


def test_renew_and_close_print_the_objectives_and_close_warns_about_en_cours(run, cases):
    case_id = accompanied(run)
    ok(run, "objective", "add", case_id, "--text", "Payer le loyer", "--problem",
       "budget-impayes", "--date", "2015-03-10")  # fmt: skip
    ok(run, "objective", "add", case_id, "--text", "Chercher un emploi", "--date", "2015-03-10")
    ok(run, "objective", "set", case_id, "1", "--status", "atteint", "--date", "2015-08-01")
    renewed = run("renew", case_id, "--date", "2015-09-01", "--months", "6")
    assert renewed.code == 0 and renewed.err == ""
    assert "Objectifs du projet d'accompagnement :\n" in renewed.out
    assert "  1. Payer le loyer — Budget / impayés — atteint le 01/08/2015\n" in renewed.out
    assert "  2. Chercher un emploi — en cours depuis le 10/03/2015\n" in renewed.out
    closed = run("close", case_id, "--date", "2016-01-29", "--outcome", "maintien dans le logement")
    assert closed.code == 0  # a warning, not a refusal
    assert f"Dossier {case_id} : dossier clôturé." in closed.out and "2. Chercher" in closed.out
    assert closed.err.count("avertissement") == 1
    assert "objectif 2 encore en cours" in closed.err
    assert "daté au plus tard le 29/01/2016" in closed.err
    assert Folder(cases).read(case_id).case.closure is not None


def test_without_objectives_renew_says_how_to_add_one(run, cases) -> None:
    case_id = accompanied(run)
    out = ok(run, "renew", case_id, "--date", "2015-09-01")
    assert f"Aucun objectif noté (visites objective add {case_id} --text TEXTE)." in out


def test_set_on_a_closed_case_only_up_to_the_closure_date(run, cases) -> None:
    case_id = accompanied(run)
    ok(run, "objective", "add", case_id, "--text", "Payer le loyer", "--date", "2015-03-10")
    ok(run, "close", case_id, "--date", "2016-01-29")
    err = refused_unchanged(run, cases, 1, "objective", "set", case_id, "1", "--status",
                            "atteint", "--date", "2016-01-30")  # fmt: skip
    assert "statut du 30/01/2016 après la clôture (29/01/2016)" in err
    ok(run, "objective", "set", case_id, "1", "--status", "atteint", "--date", "2016-01-29")
    err = refused_unchanged(run, cases, 1, "objective", "add", case_id, "--text", "Trop tard",
                            "--date", "2016-01-20")  # fmt: skip
    assert "en phase « clôturé »" in err
    # And the closure cannot move before a recorded status: the rule is the same one.
    stored = Folder(cases).read(case_id)
    assert stored.case.objectives[0].statuses[-1].date == date(2016, 1, 29)


# ---------------------------------------------------------------------------- show, check


def test_show_lists_the_objectives_and_their_history_as_it_stood(run, cases) -> None:
    case_id = accompanied(run)
    ok(run, "objective", "add", case_id, "--text", "Payer le loyer", "--problem",
       "budget-impayes", "--date", "2015-03-10")  # fmt: skip
    ok(run, "objective", "set", case_id, "1", "--status", "non-atteint", "--date", "2015-09-01",
       "--note", "Reprise des impayés")  # fmt: skip
    out = ok(run, "show", case_id).replace("\n", " ")
    assert "Projet d'accompagnement : objectifs (confidentiel)" in out
    assert "Payer le loyer — Budget / impayés — non atteint le 01/09/2015" in " ".join(out.split())
    assert "Objectif 1 fixé" in out and "Reprise des impayés" in out
    earlier = " ".join(ok(run, "show", case_id, "--today", "2015-06-01").split())
    assert "en cours depuis le 10/03/2015" in earlier and "Reprise" not in earlier
    before = " ".join(ok(run, "show", case_id, "--today", "2015-03-09").split())
    assert "Payer le loyer" not in before
    shown = json.loads(ok(run, "show", case_id, "--json"))["case"]["objectives"]
    assert shown[0]["statuses"][-1] == {"date": "2015-09-01", "status": "non-atteint",
                                        "note": "Reprise des impayés"}  # fmt: skip


HAND_EDITED = """\
id: 2015-001
orientation_recue: {date: 2015-01-12, contexte: entree, prescripteur: Mme L}
menage: {nom: Famille Main, commune: Nantes}
adhesion: {date: 2015-01-20}
orientation: {date: 2015-03-10, vers: accompagnement}
accompagnement: {debut: 2015-03-10}
objectifs:
  - numero: 1
    texte: Payer le loyer
    statuts:
      - {date: 2015-05-01, statut: en-cours}
      - {date: 2015-04-01, statut: atteint}
  - numero: 1
    statuts:
      - {date: 2015-03-01, statut: fini}
"""


def test_check_reports_each_broken_objective_with_its_line(run, cases) -> None:
    (cases / "2015-001.yaml").write_text(HAND_EDITED, encoding="utf-8")
    result = run("check")
    assert result.code == 1
    assert "2015-001.yaml:15: statut : valeur « fini » inconnue" in result.out + result.err
    fixed = HAND_EDITED.replace("statut: fini", "statut: en-cours")
    (cases / "2015-001.yaml").write_text(fixed, encoding="utf-8")
    text = run("check").out + run("check").err
    assert "2015-001.yaml:12: objectif 1 : statut du 01/04/2015 avant le statut précédent" in text
    assert "2015-001.yaml:13: objectif numéro 1 en double" in text
    assert "2015-001.yaml:13: objectif 1 sans texte (clé texte)" in text
    assert "2015-001.yaml:15: objectif 1 : statut du 01/03/2015 avant le début" in text


def test_objectives_without_an_accompaniment_are_refused_by_check(run, cases) -> None:
    text = HAND_EDITED.split("orientation:")[0] + "objectifs:\n  - numero: 1\n    texte: x\n" \
        "    statuts: [{date: 2015-03-10, statut: en-cours}]\n"  # fmt: skip
    (cases / "2015-001.yaml").write_text(text, encoding="utf-8")
    result = run("check")
    assert result.code == 1
    assert "2015-001.yaml:5: objectifs sans accompagnement personnalisé" in result.out + result.err


# ---------------------------------------------------------------------------- anonymise


def test_anonymise_drops_the_texts_and_keeps_statuses_and_domains(run, cases) -> None:
    case_id = accompanied(run)
    ok(run, "objective", "add", case_id, "--text", "Payer le loyer de Mme Dupont", "--problem",
       "budget-impayes", "--date", "2015-03-10")  # fmt: skip
    ok(run, "objective", "set", case_id, "1", "--status", "atteint", "--date", "2015-09-01",
       "--note", "Grâce à sa sœur Nadia")  # fmt: skip
    ok(run, "close", case_id, "--date", "2015-10-01")
    before = Folder(cases).read(case_id).case
    ok(run, "anonymise", case_id, "--today", "2018-01-01", "--yes")
    text = (cases / f"{case_id}.yaml").read_text(encoding="utf-8")
    assert "Dupont" not in text and "Nadia" not in text
    (objective,) = Folder(cases).read(case_id).case.objectives
    assert objective.text is None and objective.statuses[-1].note is None
    assert objective.problem == "budget-impayes"
    assert [(s.date, s.status) for s in objective.statuses] == [
        (s.date, s.status) for s in before.objectives[0].statuses]  # fmt: skip
    assert run("check").code == 0
    assert "(texte anonymisé)" in ok(run, "show", case_id)


def test_anonymised_objectives_stay_valid_for_the_model_and_check() -> None:
    from visites.model import Objective, StatusChange

    case = Case.model_validate(casefile.tree(Case.model_validate({
        "id": "2015-009",
        "orientation_recue": {"date": "2015-01-02", "contexte": "entree", "prescripteur": "X"},
        "menage": {"nom": "Famille", "commune": "Nantes"},
        "adhesion": {"date": "2015-01-05"},
        "orientation": {"date": "2015-02-01", "vers": "accompagnement"},
        "accompagnement": {"debut": "2015-02-01"},
        "cloture": {"date": "2015-09-01"},
    })) | {"objectifs": [{"numero": 1, "texte": "T", "statuts": [
        {"date": "2015-02-01", "statut": "en-cours", "note": "N"},
        {"date": "2015-09-01", "statut": "abandonne"}]}]})  # fmt: skip
    done = privacy.anonymise(case, date(2018, 1, 1))
    assert done.objectives == (Objective(number=1, text=None, statuses=(
        StatusChange(date=date(2015, 2, 1), status="en-cours"),
        StatusChange(date=date(2015, 9, 1), status="abandonne"))),)  # fmt: skip
    parsed = casefile.parse(casefile.render_new(done).encode(), "x", Config())
    assert not parsed.errors


# ---------------------------------------------------------------------------- history


def test_the_history_names_objectives_by_number_and_statements_by_date(run, cases) -> None:
    case_id = accompanied(run)
    ok(run, "objective", "add", case_id, "--text", "Payer le loyer de Mme X", "--date",
       "2015-03-10")  # fmt: skip
    ok(run, "objective", "set", case_id, "1", "--status", "partiel", "--date", "2015-05-01")
    ok(run, "finances", case_id, "--date", "2015-05-02", "--arrears", "91 234")
    history = run("history", case_id)
    if history.code != 0:  # no git on this machine: nothing to show
        pytest.skip(history.err)
    assert "objectif 1 ajouté" in history.out
    assert "objectif 1 : partiellement atteint" in history.out
    assert "situation financière ajoutée (02/05/2015)" in history.out
    assert "Mme X" not in history.out and "91" not in history.out.replace("2015", "")


def test_objectives_added_on_two_clones_are_both_kept_by_a_merge() -> None:
    # Both numbered 2: `check` then refuses the merged file (objectif numéro 2 en double,
    # see test_check_reports_each_broken_objective_with_its_line) until someone renumbers.
    from visites.merge.casediff import merge

    base = {"objectifs": [{"numero": 1, "texte": "A", "statuts": [{"statut": "en-cours"}]}]}
    ours = {"objectifs": [*base["objectifs"], {"numero": 2, "texte": "B", "statuts": []}]}
    theirs = {"objectifs": [*base["objectifs"], {"numero": 2, "texte": "C", "statuts": []}]}
    merged = merge(base, ours, theirs)
    assert [o["texte"] for o in merged.tree["objectifs"]] == ["A", "B", "C"]  # nothing lost


# ---------------------------------------------------------------------------- documents


def test_the_projet_lists_the_objectives_for_the_household_to_sign(run, cases, tmp_path):
    case_id = accompanied(run)
    refused = run("document", case_id, "projet-accompagnement", "--date", "2015-03-10")
    assert refused.code == 1
    assert f"aucun objectif dans le projet d'accompagnement : visites objective add {case_id}" in (
        refused.err
    )
    ok(run, "objective", "add", case_id, "--text", "Payer le loyer courant", "--problem",
       "budget-impayes", "--date", "2015-03-10")  # fmt: skip
    ok(run, "objective", "add", case_id, "--text", "Chercher un emploi", "--date", "2015-03-10")
    ok(run, "objective", "set", case_id, "1", "--status", "atteint", "--date", "2015-06-01")
    text = ok(run, "document", case_id, "projet-accompagnement", "--date", "2015-05-01",
              "--preview")  # fmt: skip
    assert "Projet d'accompagnement personnalisé" in text and "Famille Projet" in text
    # As of the document's day: objective 1 was still in progress on 01/05.
    assert "**1.** Payer le loyer courant (Budget / impayés) – en cours" in text
    assert "**2.** Chercher un emploi – en cours" in text
    assert "(signature)" in text and "ne sont pas transmis au bailleur" in text
    later = ok(run, "document", case_id, "projet-accompagnement", "--date", "2015-06-02",
               "--preview")  # fmt: skip
    assert "Payer le loyer courant (Budget / impayés) – atteint le 01/06/2015" in later
    out = tmp_path / "projet.docx"
    ok(run, "document", case_id, "projet-accompagnement", "--date", "2015-06-02", "-o", str(out))
    events = Folder(cases).read(case_id).case.events
    assert events[-1].note == "document produit : projet-accompagnement"


def test_the_attestation_lists_the_objectives_worked_on(run, cases) -> None:
    case_id = accompanied(run)
    plain = ok(run, "document", case_id, "attestation-accompagnement", "--date", "2015-03-10",
               "--preview")  # fmt: skip
    assert "Objectifs travaillés" not in plain  # none yet: no empty heading
    ok(run, "objective", "add", case_id, "--text", "Payer le loyer courant", "--date", "2015-03-10")
    text = ok(run, "document", case_id, "attestation-accompagnement", "--date", "2015-04-01",
              "--preview")  # fmt: skip
    assert "Objectifs travaillés avec le ménage au cours de l'accompagnement :" in text
    assert "- Payer le loyer courant" in text


def test_a_landlord_document_never_sees_the_objectives(run, cases) -> None:
    case_id = accompanied(run)
    ok(run, "objective", "add", case_id, "--text", "Payer le loyer courant", "--date", "2015-03-10")
    template = cases / "templates" / "avis-bailleur.html"
    template.write_text(template.read_text(encoding="utf-8") + "\n<p>{{ objectifs }}</p>\n")
    result = run("document", case_id, "avis-bailleur", "--date", "2015-03-11", "--preview")
    assert result.code == 1
    assert "modèle avis-bailleur : variable inconnue « objectifs »" in result.err


def test_a_status_change_rewrites_only_its_lines_and_keeps_hand_comments(run, cases) -> None:
    case_id = accompanied(run)
    ok(run, "objective", "add", case_id, "--text", "Payer le loyer", "--date", "2015-03-10")
    path = cases / f"{case_id}.yaml"
    text = path.read_text(encoding="utf-8")
    commented = text.replace("    texte: Payer le loyer\n",
                             "    texte: Payer le loyer  # mot à mot\n")  # fmt: skip
    path.write_text(commented, encoding="utf-8")
    ok(run, "objective", "set", case_id, "1", "--status", "atteint", "--date", "2015-06-01")
    after = path.read_text(encoding="utf-8")
    assert "    texte: Payer le loyer  # mot à mot\n" in after
    added = [line for line in after.splitlines() if line not in commented.splitlines()]
    assert added == ["      - date: 2015-06-01", "        statut: atteint"]
