#!/usr/bin/env bash
# A case file disappears from A's folder by hand (file manager, `rm` by mistake); A then
# records a new referral. next_id only looks at the files present (and the registry, and
# the remote's numbers seen by sync), not at what git tracks: the new household gets
# 2015-003 again, and its commit turns the tracked 2015-003 (Famille Départ Trois) into
# another household. B had added a confidential note to the old 2015-003; both sync.
# Result: Famille Départ Trois is gone from every clone (only in the history), and its note
# is now in Famille Nouvelle's file, on every clone. Sync says all is well (exit 0).
# Expected: an ID git still tracks (or ever tracked) is never given again; a new file never
# replaces a tracked case; a note never lands in another household.
source "$(dirname "$0")/lib.sh"
team a b
event b 2015-003 "note confidentielle sur la famille Trois" >/dev/null
rm "$W/a/2015-003.yaml"
echo "new referral on a: $(referral a "Famille Nouvelle")"
v a sync; v b sync; v a sync
verdict "2015-003 on a and b:"
grep -n "nom:\|note:" "$W/a/2015-003.yaml" "$W/b/2015-003.yaml"
if grep -q "famille Trois" "$W/b/2015-003.yaml" && grep -q "Famille Nouvelle" "$W/b/2015-003.yaml"; then
  echo "BROKEN: the note about Famille Départ Trois is in Famille Nouvelle's file;"
  echo "        Famille Départ Trois has no file any more: $(grep -l 'Départ Trois' "$W"/b/2015-*.yaml || echo none)"
  exit 1
fi
echo OK
