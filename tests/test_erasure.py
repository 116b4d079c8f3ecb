"""Erasure reaches everything visites keeps in the case folder: after `delete` and
`anonymise`, no personal value of the case is left in any file of the working tree (the
index cache and visites' temp files included; git's history aside, as the README says);
files visites does not keep there are named. And `anonymise` works on every valid case."""

from __future__ import annotations

import sqlite3
import typing
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from tests.entry_point import visites
from visites import casefile
from visites.cli import main
from visites.model import Case, Event, Member, Phase
from visites.store import Folder

MARK = "ERASEMARK"
FAR_FUTURE = "2099-01-01"


def init(folder: Path, *args: str) -> None:
    assert main(["init", str(folder)]) == 0


def cli(folder: Path, *args: str) -> None:
    assert main(["--cases", str(folder), *args]) == 0, args


def _is_text(annotation: Any) -> bool:
    if annotation is str:
        return True
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _is_text(typing.get_args(annotation)[0])
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    return origin is not None and origin is not tuple and len(args) == 1 and _is_text(args[0])


def plant_personal(model: BaseModel, tag: str, markers: list[str]) -> BaseModel:
    """`model` with a unique marker in every personal text field, at any depth."""
    update: dict[str, Any] = {}
    for name, field in type(model).model_fields.items():
        extra = field.json_schema_extra
        assert isinstance(extra, dict)
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            update[name] = plant_personal(value, tag, markers)
        elif isinstance(value, tuple) and value and isinstance(value[0], BaseModel):
            update[name] = tuple(plant_personal(v, tag, markers) for v in value)
        elif extra["personal"] and _is_text(field.annotation):
            markers.append(f"{MARK}{tag}{len(markers):03d}X")
            update[name] = markers[-1]
    return model.model_copy(update=update)


def planted_case(folder: Path, case_id: str, tag: str) -> list[str]:
    """Rewrite `case_id` with members, an event, and a marker in every personal field, in a
    hand comment and in an unknown key. Return the markers."""
    stored = Folder(folder).read(case_id)
    case = stored.case
    household = case.household.model_copy(update={"members": (Member(first_name="x"),)})
    event = Event(date=case.referral.date, kind="telephone", author="x", note="x")
    case = case.model_copy(update={"household": household, "events": (event, *case.events)})
    markers: list[str] = []
    case = plant_personal(case, tag, markers)
    assert isinstance(case, Case)
    comment, unknown = f"{MARK}{tag}COMMENTX", f"{MARK}{tag}UNKNOWNX"
    text = casefile.render_new(case) + f"# {comment}\nportable_voisin: {unknown}\n"
    stored.path.write_text(text, encoding="utf-8")
    return [*markers, comment, unknown]


def closed_referral(folder: Path, household: str, day: str, *, diagnose: list[str]) -> str:
    cli(folder, "new-referral", "--household", household, "--commune", "Nantes", "--context",
        "entree", "--referrer", "Mme Lebrun", "--date", day)  # fmt: skip
    case_id = Folder(folder).case_ids()[-1]
    cli(folder, "consent", case_id, "--date", day, "--share")
    cli(folder, "diagnose", case_id, *diagnose)
    cli(folder, "orient", case_id, "--to", "sans-suite", "--date", day)
    return case_id


def files_holding(folder: Path, markers: list[str]) -> dict[str, list[str]]:
    """Every file of the working tree (git's own folder aside) holding one of `markers`."""
    found = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if ".git" in relative.parts or not path.is_file() or path.is_symlink():
            continue
        raw = path.read_bytes()
        held = [m for m in markers if m.encode() in raw]
        if held:
            found[relative.as_posix()] = held
    return found


# ---------------------------------------------------------------------------- the reproduction


def test_anonymise_a_case_whose_diagnostic_has_text_but_no_problem_domain(tmp_path) -> None:
    folder = tmp_path / "dossiers"
    init(folder)
    case_id = closed_referral(folder, "Famille Texte", "2015-01-12",
                              diagnose=["--situation", "Seule avec deux enfants."])  # fmt: skip
    ran = visites(folder, "anonymise", case_id, "--yes")
    # Regression: « écriture annulée : le texte produit ne relit pas le dossier », exit 1.
    assert ran.code == 0, ran.err
    case = Folder(folder).read(case_id).case
    assert case.anonymised_on is not None and case.diagnostic is None
    assert "Seule" not in (folder / f"{case_id}.yaml").read_text(encoding="utf-8")
    assert visites(folder, "check").code == 0


def test_an_empty_diagnostic_section_reads_as_no_diagnostic() -> None:
    case = Case.model_validate({
        "id": "2015-001", "orientation_recue": {"date": "2015-01-12", "contexte": "entree",
        "prescripteur": "Mme L"}, "menage": {"nom": "x", "commune": "Nantes"},
        "adhesion": {"date": "2015-01-20"}, "diagnostic": {},
    })  # fmt: skip
    assert case.diagnostic is None
    assert casefile.render_new(case) == casefile.render_new(
        case.model_copy(update={"diagnostic": None})
    )


# ---------------------------------------------------------------------------- every valid case


def test_anonymise_works_on_every_case_of_a_generated_folder(tmp_path) -> None:
    folder = tmp_path / "demo"
    assert main(["demo", str(folder), "--households", "40", "--seed", "7",
                 "--years", "2015-2016"]) == 0  # fmt: skip
    for case in Folder(folder).load_all().cases:  # close the open ones: only closed cases go
        if case.phase is not Phase.CLOSED:
            cli(folder, "close", case.id, "--date", "2016-12-31")
    ran = visites(folder, "anonymise", "--due", "--today", FAR_FUTURE, "--yes")
    assert ran.code == 0, ran.err
    cases = Folder(folder).load_all()
    assert len(cases.cases) == 40 and all(c.anonymised_on for c in cases.cases)
    assert not [p for p in cases.problems if p.is_error]


def _variants(case: Case) -> dict[str, dict[str, Any]]:
    """The file tree of `case` with each optional part missing, and each optional section
    or list present but empty, one at a time."""
    full = casefile.tree(case)
    found: dict[str, dict[str, Any]] = {}

    def walk(model: type[BaseModel], tree: dict[str, Any], loc: tuple[str, ...]) -> None:
        for field in model.model_fields.values():
            key = str(field.alias)
            if key not in tree:
                continue
            inner = typing.get_args(field.annotation) or (field.annotation,)
            sub = next((t for t in inner if isinstance(t, type) and issubclass(t, BaseModel)),
                       None)  # fmt: skip
            if not field.is_required():
                found["sans " + ".".join((*loc, key))] = _without(full, (*loc, key), None)
                if isinstance(tree[key], dict | list):
                    empty = {} if isinstance(tree[key], dict) else []
                    found["vide " + ".".join((*loc, key))] = _without(full, (*loc, key), empty)
            if sub is not None and isinstance(tree[key], dict):
                walk(sub, tree[key], (*loc, key))

    walk(Case, full, ())
    return found


def _without(tree: dict[str, Any], loc: tuple[str, ...], value: Any) -> dict[str, Any]:
    import copy

    changed = copy.deepcopy(tree)
    parent = changed
    for key in loc[:-1]:
        parent = parent[key]
    if value is None:
        del parent[loc[-1]]
    else:
        parent[loc[-1]] = value
    return changed


def test_anonymise_works_with_each_optional_part_missing_or_empty(tmp_path) -> None:
    folder = tmp_path / "dossiers"
    init(folder)
    cli(folder, "new-referral", "--household", "Famille Pleine", "--commune", "Nantes",
        "--context", "entree", "--referrer", "Mme Lebrun", "--date", "2015-01-12",
        "--reason", "Impayés", "--deadline", "2015-03-01", "--landlord-ref", "LOG-1",
        "--address", "1 rue Haute", "--phone", "06 00 00 00 00", "--referent", "Claire Dubois",
    )  # fmt: skip
    cli(folder, "consent", "2015-001", "--date", "2015-01-20", "--share")
    cli(folder, "diagnose", "2015-001", "--problem", "dettes", "--situation", "s",
        "--levers", "l", "--network", "r")  # fmt: skip
    cli(folder, "event", "2015-001", "--kind", "visite", "--date", "2015-01-25", "--note", "n")
    cli(folder, "orient", "2015-001", "--to", "accompagnement", "--date", "2015-02-01",
        "--recommendations", "p")  # fmt: skip
    cli(folder, "renew", "2015-001", "--date", "2015-08-01", "--months", "3")
    cli(folder, "close", "2015-001", "--date", "2015-10-01", "--outcome", "plan d'apurement")
    assert planted_case(folder, "2015-001", "full")  # members, an event, every text filled
    full = Folder(folder).read("2015-001").case
    import yaml

    written = []
    for number, (name, tree) in enumerate(_variants(full).items(), start=2):
        case_id = f"2015-{number:03d}"
        tree["id"] = case_id
        path = folder / f"{case_id}.yaml"
        path.write_text(yaml.safe_dump(tree, allow_unicode=True, sort_keys=False))
        parsed = casefile.parse(path.read_bytes(), str(path), Folder(folder).config, case_id)
        if parsed.errors or parsed.case is None or parsed.case.phase is not Phase.CLOSED:
            path.unlink()  # not a valid closed case (e.g. an orientation without its section)
            continue
        written.append((case_id, name))
    names = {name for _, name in written}
    assert {"sans diagnostic", "vide diagnostic", "sans diagnostic.problematiques",
            "sans menage.membres", "vide evenements", "sans orientation.preconisations",
            "vide accompagnement.renouvellements", "sans cloture.issue"} <= names  # fmt: skip
    ran = visites(folder, "anonymise", *(case_id for case_id, _ in written), "--yes")
    assert ran.code == 0, ran.err
    for case_id, name in written:
        assert Folder(folder).read(case_id).case.anonymised_on == date.today(), name


# ---------------------------------------------------------------------------- no trace left


def _planted_folder(tmp_path: Path, run: Any = None) -> tuple[Path, dict[str, list[str]]]:
    """A folder of three closed cases, each with a marker in every personal field, read
    through the index (rows and models), with an edit copy and a killed write's leftover of
    each."""
    folder = tmp_path / "dossiers"
    init(folder)
    markers = {}
    for number, tag in enumerate(("A", "B", "C"), start=1):
        case_id = closed_referral(folder, f"Famille {tag}", f"2015-01-1{number}",
                                  diagnose=["--problem", "dettes"])  # fmt: skip
        markers[case_id] = planted_case(folder, case_id, tag)
        text = (folder / f"{case_id}.yaml").read_bytes()
        (folder / f".visites-tmp-edit-{case_id}-k2j4.yaml").write_bytes(text)  # editor crashed
        (folder / f".visites-tmp-{tag}9x.part").write_bytes(text)  # a write killed halfway
    for command in (["status", "--all"], ["bilan", "2015"], ["check"], ["show", "2015-001"]):
        assert (run or visites)(folder, *command).code in (0, 1)
    cache = folder / ".visites-cache" / "index.sqlite"
    assert all(m in files_holding(folder, sum(markers.values(), []))
               for m in (".visites-cache/index.sqlite",))  # fmt: skip
    assert cache.is_file()
    return folder, markers


def test_no_marker_of_an_erased_case_is_left_in_the_working_tree(tmp_path) -> None:
    folder, markers = _planted_folder(tmp_path)
    export = folder / "acces-2015-001.html"  # saved in the folder by hand: not visites' own
    assert visites(folder, "export", "2015-001", "--output", str(export)).code == 0
    suivi = folder / "suivi.xlsx"
    assert visites(folder, "export", "suivi", "--output", str(suivi)).code == 0

    deleted = visites(folder, "delete", "2015-001", "--yes")
    anonymised = visites(folder, "anonymise", "2015-002", "--yes")
    assert deleted.code == anonymised.code == 0, deleted.err + anonymised.err
    for ran in (deleted, anonymised):
        assert "acces-2015-001.html" in ran.err and "suivi.xlsx" in ran.err
        assert "avertissement : ces fichiers du dossier" in ran.err
    erased = markers["2015-001"] + markers["2015-002"]
    left = files_holding(folder, erased)
    assert set(left) == {"acces-2015-001.html"}  # only the file the warning names
    # The case still there is untouched, in its file and in the index.
    assert set(files_holding(folder, markers["2015-003"])) >= {
        "2015-003.yaml", ".visites-cache/index.sqlite"}  # fmt: skip
    assert [c.id for c in Folder(folder).load_all().cases] == ["2015-002", "2015-003"]
    assert not list(folder.glob(".visites-tmp-edit-2015-00[12]-*"))


def test_erasure_purges_the_index_before_any_other_command_runs(tmp_path) -> None:
    folder, markers = _planted_folder(tmp_path)
    assert visites(folder, "delete", "2015-003", "--yes").code == 0
    raw = (folder / ".visites-cache" / "index.sqlite").read_bytes()
    assert not [m for m in markers["2015-003"] if m.encode() in raw]
    with sqlite3.connect(folder / ".visites-cache" / "index.sqlite") as db:
        names = {row[0] for row in db.execute("SELECT name FROM cases")}
        names |= {row[0] for row in db.execute("SELECT name FROM models")}
    assert "2015-003" not in names and "2015-001" in names  # the others still served


def test_a_whole_folder_erasure_leaves_no_free_page_in_the_index(tmp_path) -> None:
    folder, markers = _planted_folder(tmp_path)
    ran = visites(folder, "anonymise", "--due", "--today", FAR_FUTURE, "--yes")
    assert ran.code == 0, ran.err
    assert files_holding(folder, sum(markers.values(), [])) == {}
    with sqlite3.connect(folder / ".visites-cache" / "index.sqlite") as db:
        assert db.execute("PRAGMA freelist_count").fetchone() == (0,)
    assert len(Folder(folder).load_all().cases) == 3


def test_no_trace_is_left_where_sqlite_keeps_deleted_text_by_default(
    tmp_path, monkeypatch, capsys
) -> None:
    """Many SQLite builds leave secure_delete off: a deleted row stays in a free page."""
    real = sqlite3.connect

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        db = real(*args, **kwargs)
        db.execute("PRAGMA secure_delete = OFF")  # as such a build opens every connection
        return db

    monkeypatch.setattr(sqlite3, "connect", connect)

    def run(folder: Path, *args: str) -> Any:
        from types import SimpleNamespace

        return SimpleNamespace(code=main(["--cases", str(folder), *args]))

    folder, markers = _planted_folder(tmp_path, run)
    # Rows replaced by a rewrite leave no copy either: the index is refreshed after an edit.
    cli(folder, "event", "2015-003", "--kind", "visite", "--date", "2015-02-01")
    assert run(folder, "status", "--all").code == 0
    assert run(folder, "delete", "2015-001", "--yes").code == 0
    assert run(folder, "anonymise", "2015-002", "--yes").code == 0
    raw = (folder / ".visites-cache" / "index.sqlite").read_bytes()
    assert not [m for m in markers["2015-001"] + markers["2015-002"] if m.encode() in raw]
    capsys.readouterr()


# ---------------------------------------------------------------------------- the README's table


def test_the_readme_kept_erased_table_covers_every_key_of_the_case_file() -> None:
    from visites.privacy import anonymisation_table

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert anonymisation_table() in readme, "README : recopiez privacy.anonymisation_table()"


def test_the_kept_erased_table_says_what_anonymise_does(tmp_path) -> None:
    """Each row of the table, checked on a case where every key holds a value."""
    from visites import privacy

    folder = tmp_path / "dossiers"
    init(folder)
    case_id = closed_referral(folder, "Famille Table", "2015-01-12",
                              diagnose=["--problem", "dettes", "--situation", "s"])  # fmt: skip
    planted_case(folder, case_id, "T")
    case = Folder(folder).read(case_id).case
    before, after = casefile.tree(case), casefile.tree(privacy.anonymise(case, date(2099, 1, 1)))
    for line in privacy.anonymisation_table().splitlines()[2:-1]:
        path, fate = (cell.strip(" `") for cell in line.strip("|").split("|"))
        old, new = _at(before, path), _at(after, path)
        if fate == "gardé":
            assert new == old, path
        elif "effacé" in fate:
            assert new in (None, [None]), (path, new)
        elif "remplacé" in fate:
            assert new in ("anonymisé", ["anonymisé"]) and old != new, (path, new)


def _at(tree: Any, path: str) -> Any:
    """The value at a dotted path; `key[]` maps over a list."""
    value = tree
    for key in path.split("."):
        if key.endswith("[]"):
            items = value.get(key[:-2], []) if isinstance(value, dict) else []
            return [_at(item, path.split(key + ".", 1)[1]) for item in items] or None
        value = value.get(key) if isinstance(value, dict) else None
    return value


def test_an_erasure_received_by_sync_leaves_no_trace_in_the_other_clones_index(tmp_path) -> None:
    import subprocess

    def git(folder: Path, *args: str) -> None:
        subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True)

    a, _ = _planted_folder(tmp_path / "a")
    markers = {}
    for case_id in ("2015-001", "2015-002"):
        text = (a / f"{case_id}.yaml").read_text(encoding="utf-8")
        markers[case_id] = [w for w in text.split() if w.startswith(MARK) and "COMMENT" not in w]
    for copy in a.glob(".visites-tmp-edit-*"):
        copy.unlink()
    git(a, "add", "-A")
    git(
        a,
        "-c",
        "user.name=Poste A",
        "-c",
        "user.email=a@example.org",
        "commit",
        "-qm",
        "dossiers plantés",
        "--no-verify",
    )
    remote, b = tmp_path / "equipe.git", tmp_path / "poste-b"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(a, "remote", "add", "origin", str(remote))
    assert visites(a, "sync").code == 0
    git(tmp_path, "clone", "-q", str(remote), str(b))
    assert visites(b, "bilan", "2015").code == 0  # B's index now holds the three cases
    assert files_holding(b, markers["2015-001"])
    assert visites(a, "delete", "2015-001", "--yes").code == 0
    assert visites(a, "anonymise", "2015-002", "--yes").code == 0
    assert visites(a, "sync").code == 0
    ran = visites(b, "sync")
    assert ran.code == 0, ran.err
    assert files_holding(b, markers["2015-001"] + markers["2015-002"]) == {}
