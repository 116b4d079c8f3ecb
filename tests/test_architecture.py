"""The package's shape: no import cycle, each module in its room, no module too long.

The rooms and what each may import are the map of the README's « Architecture » section.
Imports are read from the source with `ast`, so an import inside a function or under
`if TYPE_CHECKING:` counts like any other.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import visites

PACKAGE = Path(visites.__file__).parent
README = PACKAGE.parent / "README.md"
MAX_LINES = 400

# Room → its modules (a name ending in `.*` takes a whole package).
ROOMS: dict[str, tuple[str, ...]] = {
    "leaf": ("visites", "errors", "paths", "ids", "dates", "phases", "vocabulary", "environment",
             "notices", "readprogress"),
    "core": ("model", "model_fields", "config", "checks.*", "deadlines", "workflow", "moves",
             "transitions", "status", "money", "reports", "spending", "tracking", "disclosure",
             "privacy", "agenda", "appointments", "groupe", "referents", "profile", "known",
             "publics", "objectives", "finances", "amounts", "progress", "comparison",
             "matching", "referral_fields", "demo", "demo_publics", "demo_agenda",
             "documents.kinds", "documents.structure", "import_mapping", "import_mapping_text",
             "import_rows", "import_differences", "origins"),
    "text": ("yamlio", "yamlwrite", "casefile", "merge.*"),
    "cache": ("cache.*",),
    "store": ("store", "files", "numbering"),
    "git": ("git.*",),
    "render": ("render.*", "documents.templates", "documents.loader", "documents.sandbox"),
    "services": ("services.*", "documents"),
    "cli": ("cli.*", "__main__"),
}  # fmt: skip
# Room → the rooms it may import (itself included).
MAY_IMPORT: dict[str, set[str]] = {
    "leaf": {"leaf"},
    "core": {"leaf", "core"},
    "text": {"leaf", "core", "text"},
    "cache": {"leaf", "core", "cache"},
    "store": {"leaf", "core", "text", "cache", "store"},
    "git": {"leaf", "git"},
    "render": {"leaf", "core", "render"},
    "services": {"leaf", "core", "text", "store", "git", "render", "services"},
    "cli": set(ROOMS),
}
# The rooms' names in the README's « Architecture » table.
FRENCH = {"leaf": "feuilles", "core": "cœur", "text": "texte et fusion", "cache": "cache",
          "store": "disque", "git": "git", "render": "rendu", "services": "services",
          "cli": "cli"}  # fmt: skip
# Libraries a room must never import, anywhere in its modules.
FORBIDDEN = {
    "leaf": {"pydantic", "yaml", "ruamel", "rich", "typer", "jinja2"},
    "core": {"rich", "typer"},
    "text": {"rich", "typer"},
    "cache": {"rich", "typer", "yaml", "ruamel"},
    "store": {"rich", "typer"},
    "git": {"rich", "typer", "pydantic", "yaml"},  # git's merge driver stays light
    "render": {"typer"},
    "services": {"rich", "typer"},  # the services never print and never prompt
}
# Modules over MAX_LINES for a while (another branch rewrites them), each with why: empty.
PENDING: dict[str, str] = {}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


@cache
def imports(module: str) -> tuple[set[str], set[str]]:
    """The package modules and the outside libraries (top-level names) `module` imports."""
    path = MODULES[module]
    return parse_imports(path.read_text(encoding="utf-8"), module, path.name == "__init__.py")


def parse_imports(source: str, module: str, is_package: bool) -> tuple[set[str], set[str]]:
    package = module if is_package else module.rpartition(".")[0]
    inside: set[str] = set()
    outside: set[str] = set()
    for node in ast.walk(ast.parse(source)):  # every node: function bodies, `if` blocks…
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            # `from visites.cli import french` imports the module visites.cli.french.
            names = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base
                     for a in node.names]  # fmt: skip
        else:
            continue
        for name in names:
            if name == "visites" or name.startswith("visites."):
                while name not in MODULES:  # `import visites.cli.app` names the module
                    name = name.rpartition(".")[0]
                if name != module:
                    inside.add(name)
            else:
                outside.add(name.split(".")[0])
    return inside, outside


def room_of(module: str) -> str | None:
    short = module.removeprefix("visites.") if module != "visites" else "visites"
    for room, members in ROOMS.items():
        for member in members:
            package = member.removesuffix(".*") if member.endswith(".*") else None
            if short == member or (
                package and (short == package or short.startswith(package + "."))
            ):
                return room
    return None


def cycles() -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    graph = {module: sorted(imports(module)[0]) for module in MODULES}
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        order[module] = low[module] = len(order)
        stack.append(module)
        for other in graph[module]:
            if other not in order:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], order[other])
        if low[module] == order[module]:
            component = []
            while True:
                other = stack.pop()
                component.append(other)
                if other == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in graph:
        if module not in order:
            visit(module)
    return found


def test_the_package_has_no_import_cycle() -> None:
    assert not cycles(), f"import cycles: {cycles()}"


def test_imports_inside_functions_and_for_type_checking_count() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "from visites.cache import index\n"
        "if TYPE_CHECKING:\n"
        "    from visites.model import Case\n"
        "def later():\n"
        "    from visites.store import Folder\n"
        "    import yaml\n"
    )
    inside, outside = parse_imports(source, "visites.cache.scan", is_package=False)
    assert inside == {"visites.cache.index", "visites.model", "visites.store"}
    assert outside == {"typing", "yaml"}


def test_every_module_is_in_one_room() -> None:
    homeless = [module for module in MODULES if room_of(module) is None]
    assert not homeless, f"put these modules in a room of ROOMS (and the README): {homeless}"


def test_each_room_imports_only_the_rooms_below_it() -> None:
    wrong = []
    for module in MODULES:
        room = room_of(module)
        assert room is not None
        for other in sorted(imports(module)[0]):
            if room_of(other) not in MAY_IMPORT[room]:
                wrong.append(f"{module} ({room}) imports {other} ({room_of(other)})")
    assert not wrong, "\n".join(wrong)


def test_only_the_cli_imports_typer_and_only_render_and_cli_import_rich() -> None:
    wrong = []
    for module in MODULES:
        room = room_of(module)
        used = imports(module)[1] & FORBIDDEN.get(room or "", set())
        if used:
            wrong.append(f"{module} ({room}) imports {sorted(used)}")
    assert not wrong, "\n".join(wrong)


def data_tables() -> set[str]:
    """The modules the README's architecture section names as pure data tables."""
    section = README.read_text(encoding="utf-8").partition("## Architecture")[2]
    line = next(line for line in section.splitlines() if "Tableaux de données" in line)
    return {f"visites.{name.removesuffix('.py').replace('/', '.')}"
            for name in re.findall(r"`([\w/]+\.py)`", line)}  # fmt: skip


def test_no_module_is_over_400_lines_but_the_data_tables_of_the_readme() -> None:
    tables = data_tables()
    assert tables and tables <= set(MODULES), tables
    long = {
        module: lines
        for module, path in MODULES.items()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    too_long = {m: n for m, n in long.items() if m not in tables and m not in PENDING}
    assert not too_long, f"modules over {MAX_LINES} lines: {too_long}"
    assert set(PENDING) <= set(long), "a pending module is short again: drop it from PENDING"


def test_the_data_tables_hold_data_only() -> None:
    for module in data_tables():
        tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
        for node in tree.body:
            allowed = (ast.Expr, ast.ImportFrom, ast.Import, ast.Assign, ast.AnnAssign)
            tiny = isinstance(node, ast.FunctionDef) and len(node.body) <= 3  # a lookup
            assert isinstance(node, allowed) or tiny, (module, ast.unparse(node)[:60])


def test_the_environment_is_read_in_one_module() -> None:
    """`$VISITES_USER` and `$VISITES_CASES` are named in `visites.environment` only (help texts
    may mention them); no other module reads a `VISITES_` variable."""
    wrong = []
    for module, path in MODULES.items():
        if module == "visites.environment":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            text = node.value if isinstance(node, ast.Constant) else None
            if isinstance(text, str) and re.fullmatch(r"_?VISITES_\w+", text):
                wrong.append(f"{module}: {text!r}")
    assert not wrong, wrong


def test_the_case_folders_gitignore_names_come_from_paths(tmp_path: Path) -> None:
    from visites import paths
    from visites.services.folder import init_folder

    root = init_folder(tmp_path / "cas")
    ignored = (root / paths.GITIGNORE_FILE).read_text(encoding="utf-8").splitlines()[1:]
    assert ignored == list(paths.IGNORED) == [".visites.lock", ".visites-tmp-*", ".visites-cache/"]


def readme_map() -> dict[str, tuple[set[str], set[str]]]:
    """The README's table of rooms: room → (its modules, the rooms it may import). A name in
    parentheses is a module of a package the row already names (`git/*` (`run`, …))."""
    section = README.read_text(encoding="utf-8").partition("## Architecture")[2]
    rooms = {french: room for room, french in FRENCH.items()}
    found = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 4 or cells[0] not in rooms:
            continue
        modules = re.findall(r"`([^`]+)`", re.sub(r"\([^()]*\)", "", cells[1]))
        names = {m.replace("/", ".") for m in modules}
        imported = set(FRENCH) if cells[3] == "tout" else {rooms[n] for n in cells[3].split(", ")}
        found[rooms[cells[0]]] = (names, imported)
    return found


def test_the_readme_map_is_the_rooms_this_test_enforces() -> None:
    found = readme_map()
    assert set(found) == set(ROOMS)
    for room, (modules, imported) in found.items():
        assert modules == set(ROOMS[room]), (room, modules ^ set(ROOMS[room]))
        assert imported == MAY_IMPORT[room], (room, imported ^ MAY_IMPORT[room])
