"""Hostile case files: hypothesis strategies and the properties every one of them must keep.

Shared by tests/test_hostile_files.py (a few hundred examples, in CI) and bench/reliability.py
(thousands). The properties count the examples they try in `TRIED`.
"""

from __future__ import annotations

import atexit
import collections
import contextlib
import shutil
import signal
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from hypothesis import strategies as st

from tests.reliability_kit import ok, visites
from visites import casefile
from visites.config import Config
from visites.errors import VisitesError
from visites.model import Event
from visites.workflow import AddEvent, apply

CONFIG = Config()
NAME = "2015-007.yaml"
SECONDS = 30  # far above any real case (a 5 MB file takes well under a second): a hang guard
TRIED: collections.Counter[str] = collections.Counter()

# A complete case in a hand-written style: comments, flow and block lists, folded and literal
# text, quotes. Every key of the model appears.
FULL = """\
# Dossier fictif. Modifiable à la main : vérifiez avec « visites check ».
id: 2015-007
orientation_recue:                 # la fiche de liaison du bailleur
  date: 2015-01-12
  contexte: entree
  prescripteur: Mme Lebrun, chargée de clientèle
  reference_bailleur: LOG-44-01234
  motif: "Retards de loyer répétés : ménage difficile à joindre."
  date_butoir: 2015-02-20
menage:
  nom: Famille Martin-Roux
  membres:
    - {prenom: Julie, role: titulaire du bail}
    - {prenom: Enzo, role: enfant, naissance: 2009}
  adresse: 12 rue des Olivettes, apt 34
  commune: Nantes
  telephone: 06 00 00 00 00
referent: Claire Dubois
adhesion:
  date: 2015-01-20
  mode: tripartite
  accord_echanges_bailleur: 2015-01-20
diagnostic:
  problematiques: [budget-impayes, emploi, isolement]
  situation: >-
    Mère seule avec un enfant, perte d'emploi en septembre,
    dette de loyer de 1 240 €.
  leviers: 'Très investie ; accepte un suivi budgétaire.'
  reseau: Sœur à Rezé.
orientation:
  date: 2015-03-10
  vers: accompagnement
  preconisations: Plan d'apurement, dossier FSL maintien.
accompagnement:
  debut: 2015-03-10
  renouvellements:
    - {date: 2015-09-08, mois: 6}
evenements:
  - date: 2015-01-20
    type: tripartite
    auteur: Claire Dubois
    note: |
      Rencontre au siège du bailleur.
      Adhésion signée.
  - date: 2015-02-03
    type: visite
    note: Visite à domicile ; point budget.
"""

FRAGMENTS = [
    "id: ", "2015-007", "\n", "  ", "    ", "- ", ": ", ":", "[", "]", "{", "}", ", ", "&a ", "*a",
    "!!python/object/apply:os.system ", "!!python/name:os.system", "!!binary ", "!!set ",
    "!!int ", "!!str ", "!foo ", "? ", "|", ">-", "'", '"', "\\", "#", "\t", "---\n", "...\n",
    "%YAML 1.1\n", "%TAG ! tag:x:\n", "<<: ", "2015-02-30", "0000-00-00", "9" * 40, ".nan",
    "~", "null", "true", "yes", "0x1F", "1_000", "\ufeff", "\r\n", "\r", "\x85", "\u2028",
    "\x00", "\x1b", "\x7f", "é", "€", "\U0001f600", "\ud800", "orientation_recue:\n",
    "menage:\n", "evenements:\n", "date: ", "type: visite", "nom: ", "commune: Nantes",
    "adhesion:\n", "orientation:\n", "vers: ", "cloture:\n",
]  # fmt: skip

WRONG_VALUES = [
    "[]", "{}", "[1, 2]", "{a: 1}", "42", "-1", "3.14", "1e400", "true", "null", "~", "''", '""',
    "2015-02-30", "2015-13-01", "0001-01-01", "9999-12-31", "2015-01-12 10:00:00", "12/01/2015",
    "!!python/object:os.system {}", "&x 1", "*x", "!!binary aGVsbG8=", "!!set {a}", "!!int 3",
    "!!str 2015-01-12", "|\n  bloc", "x" * 25_000, "\x1b[31m", ">-", "-", "? a", "9" * 5000,
]  # fmt: skip


def _line_values(text: str) -> list[tuple[int, int]]:
    """(line, column of the value) of each `key: value` line."""
    found = []
    for number, line in enumerate(text.split("\n")):
        head, sep, _ = line.partition(": ")
        if sep and "{" not in head and "#" not in head:
            found.append((number, len(head) + 2))
    return found


VALUE_SLOTS = _line_values(FULL)


@st.composite
def wrong_type(draw: st.DrawFn) -> bytes:
    """FULL with one value replaced by a value of another type (or an impossible one)."""
    lines = FULL.split("\n")
    number, column = draw(st.sampled_from(VALUE_SLOTS))
    lines[number] = lines[number][:column] + draw(st.sampled_from(WRONG_VALUES))
    return "\n".join(lines).encode()


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """FULL with a few insertions, deletions, or a line repeated (duplicate keys)."""
    text = FULL
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["insert", "delete", "repeat-line"]))
        if kind == "insert":
            text = text[:at] + draw(st.sampled_from(FRAGMENTS)) + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 40)) :]
        else:
            start = text.rfind("\n", 0, at) + 1
            end = text.find("\n", at) + 1 or len(text)
            text = text[:end] + text[start:end] + text[end:]
    return text.encode("utf-8", errors="surrogatepass")


def truncated() -> st.SearchStrategy[bytes]:
    raw = FULL.encode()
    return st.integers(0, len(raw)).map(lambda n: raw[:n])


def yamlish() -> st.SearchStrategy[bytes]:
    pieces = st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8))
    return st.lists(pieces, max_size=60).map(
        lambda parts: "".join(parts).encode("utf-8", errors="surrogatepass")
    )


def encoded() -> st.SearchStrategy[bytes]:
    """FULL as other editors save it: BOM, CRLF, old Mac CR, latin-1, UTF-16."""
    return st.sampled_from([
        b"\xef\xbb\xbf" + FULL.encode(),
        FULL.replace("\n", "\r\n").encode(),
        b"\xef\xbb\xbf" + FULL.replace("\n", "\r\n").encode(),
        FULL.replace("\n", "\r").encode(),
        FULL.encode("latin-1", errors="replace"),
        FULL.encode("utf-16"),
        FULL.encode("cp1252", errors="replace"),
    ])  # fmt: skip


def hostile_files() -> st.SearchStrategy[bytes]:
    """Every kind of hostile case file, mixed."""
    return st.one_of(
        st.binary(max_size=2000),
        st.text(max_size=500).map(lambda t: t.encode("utf-8", errors="surrogatepass")),
        yamlish(),
        truncated(),
        mutated(),
        wrong_type(),
        encoded(),
    )


# ---------------------------------------------------------------------------- the properties


class Hang(Exception):
    pass


@contextlib.contextmanager
def within(seconds: float) -> Iterator[None]:
    """Fail instead of hanging (SIGALRM: main thread only, which is where tests run)."""

    def hang(*_args: object) -> None:
        raise Hang(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def parse(raw: bytes) -> casefile.Parsed:
    return casefile.parse(raw, NAME, CONFIG, expected_id="2015-007")


def parses_to_located_problems(raw: bytes) -> casefile.Parsed:
    """Any bytes: problems, never an exception; every error has a line inside the file."""
    TRIED["parse"] += 1
    with within(SECONDS):
        parsed = parse(raw)
    lines = max(len(raw.decode("utf-8", errors="replace").splitlines()), 1)
    for problem in parsed.problems:
        assert problem.path == NAME and problem.message.strip()
        if problem.is_error:
            assert problem.line is not None, problem
            assert 1 <= problem.line <= lines, problem
    assert parsed.errors or parsed.case is not None
    return parsed


def accepted_file_survives_a_rewrite(raw: bytes) -> None:
    """A file that is accepted as it is can take a new event: the rewrite reads back exactly
    the new case, and keeps the file's line endings."""
    parsed = parses_to_located_problems(raw)
    if parsed.errors or parsed.case is None:
        return
    TRIED["rewrite"] += 1
    event = Event(date=date(2015, 12, 1), kind="visite", note="Visite ajoutée.")
    try:
        new = apply(parsed.case, AddEvent(event), CONFIG, date(2016, 1, 1))
    except VisitesError:  # refused by the workflow: nothing to write
        return
    from visites import yamlio

    text = yamlio.decode(raw)
    with within(SECONDS):
        try:
            rewritten = casefile.render_update(text, parsed.case, new)
        except yamlio.YamlProblem as problem:  # ruamel.yaml cannot round-trip it: refused
            TRIED["rewrite refused"] += 1
            assert problem.line is not None and problem.message
            return
    reread = parse(rewritten.encode())
    assert not reread.errors and reread.case == new, reread.problems
    if "\r\n" in text:
        assert rewritten.count("\n") == rewritten.count("\r\n")


_FOLDER: list[Path] = []


def cli_folder() -> Path:
    """One folder for all the examples: a sound case, and the hostile file next to it."""
    if not _FOLDER:
        root = Path(tempfile.mkdtemp(prefix="visites-hostile-"))
        atexit.register(shutil.rmtree, root, True)
        ok(root, "init", str(root / "dossiers"))
        folder = root / "dossiers"
        ok(folder, "new-referral", "--household", "Famille Saine", "--commune", "Nantes",
           "--context", "entree", "--referrer", "Mme Lebrun", "--date", "2015-01-12")  # fmt: skip
        _FOLDER.append(folder)
    return _FOLDER[0]


def commands_report_and_never_write(raw: bytes) -> None:
    """Through the CLI: check names file:line (exit 1), status warns and still lists the sound
    case (exit 0), a command on the file is refused naming it; the file is never written."""
    TRIED["cli"] += 1
    folder = cli_folder()
    path = folder / NAME
    path.write_bytes(raw)
    before = (raw, path.stat().st_mtime_ns)
    parsed = parse(raw)
    with within(SECONDS):
        check = visites(folder, "check")
        status = visites(folder, "status", "--all", "--json")
        event = visites(folder, "event", "2015-007", "--kind", "visite", "--date", "2015-12-01")
    outputs = "".join(check[1:] + status[1:] + event[1:])
    assert "Traceback" not in outputs
    if parsed.errors:
        first = parsed.errors[0]
        assert check[0] == 1 and f"{path}:{first.line}: {first.message}" in check[2], check
        assert status[0] == 0 and "2015-001" in status[1] and str(path) in status[2], status
        assert event[0] == 1 and str(path) in event[2], event
        assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    else:
        assert check[0] == 0, check
    path.unlink()
