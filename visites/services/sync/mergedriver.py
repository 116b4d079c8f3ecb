"""Git's merge driver for case files: `python -m visites.services.sync.mergedriver %O %A %B
%P`, installed by `visites init` (and by every writing command in a clone, see
gitops.ensure_setup).

Git calls it once per case file changed on both sides, so it stays light: no command line
framework, no models (pydantic), only the YAML reader and writer and the pure merge
(`casediff.merge`). The result is written into %A; exit 0 when clean, 1 when a conflict is
left for the user (the file then carries a `conflit_visites` section, or git's markers when a
side is not readable YAML).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from visites import yamlio
from visites.merge import casediff, comments


@dataclass(frozen=True)
class FileMerge:
    clean: bool
    conflicts: list[casediff.Conflict]
    textual: bool  # a side did not parse: git's line merge was used


def merge_file(base: Path, ours: Path, theirs: Path) -> FileMerge:
    """Three-way merge of one case file into OURS (git's merge-driver contract)."""
    from visites.files import write_case
    from visites.git import run as gitops

    try:
        texts = [yamlio.decode(p.read_bytes()) for p in (base, ours, theirs)]
        trees = [yamlio.load(t) for t in texts]
    except (yamlio.YamlProblem, OSError):
        trees = None
    if (
        trees is None
        or not all(isinstance(t, dict) for t in trees[1:])
        or (trees[0] is not None and not isinstance(trees[0], dict))
    ):
        return FileMerge(gitops.textual_merge(base, ours, theirs) == 0, [], True)
    merged = casediff.merge(trees[0], trees[1], trees[2])
    result = casediff.with_conflicts(merged.tree, merged.conflicts)
    text = None if merged.conflicts else _line_merge(base, ours, theirs, result)
    if text is None:
        text = _render(texts[1], trees[1], result)
        for at_end in (False, True):  # at the end when a comment's place would change a value
            kept = comments.keep(text, texts[0], [texts[1], texts[2]], at_end=at_end)
            if _reads_as(kept, result):
                text = kept
                break
    # Git's own file for the merge: the one case write, which never follows a link.
    write_case(ours, text.encode("utf-8"), ours.name, despite_read_only=True)
    return FileMerge(not merged.conflicts, merged.conflicts, False)


def _reads_as(text: str, tree: dict[str, Any]) -> bool:
    try:
        return yamlio.load(text) == tree
    except yamlio.YamlProblem:
        return False


def _line_merge(base: Path, ours: Path, theirs: Path, merged: dict[str, Any]) -> str | None:
    """Git's line merge of the three texts, when it is clean and reads back as the field by
    field merge: then every line of both sides is there (comments, layout, a text-only
    change). None otherwise (the field by field merge is rendered instead)."""
    import subprocess

    done = subprocess.run(
        ["git", "merge-file", "-p", "-q", str(ours), str(base), str(theirs)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        return None
    try:
        text = yamlio.decode(done.stdout)
    except yamlio.YamlProblem:
        return None
    return text if _reads_as(text, merged) else None


def _render(ours_text: str, ours_tree: dict[str, Any], merged: dict[str, Any]) -> str:
    """OURS's text patched with the merge (comments and layout survive); a fresh dump of the
    merged tree if the patch would not read back exactly."""
    from visites import yamlwrite

    try:
        text = yamlwrite.rewrite(ours_text, ours_tree, merged)
        if yamlio.load(text) == merged:
            return text
    except Exception:  # noqa: BLE001 - any surprise in the patch: the plain dump is safe
        pass
    from visites.casefile import HEADER

    return yamlwrite.dump_new(merged, HEADER)


def shown_name(name: str | None, fallback: Path) -> str:
    """« dossier 2015-007 (2015-007.yaml) » for a case file git names."""
    if not name:
        return str(fallback)
    stem = Path(name).name.removesuffix(".yaml")
    return f"dossier {stem} ({name})" if stem[:4].isdigit() and "-" in stem else name


def main(argv: list[str]) -> int:
    """`%O %A %B [%P]`; messages on stderr, in French, as git shows them."""
    if len(argv) not in (3, 4):
        usage = "usage : python -m visites.services.sync.mergedriver BASE LOCALE DISTANTE [NOM]"
        print(usage, file=sys.stderr)
        return 2
    base, ours, theirs = (Path(a) for a in argv[:3])
    result = merge_file(base, ours, theirs)
    shown = shown_name(argv[3] if len(argv) == 4 else None, ours)
    for conflict in result.conflicts:
        print(f"visites : conflit dans {shown} sur « {conflict.path} »", file=sys.stderr)
    if result.textual and not result.clean:
        print(f"visites : {shown} illisible d'un côté, fusion ligne à ligne", file=sys.stderr)
    return 0 if result.clean else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
