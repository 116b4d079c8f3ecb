"""Writing YAML: ruamel.yaml's round-trip mode.

The file's own text is loaded, only the values that changed are patched into it, and it is
dumped again, so comments, key order, quoting and layout written by hand survive and
`git diff` shows only the changed lines. What it writes is read back by yamlio (libyaml, with
the same YAML 1.2 scalar rules).
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Sequence
from enum import Enum
from typing import Any

from visites.yamlio import _UNREADABLE, _french

FLOW_LISTS = ("membres", "renouvellements", "referents")  # one item a line: short and diff-friendly


@functools.cache
def _round_trip_constructor() -> type:
    from ruamel.yaml.constructor import RoundTripConstructor
    from ruamel.yaml.scalarstring import PlainScalarString

    class Constructor(RoundTripConstructor):
        def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
            # `prescripteur: 2015-02-30` is text to the reader (see _timestamp): the writer
            # must read it as text too, not crash on an impossible date.
            try:
                return super().construct_yaml_timestamp(node, values)
            except ValueError:
                return PlainScalarString(self.construct_scalar(node))

    Constructor.add_constructor("tag:yaml.org,2002:timestamp", Constructor.construct_yaml_timestamp)
    return Constructor


def _round_trip() -> Any:
    from ruamel.yaml import YAML

    rt = YAML()
    rt.Constructor = _round_trip_constructor()
    rt.width = 4096  # never re-wrap a hand-written line
    rt.preserve_quotes = True
    rt.indent(mapping=2, sequence=4, offset=2)
    # The same object twice (one date for adhesion and consent) must not become &id001/*id001.
    rt.representer.ignore_aliases = lambda _value: True
    return rt


def _node(value: Any, key: str | None = None) -> Any:
    """A fresh ruamel node for a canonical value."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import LiteralScalarString

    if isinstance(value, dict):
        mapping = CommentedMap((k, _node(v, k)) for k, v in value.items())
        if key in FLOW_LISTS:
            mapping.fa.set_flow_style()
        return mapping
    if isinstance(value, list):
        return CommentedSeq(_node(v, key) for v in value)
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value)
    return value


def dump_new(tree: dict[str, Any], header: str = "") -> str:
    """The canonical text of a new case file."""
    out = io.StringIO()
    out.write(header)
    _round_trip().dump(_node(tree), out)
    return out.getvalue()


def rewrite(text: str, old: dict[str, Any], new: dict[str, Any]) -> str:
    """`text` with the differences between `old` and `new` patched in, nothing else.

    A file saved with Windows line endings (CRLF) keeps them on every line. YamlProblem when
    ruamel.yaml cannot round-trip a text that libyaml reads (`clé<tab>: valeur`)."""
    from ruamel.yaml.error import YAMLError as RuamelError

    crlf = "\r\n" in text
    text = text.replace("\r\n", "\n") if crlf else text
    rt = _round_trip()
    mapping, sequence, offset = guess_indent(text)
    rt.indent(mapping=mapping, sequence=sequence, offset=offset)
    out = io.StringIO()
    try:
        document = rt.load(text)
        _patch_map(document, old, new)
        rt.dump(document, out)
    except (RuamelError, *_UNREADABLE, RecursionError) as error:
        raise _french(error, text) from None  # type: ignore[arg-type]
    # ruamel keeps the "\r" of comment lines only: without this the file would mix both.
    return out.getvalue().replace("\n", "\r\n") if crlf else out.getvalue()


_KEY_LINE = re.compile(r"( *)[^\s#-][^:#]*:\s*(#.*)?$")
_NESTED_KEY = re.compile(r"( +)[^\s#-][^:#]*:")
_ITEM = re.compile(r"( *)- ")


def guess_indent(text: str) -> tuple[int, int, int]:
    """The file's own (mapping, sequence, offset) indentation, so a rewrite keeps its layout.

    Defaults are the canonical layout: mappings by 2, list dashes indented by 2 under their key.
    """
    mapping = offset = None
    parent: int | None = None
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if parent is not None:
            if offset is None and (item := _ITEM.match(line)):
                offset = len(item.group(1)) - parent
            elif mapping is None and (nested := _NESTED_KEY.match(line)):
                mapping = len(nested.group(1)) - parent
        key = _KEY_LINE.match(line)
        parent = len(key.group(1)) if key else None
        if mapping is not None and offset is not None:
            break
    mapping = mapping if mapping and mapping > 0 else 2
    offset = offset if offset is not None and offset >= 0 else 2
    return mapping, offset + 2, offset


def _patch_map(node: Any, old: dict[str, Any], new: dict[str, Any]) -> None:
    for key in old:
        if key not in new and key in node:
            del node[key]
    previous: str | None = None
    for key, value in new.items():
        before = old.get(key)
        if key in node and before == value:
            previous = key
            continue
        current = node.get(key) if key in node else None
        if isinstance(value, dict) and isinstance(before, dict) and isinstance(current, dict):
            _patch_map(current, before, value)
        elif isinstance(value, list) and isinstance(before, list) and isinstance(current, list):
            _patch_list(current, before, value, key)
        elif key in node:
            node[key] = _node(value, key)
        else:
            keys = list(node.keys())
            position = keys.index(previous) + 1 if previous in keys else 0
            node.insert(position, key, _node(value, key))
        previous = key


def _patch_list(node: Any, old: list[Any], new: list[Any], key: str) -> None:
    if _is_subsequence(old, new):  # items added (events): insert them, touch nothing else
        matched = 0
        for position, value in enumerate(new):
            if matched < len(old) and old[matched] == value:
                matched += 1
            else:
                node.insert(position, _node(value, key))
        return
    if len(old) == len(new):  # items edited in place
        for index, (before, value) in enumerate(zip(old, new, strict=True)):
            if before == value:
                continue
            if isinstance(before, dict) and isinstance(value, dict):
                _patch_map(node[index], before, value)
            else:
                node[index] = _node(value, key)
        return
    node[:] = [_node(value, key) for value in new]


def _is_subsequence(old: list[Any], new: list[Any]) -> bool:
    remaining = iter(new)
    return len(new) > len(old) and all(any(item == n for n in remaining) for item in old)


def canonical(value: Any) -> Any:
    """A model dump with the empty parts left out: what a new file holds, in field order."""
    if isinstance(value, dict):
        kept = {k: canonical(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v not in (None, [], {}, "")}
    if isinstance(value, list | tuple):
        return [canonical(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    return value


# ---------------------------------------------------------------------------- the settings


def add_to_list(text: str, keys: tuple[str, str], value: str, default: Sequence[str] = ()) -> str:
    """`text` (visites.yaml) with `value` added at the end of the list at `keys` (`listes`,
    `communes`), and nothing else changed: the list keeps its layout (`[a, b]` over one or more
    lines, or one `- item` a line), every comment stays. A list the file does not have is
    written with `default` (the list it stood for) and `value`. YamlProblem when the file's
    shape does not allow it (then the list is to be extended by hand)."""
    import yaml

    from visites.yamlio import YamlProblem, _composed, load

    section, key = keys
    before = load(text) or {}
    item = _scalar_text(value)
    root = _composed(text)
    if not isinstance(root, yaml.MappingNode) and root is not None:
        raise YamlProblem("visites.yaml n'est pas une suite de « clé: valeur »", 1)
    holder = _value_node(root, section) if root is not None else None
    if holder is None:  # no `listes:` section: add it at the end
        listed = ", ".join(_scalar_text(v) for v in (*default, value))
        ending = "" if not text or text.endswith("\n") else "\n"
        new = f"{text}{ending}{section}:\n  {key}: [{listed}]\n"
    elif not isinstance(holder, yaml.MappingNode) or holder.flow_style:
        raise YamlProblem(f"{section} : section attendue, une clé par ligne", _line(holder))
    else:
        node = _value_node(holder, key)
        if node is None:  # the section lacks this list: a new line at its end
            indent = " " * holder.value[0][0].start_mark.column
            listed = ", ".join(_scalar_text(v) for v in (*default, value))
            new = _after_line(text, _end(holder), f"{indent}{key}: [{listed}]")
        else:
            new = _appended(text, node, item)
    expected = dict(before)
    lists = dict(expected.get(section) or {})
    lists[key] = [*(lists[key] if isinstance(lists.get(key), list) else default), value]
    expected[section] = lists
    if load(new) != expected:  # never write a settings file that says something else
        raise YamlProblem(f"{section}.{key} : ajout impossible sans réécrire la liste", None)
    return new


def _value_node(mapping: Any, key: str) -> Any:
    return next((v for k, v in mapping.value if getattr(k, "value", None) == key), None)


def _line(node: Any) -> int:
    return node.start_mark.line + 1


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _scalar_text(value: str) -> str:
    """`value` as one item of a YAML list, quoted only where YAML needs it."""
    import yaml

    dumped = yaml.safe_dump([value], default_flow_style=True, allow_unicode=True, width=10**6)
    return dumped.strip()[1:-1]


LINE_LENGTH = 100


def _appended(text: str, node: Any, item: str) -> str:
    import yaml

    from visites.yamlio import YamlProblem

    if isinstance(node, yaml.ScalarNode):  # `referents:` left empty, or `~`
        if node.value not in ("", "~", "null", "Null", "NULL"):
            raise YamlProblem("liste attendue", _line(node))
        start, end = node.start_mark.index, node.end_mark.index
        space = "" if text[start - 1 : start] == " " else " "
        return f"{text[:start]}{space}[{item}]{text[end:]}"
    if not isinstance(node, yaml.SequenceNode):
        raise YamlProblem("liste attendue", _line(node))
    if node.flow_style:
        close = node.end_mark.index - 1
        if text[close] != "]":
            raise YamlProblem("liste entre crochets mal fermée", _line(node))
        if not node.value:
            return f"{text[:close]}{item}{text[close:]}"
        last = _end(node.value[-1])
        line = text[_line_start(text, close) : close + 1]  # up to the bracket, not a comment
        if len(line) + len(item) + 2 > LINE_LENGTH:  # wrapped as the list already is
            indent = " " * (node.start_mark.column + 1)
            return f"{text[:last]},\n{indent}{item}{text[last:]}"
        return f"{text[:last]}, {item}{text[last:]}"
    first = node.value[0]
    dash = text.rfind("-", _line_start(text, first.start_mark.index), first.start_mark.index)
    indent = " " * (dash - _line_start(text, dash))
    return _after_line(text, _end(node), f"{indent}- {item}")


def _after_line(text: str, index: int, line: str) -> str:
    """`text` with `line` inserted after the line that holds `index`."""
    line_end = text.find("\n", index)
    if line_end < 0:
        return f"{text}\n{line}\n"
    return f"{text[: line_end + 1]}{line}\n{text[line_end + 1 :]}"


def _end(node: Any) -> int:
    """Where the text of `node` ends (for a block collection: that of its last value)."""
    import yaml

    while (
        isinstance(node, yaml.MappingNode | yaml.SequenceNode)
        and node.value
        and not (node.flow_style)
    ):
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    return node.end_mark.index
