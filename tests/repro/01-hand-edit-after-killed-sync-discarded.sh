#!/usr/bin/env bash
# A sync killed while it concludes its merge leaves the merged files in the work tree. The
# worker adds a visit by hand to one of them (any editor; `visites check` is clean). The
# next `visites sync` rolls the half-done merge back with `git checkout HEAD -- file`: the
# hand-written visit is gone, without a word (« vos enregistrements sont intacts »).
# Expected: the hand edit is kept, or the sync stops naming the file (as it does for a hand
# edit made without a kill: « modifications non enregistrées (2015-001.yaml) »).
source "$(dirname "$0")/lib.sh"
team a b
event a 2015-001 "note A" >/dev/null
v a sync >/dev/null
event b 2015-001 "note B" 2015-02-05 >/dev/null
kill_sync_at b ref:prepared:refs/heads 2>/dev/null   # killed during the merge commit
printf -- '  - date: 2015-02-09\n    type: visite\n    note: visite notée à la main\n' >> "$W/b/2015-001.yaml"
v b check >/dev/null && echo "check: the hand-edited file is valid"
v b sync
verdict "2015-001 on b after the sync:"
grep -n "note:" "$W/b/2015-001.yaml"
if grep -q "visite notée à la main" "$W/b/2015-001.yaml" || g b log -p | grep -q "visite notée à la main"; then
  echo "OK: the hand edit is kept"; exit 0
else
  echo "BROKEN: the visit written by hand is lost (not in the file, not in the history)"; exit 1
fi
