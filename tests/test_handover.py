"""Handing cases over through the CLI: one case, a caseload (dry run, confirmation, --yes),
a cover during a leave, closed cases left alone, names checked, the dated list of
référent(e)s in show, history, status and costs, and two clones handing the same case over."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Outcome, Run, referral, snapshot

from visites.cli import main

TEAM = ["Claire Dubois", "Karim Benali", "Sophie Martin"]


def git(folder: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True,
                          check=True, env={**os.environ, "LC_ALL": "C"})  # fmt: skip
    return done.stdout


def subjects(folder: Path) -> list[str]:
    return git(folder, "log", "--format=%s").splitlines()


@pytest.fixture
def team(cases: Path) -> Path:
    """The folder with its list of référent(e)s filled in and committed."""
    settings = cases / "visites.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("  referents: []", f"  referents: [{', '.join(TEAM)}]"))
    git(cases, "-c", "user.name=Poste", "-c", "user.email=p@example.org",
        "commit", "-qam", "réglages : référent(e)s")  # fmt: skip
    return cases


def case_of(run: Run, case_id: str) -> dict:
    shown = run("show", case_id, "--json")
    assert shown.code == 0, shown.err
    return json.loads(shown.out)["case"]


def status_ids(run: Run, *args: str) -> list[str]:
    result = run("status", "--json", *args)
    assert result.code == 0, result.err
    return [row["id"] for row in json.loads(result.out)]


def accompanied(run: Run, referent: str, household: str = "Famille Essai") -> str:
    """A case in accompaniment since 10/03/2015, adhesion on 20/01/2015."""
    case_id = referral(run, household=household, referent=referent)
    assert run("consent", case_id, "--date", "2015-01-20").code == 0
    assert run("orient", case_id, "--to", "accompagnement", "--date", "2015-03-10").code == 0
    return case_id


# ---------------------------------------------------------------------------- one case


def test_one_case_handed_over_records_who_from_when_and_the_previous_one(
    run: Run, team: Path
) -> None:
    case_id = referral(run, referent="Claire Dubois")
    before = (team / f"{case_id}.yaml").read_text()
    result = run("referent", case_id, "Karim Benali", "--date", "01/03/2015",
                 "--note", "Départ de Claire")  # fmt: skip
    assert result.code == 0, result.err
    assert result.out == (
        f"Dossier {case_id} : Karim Benali référent(e) depuis le 01/03/2015 "
        "(avant : Claire Dubois).\n"
    )
    text = (team / f"{case_id}.yaml").read_text()
    # Only lines added: the first référent(e) stays, the dated list and the event follow.
    assert text.startswith(before.split("evenements:")[0].split("referent: Claire Dubois")[0])
    assert "referent: Claire Dubois\nreferents:\n" in text
    assert "  - {nom: Karim Benali, depuis: 2015-03-01, note: Départ de Claire}\n" in text
    case = case_of(run, case_id)
    assert case["referent"] == "Claire Dubois"
    assert case["events"] == [{"date": "2015-03-01", "kind": "transfert",
                               "author": "Karim Benali",
                               "note": "Claire Dubois → Karim Benali"}]  # fmt: skip
    assert subjects(team)[0] == f"{case_id}: changement de référent(e)"
    assert run("check").code == 0


def test_after_a_handover_events_default_to_whoever_held_the_case_that_day(run: Run) -> None:
    case_id = referral(run, referent="Claire Dubois")
    assert run("referent", case_id, "Karim Benali", "--date", "2015-03-01").code == 0
    run("event", case_id, "--kind", "visite", "--date", "2015-02-10")
    run("event", case_id, "--kind", "telephone", "--date", "2015-03-05")
    authors = {e["kind"]: e["author"] for e in case_of(run, case_id)["events"]}
    assert authors == {"visite": "Claire Dubois", "telephone": "Karim Benali",
                       "transfert": "Karim Benali"}  # fmt: skip


def test_status_lists_the_case_under_its_referent_of_the_day(run: Run) -> None:
    case_id = referral(run, referent="Claire Dubois")
    assert run("referent", case_id, "Karim Benali", "--date", "2015-03-01").code == 0
    for _ in range(2):  # parsed, then served from the index
        assert status_ids(run, "--referent", "Karim Benali") == [case_id]
        assert status_ids(run, "--referent", "Claire Dubois") == []
    assert status_ids(run, "--referent", "Claire Dubois", "--today", "2015-02-01") == [case_id]
    rows = json.loads(run("status", "--json", "--today", "2015-02-01").out)
    assert rows[0]["referent"] == "Claire Dubois"


def test_a_case_never_handed_over_reads_and_shows_as_before(run: Run, cases: Path) -> None:
    case_id = referral(run, referent="Claire Dubois")
    other = referral(run, referent="Claire Dubois")
    path = cases / f"{case_id}.yaml"
    before = path.read_bytes()
    assert run("referent", other, "Karim Benali", "--date", "2015-03-01").code == 0
    assert path.read_bytes() == before
    shown = run("show", case_id)
    assert "Référent(e) à" in shown.out and "Claire Dubois" in shown.out
    assert "successifs" not in shown.out and "remplacement" not in shown.out
    assert "referents" not in path.read_text()


def test_the_handover_date_is_not_in_the_future(run: Run, cases: Path) -> None:
    case_id = referral(run, referent="Claire Dubois")
    before = snapshot(cases)
    result = run("referent", case_id, "Karim Benali", "--date", "2099-01-01")
    assert result.code == 2 and "dans le futur" in result.err
    assert snapshot(cases) == before


def test_handing_a_case_to_its_own_referent_is_refused(run: Run, cases: Path) -> None:
    case_id = referral(run, referent="Claire Dubois")
    before = snapshot(cases)
    result = run("referent", case_id, "Claire Dubois", "--date", "2015-03-01")
    assert result.code == 1 and "déjà référent(e) le 01/03/2015" in result.err
    assert snapshot(cases) == before


def test_the_event_command_leaves_handovers_to_the_referent_command(run: Run) -> None:
    case_id = referral(run, referent="Claire Dubois")
    result = run("event", case_id, "--kind", "transfert")
    assert result.code == 2 and f"visites referent {case_id} NOM" in result.err


# ---------------------------------------------------------------------------- names


def test_an_unknown_name_is_refused_with_a_suggestion(run: Run, team: Path) -> None:
    case_id = referral(run, referent="Claire Dubois")
    before = snapshot(team)
    result = run("referent", case_id, "Karim Benalli", "--date", "2015-03-01")
    assert result.code == 2
    assert "« Karim Benalli »" in result.err
    assert "Vouliez-vous dire « Karim Benali » ?" in result.err
    assert len(result.err.strip().splitlines()) == 1 and "Traceback" not in result.err
    far = run("referent", case_id, "Zoé Roux", "--date", "2015-03-01")
    assert far.code == 2 and "Claire Dubois, Karim Benali, Sophie Martin" in far.err
    load = run("referent", "--from", "Claire Dubios", "--to", "Karim Benali", "--yes")
    assert load.code == 2 and "Vouliez-vous dire « Claire Dubois » ?" in load.err
    assert "« Claire Dubios » ne figure ni dans la liste ni dans les dossiers." in load.err
    assert "« Karim Benalli » inconnu(e) dans la liste des référent(e)s." in result.err
    assert snapshot(team) == before


def test_a_name_typed_with_other_case_or_accents_is_stored_as_the_list_writes_it(
    run: Run, team: Path
) -> None:
    team.joinpath("visites.yaml").write_text(
        team.joinpath("visites.yaml").read_text().replace("Sophie Martin", "Hélène Le-Goff")
    )
    case_id = referral(run, referent="Claire Dubois")
    assert run("referent", case_id, "helene le goff", "--date", "2015-03-01").code == 0
    assert case_of(run, case_id)["handovers"][0]["name"] == "Hélène Le-Goff"


def test_without_a_list_of_referents_any_name_is_accepted(run: Run) -> None:
    case_id = referral(run, referent="Claire Dubois")
    result = run("referent", case_id, "Zoé Roux", "--date", "2015-03-01")
    assert result.code == 0, result.err
    assert run("check").code == 0


def test_one_who_left_the_list_can_still_hand_over_their_caseload(run: Run, team: Path) -> None:
    case_id = referral(run, referent="Claire Dubois")
    settings = team / "visites.yaml"
    settings.write_text(settings.read_text().replace("Claire Dubois, ", ""))
    result = run("referent", "--from", "claire dubois", "--to", "Karim Benali", "--yes",
                 "--date", "2015-03-01")  # fmt: skip
    assert result.code == 0, result.err
    assert case_of(run, case_id)["handovers"][0]["name"] == "Karim Benali"


# ---------------------------------------------------------------------------- closed cases


def test_a_closed_case_keeps_its_referent(run: Run, cases: Path) -> None:
    closed = referral(run, referent="Claire Dubois")
    assert run("close", closed, "--date", "2015-02-01").code == 0
    open_one = referral(run, referent="Claire Dubois")
    before = (cases / f"{closed}.yaml").read_bytes()
    refused = run("referent", closed, "Karim Benali", "--date", "2015-03-01")
    assert refused.code == 1
    assert "changement de référent(e) impossible en phase « clôturé »" in refused.err
    moved = run("referent", "--from", "Claire Dubois", "--to", "Karim Benali", "--yes",
                "--date", "2015-03-01")  # fmt: skip
    assert moved.code == 0, moved.err
    assert f"  {open_one}  orientation reçue" in moved.out
    assert f"(un dossier clôturé garde son/sa référent(e)) : {closed}." in moved.out
    assert (cases / f"{closed}.yaml").read_bytes() == before
    assert status_ids(run, "--all", "--referent", "Claire Dubois") == [closed]


def test_a_case_cannot_be_closed_before_its_last_handover(run: Run, cases: Path) -> None:
    case_id = referral(run, referent="Claire Dubois")
    assert run("referent", case_id, "Karim Benali", "--date", "2015-03-01").code == 0
    before = snapshot(cases)
    result = run("close", case_id, "--date", "2015-02-20")
    assert result.code == 1
    assert "transfert (01/03/2015) après la clôture (20/02/2015)" in result.err
    assert snapshot(cases) == before


def test_check_names_the_line_of_a_handover_out_of_order(run: Run, cases: Path) -> None:
    case_id = referral(run, referent="Claire Dubois")
    path = cases / f"{case_id}.yaml"
    path.write_text(path.read_text().replace(
        "referent: Claire Dubois\n",
        "referent: Claire Dubois\nreferents:\n"
        "  - {nom: Karim Benali, depuis: 2015-03-01}\n"
        "  - {nom: Sophie Martin, depuis: 2015-02-01}\n",
    ))  # fmt: skip
    result = run("check")
    assert result.code == 1
    line = path.read_text().splitlines().index("  - {nom: Sophie Martin, depuis: 2015-02-01}") + 1
    expected = f"{path}:{line}: transfert (01/02/2015) avant le transfert précédent (01/03/2015)"
    assert expected in result.err


# ---------------------------------------------------------------------------- a caseload


def karims_caseload(run: Run) -> tuple[list[str], str]:
    """Three open cases of Karim Benali, and one of Sophie Martin."""
    ids = [referral(run, household=f"Famille K{n}", referent="Karim Benali") for n in range(3)]
    return ids, referral(run, household="Famille S", referent="Sophie Martin")


def test_a_dry_run_lists_the_cases_by_id_and_changes_nothing(run: Run, team: Path) -> None:
    ids, _ = karims_caseload(run)
    before, commits = snapshot(team), subjects(team)
    result = run("referent", "--from", "Karim Benali", "--to", "Sophie Martin",
                 "--date", "2015-03-01", "--dry-run")  # fmt: skip
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == ("3 dossiers ouverts de Karim Benali à transférer à Sophie Martin, "
                        "à partir du 01/03/2015 :")  # fmt: skip
    assert lines[1:4] == [f"  {case_id}  orientation reçue" for case_id in ids]
    assert "aucun dossier modifié" in lines[-1]
    assert "Famille" not in result.out
    assert snapshot(team) == before and subjects(team) == commits


def test_a_caseload_without_a_terminal_needs_yes(run: Run, team: Path) -> None:
    karims_caseload(run)
    before = snapshot(team)
    result = run("referent", "--from", "Karim Benali", "--to", "Sophie Martin",
                 "--date", "2015-03-01")  # fmt: skip
    assert result.code == 1
    assert "confirmation impossible sans terminal : relancez avec --yes" in result.err
    assert snapshot(team) == before


def test_a_caseload_with_yes_moves_every_open_case_in_one_commit(run: Run, team: Path) -> None:
    ids, sophies = karims_caseload(run)
    untouched = (team / f"{sophies}.yaml").read_bytes()
    result = run("referent", "--from", "Karim Benali", "--to", "Sophie Martin",
                 "--date", "2015-03-01", "--yes")  # fmt: skip
    assert result.code == 0, result.err
    assert "3 dossiers transférés à Sophie Martin." in result.out
    assert subjects(team)[0] == "transfert de 3 dossiers"
    changed = git(team, "show", "--name-only", "--format=", "HEAD").split()
    assert changed == [f"{case_id}.yaml" for case_id in ids]
    assert "Famille" not in git(team, "log", "--format=%B")
    assert (team / f"{sophies}.yaml").read_bytes() == untouched
    assert status_ids(run, "--referent", "Sophie Martin") == [*ids, sophies]
    assert status_ids(run, "--referent", "Karim Benali") == []
    assert (
        "Aucun dossier ouvert de Karim Benali"
        in run("referent", "--from", "Karim Benali", "--to", "Sophie Martin", "--yes").out
    )


def test_undoing_a_caseload_transfer_says_so_in_french(run: Run, team: Path) -> None:
    ids, _ = karims_caseload(run)
    assert run("referent", "--from", "Karim Benali", "--to", "Sophie Martin",
               "--date", "2015-03-01", "--yes").code == 0  # fmt: skip
    undone = run("undo", "--yes")
    assert undone.code == 0, undone.err
    assert subjects(team)[:2] == ["annulation : transfert de 3 dossiers", "transfert de 3 dossiers"]
    assert status_ids(run, "--referent", "Karim Benali") == ids


def test_a_case_referred_after_the_date_moves_from_its_referral(run: Run, team: Path) -> None:
    early = referral(run, referent="Karim Benali", date="2015-01-12")
    late = referral(run, referent="Karim Benali", date="2015-04-02")
    result = run("referent", "--from", "Karim Benali", "--to", "Sophie Martin",
                 "--date", "2015-03-01", "--yes")  # fmt: skip
    assert result.code == 0, result.err
    assert f"  {early}  orientation reçue\n" in result.out
    assert f"  {late}  orientation reçue (à partir du 02/04/2015, orientation reçue)" in result.out
    since = {i: case_of(run, i)["handovers"][0]["since"] for i in (early, late)}
    assert since == {early: "2015-03-01", late: "2015-04-02"}


def test_an_undone_caseload_comes_back_whole(run: Run, team: Path) -> None:
    ids, _ = karims_caseload(run)

    def case_files() -> dict[str, bytes]:
        return {name: raw for name, raw in snapshot(team).items() if name.startswith("20")}

    before = case_files()
    assert run("referent", "--from", "Karim Benali", "--to", "Sophie Martin", "--yes").code == 0
    undone = run("undo", "--yes")
    assert undone.code == 0, undone.err
    assert case_files() == before
    assert status_ids(run, "--referent", "Karim Benali") == ids


def test_from_and_to_go_together_and_not_with_an_id(run: Run) -> None:
    case_id = referral(run, referent="Karim Benali")
    assert run("referent", "--from", "Karim Benali").code == 2
    assert run("referent", case_id, "--from", "Karim Benali", "--to", "Zoé Roux").code == 2
    assert run("referent", case_id).code == 2
    same = run("referent", "--from", "Karim Benali", "--to", "Karim Benali", "--yes")
    assert same.code == 2 and "la même personne" in same.err


def _spawn(cases: Path, *args: str):  # noqa: ANN202 - pexpect's spawn type
    pexpect = pytest.importorskip("pexpect")
    command = [sys.executable, "-m", "visites", "--cases", str(cases), *args]
    return pexpect.spawn(command[0], command[1:], encoding="utf-8", timeout=30,
                         dimensions=(40, 200))  # fmt: skip


def test_the_confirmation_in_a_terminal_reprompts_in_french_then_accepts_oui(
    run: Run, team: Path
) -> None:
    ids, _ = karims_caseload(run)
    child = _spawn(team, "referent", "--from", "Karim Benali", "--to", "Sophie Martin",
                   "--date", "2015-03-01")  # fmt: skip
    child.expect_exact("Transférer ces 3 dossiers ? [o/N]")
    child.sendline("peut-être")
    child.expect_exact("Répondez « o » (oui) ou « n » (non).")
    child.expect_exact("Transférer ces 3 dossiers ? [o/N]")
    child.sendline("OUI")
    child.expect_exact("3 dossiers transférés à Sophie Martin.")
    child.expect(__import__("pexpect").EOF)
    child.close()
    assert child.exitstatus == 0
    assert subjects(team)[0] == "transfert de 3 dossiers"
    assert status_ids(run, "--referent", "Sophie Martin")[:3] == ids


@pytest.mark.parametrize("answer", ["Non", "n", ""])
def test_the_confirmation_in_a_terminal_declined_changes_nothing(
    run: Run, team: Path, answer: str
) -> None:
    karims_caseload(run)
    before = snapshot(team)
    child = _spawn(team, "referent", "--from", "Karim Benali", "--to", "Sophie Martin",
                   "--date", "2015-03-01")  # fmt: skip
    child.expect_exact("Transférer ces 3 dossiers ? [o/N]")
    child.sendline(answer)
    child.expect_exact("Transfert abandonné : aucun dossier modifié.")
    child.expect(__import__("pexpect").EOF)
    child.close()
    assert child.exitstatus == 1
    assert snapshot(team) == before


# ---------------------------------------------------------------------------- a cover


def test_a_cover_ends_and_each_case_returns_to_its_referent(run: Run, team: Path) -> None:
    claires = [referral(run, household=f"Famille C{n}", referent="Claire Dubois") for n in range(2)]
    karims = referral(run, household="Famille K", referent="Karim Benali")
    assert run("referent", claires[1], "Sophie Martin", "--date", "2015-02-01").code == 0
    # Claire goes on leave: Karim covers her cases until the end of August (a future date
    # is fine for the end of a cover).
    result = run("referent", "--from", "Claire Dubois", "--to", "Karim Benali",
                 "--date", "2015-06-01", "--until", "31/08/2015", "--yes")  # fmt: skip
    assert result.code == 0, result.err
    assert "du 01/06/2015 au 31/08/2015 (remplacement)" in result.out
    assert f"  {claires[0]}" in result.out and claires[1] not in result.out
    during = status_ids(run, "--referent", "Karim Benali", "--today", "2015-07-01")
    after = status_ids(run, "--referent", "Karim Benali", "--today", "2015-09-01")
    assert sorted(during) == sorted([claires[0], karims]) and after == [karims]
    assert status_ids(run, "--referent", "Claire Dubois", "--today", "2015-09-01") == [claires[0]]
    assert status_ids(run, "--referent", "Sophie Martin", "--today", "2015-07-01") == [claires[1]]
    shown = run("show", claires[0], "--today", "2015-07-01").out
    assert "12/01/2015 → 31/05/2015     Claire Dubois" in shown
    assert "01/06/2015 → 31/08/2015     Karim Benali (remplacement)" in shown
    assert "Depuis le 01/09/2015        Claire Dubois (à venir)" in shown
    assert "Fin du remplacement" in shown and "retour à Claire Dubois" in shown
    far = run("referent", claires[0], "Sophie Martin", "--date", "2015-07-01",
              "--until", "2099-12-31")  # fmt: skip
    assert far.code == 0, far.err
    # A cover within a cover: after it, the case goes where it would have been by then.
    assert "Sophie Martin remplace Karim Benali du 01/07/2015 au 31/12/2099" in far.out
    assert "puis retour à Claire Dubois" in far.out


def test_a_permanent_handover_of_a_covered_case_warns_that_the_cover_is_over(
    run: Run, team: Path
) -> None:
    case_id = referral(run, referent="Claire Dubois")
    assert run("referent", case_id, "Karim Benali", "--date", "2015-06-01",
               "--until", "2015-08-31").code == 0  # fmt: skip
    result = run("referent", case_id, "Sophie Martin", "--date", "2015-07-01")
    assert result.code == 0, result.err
    assert "n'en avait que le remplacement jusqu'au 31/08/2015" in result.err
    assert "il serait revenu ensuite à Claire Dubois" in result.err


# ---------------------------------------------------------------------------- reports


def test_costs_by_referent_are_split_at_the_handover_date(run: Run, team: Path) -> None:
    case_id = accompanied(run, "Claire Dubois")
    assert run("referent", case_id, "Karim Benali", "--date", "2015-06-15").code == 0
    result = run("costs", "2015", "--by", "referent", "--today", "2015-12-31", "--json")
    assert result.code == 0, result.err
    lines = {line["key"]: line for line in json.loads(result.out)["lines"]}
    # Diagnostic at the adhesion (Claire); March to June counted on their 1st (Claire,
    # June 1st is before the handover); July to December under Karim.
    assert lines["Claire Dubois"]["diagnostics"] == 1
    assert (lines["Claire Dubois"]["months"], lines["Claire Dubois"]["amount"]) == (4, 1380)
    assert lines["Karim Benali"]["diagnostics"] == 0
    assert (lines["Karim Benali"]["months"], lines["Karim Benali"]["amount"]) == (6, 1380)
    assert lines["Claire Dubois"]["households"] == lines["Karim Benali"]["households"] == 1
    shown = run("costs", "2015", "--by", "referent", "--today", "2015-12-31").out
    assert "Claire Dubois" in shown and "Karim Benali" in shown


def test_a_month_handed_over_on_its_first_day_counts_under_the_new_referent(
    run: Run, team: Path
) -> None:
    case_id = accompanied(run, "Claire Dubois")
    assert run("referent", case_id, "Karim Benali", "--date", "2015-07-01", "--until",
               "2015-07-31").code == 0  # fmt: skip
    result = run("costs", "2015", "--by", "referent", "--today", "2015-12-31", "--json")
    lines = {line["key"]: line["months"] for line in json.loads(result.out)["lines"]}
    assert lines == {"Claire Dubois": 9, "Karim Benali": 1}


def test_a_document_names_the_referent_in_charge_on_its_date(run: Run, team: Path) -> None:
    case_id = referral(run, referent="Claire Dubois", address="3 rue des Lilas")
    assert run("referent", case_id, "Karim Benali", "--date", "2015-02-01").code == 0
    before = run("document", case_id, "courrier-proposition", "--date", "2015-01-20",
                 "--preview")  # fmt: skip
    after = run("document", case_id, "courrier-proposition", "--date", "2015-02-02",
                "--preview")  # fmt: skip
    assert before.code == 0 and after.code == 0, before.err + after.err
    assert "Claire Dubois, de l'association" in before.out
    assert "Karim Benali, de l'association" in after.out
    assert "Claire Dubois" not in after.out


def test_history_shows_the_dated_referent_history(run: Run, team: Path) -> None:
    case_id = referral(run, referent="Claire Dubois")
    run("referent", case_id, "Karim Benali", "--date", "2015-03-01")
    run("referent", case_id, "Sophie Martin", "--date", "2015-06-01", "--until", "2015-08-31")
    result = run("history", case_id)
    assert result.code == 0, result.err
    changes = [line.strip() for line in result.out.splitlines() if line.startswith("    ")]
    assert "référent(e) : Claire Dubois → Karim Benali (depuis le 01/03/2015)" in changes
    assert (
        "référent(e) : Karim Benali → Sophie Martin (du 01/06/2015 au 31/08/2015, remplacement)"
        in changes
    )


# ---------------------------------------------------------------------------- two clones


def _at(folder: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    def invoke(*args: str) -> Outcome:
        code = main(["--cases", str(folder), *args])
        captured = capsys.readouterr()
        return Outcome(code, captured.out, captured.err)

    return invoke


@pytest.fixture
def two_clones(
    run: Run, team: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[Run, Path, Run, Path, str]:
    """The team folder and a second clone of it through a bare remote, with one case."""
    case_id = referral(run, referent="Claire Dubois")
    remote = tmp_path / "equipe.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(team, "remote", "add", "origin", str(remote))
    for folder, name in ((team, "Poste A"),):
        git(folder, "config", "user.name", name)
        git(folder, "config", "user.email", "poste@example.org")
    assert run("sync").code == 0
    other = tmp_path / "clone-b"
    git(tmp_path, "clone", "-q", str(remote), str(other))
    git(other, "config", "user.name", "Poste B")
    git(other, "config", "user.email", "poste@example.org")
    return run, team, _at(other, capsys), other, case_id


def test_the_same_case_handed_over_on_two_clones_is_a_conflict(two_clones) -> None:
    run_a, a, run_b, b, case_id = two_clones
    assert run_a("referent", case_id, "Karim Benali", "--date", "2015-03-01").code == 0
    assert run_b("referent", case_id, "Sophie Martin", "--date", "2015-03-02").code == 0
    assert run_a("sync").code == 0
    stopped = run_b("sync")
    assert stopped.code == 1
    assert f"conflit : dossier {case_id}" in stopped.err
    report = stopped.out + stopped.err
    assert "champ « referents » (dossier transféré sur les deux postes" in report
    assert "Sophie Martin depuis le 02/03/2015" in report
    assert "Karim Benali depuis le 01/03/2015" in report
    text = (b / f"{case_id}.yaml").read_text()
    assert "conflit_visites:" in text and "Karim Benali" in text and "Sophie Martin" in text
    assert run_b("check").code == 1


def test_handovers_of_different_cases_on_two_clones_merge_cleanly(two_clones) -> None:
    run_a, a, run_b, b, case_id = two_clones
    other = referral(run_b, household="Famille Autre", referent="Claire Dubois")
    assert run_b("sync").code == 0 and run_a("sync").code == 0
    assert run_a("referent", case_id, "Karim Benali", "--date", "2015-03-01").code == 0
    assert run_b("referent", other, "Sophie Martin", "--date", "2015-03-01").code == 0
    assert run_b("event", case_id, "--kind", "visite", "--date", "2015-03-05").code == 0
    assert run_a("sync").code == 0
    merged = run_b("sync")
    assert merged.code == 0, merged.err
    assert run_a("sync").code == 0
    for run in (run_a, run_b):
        assert status_ids(run, "--referent", "Karim Benali") == [case_id]
        assert status_ids(run, "--referent", "Sophie Martin") == [other]
        kinds = [e["kind"] for e in case_of(run, case_id)["events"]]
        assert kinds == ["transfert", "visite"]
        assert run("check").code == 0


def test_check_flags_the_transfert_event_left_by_the_side_not_kept(two_clones) -> None:
    """The conflict resolved by keeping this clone's handover (the « conflit_visites » block
    deleted): the colleague's `transfert` event of 01/03 stays, with no handover that day."""
    run_a, a, run_b, b, case_id = two_clones
    assert run_a("referent", case_id, "Karim Benali", "--date", "2015-03-01").code == 0
    assert run_b("referent", case_id, "Sophie Martin", "--date", "2015-03-02").code == 0
    assert run_a("sync").code == 0 and run_b("sync").code == 1
    path = b / f"{case_id}.yaml"
    text = path.read_text(encoding="utf-8")
    start, end = text.index("conflit_visites:"), text.index(f"id: {case_id}")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    line = lines.index("  - date: 2015-03-01") + 2  # its `type: transfert`
    checked = run_b("check")
    assert checked.code == 1
    assert (f"{path}:{line}: événement « transfert » du 01/03/2015 sans changement de "
            "référent(e) ce jour-là dans « referents »") in checked.out + checked.err
    assert f"(visites edit {case_id})" in checked.out + checked.err
    # The event removed, the history agrees with itself again.
    kept = [n for n in lines if "Karim Benali" not in n]
    kept.remove("  - date: 2015-03-01")
    kept.remove(next(n for n in kept if n.strip() == "type: transfert"))
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    again = run_b("check")
    assert again.code == 0, again.out + again.err
