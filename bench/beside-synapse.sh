#!/usr/bin/env bash
# Beside a running Synapse, on its own PostgreSQL database (CACHE-5): what the library costs and
# how fast it sees Synapse's revocations. Nothing of Synapse is built or started here: point it at
# one that runs. Usage:
#   SYNAPSE=http://127.0.0.1:8448 FILTER=http://127.0.0.1:8008 DB=synapse_live \
#   ADMIN=@admin:test ADMIN_PASSWORD=... USER_PASSWORD=... bash bench/beside-synapse.sh
# FILTER is the example homeserver (or any servlet behind the filter) started with Synapse's own
# homeserver.yaml. USERS (default "alice bob") are existing users of Synapse, all with
# USER_PASSWORD. Prints, for TOKENS tokens (default 8) used back to back for DURATION seconds (default 60):
# index and sequential scans of access_tokens per cached token per minute, and the stream's
# reads; then, for logout, device deletion, logout/all and deactivation made through Synapse's
# API, the milliseconds until the filter refuses the token (it polls every 10 ms).
set -euo pipefail
SYNAPSE=${SYNAPSE:-http://127.0.0.1:8448}
FILTER=${FILTER:-http://127.0.0.1:8008}
DB=${DB:-synapse_live}
PSQL="psql -h 127.0.0.1 -U postgres -d $DB -tAq"
TOKENS=${TOKENS:-8}
SECONDS_RUN=${DURATION:-60}
USERS=${USERS:-"alice bob"}
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
login() { # user [device] -> token
  curl -sS -X POST "$SYNAPSE/_matrix/client/r0/login" -H 'Content-Type: application/json' \
    -d "{\"type\":\"m.login.password\",\"identifier\":{\"type\":\"m.id.user\",\"user\":\"$1\"},\"password\":\"$2\"${3:+,\"device_id\":\"$3\"}}" \
    | json "['access_token']"
}
status() { curl -s -o /dev/null -w '%{http_code}' "$FILTER/_matrix/client/v3/account/whoami" -H "Authorization: Bearer $1"; }
scans() { $PSQL -c "SELECT COALESCE(idx_scan,0) + COALESCE(seq_scan,0) FROM pg_stat_user_tables WHERE relname = '$1'"; }
refused_after_ms() { # token -> ms until the filter answers it otherwise than 200 (from now)
  local start; start=$(date +%s%N)
  while [ "$(status "$1")" = 200 ]; do
    sleep 0.01
    if [ $(( ($(date +%s%N) - start) / 1000000 )) -gt 5000 ]; then echo "not refused within 5 s"; return; fi
  done
  echo "$(( ($(date +%s%N) - start) / 1000000 ))"
}

first_user=${USERS%% *}
tokens=()
for i in $(seq 1 "$TOKENS"); do
  for u in $USERS; do [ ${#tokens[@]} -lt "$TOKENS" ] && tokens+=("$(login "$u" "$USER_PASSWORD" "BENCH$i$u")"); done
done
for t in "${tokens[@]}"; do [ "$(status "$t")" = 200 ] || { echo "the filter refuses a fresh Synapse token" >&2; exit 1; }; done
sleep 7 # the first uses' writes (TOK-6's used flag, written with the client IPs every 5 s) are behind us
tokens_before=$(scans access_tokens); stream_before=$(scans cache_invalidation_stream_by_instance)
requests=0; end=$(( $(date +%s) + SECONDS_RUN ))
while [ "$(date +%s)" -lt "$end" ]; do
  for t in "${tokens[@]}"; do status "$t" >/dev/null; requests=$((requests + 1)); done
done
tokens_after=$(scans access_tokens); stream_after=$(scans cache_invalidation_stream_by_instance)
python3 - "$tokens_before" "$tokens_after" "$stream_before" "$stream_after" "$requests" "$TOKENS" "$SECONDS_RUN" <<'PY'
import sys
tb, ta, sb, sa, requests, tokens, seconds = map(int, sys.argv[1:])
minutes = seconds / 60
print(f"{requests} requests with {tokens} tokens in {seconds} s: access_tokens scans {ta - tb}"
      f" = {(ta - tb) / tokens / minutes:.2f} per cached token per minute;"
      f" stream reads {sa - sb} = {(sa - sb) / seconds:.1f} a second")
PY

admin_token=$(login "$ADMIN" "$ADMIN_PASSWORD")
t=$(login "$first_user" "$USER_PASSWORD" LOGOUTDEV); status "$t" >/dev/null
curl -sS -o /dev/null -X POST "$SYNAPSE/_matrix/client/r0/logout" -H "Authorization: Bearer $t" -d '{}'
echo "logout: refused after $(refused_after_ms "$t") ms"
t=$(login "$first_user" "$USER_PASSWORD" DELETEDEV); status "$t" >/dev/null
curl -sS -o /dev/null -X DELETE "$SYNAPSE/_synapse/admin/v2/users/@$first_user:$($PSQL -c "SELECT split_part(name, ':', 2) FROM users WHERE name LIKE '@$first_user:%'")/devices/DELETEDEV" \
  -H "Authorization: Bearer $admin_token"
echo "device deletion (admin API): refused after $(refused_after_ms "$t") ms"
t=$(login "$first_user" "$USER_PASSWORD" ALLDEV); status "$t" >/dev/null
curl -sS -o /dev/null -X POST "$SYNAPSE/_matrix/client/r0/logout/all" -H "Authorization: Bearer $t" -d '{}'
echo "logout/all: refused after $(refused_after_ms "$t") ms"
if [ -n "${DEACTIVATE:-}" ]; then
  t=$(login "$DEACTIVATE" "$USER_PASSWORD" GONEDEV); status "$t" >/dev/null
  user_id=$($PSQL -c "SELECT name FROM users WHERE name LIKE '@$DEACTIVATE:%'")
  curl -sS -o /dev/null -X POST "$SYNAPSE/_synapse/admin/v1/deactivate/$user_id" -H "Authorization: Bearer $admin_token" -d '{}'
  echo "deactivation (admin API): refused after $(refused_after_ms "$t") ms"
fi
