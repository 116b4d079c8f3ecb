"""« Ménage déjà connu » at `new-referral`: the index's keys against a simple scan.

Run by hand (not part of the test suite), with the project installed, on a demo folder:

    visites demo /tmp/big --households 10000 --seed 1 --years 2015-2026
    python bench/known_before.py /tmp/big [--runs 5]

In one process, interleaved, median of --runs (the index warm in both):
- index: `referrals.earlier_cases` — the status summaries from the index (their household
  keys), then only the matching files read and checked;
- scan: every case of the folder built (`Folder.load_all`: each model validated again) and
  compared, which is what a lookup without the index's keys would cost.
Then, as subprocesses of the installed `visites` on a copy of the folder: `new-referral` of
a household already known against `event` (the writer whose time does not depend on the
folder's size), both with their git commit.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from visites.known import Identity
from visites.model import Case, Household, Phase, Referral
from visites.services import referrals
from visites.store import Folder

VISITES = str(Path(sys.executable).parent / "visites")


def scan(folder: Folder, case: Case) -> list[str]:
    """The simple way: every case read, each compared."""
    wanted = Identity.of(case.referral.landlord_ref, case.household.name, case.household.address)
    return [
        c.id
        for c in folder.load_all().cases
        if c.phase is Phase.CLOSED
        and wanted.same_household(
            Identity.of(c.referral.landlord_ref, c.household.name, c.household.address)
        )
    ]


def seconds(function) -> float:  # noqa: ANN001
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def command(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    folder = Folder(options.folder)
    folder.summaries()  # the index, warm
    closed = next(c for c in folder.load_all().cases if c.closed_on and c.referral.landlord_ref)
    probe = Case(
        id="2099-001",
        referral=Referral(date=closed.closed_on, context="en-cours", referrer="bench",
                          landlord_ref=closed.referral.landlord_ref),
        household=Household(name="Ménage de mesure", commune="Nantes"),
    )  # fmt: skip
    found = referrals.earlier_cases(folder, probe)
    assert closed.id in [k.case_id for k in found] and closed.id in scan(folder, probe)
    files = len(folder.case_ids())
    index_s, scan_s = [], []
    for _ in range(options.runs):  # interleaved
        index_s.append(seconds(lambda: referrals.earlier_cases(folder, probe)))
        scan_s.append(seconds(lambda: scan(folder, probe)))
    index_t, scan_t = statistics.median(index_s), statistics.median(scan_s)
    print(f"{files} dossiers, {options.runs} mesures (médiane)")
    print(f"  recherche par l'index (earlier_cases)  {index_t:7.3f} s")
    print(f"  lecture de tous les dossiers (scan)    {scan_t:7.3f} s")
    print(f"  rapport index ÷ scan                   {index_t / scan_t:7.3f}")

    with tempfile.TemporaryDirectory() as work:
        copy = Path(work) / "dossiers"
        shutil.copytree(options.folder, copy, symlinks=True)
        base = [VISITES, "--cases", str(copy)]
        subprocess.run([*base, "status"], check=True, capture_output=True)  # warm
        referral_s, event_s = [], []
        for run in range(options.runs):
            referral_s.append(command([
                *base, "new-referral", "--household", f"Ménage {run}", "--commune", "Nantes",
                "--context", "en-cours", "--referrer", "bench", "--date",
                closed.closed_on.isoformat(), "--landlord-ref", str(closed.referral.landlord_ref),
            ]))  # fmt: skip
            event_s.append(command([*base, "event", closed.id, "--kind", "courrier", "--date",
                                    closed.closed_on.isoformat()]))  # fmt: skip
        referral_t, event_t = statistics.median(referral_s), statistics.median(event_s)
        print(f"  visites new-referral (ménage connu)    {referral_t:7.3f} s")
        print(f"  visites event                          {event_t:7.3f} s")
        print(f"  rapport new-referral ÷ event           {referral_t / event_t:7.3f}")


if __name__ == "__main__":
    main()
