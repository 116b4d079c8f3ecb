"""Settings a typo (or an attacker) made absurd: refused when `visites.yaml` is read, with
its line, by every command; never a traceback from a sum that overflows later."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.entry_point import visites
from visites.cli import main

# (what the line becomes, the line's pattern in the commented settings, the message)
HOSTILE = {
    "tarif 1e30": (r"^    diagnostic: 460", "    diagnostic: 1e30",
                   "diagnostic : montant hors bornes : de 0 à 100 000 €"),
    "tarif négatif": (r"^    accompagnement_mensuel: 230", "    accompagnement_mensuel: -230",
                      "accompagnement_mensuel : montant hors bornes : de 0 à 100 000 €"),
    "tarif .nan": (r"^    diagnostic: 460", "    diagnostic: .nan",
                   "diagnostic : nombre attendu (pas .nan ni .inf)"),
    "tarif au millième": (r"^    diagnostic: 460", "    diagnostic: 460.555",
                          "diagnostic : montant au centime près attendu (ici 460.555 €)"),
    "budget 1e30": (r"^  2015: \{montant: 30000", "  2015: {montant: 1e30, menages: 55}",
                    "montant : montant hors bornes : de 0 à 100 000 000 €"),
    "délai d'un milliard de jours": (r"^  adhesion_jours: 30", "  adhesion_jours: 1000000000",
                                     "adhesion_jours : valeur trop grande (au plus 3650)"),
    "diagnostic d'un milliard de mois": (r"^  diagnostic_mois: 2", "  diagnostic_mois: 10000000000",
                                         "diagnostic_mois : valeur trop grande (au plus 120)"),
    "conservation d'un milliard d'années": (
        r"^  annees_apres_dernier_contact: 2", "  annees_apres_dernier_contact: 1000000000",
        "annees_apres_dernier_contact : valeur trop grande (au plus 100)"),
}  # fmt: skip


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with one case in each billed phase, under the default settings."""
    folder = tmp_path_factory.mktemp("reglages") / "dossiers"
    assert main(["init", str(folder)]) == 0
    for args in (
        ["new-referral", "--household", "Famille Chiffre", "--commune", "Nantes", "--context",
         "entree", "--referrer", "Mme Lebrun", "--date", "2015-01-12"],
        ["consent", "2015-001", "--date", "2015-01-20"],
        ["orient", "2015-001", "--to", "accompagnement", "--date", "2015-03-01"],
    ):  # fmt: skip
        assert main(["--cases", str(folder), *args]) == 0
    return folder


@pytest.mark.parametrize("name", HOSTILE)
def test_absurd_settings_are_refused_with_their_line_by_every_command(
    name: str, template: Path, tmp_path: Path
) -> None:
    import shutil

    pattern, replacement, message = HOSTILE[name]
    folder = tmp_path / "dossiers"
    shutil.copytree(template, folder)
    settings = folder / "visites.yaml"
    lines = settings.read_text(encoding="utf-8").splitlines(keepends=True)
    (number,) = [n for n, line in enumerate(lines, 1) if re.match(pattern, line)]
    lines[number - 1] = replacement + "\n"
    settings.write_text("".join(lines), encoding="utf-8")
    case_before = (folder / "2015-001.yaml").read_bytes()
    for command in (["check"], ["bilan", "2015"], ["costs", "2015"], ["status"]):
        ran = visites(folder, *command)
        assert ran.code == 1, (command, ran.out, ran.err)
        assert ran.err.strip().splitlines() == [f"erreur : {settings}:{number}: {message}"], (
            command, ran.err)  # fmt: skip
    assert (folder / "2015-001.yaml").read_bytes() == case_before


def test_an_empty_tariff_list_is_one_clear_error(template: Path, tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "dossiers"
    shutil.copytree(template, folder)
    settings = folder / "visites.yaml"
    text = settings.read_text(encoding="utf-8")
    text = re.sub(r"(?ms)^tarifs:\n(    .*?\n|  - .*?\n)+", "tarifs: []\n", text)
    settings.write_text(text, encoding="utf-8")
    ran = visites(folder, "check")
    assert ran.code == 1 and "au moins un tarif" in ran.err
    assert len(ran.err.strip().splitlines()) == 1
