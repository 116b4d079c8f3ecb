#!/usr/bin/env bash
# The merge driver dies on one file (here: SIGKILLed alone, as the kernel's OOM killer does;
# the same happens when it fails with ENOSPC on a full disk, or with any Python exception):
# git keeps the local version of that file and marks it unmerged, without conflict markers.
# `visites sync` stops with a wrong description (« modifié d'un côté », « supprimé de
# l'autre »: nothing was deleted). The worker simply runs `visites sync` again: it takes
# the unmerged file as « decided by the user » (syncing._resume: every unmerged path is put
# in `user`, so it is not verified; still_conflicted only looks for markers), concludes
# the merge with the local version and pushes. A's event on 2015-002 is gone, on both clones.
# Expected: a file the driver did not merge is merged again (or the sync refuses to
# conclude it); the verification never skips it.
source "$(dirname "$0")/lib.sh"
team a b
for i in 1 2 3; do event a 2015-00$i "note A $i" >/dev/null; done
v a sync >/dev/null
for i in 1 2 3; do event b 2015-00$i "note B $i" 2015-02-05 >/dev/null; done
cat > "$W/driver" <<DRV
#!/bin/sh
n=\$(cat "$W/count" 2>/dev/null || echo 0); n=\$((n+1)); echo \$n > "$W/count"
if [ \$n = 2 ]; then kill -KILL \$\$; fi   # the driver alone dies on the 2nd file
exec "$PY" -m visites.services.sync.mergedriver "\$@"
DRV
chmod +x "$W/driver"
GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=merge.visites.driver GIT_CONFIG_VALUE_0="$W/driver %O %A %B %P" \
  v b sync; echo "(first sync: exit $?)"
v b sync; echo "(retry: exit $?)"
v a sync >/dev/null
verdict "events of 2015-002:"
for c in a b; do echo "$c: $(grep -h 'note:' "$W/$c/2015-002.yaml" | tr -s ' ' | tr '\n' ' ')"; done
if ! grep -q "note A 2" "$W/a/2015-002.yaml"; then
  echo "BROKEN: A's event on 2015-002 is lost on every clone"; exit 1
fi
echo OK
