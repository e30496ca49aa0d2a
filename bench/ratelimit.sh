#!/usr/bin/env bash
# bench/ratelimit.sh: what a rate limit that never binds costs HARP, in cluster mode and in local mode, against the
# same HARP with no limit, in one run.
#
# Variants (each its own standalone HARP node, eventLoops: 1), interleaved A B C ... for --rounds rounds, medians:
#   nolimit          no rateLimit block (the baseline every ratio divides by)
#   cluster-1key     mode: cluster, by: client       (wrk is one client: one hot key, decisions coalesce)
#   local-1key       mode: local,   by: client
#   cluster-1000keys mode: cluster, by: header:X-Api-Key, wrk sends 1000 rotating keys (little coalescing)
#   local-1000keys   mode: local,   same keys
#   local-1000keys-1s  the same with syncInterval: 1s (local mode's cost is one cluster call per active key per
#                    node per syncInterval; its overshoot bound grows with the interval: the trade-off, measured)
# Every limit is 10 million requests per second: it never binds, so every request is admitted and forwarded, and
# the difference to "nolimit" is the price of deciding. In a standalone node the key's partition owner is the node
# itself: a cluster-mode decision is a real entry-processor call through Hazelcast's partition thread, but no
# network hop. In a real cluster 2/3 of the keys live on other members (one round trip more per decision, coalesced
# per key and event loop); that adds latency more than CPU on the deciding node.
#
# Pinning (the machine has 2 cores): the HARP nodes and the upstream nginx on core 0, wrk (1 thread) on core 1, as
# bench/proxy.sh does. CPU us/request = utime+stime of the HARP process per completed request (/proc/<pid>/stat):
# the steadiest figure on a shared machine.
#
# Safety: everything on 127.0.0.1, configs/pids/logs in a temp dir, every run bounded by --duration/--warmup, every
# process started here killed on exit (trap). No downloads.
#
# Usage: bench/ratelimit.sh [--rounds 3] [--duration 10] [--warmup 20] [--connections 64] [--base-port 28300] [--keep]
# Needs: wrk, nginx, taskset, curl, a built gateway/target/harp.jar (./mvnw -q -B package -DskipTests).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)

rounds=3
duration=10
warmup=20
connections=64
base_port=28300
proxy_cpu=0
wrk_cpu=1
keep=0

usage() { sed -n '2,/^set -eu/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --base-port) base_port=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) usage 0 ;;
    *) echo "unknown option: $1" >&2; usage 2 >&2 ;;
  esac
done
for n in "$rounds" "$duration" "$warmup" "$connections" "$base_port"; do
  case "$n" in ''|*[!0-9]*) echo "numeric option expected, got '$n'" >&2; exit 2 ;; esac
done
[ "$duration" -ge 1 ] && [ "$duration" -le 300 ] || { echo "--duration must be 1..300 s" >&2; exit 2; }
[ "$warmup" -le 300 ] || { echo "--warmup must be <= 300 s" >&2; exit 2; }
[ "$rounds" -ge 1 ] && [ "$rounds" -le 50 ] || { echo "--rounds must be 1..50" >&2; exit 2; }
for tool in wrk nginx taskset curl; do
  command -v "$tool" >/dev/null 2>&1 || { echo "missing tool: $tool" >&2; exit 1; }
done
jar="$repo/gateway/target/harp.jar"
[ -f "$jar" ] || { echo "missing $jar: build with ./mvnw -q -B package -DskipTests" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/harp-ratelimit-bench.XXXXXX")
pids=()
cleanup() {
  trap - EXIT INT TERM
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for _ in $(seq 50); do
    alive=0
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ "$alive" -eq 0 ] && break
    sleep 0.1
  done
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  if [ "$keep" -eq 1 ]; then echo "kept $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
next_port=$base_port
alloc_port() {
  while ! port_free "$next_port"; do next_port=$((next_port + 1)); done
  port=$next_port
  next_port=$((next_port + 1))
}
wait_ready() {   # url pid name: up to ~90 s (a JVM with Hazelcast on a busy core takes a while)
  for _ in $(seq 900); do
    kill -0 "$2" 2>/dev/null || { echo "$3 exited during start; its log:" >&2; cat "$tmp/$3.log" >&2; exit 1; }
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" 2>/dev/null)" = 200 ] && return 0
    sleep 0.1
  done
  echo "$3 not ready after 90 s; its log:" >&2; cat "$tmp/$3.log" >&2; exit 1
}

# ---- upstream: nginx, 1 worker, fixed 1 KiB body ------------------------------------------------------------------
alloc_port; up_port=$port
body=$(head -c 1024 /dev/zero | tr '\0' 'x')
mkdir -p "$tmp/nginx-tmp"
cat >"$tmp/upstream.conf" <<EOF
worker_processes 1;
daemon off;
worker_rlimit_nofile 10000;
events { worker_connections 4096; }
pid $tmp/upstream.pid;
error_log $tmp/upstream.err warn;
http {
  access_log off;
  client_body_temp_path $tmp/nginx-tmp/body; proxy_temp_path $tmp/nginx-tmp/proxy;
  fastcgi_temp_path $tmp/nginx-tmp/fastcgi; uwsgi_temp_path $tmp/nginx-tmp/uwsgi; scgi_temp_path $tmp/nginx-tmp/scgi;
  keepalive_requests 100000000; keepalive_timeout 120s;
  server {
    listen 127.0.0.1:$up_port;
    location / { default_type application/octet-stream; return 200 "$body"; }
  }
}
EOF
(cd "$tmp" && exec taskset -c "$proxy_cpu" nginx -p "$tmp" -e "$tmp/upstream.err" -c "$tmp/upstream.conf" \
  >"$tmp/upstream.log" 2>&1) &
pids+=("$!")
wait_ready "http://127.0.0.1:$up_port/" "$!" upstream

# wrk script for the 1000-key variants: each request carries one of 1000 API keys, in turn.
cat >"$tmp/keys.lua" <<'EOF'
local i = 0
request = function()
  i = (i + 1) % 1000
  return wrk.format("GET", "/", { ["X-Api-Key"] = "key-" .. i })
end
EOF

# ---- the HARP variants --------------------------------------------------------------------------------------------
labels=(nolimit cluster-1key local-1key cluster-1000keys local-1000keys local-1000keys-1s)
declare -A block script url pid
block[nolimit]=""
block[cluster-1key]="rateLimit: {mode: cluster, by: client, limits: [{requests: 10000000, per: 1s}]}"
block[local-1key]="rateLimit: {mode: local, by: client, limits: [{requests: 10000000, per: 1s}]}"
block[cluster-1000keys]="rateLimit: {mode: cluster, by: 'header:X-Api-Key', limits: [{requests: 10000000, per: 1s}]}"
block[local-1000keys]="rateLimit: {mode: local, by: 'header:X-Api-Key', limits: [{requests: 10000000, per: 1s}]}"
block[local-1000keys-1s]="rateLimit: {mode: local, syncInterval: 1s, by: 'header:X-Api-Key', limits: [{requests: 10000000, per: 1s}]}"
script[cluster-1000keys]="$tmp/keys.lua"
script[local-1000keys]="$tmp/keys.lua"
script[local-1000keys-1s]="$tmp/keys.lua"
for v in "${labels[@]}"; do
  alloc_port; hp=$port
  alloc_port; ap=$port
  cat >"$tmp/$v.yaml" <<EOF
node: {name: bench-$v-$$, eventLoops: 1}
admin: {bind: 127.0.0.1, port: $ap}
proxies:
  - name: bench
    bind: 127.0.0.1
    port: $hp
    upstream: {endpoints: ["http://127.0.0.1:$up_port"], poolSize: 128}
    ${block[$v]}
EOF
  (cd "$tmp" && exec taskset -c "$proxy_cpu" "$repo/bin/harp" run --config "$tmp/$v.yaml" >"$tmp/$v.log" 2>&1) &
  pid[$v]=$!; pids+=("$!")
  url[$v]="http://127.0.0.1:$hp/"
done
for v in "${labels[@]}"; do wait_ready "${url[$v]}" "${pid[$v]}" "$v"; done

# ---- measuring ---------------------------------------------------------------------------------------------------
hz=$(getconf CLK_TCK)
cpu_ticks() {
  local f
  f=$(cat "/proc/$1/stat")
  set -- ${f##*) }
  echo $((${12} + ${13}))
}
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'; }
run_wrk() {   # variant seconds
  taskset -c "$wrk_cpu" wrk -t1 -c"$connections" -d"${2}s" --timeout 5s --latency \
    ${script[$1]:+-s "${script[$1]}"} "${url[$1]}" >"$tmp/wrk.out" 2>&1
}

echo "# warm-up: ${warmup}s per variant (not counted)" >&2
for v in "${labels[@]}"; do [ "$warmup" -gt 0 ] && run_wrk "$v" "$warmup"; done

results="$tmp/results.tsv"
: >"$results"
for r in $(seq "$rounds"); do
  for v in "${labels[@]}"; do
    before=$(cpu_ticks "${pid[$v]}")
    run_wrk "$v" "$duration"
    after=$(cpu_ticks "${pid[$v]}")
    requests=$(awk '/requests in/ { print $1 }' "$tmp/wrk.out")
    rps=$(awk '/^Requests\/sec/ { print $2 }' "$tmp/wrk.out")
    p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$tmp/wrk.out")")
    p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$tmp/wrk.out")")
    errs=$(awk '/Non-2xx/ { e += $NF } /Socket errors/ { gsub(/,/, ""); e += $4 + $6 + $8 + $10 } END { print e + 0 }' \
      "$tmp/wrk.out")
    cpu=$(awk -v d=$((after - before)) -v hz="$hz" -v n="${requests:-0}" \
      'BEGIN { if (n > 0) printf "%.2f", d * 1e6 / hz / n; else print "nan" }')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$v" "${rps:-0}" "$p50" "$p99" "$cpu" "$errs" >>"$results"
    printf '# round %s %-17s %10s req/s  p50 %7s ms  p99 %7s ms  %6s us/req  errors %s\n' \
      "$r" "$v" "${rps:-0}" "$p50" "$p99" "$cpu" "$errs" >&2
  done
done

# ---- report ------------------------------------------------------------------------------------------------------
median() {
  awk -F'\t' -v v="$1" -v c="$2" '$2 == v { print $c }' "$results" | sort -g \
    | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0) printf "%.2f", a / b; else print "-" }'; }
declare -A m_rps m_p50 m_p99 m_cpu m_err
for v in "${labels[@]}"; do
  m_rps[$v]=$(median "$v" 3); m_p50[$v]=$(median "$v" 4); m_p99[$v]=$(median "$v" 5); m_cpu[$v]=$(median "$v" 6)
  m_err[$v]=$(awk -F'\t' -v v="$v" '$2 == v { e += $7 } END { print e + 0 }' "$results")
done
echo
echo "HARP rate-limit benchmark $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "rounds=$rounds duration=${duration}s warmup=${warmup}s connections=$connections body=1KiB; HARP+upstream on" \
  "cpu $proxy_cpu, wrk on cpu $wrk_cpu; non-binding limit (10M/s); medians of $rounds interleaved rounds"
echo
printf '| %-17s | %9s | %7s | %7s | %10s | %9s | %9s | %6s |\n' variant 'req/s' 'p50 ms' 'p99 ms' 'CPU us/req' \
  'rps ratio' 'cpu ratio' errors
printf '|%s|%s|%s|%s|%s|%s|%s|%s|\n' ------------------- ----------: --------: --------: -----------: ----------: \
  ----------: --------:
for v in "${labels[@]}"; do
  printf '| %-17s | %9.0f | %7.3f | %7.3f | %10.2f | %9s | %9s | %6s |\n' "$v" "${m_rps[$v]}" "${m_p50[$v]}" \
    "${m_p99[$v]}" "${m_cpu[$v]}" "$(ratio "${m_rps[$v]}" "${m_rps[nolimit]}")" \
    "$(ratio "${m_cpu[$v]}" "${m_cpu[nolimit]}")" "${m_err[$v]}"
done
echo "ratios are against nolimit (req/s: higher is better; CPU per request: lower is better)"
echo "per-round raw results: round variant req/s p50 p99 cpu errors"
sed 's/^/  /' "$results"
