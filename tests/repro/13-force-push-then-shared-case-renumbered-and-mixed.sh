#!/usr/bin/env bash
# 2015-004 (Famille Alpha) is on the remote and on b. C, offline, made its own 2015-004
# (Famille Gamma) and, instead of `visites sync`, typed `git push --force`. A syncs: since
# the remote's history no longer has Alpha, A's 2015-004 looks « added here, not yet
# sent » and is renumbered to 2015-005, although the whole team knew it as 2015-004. B,
# who had added a visit to Alpha's 2015-004, syncs: the note lands in Gamma's file (the
# merge sees « menage changed there, an event added here » and takes both). Exit 0 all
# along; every clone ends with Alpha's note in Gamma's case.
# Cause: syncdecide.renumber takes « added since the merge-base » as « never sent »; the
# previous remote-tracking ref (what this clone knew the team had) is not looked at, and a
# remote whose history was rewritten is not noticed. A case modified on both sides whose
# household changed on one side (syncplan) is merged field by field.
source "$(dirname "$0")/lib.sh"
team a b c
referral a "Famille Alpha" >/dev/null; v a sync >/dev/null
v b sync >/dev/null
referral c "Famille Gamma" >/dev/null
g c push -q --force origin main 2>/dev/null
event b 2015-004 "visite chez la famille Alpha" 2015-02-05 >/dev/null
v a sync; v b sync; v c sync >/dev/null; v a sync >/dev/null
verdict "on a:"
for f in "$W"/a/2015-00[45].yaml; do echo "$(basename "$f"): $(grep 'nom:' "$f") | $(grep 'note:' "$f" | tr -s ' ')"; done
if grep -q "Gamma" "$W/a/2015-004.yaml" && grep -q "famille Alpha" "$W/a/2015-004.yaml"; then
  echo "BROKEN: the note about Alpha is in Gamma's case; Alpha's ID changed after it was shared"; exit 1
fi
echo OK
