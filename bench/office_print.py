"""Print the office files as a person would: LibreOffice → PDF, pages counted, PNGs to look at.

    python bench/office_print.py [--households 55] [--out /tmp/visites-print]

Builds a demo folder (`visites demo`), writes the bilan (xlsx) and the tableau de suivi
(xlsx) of its first year and the four letters (docx) of a few cases, converts each with
LibreOffice headless in French (its own profile, so that it never joins a running
LibreOffice), and prints for each PDF its pages, their size, and whether every page holds the
whole width (the suivi: the first and the last header on every page, as the repeated header
row puts them). The PNGs of every page (`pdftoppm`) are left in --out: look at them.
Needs `soffice`, `pdfinfo`, `pdftotext` and `pdftoppm` (libreoffice-calc, libreoffice-writer,
poppler-utils). Run by hand; not part of the tests.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path


def visites(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "visites", *args], check=True, stdout=subprocess.DEVNULL)


def to_pdf(files: list[Path], out: Path) -> None:
    profile = out / "lo-profile"
    env = {**os.environ, "LC_ALL": "fr_FR.UTF-8", "LANG": "fr_FR.UTF-8"}
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), *map(str, files)],
                   check=True, capture_output=True, env=env, timeout=600)  # fmt: skip


def pages(pdf: Path) -> tuple[int, str]:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    count = int(re.search(r"Pages:\s+(\d+)", info.stdout)[1])  # type: ignore[index]
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info.stdout)
    assert size is not None
    width, height = float(size[1]), float(size[2])
    return count, "A4 paysage" if width > height else "A4 portrait"


def page_text(pdf: Path, page: int) -> str:
    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf),
                           "-"], check=True, capture_output=True, text=True).stdout  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=55)
    parser.add_argument("--out", type=Path, default=Path("/tmp/visites-print"))
    options = parser.parse_args()
    out: Path = options.out
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    folder = out / "demo"
    visites("demo", str(folder), "--households", str(options.households), "--seed", "1",
            "--years", "2015-2016")  # fmt: skip
    cases = ["--cases", str(folder)]
    visites(*cases, "bilan", "2015", "--output", str(out / "bilan-2015.xlsx"))
    visites(*cases, "export", "suivi", "--year", "2015", "--today", "2015-12-31",
            "--output", str(out / "suivi-2015.xlsx"))  # fmt: skip
    letters = []
    for kind, extra in (("courrier-proposition", []), ("avis-bailleur", []),
                        ("attestation-accompagnement", []),
                        ("convocation-tripartite", ["--meeting", "2016-12-20 14:30", "--place",
                                                    "à l'agence Nantes Nord"])):  # fmt: skip
        for case_id in sorted(p.stem for p in folder.glob("201*-*.yaml")):
            target = out / f"{kind}-{case_id}.docx"
            result = subprocess.run(
                [sys.executable, "-m", "visites", *cases, "document", case_id, kind, "--date",
                 "2016-12-15", "--preview", "-o", str(target), *extra],
                capture_output=True)  # fmt: skip
            if result.returncode == 0:
                letters.append(target)
                break
    files = [out / "bilan-2015.xlsx", out / "suivi-2015.xlsx", *letters]
    to_pdf(files, out)
    for file in files:
        pdf = file.with_suffix(".pdf")
        count, size = pages(pdf)
        whole = ""
        if file.name.startswith("suivi"):
            complete = sum("Dossier" in page_text(pdf, n) and "Issue" in page_text(pdf, n)
                           for n in range(1, count + 1))  # fmt: skip
            whole = f" ; en-tête complet (Dossier … Issue) sur {complete} / {count} pages"
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(pdf.with_suffix(""))],
                       check=True)  # fmt: skip
        print(f"{file.name} : {count} page(s), {size}{whole}")
    print(f"Pages en PNG dans {out}")


if __name__ == "__main__":
    main()
