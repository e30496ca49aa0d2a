#!/usr/bin/env bash
# bench/cache.sh: cache-hit throughput of HARP's cache against nginx's proxy_cache, same objects, same run.
#
# Variants, interleaved nginx harp nginx harp ... for --rounds rounds, medians per variant:
#   nginx  wrk -> nginx (1 worker) with proxy_cache (+ open_file_cache, nginx's best case) -> upstream
#   harp   wrk -> HARP standalone node (eventLoops: 1) with `cache: {}`                      -> upstream
# Both cache --objects objects (/obj/1 .. /obj/N, 1 KiB bodies, Cache-Control: max-age=3600 from the upstream). Each
# is filled and checked to be a hit (nginx X-Cache-Status: HIT, HARP Cache-Status: hit) before anything is measured,
# and the upstream's access log proves no request reached it while measuring: this is the hit path alone.
#
# Pinning: core 0 (--proxy-cpu) runs the proxy under test, the other (idle) proxy and the upstream (idle during
# hits); core 1 (--wrk-cpu) runs wrk (1 thread, --connections). The JVM (GC, JIT, Hazelcast) sees one CPU, like the
# nginx worker. CPU us/req = utime+stime of the proxy process (nginx: master + worker) per completed request, the
# steadiest figure on a shared machine.
#
# Safety: 127.0.0.1 only, fresh temp dir (configs, cache dir, logs, pids), bounded durations, every process started
# here killed on exit (trap). No downloads.
#
# Usage: bench/cache.sh [--rounds 3] [--duration 10] [--warmup 20] [--connections 64] [--objects 100]
#                       [--base-port 28300] [--proxy-cpu 0] [--wrk-cpu 1] [--keep]
# Needs: wrk, nginx, taskset, curl, a built gateway/target/harp.jar (./mvnw -q -B package -DskipTests).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)

rounds=3
duration=10
warmup=20
connections=64
objects=100
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
    --objects) objects=$2; shift 2 ;;
    --base-port) base_port=$2; shift 2 ;;
    --proxy-cpu) proxy_cpu=$2; shift 2 ;;
    --wrk-cpu) wrk_cpu=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) usage 0 ;;
    *) echo "unknown option: $1" >&2; usage 2 >&2 ;;
  esac
done
for n in "$rounds" "$duration" "$warmup" "$connections" "$objects" "$base_port" "$proxy_cpu" "$wrk_cpu"; do
  case "$n" in ''|*[!0-9]*) echo "numeric option expected, got '$n'" >&2; exit 2 ;; esac
done
# Bounded by design: a typo must not turn into an hour of load on a shared machine.
[ "$duration" -ge 1 ] && [ "$duration" -le 300 ] || { echo "--duration must be 1..300 s" >&2; exit 2; }
[ "$warmup" -le 300 ] || { echo "--warmup must be <= 300 s" >&2; exit 2; }
[ "$rounds" -ge 1 ] && [ "$rounds" -le 50 ] || { echo "--rounds must be 1..50" >&2; exit 2; }
[ "$objects" -ge 1 ] && [ "$objects" -le 10000 ] || { echo "--objects must be 1..10000" >&2; exit 2; }

for tool in wrk nginx taskset curl; do
  command -v "$tool" >/dev/null 2>&1 || { echo "missing tool: $tool" >&2; exit 1; }
done
jar="$repo/gateway/target/harp.jar"
[ -f "$jar" ] || { echo "missing $jar: build with ./mvnw -q -B package -DskipTests" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/harp-cache-bench.XXXXXX")
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
wait_ready() {   # url pid name
  for _ in $(seq 600); do
    kill -0 "$2" 2>/dev/null || { echo "$3 exited during start; its log:" >&2; cat "$tmp/$3.log" >&2; exit 1; }
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" 2>/dev/null)" = 200 ] && return 0
    sleep 0.1
  done
  echo "$3 not ready after 60 s; its log:" >&2; cat "$tmp/$3.log" >&2; tail -5 "$tmp/$3.err" 2>/dev/null >&2; exit 1
}

body=$(head -c 1024 /dev/zero | tr '\0' 'x')
# As root, nginx workers would run as nobody/www-data and could not write the cache into our 0700 temp dir.
nginx_user=""
if [ "$(id -u)" -eq 0 ]; then nginx_user="user $(id -un) $(id -gn);"; fi
nginx_common="$nginx_user
worker_processes 1;
daemon off;
worker_rlimit_nofile 10000;
events { worker_connections 4096; }"
nginx_http_common="client_body_temp_path $tmp/nginx-tmp/body; proxy_temp_path $tmp/nginx-tmp/proxy;
  fastcgi_temp_path $tmp/nginx-tmp/fastcgi; uwsgi_temp_path $tmp/nginx-tmp/uwsgi; scgi_temp_path $tmp/nginx-tmp/scgi;
  keepalive_requests 100000000; keepalive_timeout 120s;"
mkdir -p "$tmp/nginx-tmp" "$tmp/nginx-cache"

# ---- upstream: nginx, fixed 1 KiB body, cacheable for an hour; its access log counts what reaches it ----------
alloc_port; up_port=$port
cat >"$tmp/upstream.conf" <<CONF
$nginx_common
pid $tmp/upstream.pid;
error_log $tmp/upstream.err warn;
http {
  $nginx_http_common
  log_format short '\$request_uri';
  access_log $tmp/upstream-access.log short;
  server {
    listen 127.0.0.1:$up_port;
    location / { default_type application/octet-stream; add_header Cache-Control "max-age=3600"; return 200 "$body"; }
  }
}
CONF

# ---- nginx with proxy_cache: keys zone in memory, bodies in the temp dir (page cache), open_file_cache on -------
alloc_port; ngx_port=$port
cat >"$tmp/nginx.conf" <<CONF
$nginx_common
pid $tmp/nginx.pid;
error_log $tmp/nginx.err warn;
http {
  $nginx_http_common
  access_log off;
  open_file_cache max=10000 inactive=300s;
  proxy_cache_path $tmp/nginx-cache levels=1:2 keys_zone=bench:10m max_size=256m inactive=60m use_temp_path=off;
  upstream up { server 127.0.0.1:$up_port; keepalive 128; }
  server {
    listen 127.0.0.1:$ngx_port;
    location / {
      proxy_pass http://up;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_cache bench;
      add_header X-Cache-Status \$upstream_cache_status;
    }
  }
}
CONF

# ---- HARP: standalone node, one event loop, cache with defaults --------------------------------------------------
alloc_port; harp_port=$port
alloc_port; admin_port=$port
cat >"$tmp/harp.yaml" <<CONF
node: {name: bench-cache-$$, eventLoops: 1}
admin: {bind: 127.0.0.1, port: $admin_port}
proxies:
  - name: bench
    bind: 127.0.0.1
    port: $harp_port
    upstream: {endpoints: ["http://127.0.0.1:$up_port"], poolSize: 128}
    cache: {}
CONF

declare -A url pid
start_nginx() {   # name conf
  (cd "$tmp" && exec taskset -c "$proxy_cpu" nginx -p "$tmp" -e "$tmp/$1.err" -c "$tmp/$2" >"$tmp/$1.log" 2>&1) &
  pid[$1]=$!; pids+=("$!")
}
start_nginx upstream upstream.conf
wait_ready "http://127.0.0.1:$up_port/health" "${pid[upstream]}" upstream
start_nginx nginx nginx.conf
url[nginx]="http://127.0.0.1:$ngx_port"
(cd "$tmp" && HARP_JAR=$jar exec taskset -c "$proxy_cpu" "$repo/bin/harp" run --config "$tmp/harp.yaml" \
   >"$tmp/harp.log" 2>&1) &
pid[harp]=$!; pids+=("$!")
url[harp]="http://127.0.0.1:$harp_port"
wait_ready "${url[nginx]}/obj/1" "${pid[nginx]}" nginx
wait_ready "${url[harp]}/obj/1" "${pid[harp]}" harp
labels=(nginx harp)

# ---- fill both caches, then prove every object is a hit ----------------------------------------------------------
for v in "${labels[@]}"; do
  for i in $(seq "$objects"); do curl -s -o /dev/null "${url[$v]}/obj/$i"; done
done
is_hit() {   # variant path: HARP stores just after relaying, so a last store may still be under way: retry briefly
  local pattern h
  case "$1" in nginx) pattern='^x-cache-status: HIT' ;; *) pattern='^cache-status: harp; hit' ;; esac
  for _ in $(seq 20); do
    h=$(curl -s -D - -o /dev/null "${url[$1]}$2" | tr -d '\r')
    echo "$h" | grep -qi "$pattern" && return 0
    sleep 0.1
  done
  echo "$1: $2 is not a cache hit:" >&2; echo "$h" >&2; return 1
}
for v in "${labels[@]}"; do
  for i in $(seq "$objects"); do is_hit "$v" "/obj/$i" || exit 1; done
done

cat >"$tmp/objects.lua" <<LUA
local n = $objects
local i = 0
request = function()
  i = i % n + 1
  return wrk.format("GET", "/obj/" .. i)
end
LUA

hz=$(getconf CLK_TCK)
cpu_ticks() {
  local total=0 p f
  for p in "$1" $(pgrep -P "$1" 2>/dev/null || true); do
    f=$(cat "/proc/$p/stat" 2>/dev/null) || continue
    set -- ${f##*) }
    total=$((total + ${12} + ${13}))
  done
  echo "$total"
}
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'; }
run_wrk() {   # variant seconds
  taskset -c "$wrk_cpu" wrk -t1 -c"$connections" -d"${2}s" --timeout 5s --latency -s "$tmp/objects.lua" \
    "${url[$1]}" >"$tmp/wrk.out" 2>&1
}

echo "# warm-up: ${warmup}s HARP (JIT), 3 s nginx (not counted)" >&2
run_wrk harp "$warmup"
run_wrk nginx 3

upstream_before=$(wc -l <"$tmp/upstream-access.log")
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
    printf '# round %s %-6s %10s req/s  p50 %7s ms  p99 %7s ms  %6s us/req  errors %s\n' \
      "$r" "$v" "${rps:-0}" "$p50" "$p99" "$cpu" "$errs" >&2
  done
done
upstream_during=$(( $(wc -l <"$tmp/upstream-access.log") - upstream_before ))

median() {
  awk -F'\t' -v v="$1" -v c="$2" '$2 == v { print $c }' "$results" | sort -g \
    | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
declare -A m_rps m_p50 m_p99 m_cpu m_err
for v in "${labels[@]}"; do
  m_rps[$v]=$(median "$v" 3); m_p50[$v]=$(median "$v" 4); m_p99[$v]=$(median "$v" 5); m_cpu[$v]=$(median "$v" 6)
  m_err[$v]=$(awk -F'\t' -v v="$v" '$2 == v { e += $7 } END { print e + 0 }' "$results")
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0) printf "%.2f", a / b; else print "-" }'; }

echo
echo "HARP cache-hit benchmark $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "rounds=$rounds duration=${duration}s warmup=${warmup}s connections=$connections objects=$objects body=1KiB;" \
  "proxy on cpu $proxy_cpu, wrk (1 thread) on cpu $wrk_cpu; medians of $rounds interleaved rounds"
echo "upstream requests while measuring: $upstream_during (0 = every measured request was a cache hit)"
echo
printf '| %-6s | %9s | %7s | %7s | %10s | %8s | %8s | %6s |\n' variant 'req/s' 'p50 ms' 'p99 ms' 'CPU us/req' \
  'rps/ngx' 'cpu/ngx' errors
printf '|%s|%s|%s|%s|%s|%s|%s|%s|\n' -------- ----------: --------: --------: ------------: ----------: ----------: \
  --------:
for v in "${labels[@]}"; do
  printf '| %-6s | %9.0f | %7.3f | %7.3f | %10.2f | %8s | %8s | %6s |\n' "$v" "${m_rps[$v]}" "${m_p50[$v]}" \
    "${m_p99[$v]}" "${m_cpu[$v]}" "$(ratio "${m_rps[$v]}" "${m_rps[nginx]}")" \
    "$(ratio "${m_cpu[$v]}" "${m_cpu[nginx]}")" "${m_err[$v]}"
done
echo
echo "HARP hit throughput / nginx proxy_cache hit throughput: $(ratio "${m_rps[harp]}" "${m_rps[nginx]}")x"
echo "per-round raw results: round variant req/s p50 p99 cpu errors"
sed 's/^/  /' "$results"
