"""Who the programme reaches: the household's profile, the partners mobilised, « ménage déjà
connu », and the bilan's « Publics », through the CLI and the pure functions."""

from __future__ import annotations

import json
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
from privacy_support import (  # noqa: F401  (fixtures)
    FAR_FUTURE,
    LANDLORD_COMMANDS,
    MARKER,
    demo_fixture,
    demo_template_fixture,
    plant_folder,
)

from tests.conftest import Run, referral, snapshot
from visites import profile, publics
from visites.config import PARTNERS, TYPOLOGIES, Config
from visites.disclosure import NOT_GATHERED
from visites.errors import UsageProblem


def ok(run: Run, *args: str) -> str:
    result = run(*args)
    assert result.code == 0, (args, result.err)
    return result.out


def refused(run: Run, cases: Path, code: int, *args: str) -> str:
    """The command fails with `code`, says it in French, and changes no file."""
    before = snapshot(cases)
    result = run(*args)
    assert result.code == code, (args, result.out, result.err)
    assert "Traceback" not in result.err + result.out
    assert snapshot(cases) == before
    return result.err


def case_file(cases: Path, case_id: str) -> str:
    return (cases / f"{case_id}.yaml").read_text(encoding="utf-8")


def subjects(cases: Path) -> list[str]:
    log = subprocess.run(["git", "-C", str(cases), "log", "--format=%s"], capture_output=True,
                         text=True, check=True)  # fmt: skip
    return log.stdout.splitlines()


# ---------------------------------------------------------------------------- the lists


def test_the_default_lists_are_the_issues() -> None:
    lists = Config().lists
    assert lists.typologies == TYPOLOGIES == (
        "personne-seule", "couple-sans-enfant", "couple-avec-enfants", "famille-monoparentale",
        "autre",
    )  # fmt: skip
    assert lists.partners == PARTNERS
    assert set(PARTNERS) == {
        "CCAS", "CAF", "CPAM", "CMS", "france-travail", "mission-locale", "CMP", "PMI",
        "banque-de-france", "FSL", "association-tutelaire", "autre",
    }  # fmt: skip
    assert profile.PRIORITIES == ("dalo", "accord-collectif", "pdalpd")
    assert profile.HOUSING_TYPES == ("T1", "T2", "T3", "T4", "T5", "T6+")
    from visites.vocabulary import PARTNER_LABELS, PRIORITY_LABELS, TYPOLOGY_LABELS

    assert TYPOLOGY_LABELS["personne-seule"] == "personne seule"
    assert TYPOLOGY_LABELS["famille-monoparentale"] == "famille monoparentale"
    assert PARTNER_LABELS["CMP"] == "CMP / santé mentale"
    assert PARTNER_LABELS["banque-de-france"] == "Banque de France (surendettement)"
    assert PRIORITY_LABELS["aucun"] == "aucun public prioritaire"


def test_each_list_has_one_matching_function_that_names_the_values() -> None:
    lists = Config().lists
    assert profile.typology("famille-monoparentale", lists) == "famille-monoparentale"
    assert profile.partner("CAF", lists) == "CAF"
    assert profile.priority("pdalpd") == "pdalpd"
    assert profile.housing("T6+") == "T6+"
    with pytest.raises(UsageProblem, match="personne-seule, couple-sans-enfant"):
        profile.typology("celibataire", lists)
    assert profile.partner("caf", lists) == "CAF"  # matched as every list (visites.matching)
    assert profile.typology("Famille monoparentale", lists) == "famille-monoparentale"
    with pytest.raises(UsageProblem, match="--add « CAFF » : partenaire inconnu. Vouliez-vous"):
        profile.partner("CAFF", lists, "--add")
    with pytest.raises(UsageProblem, match="dalo, accord-collectif, pdalpd"):
        profile.priority("prioritaire")
    with pytest.raises(UsageProblem, match="T1, T2, T3, T4, T5, T6\\+"):
        profile.housing("T7")


@pytest.mark.parametrize(("size", "good"), [(0, False), (1, True), (20, True), (21, False)])
def test_household_size_is_one_to_twenty_persons(size: int, good: bool) -> None:
    if good:
        assert profile.size(size) == size
    else:
        with pytest.raises(UsageProblem, match="entre 1 et 20"):
            profile.size(size)


def test_no_priority_is_none_and_nothing_is_unknown() -> None:
    assert profile.priorities([], none=True) == ("aucun",)
    assert profile.priorities([], none=False) is None
    assert profile.priorities(["dalo", "pdalpd", "dalo"], none=False) == ("dalo", "pdalpd")
    with pytest.raises(UsageProblem, match="--no-priority ne va pas avec --priority"):
        profile.priorities(["dalo"], none=True)


# ---------------------------------------------------------------------------- the profile


def test_new_referral_records_the_profile_and_show_gives_it(run: Run, cases: Path) -> None:
    case_id = referral(run, typology="famille-monoparentale", size="3", housing="T3")
    text = case_file(cases, case_id)
    assert "typologie: famille-monoparentale" in text and "taille: 3" in text
    assert "logement: T3" in text and "publics_prioritaires" not in text  # not recorded
    shown = ok(run, "show", case_id)
    for words in ("Typologie", "famille monoparentale", "3 personnes", "T3 (3 pièces)"):
        assert words in shown
    result = run("new-referral", "--household", "Mme Deux", "--commune", "Nantes", "--context",
                 "entree", "--referrer", "Mme X", "--date", "2015-02-02", "--priority", "dalo",
                 "--priority", "pdalpd", "--json")  # fmt: skip
    assert result.code == 0, result.err
    created = json.loads(result.out)
    assert created["known_before"] == []
    assert "publics_prioritaires:\n    - dalo\n    - pdalpd\n" in case_file(cases, created["id"])


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (("--typology", "celibataire"), "--typology « celibataire » : typologie inconnue"),
        (("--size", "0"), "--size 0 : nombre de personnes du ménage entre 1 et 20"),
        (("--size", "21"), "entre 1 et 20"),
        (("--priority", "prioritaire"), "public prioritaire inconnu"),
        (("--priority", "dalo", "--no-priority"), "--no-priority ne va pas avec --priority"),
        (("--housing", "T7"), "type de logement inconnu ; valeurs possibles : T1, T2"),
    ],
)
def test_profile_values_out_of_bounds_are_refused_and_change_nothing(
    run: Run, cases: Path, flags: tuple[str, ...], message: str
) -> None:
    case_id = referral(run)
    assert message in refused(run, cases, 2, "household", case_id, *flags)
    args = ("new-referral", "--household", "Famille Y", "--commune", "Nantes", "--context",
            "entree", "--referrer", "Mme X", "--date", "2015-02-02", *flags)  # fmt: skip
    assert message in refused(run, cases, 2, *args)


def test_household_completes_and_corrects_the_profile_and_commits(run: Run, cases: Path) -> None:
    case_id = referral(run, "Famille Secrète", typology="personne-seule")
    assert "rien à enregistrer" in refused(run, cases, 2, "household", case_id)
    out = ok(run, "household", case_id, "--size", "4", "--priority", "dalo", "--housing", "T4")
    assert "personne seule, 4 personnes, éligible au DALO, T4 (4 pièces)" in out
    ok(run, "household", case_id, "--typology", "couple-avec-enfants")  # the rest is kept
    text = case_file(cases, case_id)
    assert "typologie: couple-avec-enfants" in text and "taille: 4" in text
    assert "    - dalo\n" in text
    ok(run, "household", case_id, "--no-priority")  # replaces the publics: recorded as none
    assert "publics_prioritaires:\n    - aucun\n" in case_file(cases, case_id)
    ok(run, "household", case_id, "--priority", "pdalpd", "--priority", "accord-collectif")
    assert "    - pdalpd\n    - accord-collectif\n" in case_file(cases, case_id)
    assert "aucun" not in case_file(cases, case_id)
    assert subjects(cases)[:4] == [f"{case_id}: profil du ménage"] * 4
    assert not [s for s in subjects(cases) if "Secrète" in s]


def test_the_typologies_come_from_the_settings(run: Run, cases: Path) -> None:
    settings = cases / "visites.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("               autre]", "               autre, "
                                     "famille-recomposee]"), encoding="utf-8")  # fmt: skip
    case_id = referral(run, typology="famille-recomposee")
    assert "typologie: famille-recomposee" in case_file(cases, case_id)
    assert ok(run, "check")
    # A hand-written typology out of the list is an error of `check`, with its line.
    path = cases / f"{case_id}.yaml"
    path.write_text(case_file(cases, case_id).replace("famille-recomposee", "tribu"))
    result = run("check")
    assert result.code == 1
    assert f"{path}:11: typologie « tribu » inconnue" in result.out + result.err


def keyed_prompt(answers: dict[str, list[str]], asked: list[str]) -> object:
    """A terminal that answers each question by how it starts (empty when not listed), and
    confirms the summary."""

    def prompt(question: str, **_: object) -> str:
        asked.append(question)
        assert len(asked) < 40, asked  # a question asked again and again
        if question.startswith("Créer le dossier"):
            return "o"
        return next((a.pop(0) for q, a in answers.items() if question.startswith(q) and a), "")

    return prompt


def test_new_referral_asks_the_profile_on_a_terminal(run: Run, cases: Path, monkeypatch) -> None:
    answers = {
        "Contexte": ["en-cours"], "Prescripteur": ["M. Prescripteur"],
        "Commune": ["Saint-Nazaire"],  # the required values
        "Typologie du ménage": ["célibataire", "personne seule"],  # out of the list: again
        "Nombre de personnes": ["0", "deux", "1"],  # so is a size out of bounds, or no number
        "Publics prioritaires": ["dalo aucun", "dalo, pdalpd"],  # several on one line
        "Type de logement": [""],  # housing: not recorded
    }  # fmt: skip
    asked: list[str] = []
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    monkeypatch.setattr("typer.prompt", keyed_prompt(answers, asked))
    result = run("new-referral", "--household", "Famille Essai", "--date", "2015-02-01")
    assert result.code == 0, result.err
    assert not any(answers.values())  # every answer was read
    profile = [q for q in asked if q.startswith(("Typologie", "Nombre", "Publics", "Type de"))]
    assert profile[0].startswith("Typologie du ménage (personne-seule, couple-sans-enfant")
    assert profile[2].startswith("Nombre de personnes du ménage (1 à 20")
    assert profile[5].startswith("Publics prioritaires (dalo, accord-collectif, pdalpd, ou aucun")
    assert profile[7].startswith("Type de logement (T1, T2, T3, T4, T5, T6+")
    assert "typologie inconnue" in result.err and "entre 1 et 20" in result.err
    assert "  « célibataire » : typologie inconnue ; valeurs possibles" in result.err
    assert "  0 : nombre de personnes du ménage entre 1 et 20" in result.err
    assert "  « aucun » ne va pas avec un public prioritaire" in result.err
    assert "erreur" not in result.err and "--size" not in result.err  # asked, not typed
    text = case_file(cases, "2015-001")
    assert "typologie: personne-seule" in text and "taille: 1" in text
    assert "    - dalo\n    - pdalpd\n" in text and "logement" not in text


def test_profile_options_given_are_not_asked(run: Run, cases: Path, monkeypatch) -> None:
    answers = {"Contexte": ["entree"], "Prescripteur": ["Mme X"], "Commune": ["Nantes"],
               "Publics prioritaires": ["aucun"]}  # fmt: skip
    asked: list[str] = []
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    monkeypatch.setattr("typer.prompt", keyed_prompt(answers, asked))
    result = run("new-referral", "--household", "Famille Essai", "--typology", "autre",
                 "--size", "6", "--housing", "T5", "--date", "2015-02-01")  # fmt: skip
    assert result.code == 0, result.err
    assert not any(answers.values())
    assert not any(q.startswith(("Typologie", "Nombre", "Type de")) for q in asked)
    text = case_file(cases, "2015-001")
    assert "typologie: autre" in text and "taille: 6" in text and "logement: T5" in text
    assert "    - aucun\n" in text


def fiche(cases: Path, **profile_lines: str) -> str:
    """The shipped form, filled in, with the profile lines given."""
    form = (cases / "templates" / "fiche-de-liaison.yaml").read_text(encoding="utf-8")
    values = {"  date:": "2015-02-02", "  contexte:": "en-cours", "  prescripteur:": "M. X",
              "  nom:": "Famille Fiche", "  commune:": "Rezé",
              **{f"  {key}:": value for key, value in profile_lines.items()}}  # fmt: skip
    lines = []
    for line in form.splitlines():
        for key, value in values.items():
            if line.startswith(key + " ") or line == key:
                line = f"{key} {value}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def test_the_fiche_de_liaison_takes_the_profile(run: Run, cases: Path, tmp_path: Path) -> None:
    form = (cases / "templates" / "fiche-de-liaison.yaml").read_text(encoding="utf-8")
    for key in ("typologie:", "taille:", "publics_prioritaires:", "logement:"):
        assert f"\n  {key}" in form
    good = tmp_path / "fiche.yaml"
    good.write_text(fiche(cases, typologie="couple-sans-enfant", taille="2",
                          publics_prioritaires="[accord-collectif]", logement="T2"))  # fmt: skip
    assert ok(run, "new-referral", "--from", str(good)).strip() == "2015-001"
    text = case_file(cases, "2015-001")
    assert "typologie: couple-sans-enfant" in text and "taille: 2" in text
    assert "accord-collectif" in text and "logement: T2" in text
    for key, value, message in (
        ("taille", "25", "taille : valeur trop grande (au plus 20)"),
        ("logement", "T9", "type de logement « T9 » inconnu ; valeurs possibles : T1, T2,"),
        ("publics_prioritaires", "[DALLO]", "public prioritaire « DALLO » inconnu. Vouliez-vous"),
        ("typologie", "tribu", "typologie « tribu » inconnue"),
        ("publics_prioritaires", "[dalo, aucun]", "« aucun » public prioritaire ne va pas"),
    ):
        bad = tmp_path / f"bad-{key}.yaml"
        bad.write_text(fiche(cases, **{key: value}))
        line = next(n for n, text in enumerate(bad.read_text().splitlines(), 1)
                    if text.startswith(f"  {key}:"))  # fmt: skip
        assert f"{bad}:{line}: {message}" in refused(run, cases, 1, "new-referral", "--from",
                                                     str(bad))  # fmt: skip


def test_the_fiche_matches_the_profile_as_the_command_line_does(
    run: Run, cases: Path, tmp_path: Path
) -> None:
    typed = tmp_path / "fiche.yaml"
    typed.write_text(fiche(cases, typologie="Couple sans enfant", logement="t6+",
                           publics_prioritaires="[DALO, Public du PDALPD]"))  # fmt: skip
    assert ok(run, "new-referral", "--from", str(typed)).strip() == "2015-001"
    text = case_file(cases, "2015-001")
    assert "typologie: couple-sans-enfant" in text and "logement: T6+" in text
    assert "  publics_prioritaires:\n    - dalo\n    - pdalpd\n" in text
    assert run("check").code == 0


# ---------------------------------------------------------------------------- the partners


def test_partners_are_dated_from_add_to_end_and_repeatable(run: Run, cases: Path) -> None:
    case_id = referral(run, "Famille Réseau", "2015-01-12")
    out = ok(run, "partner", case_id, "--add", "CAF", "--date", "20/01/2015", "--note",
             "Dossier APL.")  # fmt: skip
    assert out.strip() == f"Dossier {case_id} : partenaire CAF mobilisé depuis le 20/01/2015."
    ok(run, "partner", case_id, "--add", "CMP", "--date", "2015-02-01")
    out = ok(run, "partner", case_id, "--end", "CAF", "--date", "2015-03-01")
    assert "fin du suivi par CAF le 01/03/2015" in out
    ok(run, "partner", case_id, "--add", "CAF", "--date", "2015-03-01")  # again, the same day
    text = case_file(cases, case_id)
    assert text.count("- partenaire: CAF") == 2 and "fin: 2015-03-01" in text
    assert "note: Dossier APL." in text
    shown = ok(run, "show", case_id)
    assert "Partenaires mobilisés (confidentiel)" in shown
    assert "du 20/01/2015 au 01/03/2015 — Dossier APL." in shown
    assert "CMP / santé mentale" in shown and "depuis le 01/02/2015" in shown
    assert subjects(cases)[:4] == [  # newest first
        f"{case_id}: partenaire CAF : début", f"{case_id}: partenaire CAF : fin",
        f"{case_id}: partenaire CMP : début", f"{case_id}: partenaire CAF : début",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ("--add", "CAF", "--date", "2015-01-25"),
            1,
            "déjà mobilisé depuis le 20/01/2015 (en cours) ; un seul suivi à la fois",
        ),
        (
            ("--end", "CAF", "--date", "2015-01-19"),
            1,
            "fin (19/01/2015) avant le début (20/01/2015)",
        ),
        (("--end", "CCAS", "--date", "2015-02-01"), 1, "aucun suivi CCAS en cours"),
        (
            ("--add", "CCAS", "--date", "2015-01-05"),
            1,
            "début (05/01/2015) avant l'orientation reçue (12/01/2015)",
        ),
        (("--add", "CCAS", "--date", "2099-01-01"), 2, "--date : le 01/01/2099 est dans le futur"),
        (("--add", "Z"), 2, "--add « Z » : partenaire inconnu ; valeurs possibles : CCAS, CAF"),
        (("--add", "CAF", "--end", "CAF"), 2, "--add PARTENAIRE ou --end PARTENAIRE"),
        ((), 2, "--add PARTENAIRE ou --end PARTENAIRE"),
        (("--end", "CAF", "--note", "x"), 2, "--note va avec --add"),
        (("--add", "CCAS", "--date", "2015-13-01"), 2, "--date"),
    ],
)
def test_wrong_partner_moves_are_refused_and_change_nothing(
    run: Run, cases: Path, args: tuple[str, ...], code: int, message: str
) -> None:
    case_id = referral(run, date="2015-01-12")
    ok(run, "partner", case_id, "--add", "CAF", "--date", "2015-01-20")
    err = refused(run, cases, code, "partner", case_id, *args)
    assert message in err, err


def test_partners_stay_within_the_life_of_the_case(run: Run, cases: Path) -> None:
    case_id = referral(run, date="2015-01-12")
    ok(run, "consent", case_id, "--date", "2015-01-20")
    ok(run, "partner", case_id, "--add", "CCAS", "--date", "2015-01-25")
    ok(run, "orient", case_id, "--to", "sans-suite", "--date", "2015-03-01")  # closes the case
    err = refused(run, cases, 1, "partner", case_id, "--add", "CAF", "--date", "2015-03-02")
    assert "date (02/03/2015) après la clôture du dossier (01/03/2015)" in err
    assert "après la clôture" in refused(run, cases, 1, "partner", case_id, "--end", "CCAS",
                                         "--date", "2015-04-01")  # fmt: skip
    # Recorded afterwards, within the case's life: fine on a closed case.
    ok(run, "partner", case_id, "--add", "CAF", "--date", "2015-02-10")
    ok(run, "partner", case_id, "--end", "CCAS", "--date", "2015-03-01")
    assert "jusqu'à la clôture du dossier" in ok(run, "show", case_id)  # CAF, left open


def test_an_event_may_name_a_partner(run: Run, cases: Path, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # the timeline on one line
    case_id = referral(run, date="2015-01-12")
    ok(run, "partner", case_id, "--add", "CAF", "--date", "2015-01-20")
    result = run("event", case_id, "--kind", "telephone", "--partner", "CAF", "--date",
                 "2015-01-22", "--note", "Point APL.")  # fmt: skip
    assert result.code == 0 and result.err == ""
    assert "    partenaire: CAF\n" in case_file(cases, case_id)
    assert "Appel téléphonique avec CAF" in ok(run, "show", case_id)
    # A partner not mobilised that day: recorded, with a warning, here and in `check`.
    result = run("event", case_id, "--kind", "courrier", "--partner", "CMP", "--date",
                 "2015-01-23")  # fmt: skip
    assert result.code == 0
    assert "CMP / santé mentale n'est pas noté comme partenaire mobilisé" in result.err
    assert "avec CMP, qui n'est pas mobilisé ce jour-là" in run("check").err
    err = refused(run, cases, 2, "event", case_id, "--kind", "visite", "--partner", "Mairie")
    assert "--partner « Mairie » : partenaire inconnu" in err
    assert [e["partner"] for e in json.loads(ok(run, "show", case_id, "--json"))["case"]
            ["events"]] == ["CAF", "CMP"]  # fmt: skip


def test_show_on_a_past_day_knows_only_the_partners_of_that_day(run: Run, cases: Path) -> None:
    case_id = referral(run, date="2015-01-12")
    ok(run, "partner", case_id, "--add", "CAF", "--date", "2015-01-20")
    ok(run, "partner", case_id, "--end", "CAF", "--date", "2015-03-01")
    ok(run, "partner", case_id, "--add", "CCAS", "--date", "2015-04-01")
    in_february = ok(run, "show", case_id, "--today", "2015-02-15")
    assert "depuis le 20/01/2015" in in_february and "CCAS" not in in_february
    assert "CCAS" in ok(run, "show", case_id, "--today", "2015-04-01")


# ---------------------------------------------------------------------------- tableau de suivi


def test_the_suivi_shows_the_profile_only_with_the_consent_to_exchanges(
    run: Run, cases: Path, tmp_path: Path
) -> None:
    import csv
    import io

    shared = referral(run, "Famille Oui", typology="personne-seule", size="1", housing="T1")
    ok(run, "household", shared, "--priority", "dalo")
    ok(run, "consent", shared, "--date", "2015-01-20", "--share")
    ok(run, "partner", shared, "--add", "CMP", "--date", "2015-01-21", "--note", "Santé.")
    kept = referral(run, "Famille Non", typology="couple-sans-enfant", size="2", housing="T2")
    ok(run, "consent", kept, "--date", "2015-01-20")  # no consent to exchanges
    out = tmp_path / "suivi.csv"
    ok(run, "export", "suivi", "--output", str(out))
    rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig")), delimiter=";"))
    by_id = {row["Dossier"]: row for row in rows}
    assert (by_id[shared]["Typologie du ménage"], by_id[shared]["Taille du ménage"],
            by_id[shared]["Publics prioritaires"], by_id[shared]["Logement"]) == (
        "personne seule", "1", "éligible au DALO", "T1 (1 pièce)")  # fmt: skip
    columns = ("Typologie du ménage", "Taille du ménage", "Publics prioritaires", "Logement")
    assert [by_id[kept][column] for column in columns] == [NOT_GATHERED] * 4
    text = out.read_bytes().decode("utf-8-sig")
    assert "CMP" not in text and "Santé" not in text  # partners are never in it
    # The consent as it stood on the table's day: before it was given, nothing.
    early = tmp_path / "early.csv"
    ok(run, "export", "suivi", "--output", str(early), "--today", "2015-01-19")
    assert "personne seule" not in early.read_bytes().decode("utf-8-sig")


def test_the_profile_columns_are_shown_with_the_consent_to_share_only() -> None:
    """The one disclosure table decides: the profile's fields are shareable, not known."""
    from visites.disclosure import LANDLORD_COLUMNS, Audience, audience

    profile = {"typology", "size", "priorities", "housing"}
    assert {c.key for c in LANDLORD_COLUMNS if audience(c) is Audience.CONSENT} >= profile


# ---------------------------------------------------------------------------- déjà connu


def closed(run: Run, household: str, when: str, closing: str, **extra: str) -> str:
    case_id = referral(run, household, when, **extra)
    ok(run, "consent", case_id, "--date", when)
    ok(run, "orient", case_id, "--to", "sans-suite", "--date", closing)
    return case_id


def test_a_household_already_known_is_said_recorded_and_shown(run: Run, cases: Path) -> None:
    earlier = closed(run, "Famille Le Guérec", "2014-06-02", "2014-11-03",
                     landlord_ref="LOG-44-00777", address="12 rue des Olivettes")  # fmt: skip
    ok(run, "status")  # the index now holds the closed case
    # Same lease, written otherwise, and another spelling of the name.
    result = run("new-referral", "--household", "Mme Le Guerec", "--commune", "Nantes",
                 "--context", "en-cours", "--referrer", "Mme X", "--date", "2015-02-02",
                 "--landlord-ref", "log 44 00777", "--json")  # fmt: skip
    assert result.code == 0, result.err
    created = json.loads(result.out)
    assert (f"avertissement : dossier {created['id']} : ménage déjà connu : dossier {earlier}, "
            "clôturé le 03/11/2014") in result.err  # fmt: skip
    assert created["known_before"] == [{"id": earlier, "closed_on": "2014-11-03"}]
    assert f"deja_connu:\n  - dossier: {earlier}\n    cloture: 2014-11-03\n" in case_file(
        cases, created["id"])  # fmt: skip
    assert f"Ménage déjà connu           dossier {earlier}, clôturé le 03/11/2014" in ok(
        run, "show", created["id"])  # fmt: skip
    assert "Le Gu" not in " ".join(subjects(cases))


def test_same_name_and_address_compared_without_case_accents_or_spaces(run: Run, cases) -> None:
    earlier = closed(run, "Famille Le Guérec", "2015-01-05", "2015-02-01",
                     address="12, rue des Olivettes")  # fmt: skip
    found = run("new-referral", "--household", "famille  le guerec", "--commune", "Nantes",
                "--context", "entree", "--referrer", "X", "--date", "2015-03-02", "--address",
                "12 Rue des OLIVETTES")  # fmt: skip
    assert f"ménage déjà connu : dossier {earlier}, clôturé le 01/02/2015" in found.err
    elsewhere = run("new-referral", "--household", "Famille Le Guérec", "--commune", "Nantes",
                    "--context", "entree", "--referrer", "X", "--date", "2015-03-02",
                    "--address", "3 rue Haute")  # fmt: skip
    assert "déjà connu" not in elsewhere.err  # same name, another home: another household
    nameless = run("new-referral", "--household", "Famille Autre", "--commune", "Nantes",
                   "--context", "entree", "--referrer", "X", "--date", "2015-03-02",
                   "--address", "12 rue des Olivettes")  # fmt: skip
    assert "déjà connu" not in nameless.err


def test_only_a_closed_case_makes_a_household_known(run: Run, cases: Path, tmp_path) -> None:
    referral(run, "Famille Ouverte", "2015-01-05", landlord_ref="LOG-1")  # still open
    again = run("new-referral", "--household", "Famille Ouverte", "--commune", "Nantes",
                "--context", "entree", "--referrer", "X", "--date", "2015-03-02",
                "--landlord-ref", "LOG-1")  # fmt: skip
    assert again.code == 0 and "déjà connu" not in again.err
    # Through a fiche de liaison too, said and recorded.
    earlier = closed(run, "Famille Fiche", "2015-01-06", "2015-01-30", landlord_ref="LOG-F")
    fiche_path = tmp_path / "fiche.yaml"
    fiche_path.write_text(fiche(cases, reference_bailleur="LOG-F"))
    result = run("new-referral", "--from", str(fiche_path))
    assert result.code == 0, result.err
    created = result.out.strip()
    assert f"dossier: {earlier}" in case_file(cases, created)
    assert f"ménage déjà connu : dossier {earlier}, clôturé le 30/01/2015" in result.err


def test_identity_keys_ignore_case_accents_spaces_and_punctuation() -> None:
    from visites.known import Identity, normalised

    assert normalised("  Famille LE  Guérec, ") == "famille le guerec"
    assert normalised("—") is None and normalised(None) is None
    one = Identity.of("LOG-44-1", "Famille Éa", "1 rue A")
    assert one.same_household(Identity.of("log 44 1", "Autre", None))
    assert one.same_household(Identity.of(None, "famille ea", "1, Rue a"))
    assert not one.same_household(Identity.of(None, "famille ea", None))
    assert not Identity.of(None, None, None).same_household(Identity.of(None, None, None))


# ---------------------------------------------------------------------------- the bilan


def hand_worked_year(run: Run) -> dict[str, str]:
    """Nine households, worked out by hand in `test_publics_json_counted_by_hand`."""
    ids: dict[str, str] = {}

    def new(letter: str, when: str, *flags: str) -> str:
        ids[letter] = ok(run, "new-referral", "--household", f"Ménage {letter}", "--commune",
                         "Nantes", "--context", "entree", "--referrer", "Mme X", "--date",
                         when, *flags).strip()  # fmt: skip
        return ids[letter]

    # P2: 2014, closed 03/11/2014; CCAS until the closure: not active in 2015.
    p2 = new("P2", "2014-06-02", "--landlord-ref", "LOG-44-777")
    ok(run, "consent", p2, "--date", "2014-06-10")
    ok(run, "partner", p2, "--add", "CCAS", "--date", "2014-07-01")
    ok(run, "orient", p2, "--to", "sans-suite", "--date", "2014-11-03")
    # P1: referred in 2014, still open; CAF since 01/12/2014: active in 2015.
    p1 = new("P1", "2014-11-03")
    ok(run, "partner", p1, "--add", "CAF", "--date", "2014-12-01")
    a = new("A", "2015-01-12", "--typology", "personne-seule", "--size", "1", "--priority",
            "dalo", "--housing", "T1")  # fmt: skip
    ok(run, "partner", a, "--add", "CAF", "--date", "2015-01-20")
    ok(run, "partner", a, "--end", "CAF", "--date", "2015-03-01")
    ok(run, "partner", a, "--add", "CAF", "--date", "2015-04-01")  # twice: one household
    ok(run, "partner", a, "--add", "CCAS", "--date", "2015-02-01")
    b = new("B", "2015-02-02", "--typology", "famille-monoparentale", "--size", "3",
            "--priority", "dalo", "--priority", "pdalpd", "--housing", "T3")  # fmt: skip
    ok(run, "partner", b, "--add", "CMP", "--date", "2015-03-01")
    ok(run, "partner", b, "--end", "CMP", "--date", "2015-05-01")
    c = new("C", "2015-03-02", "--typology", "famille-monoparentale", "--size", "2",
            "--no-priority", "--housing", "T2")  # fmt: skip
    ok(run, "partner", c, "--add", "CAF", "--date", "2015-12-31")  # the last day counts
    new("D", "2015-04-01", "--typology", "couple-avec-enfants", "--size", "5", "--priority",
        "accord-collectif", "--housing", "T4")  # fmt: skip
    e = new("E", "2015-05-04")  # nothing recorded
    ok(run, "partner", e, "--add", "FSL", "--date", "2015-05-10")
    new("F", "2015-06-01", "--typology", "couple-sans-enfant", "--size", "2")
    profile_g = ("--typology", "autre", "--size", "4", "--priority", "pdalpd", "--housing", "T6+")
    new("G", "2015-07-01", *profile_g, "--landlord-ref", "LOG 44 777")  # P2's lease: known
    h = new("H", "2016-01-04", "--typology", "personne-seule", "--size", "1")  # next year
    ok(run, "partner", h, "--add", "CAF", "--date", "2016-01-10")
    return ids


def test_publics_json_counted_by_hand(run: Run, cases: Path) -> None:
    ids = hand_worked_year(run)
    result = run("bilan", "2015", "--json")
    assert result.code == 0, result.err
    p = json.loads(result.out)["publics"]
    # Referred in 2015: A B C D E F G = 7 (P1, P2 in 2014; H in 2016).
    assert p["households"] == 7
    # personne seule A; couple sans enfant F; couple avec enfants D; famille monoparentale
    # B C; autre G; nothing recorded E.
    assert p["typology"] == {"personne-seule": 1, "couple-sans-enfant": 1,
                             "couple-avec-enfants": 1, "famille-monoparentale": 2, "autre": 1,
                             "unknown": 1}  # fmt: skip
    # Sizes A 1, B 3, C 2, D 5, F 2, G 4 (E unknown): 17 / 6 = 2.83 → 2.8; median of
    # 1 2 2 3 4 5 = 2.5.
    assert p["size"] == {"mean": 2.8, "median": 2.5}
    # dalo A B; accord-collectif D; pdalpd B G (B counts twice); none C; unknown E F.
    assert p["priority"] == {"dalo": 2, "accord-collectif": 1, "pdalpd": 2, "none": 1,
                             "unknown": 2}  # fmt: skip
    # T1 A; T2 C; T3 B; T4 D; T6+ G; unknown E F.
    assert p["housing"] == {"T1": 1, "T2": 1, "T3": 1, "T4": 1, "T5": 0, "T6+": 1,
                            "unknown": 2}  # fmt: skip
    # Active in 2015: CAF P1 (referred in 2014), A (twice, one household), C (from 31/12);
    # CCAS A (P2's ended at its closure in 2014); CMP B; FSL E. H's CAF starts in 2016.
    assert p["partners"] == {"CAF": 3, "CCAS": 1, "CMP": 1, "FSL": 1}
    assert list(p["partners"]) == ["CAF", "CCAS", "CMP", "FSL"]  # most first, then list order
    # G has P2's lease, closed 03/11/2014.
    assert p["known_before"] == 1
    assert list(p) == ["households", "typology", "size", "priority", "housing", "partners",
                       "known_before"]  # fmt: skip
    assert f"dossier: {ids['P2']}" in case_file(cases, ids["G"])
    # A bilan in progress: cut at 30/04/2015, C's CAF (31/12) and later households are not
    # known yet.
    april = json.loads(ok(run, "bilan", "2015", "--json", "--today", "2015-04-30"))["publics"]
    assert april["households"] == 4 and april["partners"] == {"CAF": 2, "CCAS": 1, "CMP": 1}
    # 2014: P1 and P2; CCAS P2 (July to November), CAF P1 (from December).
    y2014 = json.loads(ok(run, "bilan", "2014", "--json"))["publics"]
    assert y2014["households"] == 2 and y2014["partners"] == {"CCAS": 1, "CAF": 1}
    assert y2014["typology"]["unknown"] == 2 and y2014["size"] == {"mean": None, "median": None}


def test_every_format_shows_the_publics(run: Run, cases: Path, tmp_path: Path) -> None:
    hand_worked_year(run)
    terminal = ok(run, "bilan", "2015")
    for words in ("Publics", "Typologie des ménages", "famille monoparentale", "Publics "
                  "prioritaires", "éligible au DALO", "Typologie des logements", "T6 ou plus",
                  "Partenaires mobilisés", "CMP / santé mentale", "déjà connus"):  # fmt: skip
        assert words in terminal, words
    for suffix in ("md", "html", "csv", "xlsx"):
        ok(run, "bilan", "2015", "--output", str(tmp_path / f"bilan.{suffix}"))
    markdown = (tmp_path / "bilan.md").read_text().replace("\u00a0", " ")
    assert "\n# Publics\n" in markdown
    assert re.search(r"\| aucun public prioritaire +\| +1 \|", markdown)
    page = (tmp_path / "bilan.html").read_text()
    assert '<section class="publics">' in page and "Ménages de 2015 par typologie" in page
    assert "Partenaires mobilisés" in page and "CMP / santé mentale" in page
    rows = (tmp_path / "bilan.csv").read_bytes().decode("utf-8-sig").splitlines()
    assert "Typologie des ménages;famille monoparentale;2" in rows
    assert "Partenaires mobilisés;CAF;3" in rows
    assert "Ménages de l'année;dont ménages déjà connus du programme;1" in rows
    from openpyxl import load_workbook

    cells = [c.value for row in load_workbook(tmp_path / "bilan.xlsx")["Bilan 2015"].iter_rows()
             for c in row]  # fmt: skip
    assert "Publics prioritaires" in cells and "aucun public prioritaire" in cells


def test_publics_of_no_household_are_zeros_and_unknowns() -> None:
    got = publics.publics([], 2015, date(2015, 12, 31), Config().lists)
    assert got.households == 0 and got.partners == {} and got.known_before == 0
    assert got.size == publics.Size(None, None)
    assert set(got.priority) == {"dalo", "accord-collectif", "pdalpd", "none", "unknown"}


# ---------------------------------------------------------------------------- privacy


def test_no_partner_nor_note_reaches_a_landlord_output(run: Run, demo: Path, tmp_path) -> None:
    from visites.store import Folder

    markers = plant_folder(demo)
    cases = Folder(demo).load_all().cases
    planted = {p.partner for c in cases for p in c.partners} | {
        p.note for c in cases for p in c.partners if p.note
    } | {e.partner for c in cases for e in c.events if e.partner}  # fmt: skip
    assert len(planted) >= 10 and all(value.startswith(MARKER) for value in planted)
    assert any(c.partners for c in cases if c.adhesion and c.adhesion.consent_to_share)
    # The association's own view shows them…
    shown = "".join(ok(run, "show", c.id) for c in cases)
    assert sum(value in shown for value in planted) == len(planted)
    # …no output for the landlord does. The bilan counts households per partner (a code a
    # row of counts, never next to a household): the involvements' codes may be there.
    counted = {p.partner for c in cases for p in c.partners}
    outputs = []
    for command in LANDLORD_COMMANDS:
        result = run(*command)
        assert result.code == 0, (command, result.err)
        text = result.out + result.err
        outputs.append((command, text))
    for fmt in ("csv", "xlsx"):
        out = tmp_path / f"suivi.{fmt}"
        ok(run, "export", "suivi", "--output", str(out))
        raw = out.read_bytes()
        if fmt == "xlsx":
            from openpyxl import load_workbook

            raw = "\n".join(str(c.value) for r in load_workbook(out).active.iter_rows()
                            for c in r).encode()  # fmt: skip
        outputs.append((["export", "suivi", fmt], raw.decode("utf-8-sig")))
    for command, text in outputs:
        allowed = counted if command[0] == "bilan" else set()
        leaked = [value for value in planted - allowed if value in text]
        assert leaked == [], (command, leaked)
    assert any(code in text for command, text in outputs if command[0] == "bilan"
               for code in counted)  # fmt: skip
    assert len(markers) >= len(planted)


def test_anonymise_keeps_the_publics_byte_for_byte(run: Run, demo: Path, tmp_path) -> None:
    from visites.store import Folder

    before = {c.id: c for c in Folder(demo).load_all().cases}
    commands = [("bilan", "2015", "--json"), ("bilan", "2015", "--format", "md"),
                ("bilan", "2015", "--format", "csv")]  # fmt: skip
    outputs = [ok(run, *command) for command in commands]
    publics_2015 = json.loads(outputs[0])["publics"]
    assert publics_2015["known_before"] == 1 and publics_2015["partners"]
    assert publics_2015["typology"]["unknown"] < publics_2015["households"]
    ok(run, "anonymise", "--due", "--today", FAR_FUTURE, "--yes")
    after = {c.id: c for c in Folder(demo).load_all().cases}
    anonymised = [case_id for case_id, c in after.items() if c.anonymised_on]
    with_partners = [i for i in anonymised if before[i].partners]
    assert with_partners and any(p.note for i in with_partners for p in before[i].partners)
    assert [ok(run, *command) for command in commands] == outputs  # the same bytes
    for case_id in with_partners:
        kept = [(p.partner, p.start, p.end) for p in after[case_id].partners]
        assert kept == [(p.partner, p.start, p.end) for p in before[case_id].partners]
        assert all(p.note is None for p in after[case_id].partners)
        assert "note:" not in case_file(demo, case_id).split("partenaires:")[1].split(
            "evenements:")[0]  # fmt: skip
    for case_id in anonymised:
        h, was = after[case_id].household, before[case_id].household
        assert (h.typology, h.size, h.priorities, h.housing) == (
            was.typology, was.size, was.priorities, was.housing)  # fmt: skip


def test_the_demo_fills_the_profile_and_the_partners(tmp_path: Path, capsys) -> None:
    from visites.cli import main

    folder = tmp_path / "demo"
    assert main(["demo", str(folder), "--households", "240", "--years", "2015-2016"]) == 0
    capsys.readouterr()
    assert main(["--cases", str(folder), "bilan", "2016", "--json"]) == 0
    p = json.loads(capsys.readouterr().out)["publics"]
    assert p["households"] == 120
    # Plausible shares: every typology, a few not recorded, most households profiled.
    assert all(p["typology"][code] for code in TYPOLOGIES)
    assert 0 < p["typology"]["unknown"] < 0.1 * p["households"]
    assert p["priority"]["pdalpd"] > p["priority"]["dalo"] > 0 and p["priority"]["none"] > 0
    assert 0 < p["priority"]["unknown"] < 0.2 * p["households"]
    assert 1.5 < p["size"]["mean"] < 4 and p["housing"]["T2"] and p["housing"]["T4"]
    assert len(p["partners"]) >= 8 and p["partners"]["CAF"] > p["partners"].get("CMP", 0)
    assert p["known_before"] >= 1
    texts = [path.read_text() for path in folder.glob("20*.yaml")]
    assert sum("partenaires:" in text for text in texts) > len(texts) // 2
    assert any("    partenaire: " in text for text in texts)  # calls with a partner
    assert sum("deja_connu:" in text for text in texts) >= 2
