#!/usr/bin/env bash
# A and B, offline, each record a referral the landlord sent the same day, for two
# different households that happen to share a name (« Famille Martin », Nantes, same
# referrer and context: nothing else is asked by new-referral). Both get 2015-004. The sync
# decides they are one household entered twice (syncplan.collisions →
# casediff.different_households compares only `orientation_recue` and `menage`), so it
# does not renumber: it merges them field by field. One file now holds both households'
# notes (a debt here, domestic violence there), on every clone, exit 0.
# Expected: two referrals created apart are two cases (renumbered) unless they are the same
# file; at worst the sync asks.
source "$(dirname "$0")/lib.sh"
team a b
referral a "Famille Martin" 2015-03-02 >/dev/null
referral b "Famille Martin" 2015-03-02 >/dev/null
event a 2015-004 "Martin, rue des Lilas : dette de 2 000 euros" 2015-03-05 >/dev/null
event b 2015-004 "Martin, quai de la Fosse : violences conjugales" 2015-03-06 >/dev/null
v a sync >/dev/null; v b sync; v a sync >/dev/null
verdict "case files on a: $(ls "$W/a" | grep -c '^2015-') ; notes of 2015-004:"
grep 'note:' "$W/a/2015-004.yaml"
if grep -q "Lilas" "$W/a/2015-004.yaml" && grep -q "Fosse" "$W/a/2015-004.yaml"; then
  echo "BROKEN: two households' notes in one case file"; exit 1
fi
echo OK
