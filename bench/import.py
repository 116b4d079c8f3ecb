"""`visites import` of a 1,000-row tableau de suivi, against its baselines.

Run by hand (not part of the test suite), with the project installed:

    python bench/import.py [--rows 1000] [--typed 30] [--runs 3]

Every figure is measured in this run, on this machine:
- parse: the workbook read alone (`sheets.read`: openpyxl, the header found, the rows);
- dry run: `visites import --dry-run` in this process (read, every row made a case through
  the workflow's moves, IDs given; nothing written);
- import: `visites import` in this process, in a fresh git case folder: the same, plus
  every case file written (atomic, read back) and the one git commit;
- typed: the same households typed through the CLI without an import, one subprocess a
  command, each with its commit: `visites new-referral`, then the moves the row holds
  (`finances`, `consent`, `diagnose`, `orient`, `close`), for the first `--typed` rows, scaled
  to `--rows` (per household typed, times the rows).
The ratios: import ÷ parse (what the import adds to reading the file), import ÷ typed.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.import_kit import (  # noqa: E402
    HEADINGS,
    Household,
    cells,
    cli_steps,
    referral_args,
    workbook,
)
from visites.cli import main  # noqa: E402
from visites.services import sheets  # noqa: E402

VISITES = str(Path(sys.executable).parent / "visites")
COMMUNES = ["Nantes", "Saint-Herblain", "Rezé", "Orvault", "Saint-Nazaire", "Couëron", "Vertou"]


def households(count: int, seed: int = 2015) -> list[Household]:
    """Fictional households over 2015-2016, in every phase."""
    rng = random.Random(seed)
    found = []
    for number in range(count):
        referral = date(2015, 1, 1) + timedelta(days=rng.randrange(700))
        kind = rng.choice(["attente", "refus", "diagnostic", "sans-suite", "remobilisation",
                           "droit-commun", "accompagnement", "clos"])  # fmt: skip
        facts: dict = {"ref": f"LOG-44-{number:05d}"}
        adhesion = referral + timedelta(days=rng.randrange(3, 25))
        decision = adhesion + timedelta(days=rng.randrange(20, 55))
        if kind == "refus":
            facts["refusal"] = adhesion
        elif kind != "attente":
            facts["adhesion"] = adhesion
            facts["problems"] = ("budget-impayes",) if number % 2 else ("sante", "emploi")
        if kind in ("sans-suite", "remobilisation", "droit-commun"):
            facts.update(orientation=kind, decision=decision)
            if kind == "droit-commun":
                facts.update(measure="ASLL", outcome="relais droit commun")
        if kind in ("accompagnement", "clos"):
            facts.update(orientation="accompagnement", decision=decision)
        if kind == "clos":
            facts.update(end=decision + timedelta(days=rng.randrange(60, 200)),
                         outcome="maintien dans le logement")  # fmt: skip
        if number % 3 == 0:
            facts["debt"] = f"{rng.randrange(100, 4000)},50 €"
        name = f"Famille Banc-{number:04d}"
        found.append(Household(name, rng.choice(COMMUNES), referral, **facts))
    return found


def quiet(*args: str) -> int:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return main(list(args))


def timed(function) -> float:  # noqa: ANN001
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def fresh_folder(work: Path, name: str) -> Path:
    folder = work / name
    assert quiet("init", str(folder)) == 0
    return folder


def imported(folder: Path, book: Path) -> None:
    assert quiet("--cases", str(folder), "import", str(book)) == 0, "the import failed"


def typed_through_cli(folder: Path, h: Household) -> None:
    """`h` typed as a person would: its referral, then each move, one command at a time."""
    done = subprocess.run([VISITES, "--cases", str(folder), *referral_args(h)], check=True,
                          capture_output=True, text=True)  # fmt: skip
    case_id = done.stdout.strip().splitlines()[-1]
    for step in cli_steps(h, case_id):
        subprocess.run([VISITES, "--cases", str(folder), *step], check=True, capture_output=True)


def main_bench() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--typed", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    os.environ.setdefault("GIT_AUTHOR_NAME", "Banc")
    os.environ.setdefault("GIT_AUTHOR_EMAIL", "banc@example.org")
    os.environ.setdefault("GIT_COMMITTER_NAME", "Banc")
    os.environ.setdefault("GIT_COMMITTER_EMAIL", "banc@example.org")
    with tempfile.TemporaryDirectory(prefix="visites-import-") as temp:
        work = Path(temp)
        rows = households(options.rows)
        book = workbook(work / "suivi.xlsx", [cells(h, n) for n, h in enumerate(rows)],
                        HEADINGS)  # fmt: skip
        parse, dry, real, typed = [], [], [], []
        for run in range(options.runs):
            parse.append(timed(lambda: sheets.read(book)))
            folder = fresh_folder(work, f"dry-{run}")
            dry.append(timed(lambda f=folder: quiet("--cases", str(f), "import", str(book),
                                                    "--dry-run")))  # fmt: skip
            folder = fresh_folder(work, f"import-{run}")
            real.append(timed(lambda f=folder: imported(f, book)))
            count = len(list(folder.glob("20*.yaml")))
            assert count == options.rows, count
            typing = fresh_folder(work, f"typed-{run}")
            start = time.perf_counter()
            for h in rows[: options.typed]:
                typed_through_cli(typing, h)
            typed.append((time.perf_counter() - start) / options.typed * options.rows)
        p, d, r, t = (statistics.median(x) for x in (parse, dry, real, typed))
        per_case = r / options.rows * 1000
        print(f"{options.rows} lignes, médiane de {options.runs} mesures :")
        print(f"  lecture du classeur seule (openpyxl)      {p:7.2f} s")
        print(f"  visites import --dry-run                  {d:7.2f} s")
        print(f"  visites import (écriture + commit)        {r:7.2f} s ({per_case:.1f} ms/dossier)")
        print(f"  saisie une à une, commande par commande   {t:7.1f} s (estimé sur {options.typed}"
              f" ménages : {t / options.rows:.2f} s chacun)")  # fmt: skip
        print(f"  import ÷ lecture seule    {r / p:7.1f}")
        print(f"  dry-run ÷ lecture seule   {d / p:7.1f}")
        print(f"  import ÷ saisie une à une {r / t:7.3f}  ({t / r:.0f} fois plus rapide)")


if __name__ == "__main__":
    main_bench()
