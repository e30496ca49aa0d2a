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
# shellcheck source=SCRIPTDIR/lib.sh
. "$here/lib.sh"

rounds=3
duration=10
warmup=20
connections=64
objects=100
base_port=28300
proxy_cpu=0
wrk_cpu=1
keep=0

# Own options here, the common ones (--rounds --duration --warmup --connections --base-port --keep) in lib.sh.
while [ $# -gt 0 ]; do
  case "$1" in
    --objects) objects=$2; shift 2 ;;
    --proxy-cpu) proxy_cpu=$2; shift 2 ;;
    --wrk-cpu) wrk_cpu=$2; shift 2 ;;
    *) bench_option "$@"; shift "$taken" ;;
  esac
done
need_numbers "$rounds" "$duration" "$warmup" "$connections" "$objects" "$base_port" "$proxy_cpu" "$wrk_cpu"
need_range "$duration" 1 300 "--duration must be 1..300 s"
need_range "$warmup" 0 300 "--warmup must be <= 300 s"
need_range "$rounds" 1 50 "--rounds must be 1..50"
need_range "$objects" 1 10000 "--objects must be 1..10000"

need_tools wrk nginx taskset curl
jar="$repo/gateway/target/harp.jar"
need_jar "$jar"

bench_tmp harp-cache-bench 0

nginx_conf_parts
# As root, nginx workers would run as nobody/www-data and could not write the cache into our 0700 temp dir.
nginx_user=""
if [ "$(id -u)" -eq 0 ]; then nginx_user="user $(id -un) $(id -gn);"; fi
nginx_common="$nginx_user
$nginx_common"
mkdir -p "$tmp/nginx-cache"

# ---- upstream: nginx, fixed 1 KiB body, cacheable for an hour; its access log counts what reaches it ----------
alloc_port; up_port=$port
upstream_conf "$up_port" "log_format short '\$request_uri';
  access_log $tmp/upstream-access.log short;" 'add_header Cache-Control "max-age=3600";'

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
harp_config harp "bench-cache-$$" "$up_port" "cache: {}"

start_nginx upstream upstream.conf "$proxy_cpu"
wait_ready "http://127.0.0.1:$up_port/health" "${pid[upstream]}" upstream
start_nginx nginx nginx.conf "$proxy_cpu"
url[nginx]="http://127.0.0.1:$ngx_port"
start_harp harp "$proxy_cpu" HARP_JAR="$jar"
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
wrk_script[nginx]="$tmp/objects.lua"
wrk_script[harp]="$tmp/objects.lua"

echo "# warm-up: ${warmup}s HARP (JIT), 3 s nginx (not counted)" >&2
run_wrk harp "$warmup"
run_wrk nginx 3

upstream_before=$(wc -l <"$tmp/upstream-access.log")
measure_rounds 6 0
upstream_during=$(( $(wc -l <"$tmp/upstream-access.log") - upstream_before ))

summarise 0

report_title cache-hit
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
