# Shared set-up for the attack repros: a bare remote and clones, fictional data only.
# Usage: source tests/repro/lib.sh; team a b [c]   (then: v a visites-args… / g a git-args…)
# VISITES: the command to run visites (default: the worktree's .venv, else `visites`).
set -u
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if [ -z "${VISITES:-}" ]; then
  if [ -x "$HERE/.venv/bin/visites" ]; then VISITES="$HERE/.venv/bin/visites"; else VISITES=visites; fi
fi
PY="$(dirname "$(command -v "$VISITES")")/python"; [ -x "$PY" ] || PY=python3
W="$(mktemp -d /tmp/attack-XXXXXX)"
export GIT_CONFIG_GLOBAL="$W/gitconfig" GIT_CONFIG_NOSYSTEM=1 LC_ALL=C.UTF-8
unset VISITES_CASES VISITES_USER GIT_DIR GIT_WORK_TREE 2>/dev/null || true
git config --file "$W/gitconfig" init.defaultBranch main
git config --file "$W/gitconfig" advice.detachedHead false

v() { local c="$1"; shift; "$VISITES" --cases "$W/$c" "$@"; }
g() { local c="$1"; shift; git -C "$W/$c" "$@"; }
referral() {  # referral CLONE "Household name" [date] → prints the ID
  v "$1" new-referral --household "$2" --commune Nantes --context entree \
     --referrer "Mme Prescriptrice" --date "${3:-2015-01-12}" | tail -1
}
event() { v "$1" event "$2" --kind visite --date "${4:-2015-02-03}" --note "$3"; }
team() {  # team a b [c]: remote equipe.git, first clone made by init with 3 cases
  git init -q --bare "$W/equipe.git"
  local first="$1"; shift
  "$VISITES" init "$W/$first" >/dev/null
  g "$first" config user.name "Poste $first"; g "$first" config user.email "$first@example.org"
  g "$first" remote add origin "$W/equipe.git"
  referral "$first" "Famille Départ Un" >/dev/null
  referral "$first" "Famille Départ Deux" >/dev/null
  referral "$first" "Famille Départ Trois" >/dev/null
  v "$first" sync >/dev/null
  for c in "$@"; do
    git clone -q "$W/equipe.git" "$W/$c"
    g "$c" config user.name "Poste $c"; g "$c" config user.email "$c@example.org"
    v "$c" sync >/dev/null
  done
}
# kill_sync CLONE SECONDS: visites sync killed (whole process group) after SECONDS
kill_sync() {
  setsid "$VISITES" --cases "$W/$1" sync >/dev/null 2>&1 &
  local pid=$!
  sleep "$2"; kill -KILL -- -"$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  local rc=$?; [ "$rc" = 137 ] && echo "(sync on $1 killed after $2 s)" || echo "(sync on $1 ended before $2 s: rc $rc)"
}
verdict() { echo; echo "== $*"; }
# kill_sync_at CLONE POINT [sync-args…]: visites sync SIGKILLed (with its git and merge
# driver) at POINT: driver:N (the Nth call of the merge driver) or ref:STATE:REF (git's
# reference-transaction hook, e.g. ref:prepared:ORIG_HEAD, ref:committed:refs/heads).
kill_sync_at() {
  local c="$1" point="$2"; shift 2
  local tools="$W/kill-tools"; mkdir -p "$tools/hooks"; rm -f "$tools/counter"
  cat > "$tools/driver" <<DRV
#!/bin/sh
n=\$(cat "$tools/counter" 2>/dev/null || echo 0); n=\$((n+1)); echo \$n > "$tools/counter"
case "\$KILL_POINT" in driver:\$n) kill -KILL 0 ;; esac
exec "$PY" -m visites.services.sync.mergedriver "\$@"
DRV
  cat > "$tools/hooks/reference-transaction" <<'HOOK'
#!/bin/sh
refs=$(cat)
kind=${KILL_POINT%%:*}; rest=${KILL_POINT#*:}; state=${rest%%:*}; ref=${rest#*:}
if [ "$kind" = ref ] && [ "$1" = "$state" ]; then
  case "$refs" in *"$ref"*) kill -KILL 0 ;; esac
fi
exit 0
HOOK
  chmod +x "$tools/driver" "$tools/hooks/reference-transaction"
  KILL_POINT="$point" GIT_CONFIG_COUNT=2 \
    GIT_CONFIG_KEY_0=merge.visites.driver GIT_CONFIG_VALUE_0="$tools/driver %O %A %B %P" \
    GIT_CONFIG_KEY_1=core.hooksPath GIT_CONFIG_VALUE_1="$tools/hooks" \
    setsid "$VISITES" --cases "$W/$c" sync "$@" >/dev/null 2>&1 &
  wait $! 2>/dev/null; local rc=$?
  [ "$rc" = 137 ] && echo "(sync on $c killed at $point)" || echo "(sync on $c NOT killed at $point: rc $rc)"
}
