#!/usr/bin/env bash
# HTTP load benchmark: the example homeserver (its web application, the filter in front of
# whoami) against the same whoami servlet without the filter, in the same server and the same
# run, alternating, over loopback with wrk. Writes a Markdown report to
# bench/results/http-<timestamp>.md and prints it. Benchmarks are not tests: nothing here asserts
# a time. Usage: bash bench/http-load.sh [scenario ...]   (default: all scenarios below)
#
# Scenarios: h2-10k, h2-1m, pg-1m (tokens in the database; 10,000 hot tokens drawn at random),
# h2-10k-default-lifetime (the same with the default 1 s cache lifetime of a node without
# change notifications), pg-flood (cached-token whoami on PostgreSQL alone, then with a
# concurrent flood of guessed tokens from the same address: FLOOD rules), h2-kinds (one token
# of each kind, each in a single-token run: user, puppet, appservice with user_id, guest
# macaroon, unknown; and the web application's own handlers against a bare context),
# h2-oauth (a token of a real OAuth 2.0 authorization server, introspected once and cached),
# pg-cold (the first use of valid tokens on PostgreSQL, every token sent once, against a public
# /versions request in the same server: COLD_USERS users, default 600,000; MAU tracking off, as
# the example's defaults), pg-cold-mau (the same with limit_usage_by_mau).
# KINDS="user guest" limits h2-kinds to those kinds (e.g. for more pairs of the one that matters).
# SERVER_JAVA_OPTS adds JVM options to the server (e.g. a profiler agent, as BENCHMARKS.md shows).
#
# The steady figure is the server's CPU time per request (filter minus bare, in the same run);
# req/s swings by +-15 % between runs on this machine.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PORT=${PORT:-18080}
DURATION=${DURATION:-10s}
PAIRS=${PAIRS:-3}
CONNECTIONS=${CONNECTIONS:-"8 32"}
PG_ADMIN=${PG_ADMIN:-"postgresql://postgres@127.0.0.1:5432/postgres"}

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
mvn -B -q install -DskipTests
mvn -B -q -f webapp-example/pom.xml install -DskipTests -DskipITs
mvn -B -q -f bench/pom.xml package -DskipTests
mvn -B -q -f bench/pom.xml dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
CP="bench/target/classes:$(cat bench/target/classpath.txt)"

WORK=$(mktemp -d)
REPORT="bench/results/http-$(date -u +%Y%m%dT%H%M%SZ).md"
mkdir -p bench/results
# Only a server still running is stopped: `kill 0` would signal the caller's whole process group.
trap 'if [ -n "${SERVER_PID:-}" ]; then kill "$SERVER_PID" 2>/dev/null || true; fi; rm -rf "$WORK"' EXIT

stats() { curl -s "http://127.0.0.1:$PORT/bare/bench/stats"; }
field() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
# The median of the numbers on stdin (of an even count, the mean of the middle two), and with
# "range" their range: "median (min to max)".
median() { python3 -c "import statistics, sys
v = [float(x) for x in sys.stdin.read().split()]
print(f'{statistics.median(v):.3f}' if '$1' == 'ratio' else f'{statistics.median(v):.2f} ({min(v):.2f} to {max(v):.2f})')"; }

run_wrk() { # path connections -> "rps p50_ms p99_ms errors requests"; with TOKEN set, that one token
  # (wrk's own request, built once: the load generator formats nothing per request); with
  # FIRST_USE="FIRST COUNT", tokens FIRST.. of $WORK/ordered.txt, each sent once (firstuse.lua)
  if [ -n "${FIRST_USE:-}" ]; then
    # shellcheck disable=SC2086 # FIRST_USE: two numbers, two arguments
    wrk -t"${THREADS:-2}" -c"$2" -d"$DURATION" -s bench/firstuse.lua "http://127.0.0.1:$PORT$1" -- "$WORK/ordered.txt" $FIRST_USE "${THREADS:-2}" \
      | tee "$WORK/firstuse.out"
  elif [ -n "${TOKEN:-}" ]; then
    wrk -t"${THREADS:-2}" -c"$2" -d"$DURATION" -s bench/static.lua -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT$1"
  else
    wrk -t"${THREADS:-2}" -c"$2" -d"$DURATION" -s bench/whoami.lua "http://127.0.0.1:$PORT$1" -- "$WORK/hot.txt"
  fi \
    | awk '/^RESULT/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
           printf "%.0f %.2f %.2f %d %d\n", v["requests"] / (v["duration_us"] / 1e6), v["p50_us"] / 1000, v["p99_us"] / 1000, v["errors"], v["requests"] }'
}

cpu_run() { # path connections -> "rps p50_ms p99_ms errors cpu_us_per_request statements_per_request": the server's CPU time and its request threads' SQL statements over the run
  local before after
  before=$(stats)
  read -r rps p50 p99 err requests < <(run_wrk "$1" "$2")
  after=$(stats)
  python3 - "$before" "$after" "$requests" <<PY
import json, sys
before, after = (json.loads(a) for a in sys.argv[1:3])
requests = max(int(sys.argv[3]), 1)
cpu = (after["process_cpu_ns"] - before["process_cpu_ns"]) / 1000 / requests
statements = (after["request_thread_statements"] - before["request_thread_statements"]) / requests
print(f"$rps $p50 $p99 $err {cpu:.2f} {statements:.3f}")
PY
}

start_server() { # database_url tokens lifetime [oauth]
  local url=$1 tokens=$2 lifetime=$3 mode=${4:-}
  java -cp "$CP" org.matrixauth.bench.Seeder "$url" "${SEED_USERS:-10000}" "$tokens" 10000 "$WORK/hot.txt" | tee -a "$WORK/seed.log"
  cat > "$WORK/homeserver.yaml" <<YAML
server_name: bench
database: "$url"
track_puppeted_user_ips: true
track_appservice_user_ips: true
limit_usage_by_mau: ${MAU:-true}
max_mau_value: 10000000
macaroon_secret_key: bench-macaroon-key
app_service_config_files: ["$WORK/appservice.yaml"]
auth_cache:
  max_tokens: 1100000
  lifetime_without_notifications: $lifetime
${EXTRA_CONFIG:-}
YAML
  cat > "$WORK/appservice.yaml" <<YAML
id: bench
url: null
as_token: bench_as_token
hs_token: bench_hs_token
sender_localpart: _bench_bot
namespaces:
  users: [{regex: '@_bench_.*', exclusive: true}]
YAML
  local extra=()
  [ "$mode" = oauth ] && extra=(oauth "$WORK/oauth-token.txt")
  # shellcheck disable=SC2086 # SERVER_JAVA_OPTS: extra JVM options for the server, e.g. a profiler agent
  java -Xmx2g ${SERVER_JAVA_OPTS:-} -cp "$CP" org.matrixauth.bench.LoadServer "$WORK/homeserver.yaml" "$PORT" "${extra[@]}" > "$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 120); do grep -q READY "$WORK/server.log" && break; sleep 0.5; done
  if [ "$mode" = oauth ]; then # warm the JIT and the introspection cache with the one token
    for _ in 1 2 3; do TOKEN=$(cat "$WORK/oauth-token.txt") DURATION=5s run_wrk /_matrix/client/v3/account/whoami 32 > /dev/null; done
    TOKEN=x DURATION=5s run_wrk /bare/_matrix/client/v3/account/whoami 32 > /dev/null
    return
  fi
  [ "${WARM:-yes}" = no ] && return # the caller warms up in its own way
  # Warm up the JIT and the caches (every hot token used once at least), then count from zero.
  for _ in $(seq 1 12); do
    DURATION=5s run_wrk /_matrix/client/v3/account/whoami 32 > /dev/null
    [ "$(stats | field token_cache_size)" -ge 10000 ] && break
  done
  DURATION=5s run_wrk /bare/_matrix/client/v3/account/whoami 32 > /dev/null
}

stop_server() {
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=
}

scenario() { # name database_url tokens lifetime
  local name=$1 url=$2 tokens=$3 lifetime=$4
  start_server "$url" "$tokens" "$lifetime"
  local before; before=$(stats)
  curl -s -X POST "http://127.0.0.1:$PORT/bare/bench/stats" > /dev/null
  local filtered_requests=0
  {
    echo
    echo "### $name ($tokens tokens in the database, 10,000 hot, cache lifetime without notifications $lifetime)"
    echo
    echo "| connections | pair | filter req/s | filter p50 ms | filter p99 ms | bare req/s | bare p50 ms | bare p99 ms | ratio | errors | filter CPU µs/req | bare CPU µs/req | added CPU µs/req |"
    echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  } >> "$REPORT"
  for c in $CONNECTIONS; do
    ratios=()
    added=()
    for pair in $(seq 1 "$PAIRS"); do
      read -r frps fp50 fp99 ferr fcpu _ < <(cpu_run /_matrix/client/v3/account/whoami "$c")
      read -r brps bp50 bp99 berr bcpu _ < <(cpu_run /bare/_matrix/client/v3/account/whoami "$c")
      filtered_requests=$((filtered_requests + frps * ${DURATION%s}))
      ratio=$(python3 -c "print(f'{$frps / $brps:.3f}')")
      ratios+=("$ratio")
      plus=$(python3 -c "print(f'{$fcpu - $bcpu:.2f}')")
      added+=("$plus")
      echo "| $c | $pair | $frps | $fp50 | $fp99 | $brps | $bp50 | $bp99 | $ratio | $((ferr + berr)) | $fcpu | $bcpu | $plus |" >> "$REPORT"
    done
    median=$(printf '%s\n' "${ratios[@]}" | median ratio)
    cpu=$(printf '%s\n' "${added[@]}" | median range)
    echo "| $c | median | | | | | | | $median | | | | $cpu |" >> "$REPORT"
  done
  local after; after=$(stats)
  sleep 6 # one more flush
  local flushed; flushed=$(stats)
  python3 - "$before" "$after" "$flushed" "$filtered_requests" >> "$REPORT" <<'PY'
import json, sys
before, after, flushed = (json.loads(a) for a in sys.argv[1:4])
requests = int(sys.argv[4])
statements = after["request_thread_statements"]
misses = after["token_cache_misses"] - before["token_cache_misses"]
rows, flushes = flushed["client_ip_written_rows"], flushed["client_ip_flushes"]
print()
print(f"- SQL statements on request threads during the measured runs: {statements} for about {requests:,} filtered requests"
      f" ({statements / max(requests, 1):.6f} per request); token cache misses in that time: {misses}"
      f" ({statements / max(misses, 1):.2f} statements per miss where there were misses).")
print(f"- Client IPs since start (warm-up included): {rows:,} rows written in {flushes} flushes"
      f" ({rows / max(flushes, 1):,.0f} rows per flush) for at most 10,000 distinct (user, token, ip) keys per 120 s;"
      f" dropped {flushed['client_ip_dropped_rows']}, still pending {flushed['client_ip_pending_rows']}.")
print(f"- Change notifications active: {after['change_notifications']}.")
PY
  stop_server
}

single_token_rows() { # kind path token -> one table row per pair and the median, single-token runs
  local kind=$1 path=$2 token=$3 c=16 added=() row
  for pair in $(seq 1 "$PAIRS"); do
    read -r frps _ fp99 ferr fcpu fsql < <(TOKEN=$token cpu_run "$path" "$c")
    read -r brps _ bp99 berr bcpu _ < <(TOKEN=$token cpu_run "/bare$path" "$c")
    plus=$(python3 -c "print(f'{$fcpu - $bcpu:.2f}')")
    added+=("$plus")
    echo "| $kind | $pair | $frps | $fp99 | $brps | $bp99 | $fsql | $fcpu | $bcpu | $plus |" >> "$REPORT"
  done
  row=$(printf '%s\n' "${added[@]}" | median range)
  echo "| $kind | median | | | | | | | | $row |" >> "$REPORT"
}

single_token_header() {
  {
    echo
    echo "### $1"
    echo
    echo "| token | pair | filter req/s | filter p99 ms | bare req/s | bare p99 ms | SQL statements/req | filter CPU µs/req | bare CPU µs/req | added CPU µs/req |"
    echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  } >> "$REPORT"
}

kinds_scenario() { # name database_url: one token of each kind, single-token runs (FLOOD relaxed so the unknown token is looked up)
  local name=$1 url=$2
  EXTRA_CONFIG=$'rc_failed_token_checks:\n  per_second: 1000000\n  burst_count: 1000000' start_server "$url" 10000 10m
  single_token_header "$name (10,000 tokens; each run sends one token, wrk -t2 -c16 with a static header; rc_failed_token_checks relaxed so that the unknown token reaches the database)"
  while read -r kind path token; do
    case " ${KINDS:-user puppet appservice guest unknown} " in
      *" $kind "*) single_token_rows "$kind" "$path" "$token" ;;
    esac
  done < "$WORK/hot.txt.kinds"
  # The web application's own handlers (Jetty's session and security handlers) against a bare
  # ServletContextHandler, both without the filter: what a WebAppContext costs before any filter.
  local added=() webapp plain
  for pair in $(seq 1 "$PAIRS"); do
    read -r _ _ _ _ webapp _ < <(TOKEN=x cpu_run /bare/_matrix/client/v3/account/whoami 16)
    read -r _ _ _ _ plain _ < <(TOKEN=x cpu_run /plain/_matrix/client/v3/account/whoami 16)
    added+=("$webapp/$plain")
  done
  echo >> "$REPORT"
  echo "- No filter, WebAppContext (bare) against ServletContextHandler (plain), CPU µs/req per pair: ${added[*]}." >> "$REPORT"
  stop_server
}

oauth_scenario() { # name database_url: a cached introspected token of a real authorization server
  local name=$1 url=$2
  start_server "$url" 10000 10m oauth
  single_token_header "$name (delegation to a real OAuth 2.0 authorization server, Spring Authorization Server; one token, introspected once, then cached)"
  single_token_rows introspected /_matrix/client/v3/account/whoami "$(cat "$WORK/oauth-token.txt")"
  stop_server
}

flood_scenario() { # name database_url: cached-token whoami alone, then beside a flood of guesses
  local name=$1 url=$2 c=16
  start_server "$url" 10000 1s
  {
    echo
    echo "### $name (10,000 tokens, cached-token whoami with $c connections; flood: wrk -t1 -c$c, a new guessed token per request, same address, rc_failed_token_checks defaults)"
    echo
    echo "| pair | alone req/s | alone p99 ms | with flood req/s | with flood p99 ms | flood req/s | flood answered 401/429 | statements on request threads during the flood |"
    echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
  } >> "$REPORT"
  for pair in $(seq 1 "$PAIRS"); do
    read -r arps ap50 ap99 aerr < <(run_wrk /_matrix/client/v3/account/whoami "$c")
    curl -s -X POST "http://127.0.0.1:$PORT/bare/bench/stats" > /dev/null
    wrk -t1 -c"$c" -d"$DURATION" -s bench/flood.lua "http://127.0.0.1:$PORT/_matrix/client/v3/account/whoami" > "$WORK/flood.out" &
    local flood_pid=$!
    read -r wrps wp50 wp99 werr < <(run_wrk /_matrix/client/v3/account/whoami "$c")
    wait "$flood_pid"
    local statements; statements=$(stats | field request_thread_statements)
    read -r frps fnon2xx < <(awk '/^FLOOD/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
        printf "%.0f %d\n", v["requests"] / (v["duration_us"] / 1e6), v["non2xx"] }' "$WORK/flood.out")
    echo "| $pair | $arps | $ap99 | $wrps | $wp99 | $frps | $fnon2xx | $statements |" >> "$REPORT"
  done
  stop_server
}

cold_scenario() { # name database_url users: the first use of valid tokens, each sent once (issue 28)
  local name=$1 url=$2 users=$3 c=8
  SEED_USERS=$users WARM=no start_server "jdbc:postgresql://127.0.0.1:5432/${url##*/}?user=postgres&reWriteBatchedInserts=true" "$users" 10m
  # One token a user, none used yet, and a node that has seen none of the users: the first use
  # after a restart (or beside Synapse with the short lifetime, every token's use after its
  # entry expired). Every user counts as active this month already (a MAU row of today); the
  # tables are analysed, as autovacuum would have.
  python3 - "$users" > "$WORK/ordered.txt" <<'PY'
import sys
for i in range(int(sys.argv[1])):
    v = (i * 0x9E3779B9) & 0xFFFFFFFF
    print(f"syt_bench_{i}_{int(f'{v:032b}'[::-1], 2):x}")
PY
  psql "$url" -q -c "INSERT INTO monthly_active_users (user_id, timestamp) SELECT name, $(date +%s)000 FROM users WHERE name LIKE '@user%'" -c "ANALYZE"
  local used=0 budget=${BUDGET:-80000} added=() room reused
  for _ in $(seq 1 "${COLD_WARMUP_RUNS:-6}"); do # the JIT and the pools, on first uses too
    FIRST_USE="$used 30000" DURATION=5s cpu_run /_matrix/client/v3/account/whoami "$c" > /dev/null; used=$((used + $(consumed)))
  done
  DURATION=5s run_wrk /_matrix/client/versions "$c" > /dev/null
  # PROFILE=PREFIX: async-profiler (ASYNC_PROFILER: its libasyncProfiler.so) over the measured first
  # uses alone, CPU time by thread, written to PREFIX-<scenario>.collapsed for bench/collapsed-steps.py.
  local profiled=0
  # (one quoted argument: jcmd would read the options' "=" as its own)
  profiler() { [ -z "${PROFILE:-}" ] || jcmd "$SERVER_PID" "JVMTI.agent_load $ASYNC_PROFILER \"$1\"" > /dev/null; }
  {
    echo
    echo "### $name ($users users, one token each, never used; wrk -t2 -c$c, each token sent once, against a public /versions request in the same server; limit_usage_by_mau: $MAU, every user active this month already)"
    echo
    echo "| pair | first use req/s | p50 ms | p99 ms | CPU µs/req | statements/req on request threads | /versions req/s | CPU µs/req | added CPU µs/req | errors, tokens used twice |"
    echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  } >> "$REPORT"
  for pair in $(seq 1 "$PAIRS"); do
    room=$((users - used))
    profiler "$([ "$pair" = 1 ] && echo start || echo resume),event=itimer,interval=100us,threads"
    read -r frps fp50 fp99 ferr fcpu fsql < <(FIRST_USE="$used $((room < budget ? room : budget))" cpu_run /_matrix/client/v3/account/whoami "$c")
    profiler "stop$([ "$pair" = "$PAIRS" ] && echo ",file=${PROFILE:-}-$name.collapsed,collapsed")"
    reused=$(reused); used=$((used + $(consumed))); profiled=$((profiled + $(consumed)))
    read -r vrps _ _ verr vcpu _ < <(cpu_run /_matrix/client/versions "$c")
    added+=("$(python3 -c "print(f'{$fcpu - $vcpu:.2f}')")")
    echo "| $pair | $frps | $fp50 | $fp99 | $fcpu | $fsql | $vrps | $vcpu | ${added[-1]} | $((ferr + verr)), $reused |" >> "$REPORT"
  done
  echo "| median | | | | | | | | $(printf '%s\n' "${added[@]}" | median range) | |" >> "$REPORT"
  [ -n "${PROFILE:-}" ] && echo "- Profiled (async-profiler, itimer) over the $profiled first uses of the table: $PROFILE-$name.collapsed (\`python3 bench/collapsed-steps.py $PROFILE-$name.collapsed CPU_US_PER_REQUEST\`)." >> "$REPORT"
  echo >> "$REPORT"
  echo "- $used tokens used in all (warm-up included); the statements are the request threads' (the batched writes are the background's)." >> "$REPORT"
  stop_server
}

# Of the last firstuse.lua run: the requests sent past the end of its list (tokens used again), and
# the tokens it used for the first time.
reused() { awk '/^RESULT/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "reused") print kv[2] } }' "$WORK/firstuse.out"; }
consumed() { awk '/^RESULT/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } print v["requests"] - v["reused"] }' "$WORK/firstuse.out"; }

{
  echo "# HTTP load, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem/ { print $2 }') GiB, $(java -version 2>&1 | head -1), $(wrk --version 2>&1 | head -1)."
  echo "wrk -t2, $DURATION per run, pairs alternate filter/bare; the server and wrk share the cores."
} > "$REPORT"

for name in ${@:-h2-kinds h2-oauth h2-10k h2-1m pg-1m h2-10k-default-lifetime pg-flood}; do
  case "$name" in
    h2-kinds) kinds_scenario "$name" "jdbc:h2:file:$WORK/h2-kinds" ;;
    h2-oauth) oauth_scenario "$name" "jdbc:h2:file:$WORK/h2-oauth" ;;
    h2-10k) scenario "$name" "jdbc:h2:file:$WORK/h2-10k" 10000 10m ;;
    h2-1m) scenario "$name" "jdbc:h2:file:$WORK/h2-1m" 1000000 10m ;;
    h2-10k-default-lifetime) scenario "$name" "jdbc:h2:file:$WORK/h2-default" 10000 1s ;;
    pg-1m)
      db="bench_$(date +%s)"
      psql "$PG_ADMIN" -q -c "CREATE DATABASE $db"
      scenario "$name" "jdbc:postgresql://127.0.0.1:5432/$db?user=postgres&reWriteBatchedInserts=true" 1000000 1s
      psql "$PG_ADMIN" -q -c "DROP DATABASE $db WITH (FORCE)" ;;
    pg-cold|pg-cold-mau) # the example's defaults (no MAU tracking), and with limit_usage_by_mau
      db="bench_$(date +%s)"
      psql "$PG_ADMIN" -q -c "CREATE DATABASE $db"
      MAU=$([ "$name" = pg-cold-mau ] && echo true || echo false) \
        cold_scenario "$name" "postgresql://postgres@127.0.0.1:5432/$db" "${COLD_USERS:-600000}"
      psql "$PG_ADMIN" -q -c "DROP DATABASE $db WITH (FORCE)" ;;
    pg-flood)
      db="bench_$(date +%s)"
      psql "$PG_ADMIN" -q -c "CREATE DATABASE $db"
      flood_scenario "$name" "jdbc:postgresql://127.0.0.1:5432/$db?user=postgres&reWriteBatchedInserts=true"
      psql "$PG_ADMIN" -q -c "DROP DATABASE $db WITH (FORCE)" ;;
    *) echo "unknown scenario $name" >&2; exit 2 ;;
  esac
done
cat "$REPORT"
