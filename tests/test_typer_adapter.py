"""typer's private ground, checked: each touch point of `cli/typer_adapter.py` against the
installed typer. After a typer upgrade, these tests name what moved."""

from __future__ import annotations

import ast
import inspect
import tomllib
from pathlib import Path
from typing import Annotated

import typer
import typer._coercion
import typer.core
import typer.main
import typer.models

from visites.cli import french_texts, typer_adapter

PACKAGE = Path(typer_adapter.__file__).parents[1]
TYPER = Path(typer.__file__).parent


def test_the_installed_typer_is_the_minor_version_the_adapter_was_written_for() -> None:
    installed = tuple(int(part) for part in typer.__version__.split(".")[:2])
    assert installed == typer_adapter.TESTED, (
        f"typer {typer.__version__} installed, adapter written for {typer_adapter.TESTED}: "
        "check every touch point of visites/cli/typer_adapter.py, then move TESTED and the pin"
    )
    project = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    major, minor = typer_adapter.TESTED
    pin = f"typer>={major}.{minor},<{major}.{minor + 1}"
    assert pin in project["project"]["dependencies"], "pyproject.toml pins typer to TESTED"


def test_the_vendored_click_still_has_what_the_french_classes_use() -> None:
    click = typer_adapter.click
    for name in ("HelpFormatter", "Context", "Command", "echo"):
        assert hasattr(click, name), f"typer._click.{name} vanished"
    assert callable(click.termui.style), "typer._click.termui.style vanished"
    for name in ("BadParameter", "ClickException", "MissingParameter", "NoSuchOption",
                 "FileError", "UsageError", "NoArgsIsHelpError"):  # fmt: skip
        assert issubclass(getattr(typer_adapter.exceptions, name), Exception), name
    assert typer_adapter.short_help("Une aide. Et la suite.", 45) == "Une aide."
    assert isinstance(typer_adapter.program_name(), str)


def test_typer_core_still_reads_its_help_strings_through_the_gettext_hook() -> None:
    source = inspect.getsource(typer.core)
    assert "from gettext import gettext as _\n" in source, "typer.core's `_` hook vanished"
    for english in french_texts.CORE_TEXTS:
        assert f'_("{english}")' in source, f"typer.core no longer passes {english!r} to `_`"
    original = typer.core._
    try:
        typer_adapter.set_core_texts(lambda text: f"fr:{text}")
        assert typer_adapter.core_text("Commands") == "fr:Commands"
    finally:
        typer.core._ = original
    assert isinstance(typer.core.HAS_RICH, bool)


def test_the_rich_help_constants_are_still_module_constants() -> None:
    from typer import rich_utils

    for name in french_texts.RICH_TEXTS:
        assert isinstance(getattr(rich_utils, name, None), str), f"rich_utils.{name} vanished"
    assert isinstance(type(rich_utils.highlighter).highlights, list)


def test_one_command_can_still_be_built_from_its_registration() -> None:
    app = typer.Typer(add_completion=False)

    @app.command()
    def new_referral(household: str) -> None:
        """Enregistrer."""

    (info,) = app.registered_commands
    assert isinstance(info, typer_adapter.CommandInfo)
    parameters = inspect.signature(typer.main.get_command_from_info).parameters
    assert {"pretty_exceptions_short", "rich_markup_mode"} <= set(parameters)
    command = typer_adapter.build_command(info, pretty_exceptions_short=True, rich_markup_mode=None)
    assert command.name == typer_adapter.command_name(new_referral) == "new-referral"
    for name in ("info", "registered_callback", "registered_groups", "_add_completion"):
        assert hasattr(app, name), f"typer.Typer().{name} vanished"
    typer_adapter.no_completion(typer.Typer())
    assert isinstance(app.info.cls, typer_adapter.DefaultPlaceholder)


def test_the_english_sources_we_translate_still_match() -> None:
    """The English strings translated by french_texts must still exist verbatim."""
    expected = {
        "_click/decorators.py": ['help="Show this message and exit."'],
        "_click/formatting.py": ['prefix = "Usage: "'],
        "_click/exceptions.py": ['f"No such option: ', 'f"Missing {param_type}'],
        "_click/core.py": ['f"Got unexpected extra argument(s) ({extra_args})"'],
        "_click/parser.py": ['f"Option {option_name!r} requires {msg}"'],
        "core.py": ['"COMMAND [ARGS]..."', '_("No such command {name!r}.")'],
        "_param_types.py": ['f"{value!r} is not one of {choices_str}."'],
        "rich_utils.py": [f"{name} = _(" for name in french_texts.RICH_TEXTS],
    }
    for relative, needles in expected.items():
        source = (TYPER / relative).read_text(encoding="utf-8")
        for needle in needles:
            assert needle in source, f"{needle!r} vanished from typer/{relative}"


PRIVATE = ("typer._click", "typer.core._", "typer.rich_utils", "typer.models",
           "get_command_from_info", "get_command_name", "_add_completion", "HAS_RICH")  # fmt: skip


def test_no_other_module_touches_typers_private_ground() -> None:
    touching = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "typer_adapter.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        code = "\n".join(
            ast.unparse(node)
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom | ast.Attribute | ast.Assign)
        )
        found = [name for name in PRIVATE if name in code]
        if found:
            touching[str(path.relative_to(PACKAGE))] = found
    assert not touching, f"typer's private ground used outside typer_adapter.py: {touching}"


def test_typer_still_builds_each_parameters_coercion_through_one_module_function() -> None:
    source = inspect.getsource(typer.core._TyperParameter)
    assert "build_runtime_param(self.type_descriptor)" in source, "get_runtime_param moved"
    assert callable(typer.core.build_runtime_param)
    descriptor = typer._coercion.resolve_type_descriptor(str, typer.models.OptionInfo())
    assert (descriptor.annotation, descriptor.file_annotation) == (str, None)
    assert descriptor.parameter_info.parser is None


def _coerced(args: list[str], env: dict[str, str] | None = None) -> tuple[int, str, dict]:
    """What a probe command receives (and its exit code and output) for `args`."""
    from typer.testing import CliRunner

    app = typer.Typer(add_completion=False)
    seen: dict = {}

    @app.command()
    def probe(
        name: str = "x",
        maybe: str | None = None,
        flag: bool = False,
        from_env: Annotated[bool, typer.Option(envvar="PROBE_FLAG")] = False,
        count: int = 1,
        where: Path | None = None,
        tags: list[str] | None = None,
        upper: Annotated[str, typer.Option(parser=str.upper)] = "a",
    ) -> None:
        seen.update({k: v for k, v in locals().items() if k != "seen"})

    result = CliRunner().invoke(app, args, env=env)
    return result.exit_code, result.output, seen


def test_light_coercion_gives_what_typers_own_coercion_gives(monkeypatch) -> None:
    cases = [
        ([], None),
        (["--name", "Rezé", "--maybe", "", "--flag", "--count", "3", "--where", "a/b",
          "--tags", "x", "--tags", "y", "--upper", "é"], {"PROBE_FLAG": "yes"}),
        (["--count", "trois"], None),
        ([], {"PROBE_FLAG": "nope"}),
    ]  # fmt: skip
    typer_adapter.light_coercion()
    light = [_coerced(args, env) for args, env in cases]
    assert light[1][2]["from_env"] is True and light[1][2]["upper"] == "É", light[1]
    assert light[2][0] == 2 and "count" in light[2][1], light[2]
    monkeypatch.setattr(typer.core, "build_runtime_param", typer._coercion.build_runtime_param)
    assert [_coerced(args, env) for args, env in cases] == light
