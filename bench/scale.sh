#!/usr/bin/env bash
# Scale benchmark (issue 28, "cost as the work grows"): the example homeserver (LoadServer: the
# filter in front of whoami, and the same whoami bare) on PostgreSQL databases of Synapse's row
# shapes at growing sizes, with growing sets of active tokens drawn by a zipf-like law
# (bench/zipf.lua), on one node and on two. Benchmarks are not tests: nothing here asserts a time.
#
# Run it under the machine's lock (it builds, seeds and loads; nothing inside takes the lock):
#   flock /tmp/maven.lock bash bench/scale.sh
# Knobs (environment): SIZES ("1k 100k 1m"), ACTIVE ("1000 10000 100000", each capped at the
# tokens that exist), NODES ("1 2"), WARMUP (10s), DURATION (15s), CONNECTIONS (16 in all, split
# between the nodes), THREADS (2 in all), ZIPF_S (1.0), MAX_TOKENS_SWEEP ("10000 50000 100000
# 200000": auth_cache.max_tokens at the biggest size, the biggest ACTIVE, 1 node; "" skips it),
# BESIDE_SIZE (100k: the beside-synapse database, "" skips it), BESIDE_NODES ("1 2"),
# REVOKE (5 tokens revoked per revocation kind), PRIME (1: every active token used on every node
# before the warm-up: the steady state; otherwise the run follows a cold start), SKIP_BUILD (1: use bench/target as it is),
# SERVER_HEAP (1g per node), PG_ADMIN, PORT_BASE (18180).
#
# Per cell (size, mode, active, nodes): the nodes start afresh; wrk warms them up for WARMUP, then
# measures DURATION on the filter and DURATION on the bare whoami (same tokens, same servers);
# then each node's heap after a full GC. With 2 nodes at the biggest ACTIVE, every active token is
# then cached on both and REVOKE of them are revoked (logout through node A, polled on node B
# every 10 ms) and REVOKE more by SQL as Synapse would (trigger mode: the row deleted;
# beside-synapse: the row deleted and Synapse's stream row in the same transaction), polled on both.
# Writes bench/results/scale-<timestamp>.csv, .md (the report, also printed) and .png (ScalePlot).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-"1k 100k 1m"}
ACTIVE=${ACTIVE:-"1000 10000 100000"}
NODES=${NODES:-"1 2"}
WARMUP=${WARMUP:-10s}
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
ZIPF_S=${ZIPF_S:-1.0}
MAX_TOKENS_SWEEP=${MAX_TOKENS_SWEEP-"10000 50000 100000 200000"}
BESIDE_SIZE=${BESIDE_SIZE-100k}
BESIDE_NODES=${BESIDE_NODES:-"1 2"}
REVOKE=${REVOKE:-5}
SERVER_HEAP=${SERVER_HEAP:-1g}
PG_ADMIN=${PG_ADMIN:-"postgresql://postgres@127.0.0.1:5432/postgres"}
PORT_BASE=${PORT_BASE:-18180}

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
if [ "${SKIP_BUILD:-}" != 1 ]; then
  mvn -B -q install -DskipTests
  mvn -B -q -f webapp-example/pom.xml install -DskipTests -DskipITs
  mvn -B -q -f bench/pom.xml package -DskipTests
  mvn -B -q -f bench/pom.xml dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
fi
CP="bench/target/classes:$(cat bench/target/classpath.txt)"

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
CSV="bench/results/scale-$STAMP.csv"
REPORT="bench/results/scale-$STAMP.md"
PNG="bench/results/scale-$STAMP.png"
mkdir -p bench/results
WORK=$(mktemp -d)
PIDS=()
DBS=()
# Only what this script started is stopped (never `kill 0`: it would signal the caller's whole
# process group), and only the databases it created are dropped.
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  for db in "${DBS[@]}"; do psql "$PG_ADMIN" -q -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "series,mode,size,users,tokens,active,nodes,max_tokens,connections,zipf_s,rps,p50_ms,p99_ms,errors,cpu_us_per_req,bare_rps,bare_p50_ms,bare_p99_ms,bare_cpu_us_per_req,added_cpu_us_per_req,hit_rate,token_misses,request_statements_per_req,all_statements_per_req,db_xacts_per_req,heap_after_gc_mib,token_cache_size" > "$CSV"
{
  echo "# Scale, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem/ { print $2 }') GiB, $(java -version 2>&1 | head -1), $(wrk --version 2>&1 | head -1), $(psql -V)."
  echo "wrk $THREADS threads and $CONNECTIONS connections in all (split between the nodes), $([ "${PRIME:-}" = 1 ] && echo "every active token first used on every node (PRIME=1), then ")warm-up $WARMUP, then $DURATION on the filter and $DURATION on the bare whoami; tokens drawn by bench/zipf.lua with s=$ZIPF_S; server heap $SERVER_HEAP per node; the servers, wrk and PostgreSQL share the cores."
  echo "CPU µs/req: the nodes' process CPU time over the run / the requests served. Hit rate: token cache hits / (hits + misses) over the filter run. Statements/req: request threads' statements (filter run); every statement through the library's JDBI of all threads, and PostgreSQL's transactions on the database (pg_stat_database), both from the filter run's start to the end of the bare run (so that the client-IP and MAU writes the filter run caused are in), over the filter run's requests. With 2 nodes, p50 is the mean and p99 the larger of the two wrk figures; heap is the mean of the nodes."
  echo
  echo "| series | mode | size | tokens | active | nodes | max_tokens | req/s | p50 ms | p99 ms | err | filter CPU µs/req | bare CPU µs/req | added CPU µs/req | hit rate | stmts/req (request) | stmts/req (all) | db xacts/req | heap after GC MiB |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
} > "$REPORT"
REVOCATIONS="$WORK/revocations.md"
: > "$REVOCATIONS"
echo "none-revoked" > "$WORK/revoked.txt"

count() { # 1k 100k 1m -> 1000 100000 1000000
  case "$1" in
    *k) echo $(( ${1%k} * 1000 )) ;;
    *m) echo $(( ${1%m} * 1000000 )) ;;
    *) echo "$1" ;;
  esac
}

start_nodes() { # url nodes max_tokens -> PIDS, NODE_PORTS
  local url=$1 n=$2 max_tokens=$3 i
  {
    echo "server_name: bench"
    echo "database: \"$url\""
    echo "track_puppeted_user_ips: true"
    echo "track_appservice_user_ips: true"
    echo "limit_usage_by_mau: true"
    echo "max_mau_value: 100000000"
    echo "macaroon_secret_key: bench-macaroon-key"
    if [ -n "$max_tokens" ]; then printf 'auth_cache:\n  max_tokens: %s\n' "$max_tokens"; fi
    echo "${EXTRA_CONFIG:-}"
  } > "$WORK/homeserver.yaml"
  NODE_PORTS=()
  PIDS=()
  for i in $(seq 0 $((n - 1))); do
    local port=$((PORT_BASE + i))
    java -Xmx"$SERVER_HEAP" ${SERVER_JAVA_OPTS:-} -cp "$CP" org.matrixauth.bench.LoadServer "$WORK/homeserver.yaml" "$port" > "$WORK/server-$i.log" 2>&1 &
    PIDS+=($!)
    NODE_PORTS+=("$port")
  done
  for i in $(seq 0 $((n - 1))); do
    for _ in $(seq 1 240); do grep -q READY "$WORK/server-$i.log" && break; sleep 0.25; done
    grep -q READY "$WORK/server-$i.log" || { echo "node $i did not start:" >&2; tail -30 "$WORK/server-$i.log" >&2; exit 1; }
  done
}

stop_nodes() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  PIDS=()
}

stats_all() { # tag [query]: each node's stats to $WORK/stats-tag-i.json
  local i
  for i in "${!NODE_PORTS[@]}"; do
    curl -sf "http://127.0.0.1:${NODE_PORTS[$i]}/bare/bench/stats${2:-}" > "$WORK/stats-$1-$i.json"
  done
}

wrk_nodes() { # path duration tokens_file tag [script_arg]: one wrk per node, started together
  local path=$1 duration=$2 file=$3 tag=$4 n=${#NODE_PORTS[@]} i pids=()
  local c=$((CONNECTIONS / n)) t=$((THREADS / n))
  [ "$t" -ge 1 ] || t=1
  for i in "${!NODE_PORTS[@]}"; do
    wrk -t"$t" -c"$c" -d"$duration" -s bench/zipf.lua "http://127.0.0.1:${NODE_PORTS[$i]}$path" -- "$file" "${5:-$ZIPF_S}" > "$WORK/wrk-$tag-$i.out" 2>&1 &
    pids+=($!)
  done
  wait "${pids[@]}"
}

db_xacts() { psql "$PG_ADMIN" -tAq -c "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '$1'"; }

prime() { # tokens_file count: every active token used on every node (the cache holds them all), as far as the cache bound allows
  local file=$1 want=$2 i size
  for _ in $(seq 1 20); do
    wrk_nodes /_matrix/client/v3/account/whoami 5s "$file" prime seq
    size=$(for i in "${!NODE_PORTS[@]}"; do curl -sf "http://127.0.0.1:${NODE_PORTS[$i]}/bare/bench/stats"; echo; done \
      | python3 -c "import json, sys; print(min(json.loads(l)['token_cache_size'] for l in sys.stdin if l.strip()))")
    [ "$size" -ge $((want * 99 / 100)) ] && return
  done
  echo "  (priming: $size of $want tokens cached on the emptiest node)"
}

cell() { # series mode size db tokens active nodes max_tokens
  local series=$1 mode=$2 size=$3 db=$4 tokens=$5 active=$6 n=$7 max_tokens=$8
  local url="jdbc:postgresql://127.0.0.1:5432/$db?user=postgres"
  # The tokens an earlier cell's revocation logged out are not drawn again.
  grep -vxFf "$WORK/revoked.txt" "$WORK/active-$db.txt" | head -n "$active" > "$WORK/active.txt" || true
  echo "cell: $series $mode $size active=$active nodes=$n max_tokens=${max_tokens:-default}"
  start_nodes "$url" "$n" "$max_tokens"
  # PRIME=1: every active token (as many as the cache holds) used on every node first, so that
  # the run measures the steady state of that active set, not its first uses after a start.
  if [ "${PRIME:-}" = 1 ]; then
    prime "$WORK/active.txt" "$(( active < ${max_tokens:-100000} ? active : ${max_tokens:-100000} ))"
  fi
  wrk_nodes /_matrix/client/v3/account/whoami "$WARMUP" "$WORK/active.txt" warm
  wrk_nodes /bare/_matrix/client/v3/account/whoami 5s "$WORK/active.txt" warm-bare
  local x0; x0=$(db_xacts "$db")
  stats_all f0
  wrk_nodes /_matrix/client/v3/account/whoami "$DURATION" "$WORK/active.txt" filter
  stats_all f1
  wrk_nodes /bare/_matrix/client/v3/account/whoami "$DURATION" "$WORK/active.txt" bare
  stats_all b1
  sleep 1 # PostgreSQL's statistics are flushed once a second at most
  local x1; x1=$(db_xacts "$db")
  stats_all gc "?gc=1"
  python3 - "$WORK" "$n" "$x0" "$x1" "$series,$mode,$size,$(count "$size"),$tokens,$active,$n,${max_tokens:-100000},$CONNECTIONS,$ZIPF_S" >> "$CSV" <<'PY'
import json, re, sys
work, n, x0, x1, prefix = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
def stats(tag): return [json.load(open(f"{work}/stats-{tag}-{i}.json")) for i in range(n)]
def wrk(tag):
    out = []
    for i in range(n):
        line = next(l for l in open(f"{work}/wrk-{tag}-{i}.out") if l.startswith("RESULT"))
        out.append({k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", line)})
    return out
def delta(a, b, key): return sum(y[key] - x[key] for x, y in zip(a, b))
f0, f1, b1, gc = stats("f0"), stats("f1"), stats("b1"), stats("gc")
fw, bw = wrk("filter"), wrk("bare")
freq, breq = max(sum(w["requests"] for w in fw), 1), max(sum(w["requests"] for w in bw), 1)
frps = sum(w["requests"] / (w["duration_us"] / 1e6) for w in fw)
brps = sum(w["requests"] / (w["duration_us"] / 1e6) for w in bw)
fcpu = delta(f0, f1, "process_cpu_ns") / 1000 / freq
bcpu = delta(f1, b1, "process_cpu_ns") / 1000 / breq
hits, misses = delta(f0, f1, "token_cache_hits"), delta(f0, f1, "token_cache_misses")
row = [frps, sum(w["p50_us"] for w in fw) / n / 1000, max(w["p99_us"] for w in fw) / 1000,
       sum(w["errors"] for w in fw) + sum(w["errors"] for w in bw), fcpu,
       brps, sum(w["p50_us"] for w in bw) / n / 1000, max(w["p99_us"] for w in bw) / 1000, bcpu, fcpu - bcpu,
       hits / max(hits + misses, 1), misses,
       delta(f0, f1, "request_thread_statements") / freq, delta(f0, b1, "all_statements") / freq, (x1 - x0) / freq,
       sum(s["heap_used_bytes"] for s in gc) / n / 2**20, sum(s["token_cache_size"] for s in gc) / n]
fmt = ["%.0f", "%.2f", "%.2f", "%d", "%.2f", "%.0f", "%.2f", "%.2f", "%.2f", "%.2f", "%.4f", "%d", "%.4f", "%.4f", "%.4f", "%.1f", "%.0f"]
print(prefix + "," + ",".join(f % v for f, v in zip(fmt, row)))
PY
  tail -1 "$CSV" | awk -F, '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
    $1, $2, $3, $5, $6, $7, $8, $11, $12, $13, $14, $15, $19, $20, $21, $23, $24, $25, $26 }' >> "$REPORT"
  tail -1 "$REPORT"
  if [ "$n" = 2 ] && [ "$active" = "$REVOKE_AT" ] && [ "$series" != cache-bound ]; then
    revocation "$mode" "$size" "$db" "$active"
  fi
  stop_nodes
}

revocation() { # mode size db active: every active token cached on both nodes, then REVOKE revoked twice over
  local mode=$1 size=$2 db=$3 active=$4
  prime "$WORK/active.txt" "$active"
  # Tokens of the tail (ranks spread over the last half), each checked cached on both nodes first.
  python3 - "$WORK/active.txt" "${NODE_PORTS[0]}" "${NODE_PORTS[1]}" "$REVOKE" "$mode" "$db" "$PG_ADMIN" "$size" "$active" "$WORK/revoked.txt" >> "$REVOCATIONS" <<'PY'
import http.client, subprocess, sys, time
file, port_a, port_b, count, mode, db, pg_admin, size, active, revoked = sys.argv[1:]
tokens = [l.strip() for l in open(file) if l.strip()]
count = int(count)
WHOAMI = "/_matrix/client/v3/account/whoami"
conns = {p: http.client.HTTPConnection("127.0.0.1", int(p), timeout=5) for p in (port_a, port_b)}
def call(port, method, path, token, body=None):
    c = conns[port]
    for attempt in (1, 2):
        try:
            c.request(method, path, body=body, headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
            r = c.getresponse(); r.read(); return r.status
        except (http.client.HTTPException, OSError):
            c.close()
            if attempt == 2: raise
def until_refused(ports, token, start, bound=5.0):
    """ms from start until every port answers 401, polling every 10 ms; None past the bound."""
    waiting = list(ports)
    while waiting:
        waiting = [p for p in waiting if call(p, "GET", WHOAMI, token) == 200]
        if not waiting: break
        if time.perf_counter() - start > bound: return None
        time.sleep(0.01)
    return (time.perf_counter() - start) * 1000
half = len(tokens) // 2
picks = [tokens[half + (len(tokens) - half) * k // (2 * count + 1)] for k in range(1, 2 * count + 1)]
with open(revoked, "a") as out: # logout ends the device's tokens: only these exist per device here
    out.writelines(t + "\n" for t in picks)
for t in picks: # cached on both: a second request is a hit
    for p in (port_a, port_b):
        assert call(p, "GET", WHOAMI, t) == 200, "token not accepted before revocation"
stream = mode == "beside-synapse"
results = {"logout": [], "sql": []}
for t in picks[:count]: # through node A's client API, polled on node B
    start = time.perf_counter()
    status = call(port_a, "POST", "/_matrix/client/v3/logout", t, "{}")
    assert status == 200, f"logout answered {status}"
    results["logout"].append(until_refused([port_b], t, start))
for t in picks[count:]: # as Synapse would: the row deleted (and, beside Synapse, its stream row), polled on both nodes
    sql = f"BEGIN; DELETE FROM access_tokens WHERE token = '{t}';"
    if stream:
        sql += (" INSERT INTO cache_invalidation_stream_by_instance (stream_id, instance_name, cache_func, keys, invalidation_ts)"
                f" VALUES (nextval('cache_invalidation_stream_seq'), 'master', 'get_user_by_access_token', ARRAY['{t}'],"
                " (extract(epoch from now()) * 1000)::bigint);")
    sql += " COMMIT;"
    url = pg_admin.rsplit("/", 1)[0] + "/" + db
    subprocess.run(["psql", url, "-q", "-c", sql], check=True, stdout=subprocess.DEVNULL)
    results["sql"].append(until_refused([port_a, port_b], t, time.perf_counter()))
def show(v): return "not refused within 5 s" if v is None else f"{v:.0f}"
labels = {"logout": "POST /logout on node A, until node B answers 401 (from before the logout)",
          "sql": ("Synapse's logout by SQL (row deleted, stream row get_user_by_access_token, one transaction), until both nodes answer 401 (from the commit)"
                  if stream else "the row deleted by SQL (trigger NOTIFY), until both nodes answer 401 (from the commit)")}
for kind, values in results.items():
    done = [v for v in values if v is not None]
    print(f"| {mode} | {size} | {active} | {labels[kind]} | {' '.join(show(v) for v in values)} | {show(max(done)) if done else '-'} |")
PY
  tail -2 "$REVOCATIONS"
}

seed() { # size mode -> DB, TOKENS
  local size=$1 mode=$2 users
  users=$(count "$size")
  DB="bench_scale_${size}_$(date +%s)"
  [ "$mode" = beside-synapse ] && DB="${DB}_synapse"
  psql "$PG_ADMIN" -q -c "CREATE DATABASE $DB"
  DBS+=("$DB")
  echo "none-revoked" > "$WORK/revoked.txt" # the token strings repeat from one database to the next
  java -cp "$CP" org.matrixauth.bench.ScaleSeeder "jdbc:postgresql://127.0.0.1:5432/$DB?user=postgres" "$users" "$mode" \
    "$WORK/active-$DB.txt" "$MAX_ACTIVE" 2>&1 | grep -v '^SLF4J' | tee -a "$WORK/seed.log"
  TOKENS=$(psql "${PG_ADMIN%/*}/$DB" -tAq -c "SELECT COUNT(*) FROM access_tokens")
}

drop() {
  psql "$PG_ADMIN" -q -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)"
}

MAX_ACTIVE=$(printf '%s\n' $ACTIVE | sort -n | tail -1)
sweep() { # series mode size nodes_list
  local series=$1 mode=$2 size=$3 nodes_list=$4 seen="" active capped n
  seed "$size" "$mode"
  REVOKE_AT=$(( MAX_ACTIVE < TOKENS ? MAX_ACTIVE : TOKENS ))
  for active in $ACTIVE; do
    capped=$(( active < TOKENS ? active : TOKENS ))
    case " $seen " in *" $capped "*) continue ;; esac
    seen="$seen $capped"
    for n in $nodes_list; do cell "$series" "$mode" "$size" "$DB" "$TOKENS" "$capped" "$n" ""; done
  done
  LAST_DB=$DB LAST_TOKENS=$TOKENS
}

BIGGEST=$(for s in $SIZES; do echo "$(count "$s") $s"; done | sort -n | tail -1 | cut -d' ' -f2)
for size in $SIZES; do
  sweep main notify "$size" "$NODES"
  if [ "$size" = "$BIGGEST" ] && [ -n "$MAX_TOKENS_SWEEP" ]; then
    capped=$(( MAX_ACTIVE < LAST_TOKENS ? MAX_ACTIVE : LAST_TOKENS ))
    for max_tokens in $MAX_TOKENS_SWEEP; do
      cell cache-bound notify "$size" "$LAST_DB" "$LAST_TOKENS" "$capped" 1 "$max_tokens"
    done
  fi
  drop "$LAST_DB"
done
if [ -n "$BESIDE_SIZE" ]; then
  sweep beside-synapse beside-synapse "$BESIDE_SIZE" "$BESIDE_NODES"
  drop "$LAST_DB"
fi

{
  echo
  echo "Seeding (ScaleSeeder, seconds per table):"
  echo
  echo '```'
  cat "$WORK/seed.log"
  echo '```'
  if [ -s "$REVOCATIONS" ]; then
    echo
    echo "### Revocation at size (2 nodes, every active token cached on both; polled every 10 ms; ms per token, then the largest)"
    echo
    echo "| mode | size | active | revoked by | ms each | max ms |"
    echo "| --- | --- | --- | --- | --- | --- |"
    cat "$REVOCATIONS"
  fi
  echo
  echo "CSV: \`$CSV\`; plot: \`$PNG\`."
} >> "$REPORT"
java -Djava.awt.headless=true -cp "$CP" org.matrixauth.bench.ScalePlot "$CSV" "$PNG" || echo "(the plot failed)" >&2
cat "$REPORT"
