#!/usr/bin/env bash
# bench/proxy.sh: plain HTTP/1.1 reverse-proxy throughput of HARP against nginx and HAProxy, in one run.
#
# What it measures (each a "variant"), interleaved A B C D A B C D ... for --rounds rounds, medians per variant:
#   upstream  wrk -> nginx upstream directly (the ceiling: what the upstream alone costs)
#   nginx     wrk -> nginx reverse proxy (1 worker, upstream keepalive pool)  -> upstream
#   haproxy   wrk -> HAProxy (1 thread, http-reuse always)                     -> upstream
#   harp      wrk -> HARP (eventLoops: 1, poolSize 128, standalone node)       -> upstream
#   ...       optional extra HARP variants (--harp), e.g. other JVM flags, another JDK or another jar
# The upstream is nginx with `return 200` and a fixed 1 KiB body (fastest fixed-body server here, no disk I/O).
#
# Pinning (why: the machine has 2 cores; a load generator and a proxy sharing one core measure the scheduler):
#   core 0: the proxy under test AND the upstream nginx (1 worker each). The upstream's cost is identical for every
#           proxy, so req/s ratios compare proxies on equal terms; it is the DESIGN.md setup ("proxy and a 1 KiB
#           nginx upstream pinned on one core, wrk on the other"). The whole JVM (GC, JIT, Hazelcast threads) is on
#           core 0 too and sees 1 CPU: its background cost is part of HARP's bill, as in production.
#   core 1: wrk, 1 thread, --connections connections (default 64).
#   Idle variants stay up (also on core 0) while another is measured; idle nginx/HAProxy cost nothing, an idle HARP
#   costs a little (Hazelcast heartbeats), which lands in the variant being measured: noise, not bias to HARP.
#   Override with --proxy-cpu / --wrk-cpu / --upstream-cpu (e.g. --upstream-cpu 1 to give the upstream wrk's core).
#
# CPU µs per request: utime+stime of the proxy process (all its threads; for nginx master + workers) from
#   /proc/<pid>/stat, read just before and after the measured wrk run, divided by the requests wrk completed. It is
#   the steadiest figure on a shared machine: other load halves req/s easily, CPU per request moves much less (it
#   still grows under heavy load, nginx 15 -> 25 us at load average 28), so compare rows of one run, not runs.
#   Resolution is one clock tick (10 ms) per run, i.e. < 0.2% at 10 s runs.
#
# Safety: everything listens on 127.0.0.1 only, runs from a fresh temp dir with its own configs, pid and log files
#   (nginx -p/-e and `daemon off`, haproxy -db: nothing under /etc or /var is touched), every load run is bounded by
#   --duration/--warmup-max, and every process started here is killed on exit, error or Ctrl-C (trap). No downloads.
#
# Usage: bench/proxy.sh [--rounds 3] [--duration 10] [--warmup 30] [--warmup-max 180] [--connections 64]
#                       [--base-port 28100] [--harp 'LABEL;JAVA_HOME;JAVA_OPTS;JAR;PROXY_YAML;TOP_YAML']...
#                       [--no-default-harp]
#                       [--keep]
#   --harp adds a HARP variant; empty fields take the defaults (JAVA_HOME from the environment, the launcher's
#   flags plus $HARP_JAVA_OPTS, gateway/target/harp.jar); PROXY_YAML is one line of flow-style YAML added to the
#   variant's proxy (e.g. "rules: [{name: a, when: 'false', deny: {status: 403}}]"), for the cost of a feature;
#   TOP_YAML one line at the top level of its config (e.g. "audit: {}": the audit trail's cost, and its counts).
#   Example:
#     bench/proxy.sh --harp 'harp-jdk25;/usr/lib/jvm/temurin-25-jdk-amd64;-XX:+UseCompactObjectHeaders;'
# Needs: wrk, nginx, haproxy, taskset, curl, a built gateway/target/harp.jar (./mvnw -q -B package -DskipTests).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
# shellcheck source=SCRIPTDIR/lib.sh
. "$here/lib.sh"

rounds=3
duration=10
warmup=30
warmup_max=180
connections=64
base_port=28100
proxy_cpu=0
upstream_cpu=0
wrk_cpu=1
keep=0
default_harp=1
harp_specs=()

# Own options here, the common ones (--rounds --duration --warmup --connections --base-port --keep) in lib.sh.
while [ $# -gt 0 ]; do
  case "$1" in
    --warmup-max) warmup_max=$2; shift 2 ;;
    --proxy-cpu) proxy_cpu=$2; shift 2 ;;
    --upstream-cpu) upstream_cpu=$2; shift 2 ;;
    --wrk-cpu) wrk_cpu=$2; shift 2 ;;
    --harp) harp_specs+=("$2"); shift 2 ;;
    --no-default-harp) default_harp=0; shift ;;
    *) bench_option "$@"; shift "$taken" ;;
  esac
done
need_numbers "$rounds" "$duration" "$warmup" "$warmup_max" "$connections" "$base_port"
need_range "$duration" 1 300 "--duration must be 1..300 s"
[ "$warmup" -le 300 ] && [ "$warmup_max" -le 600 ] || { echo "--warmup must be <= 300 s, --warmup-max <= 600 s" >&2; exit 2; }
[ "$warmup_max" -ge "$warmup" ] || warmup_max=$warmup
need_range "$rounds" 1 50 "--rounds must be 1..50"

need_tools wrk nginx haproxy taskset curl
default_jar="$repo/gateway/target/harp.jar"
[ "$default_harp" -eq 0 ] || need_jar "$default_jar"

bench_tmp harp-bench 1

# ---- upstream: nginx, 1 worker, fixed 1 KiB body ------------------------------------------------------------------
alloc_port; up_port=$port
nginx_conf_parts
upstream_conf "$up_port" "access_log off;"

# ---- nginx as reverse proxy: 1 worker, keepalive pool to the upstream, X-Forwarded-* like HARP sends ----------
alloc_port; ngx_port=$port
cat >"$tmp/nginx.conf" <<EOF
$nginx_common
pid $tmp/nginx.pid;
error_log $tmp/nginx.err warn;
http {
  $nginx_http_common
  access_log off;
  upstream up { server 127.0.0.1:$up_port; keepalive 128; keepalive_requests 100000000; }
  server {
    listen 127.0.0.1:$ngx_port;
    location / {
      proxy_pass http://up;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
    }
  }
}
EOF

# ---- HAProxy: 1 thread, keep-alive both sides, reuse upstream connections, X-Forwarded-For -----------------------
alloc_port; hap_port=$port
cat >"$tmp/haproxy.cfg" <<EOF
global
  nbthread 1
  maxconn 4096
defaults
  mode http
  timeout connect 5s
  timeout client 120s
  timeout server 120s
  option http-keep-alive
  http-reuse always
frontend fe
  bind 127.0.0.1:$hap_port
  option forwardfor
  default_backend be
backend be
  server up 127.0.0.1:$up_port
EOF

# ---- start them: each pinned, each from the temp dir ------------------------------------------------------------
labels=()     # variant label, in interleaving order
start_nginx upstream upstream.conf "$upstream_cpu"
url[upstream]="http://127.0.0.1:$up_port/"
wait_ready "${url[upstream]}" "${pid[upstream]}" upstream
labels+=(upstream)

start_nginx nginx nginx.conf "$proxy_cpu"
url[nginx]="http://127.0.0.1:$ngx_port/"
labels+=(nginx)

(cd "$tmp" && exec taskset -c "$proxy_cpu" haproxy -db -f "$tmp/haproxy.cfg" >"$tmp/haproxy.log" 2>&1) &
pid[haproxy]=$!; pids+=("$!")
url[haproxy]="http://127.0.0.1:$hap_port/"
labels+=(haproxy)

if [ "$default_harp" -eq 1 ]; then harp_specs=("harp;;;" "${harp_specs[@]}"); fi
declare -A harp_desc admin_port
for spec in "${harp_specs[@]}"; do
  IFS=';' read -r label jhome jopts jar proxyline topline <<<"$spec"
  [ -n "$label" ] || { echo "--harp needs a label: '$spec'" >&2; exit 1; }
  case "$label" in *[!A-Za-z0-9_.-]*) echo "label '$label': letters, digits, . _ - only" >&2; exit 1 ;; esac
  [ -z "${pid[$label]:-}" ] || { echo "duplicate variant label '$label'" >&2; exit 1; }
  jar=${jar:-$default_jar}
  [ -f "$jar" ] || { echo "$label: jar not found: $jar" >&2; exit 1; }
  jhome=${jhome:-${JAVA_HOME:-}}
  harp_config "$label" "bench-$label-$$" "$up_port" "$proxyline" "$topline"
  admin_port[$label]=$harp_admin
  start_harp "$label" "$proxy_cpu" JAVA_HOME="$jhome" HARP_JAR="$jar" HARP_JAVA_OPTS="${HARP_JAVA_OPTS:-} $jopts"
  url[$label]="http://127.0.0.1:$harp_port/"
  harp_desc[$label]="java=$("${jhome:+$jhome/bin/}java" -version 2>&1 | head -1 | sed 's/.*version "\([^"]*\)".*/\1/') opts='${HARP_JAVA_OPTS:-} $jopts' jar=$jar"
  labels+=("$label")
done
for v in "${labels[@]}"; do wait_ready "${url[$v]}" "${pid[$v]}" "$v"; done

# ---- measuring ---------------------------------------------------------------------------------------------------
# CPU us per request of one load slice against a variant.
slice_cpu() {   # variant seconds
  local u0 s0 u1 s1 n
  read -r u0 s0 <<<"$(cpu_ticks "${pid[$1]}")"
  run_wrk "$1" "$2"
  read -r u1 s1 <<<"$(cpu_ticks "${pid[$1]}")"
  n=$(awk '/requests in/ { print $1 }' "$tmp/wrk.out")
  awk -v d=$((u1 - u0 + s1 - s0)) -v hz="$hz" -v n="${n:-0}" 'BEGIN { if (n > 0) printf "%.1f", d * 1e6 / hz / n; else print 0 }'
}

# Warm-up, not counted. A JVM is warm when C2 is done, and on a core shared with other load that takes minutes
# instead of seconds (C2 competes with the event loop; seen here: 200+ us/request after 60 s at load average 25).
# So HARP variants get load in 10 s slices for at least --warmup seconds and then until two slices in a row agree
# within 10% on CPU per request, up to --warmup-max. nginx and HAProxy get 3 s.
echo "# warm-up: HARP variants ${warmup}s..${warmup_max}s until CPU/request is stable, 3 s for the others" >&2
for v in "${labels[@]}"; do
  if [ -z "${harp_desc[$v]:-}" ]; then run_wrk "$v" 3; continue; fi
  [ "$warmup" -gt 0 ] || continue
  slice=$((warmup < 10 ? warmup : 10)); spent=0; prev=""
  while :; do
    cur=$(slice_cpu "$v" "$slice"); spent=$((spent + slice))
    echo "#   $v after ${spent}s: $cur us/request" >&2
    if [ "$spent" -ge "$warmup" ] && [ -n "$prev" ] \
        && awk -v a="$prev" -v b="$cur" 'BEGIN { exit !(b <= a * 1.1 && b >= a * 0.9) }'; then
      break
    fi
    if [ "$spent" -ge "$warmup_max" ]; then
      echo "#   $v still not stable after ${spent}s (machine overloaded?); measuring anyway" >&2
      break
    fi
    prev=$cur
  done
done

# results: round variant rps p50ms p99ms cpu_us/req user_us/req sys_us/req errors
measure_rounds 12 1

# ---- report: medians per variant, ratios against nginx and HAProxy -------------------------------------------------
summarise 1

report_title proxy
echo "rounds=$rounds duration=${duration}s warmup=${warmup}..${warmup_max}s connections=$connections body=1KiB;" \
  "proxy+upstream on cpu $proxy_cpu/$upstream_cpu, wrk (1 thread) on cpu $wrk_cpu; medians of $rounds interleaved rounds"
echo "CPU = proxy process utime+stime per request, user/sys split (upstream row: the upstream's own);" \
  "ratios: req/s and CPU vs nginx and HAProxy"
echo
printf '| %-12s | %8s | %7s | %8s | %7s | %11s | %7s | %7s | %7s | %7s | %6s |\n' \
  variant 'req/s' 'p50 ms' 'p99 ms' 'CPU us' 'usr/sys us' 'rps/ngx' 'rps/hap' 'cpu/ngx' 'cpu/hap' errors
echo '|--------------|---------:|--------:|---------:|--------:|------------:|--------:|--------:|--------:|--------:|-------:|'
for v in "${labels[@]}"; do
  printf '| %-12s | %8.0f | %7.2f | %8.2f | %7.2f | %11s | %7s | %7s | %7s | %7s | %6s |\n' "$v" "${m_rps[$v]}" \
    "${m_p50[$v]}" "${m_p99[$v]}" "${m_cpu[$v]}" "$(printf '%.1f/%.1f' "${m_usr[$v]}" "${m_sys[$v]}")" \
    "$(ratio "${m_rps[$v]}" "${m_rps[nginx]}")" "$(ratio "${m_rps[$v]}" "${m_rps[haproxy]}")" \
    "$(ratio "${m_cpu[$v]}" "${m_cpu[nginx]}")" "$(ratio "${m_cpu[$v]}" "${m_cpu[haproxy]}")" "${m_err[$v]}"
done
echo
for v in "${labels[@]}"; do
  if [ -n "${harp_desc[$v]:-}" ]; then echo "$v: ${harp_desc[$v]}"; fi
done
# A variant with an audit trail: what its writer kept and what it shed (counted, never silent), over the whole run.
for v in "${labels[@]}"; do
  [ -n "${admin_port[$v]:-}" ] || continue
  audit=$(curl -s "http://127.0.0.1:${admin_port[$v]}/metrics" | grep -E '^harp_audit_records_(written|shed)_total' \
    | sed -E 's/^harp_audit_records_([a-z]+)_total(\{[^}]*\})? /\1=/' | tr '\n' ' ' || true)
  if [ -n "$audit" ]; then echo "$v audit records over the run: $audit"; fi
done
echo "per-round results: round variant req/s p50ms p99ms cpu_us user_us sys_us errors"
sed 's/^/  /' "$results"
