"""`new-referral --from`: the fiche de liaison form, one file or a folder (all or nothing)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Run, snapshot


def fill(form: str, name: str, when: str = "2015-02-02", commune: str = "Rezé") -> str:
    values = {"  date:": when, "  contexte:": "en-cours", "  prescripteur:": "M. Exemple",
              "  nom:": name, "  commune:": commune}  # fmt: skip
    lines = []
    for line in form.splitlines():
        for key, value in values.items():
            if line.startswith(key + " "):
                line = f"{key} {value}  " + line[len(key) :].lstrip()
        lines.append(line)
    return "\n".join(lines) + "\n"


def test_the_shipped_form_filled_in_creates_a_case(run: Run, cases: Path, tmp_path: Path) -> None:
    form = (cases / "templates" / "fiche-de-liaison.yaml").read_text()
    empty = run("new-referral", "--from", str(cases / "templates" / "fiche-de-liaison.yaml"))
    assert empty.code == 1
    for key, line in (("date", 12), ("contexte", 13), ("prescripteur", 14), ("nom", 20)):
        assert f"fiche-de-liaison.yaml:{line}: {key} : champ obligatoire manquant" in empty.err
    fiche = tmp_path / "fiche.yaml"
    fiche.write_text(fill(form, "Famille Formulaire"))
    result = run("new-referral", "--from", str(fiche))
    assert result.code == 0, result.err
    assert result.out.strip() == "2015-001"
    assert "nom: Famille Formulaire" in (cases / "2015-001.yaml").read_text()


def test_a_folder_of_fiches_is_recorded_all_or_nothing(
    run: Run, cases: Path, tmp_path: Path
) -> None:
    form = (cases / "templates" / "fiche-de-liaison.yaml").read_text()
    batch = tmp_path / "fiches"
    batch.mkdir()
    (batch / "a.yaml").write_text(fill(form, "Famille A"))
    (batch / "b.yaml").write_text(fill(form, "Famille B", when="2015-13-01"))
    (batch / "c.yaml").write_text(fill(form, "Famille C", when="2016-01-04"))
    (batch / "d.yaml").write_text(
        fill(form, "Famille D").replace("contexte: en-cours", "contexte: ailleurs")
    )
    (batch / "notes.txt").write_text("pas une fiche")
    before = snapshot(cases)
    result = run("new-referral", "--from", str(batch))
    before[".visites.lock"] = b""  # the lock file is the only trace of the attempt
    assert result.code == 1
    assert f"{batch / 'b.yaml'}:12:" in result.err and "date" in result.err
    assert f"{batch / 'd.yaml'}:13:" in result.err
    assert "a.yaml" not in result.err and "c.yaml" not in result.err
    assert snapshot(cases) == before  # nothing created
    (batch / "b.yaml").write_text(fill(form, "Famille B", when="2015-03-01"))
    (batch / "d.yaml").write_text(fill(form, "Famille D"))
    result = run("new-referral", "--from", str(batch))
    assert result.code == 0, result.err
    assert result.out.split() == ["2015-001", "2015-002", "2016-001", "2015-003"]
    assert "Famille D" in (cases / "2015-003.yaml").read_text()
    assert "Famille C" in (cases / "2016-001.yaml").read_text()
    assert run("check").code == 0
