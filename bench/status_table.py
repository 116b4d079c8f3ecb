"""The status table: the plain-text writer against Rich, measured in the same run.

    python bench/status_table.py            # 20 and 200 rows

Two measures: a fresh Python process that imports what the renderer needs and draws the
table once into a pipe (as `visites status | less` does), so that Rich's import is counted
as in a real run; and the drawing alone, repeated in one process once the imports are done.
The Rich table is the one `visites status` drew before the plain writer (kept here only as
the baseline). Prints the medians and the ratios; run by hand, on a quiet machine.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

RUNS = 15

SETUP = """
from datetime import date, timedelta
from visites.phases import Phase
from visites.status import StatusRow
phases = list(Phase)[:3]
rows = [StatusRow(id=f"2026-{i:03d}", household=f"Famille Martin-Roux {i}",
                  commune="Saint-Herblain", referent="Claire Dubois", phase=phases[i % 3],
                  due=date(2026, 1, 1) + timedelta(days=i), reason="révision",
                  days_overdue=i) for i in range({count})]
"""

PLAIN = """
import sys
from visites.render.terminal import status_lines
sys.stdout.write("\\n".join(status_lines(rows, date(2026, 12, 31), "Dossiers en retard", 80)))
"""

RICH = """
from rich import box
from rich.console import Console
from rich.table import Table
from visites import dates
from visites.vocabulary import PHASE_LABELS
out = Console(highlight=False, width=80)
table = Table(title="Dossiers en retard", title_justify="left", box=box.SIMPLE_HEAD,
              pad_edge=False, padding=(0, 1), collapse_padding=True, show_edge=False)
table.add_column("Dossier", no_wrap=True)
table.add_column("Ménage", ratio=3, min_width=12)
table.add_column("Commune", ratio=2, min_width=8)
table.add_column("Phase", no_wrap=True)
table.add_column("Échéance", no_wrap=True)
table.add_column("Retard", justify="right", no_wrap=True)
table.add_column("Référent", ratio=2, min_width=9, overflow="fold")
for r in rows:
    table.add_row(r.id, r.household, r.commune, PHASE_LABELS[r.phase], dates.short(r.due),
                  f"[bold red]{r.days_overdue} j[/]", r.referent)
out.print(table)
"""

NOTHING = ""  # the setup alone: Python, and the status rows


def timed(code: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def drawn(code: str, count: int) -> float:
    """The median time to draw the table once, in one process, imports done beforehand."""
    script = (
        SETUP.replace("{count}", str(count))
        + f"""
import io, statistics, sys, time
code = compile({code!r}, "draw", "exec")
sys.stdout = io.StringIO()
exec(code, globals())  # imports, once
times = []
for _ in range({RUNS * 3}):
    sys.stdout = io.StringIO()
    started = time.perf_counter()
    exec(code, globals())
    times.append(time.perf_counter() - started)
sys.stdout = sys.__stdout__
print(statistics.median(times))
"""
    )
    result = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True,
                            text=True)  # fmt: skip
    return float(result.stdout.strip().splitlines()[-1])


def main() -> None:
    print(f"Tableau de status, 80 colonnes (médianes ; {RUNS} processus entrelacés par mesure)")
    for count in (20, 200):
        setup = SETUP.replace("{count}", str(count))
        samples: dict[str, list[float]] = {"base": [], "plain": [], "rich": []}
        for _ in range(RUNS):  # interleaved, so that the machine's noise hits all three
            samples["base"].append(timed(setup + NOTHING))
            samples["plain"].append(timed(setup + PLAIN))
            samples["rich"].append(timed(setup + RICH))
        base = statistics.median(samples["base"])
        plain = statistics.median(samples["plain"]) - base
        rich = statistics.median(samples["rich"]) - base
        plain_draw, rich_draw = drawn(PLAIN, count), drawn(RICH, count)
        print(
            f"{count:4d} lignes, import compris : texte brut {plain * 1000:6.1f} ms · "
            f"Rich {rich * 1000:6.1f} ms · rapport {rich / max(plain, 1e-4):4.1f}"
        )
        print(
            f"{count:4d} lignes, dessin seul    : texte brut {plain_draw * 1000:6.1f} ms · "
            f"Rich {rich_draw * 1000:6.1f} ms · rapport {rich_draw / plain_draw:4.1f}"
        )


if __name__ == "__main__":
    main()
