#!/usr/bin/env bash
# A closes and deletes 2015-003 (right to erasure) and syncs. B, who had added a visit to
# 2015-003, types `git pull --no-rebase` (as for any git folder): git stops on a
# modify/delete conflict and leaves B's copy in the tree. B then runs `visites sync` (the
# README: « visites sync termine la fusion »): it concludes the merge with the deleted
# household's file and pushes, exit 0, without the « supprimé par un·e collègue » stop.
# A's next sync brings the erased household back on A's own clone.
# Cause: the erasure check (syncdecide.erasures) runs only in syncing._merge; _resume takes
# every unmerged path as the user's decision (lenient) and never looks at the registry.
# Expected: the same stop as a merge made by visites (« --accept-erasure / --keep-as-new »).
source "$(dirname "$0")/lib.sh"
team a b
v a close 2015-003 --date 2015-02-10 --outcome "rupture ou abandon" >/dev/null
v a delete 2015-003 --yes >/dev/null
v a sync >/dev/null
event b 2015-003 "visite chez la famille Trois" >/dev/null
g b pull -q --no-rebase 2>&1 | grep CONFLICT
v b sync; echo "(b sync: exit $?)"
v a sync >/dev/null
verdict "on a (who deleted 2015-003):"
ls "$W/a" | grep 2015-
if [ -e "$W/a/2015-003.yaml" ]; then
  echo "BROKEN: the deleted household is back: $(grep 'nom:' "$W/a/2015-003.yaml"); registre.yaml still says: $(grep 2015-003 "$W/a/registre.yaml")"
  exit 1
fi
echo OK
