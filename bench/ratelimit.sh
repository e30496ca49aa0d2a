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
# shellcheck source=SCRIPTDIR/lib.sh
. "$here/lib.sh"

rounds=3
duration=10
warmup=20
connections=64
base_port=28300
proxy_cpu=0
wrk_cpu=1
keep=0

# Only the common options (lib.sh: bench_option).
while [ $# -gt 0 ]; do bench_option "$@"; shift "$taken"; done
need_numbers "$rounds" "$duration" "$warmup" "$connections" "$base_port"
need_range "$duration" 1 300 "--duration must be 1..300 s"
need_range "$warmup" 0 300 "--warmup must be <= 300 s"
need_range "$rounds" 1 50 "--rounds must be 1..50"
need_tools wrk nginx taskset curl
need_jar "$repo/gateway/target/harp.jar"

bench_tmp harp-ratelimit-bench 0

# ---- upstream: nginx, 1 worker, fixed 1 KiB body ------------------------------------------------------------------
alloc_port; up_port=$port
nginx_conf_parts
upstream_conf "$up_port" "access_log off;"
start_nginx upstream upstream.conf "$proxy_cpu"
wait_ready "http://127.0.0.1:$up_port/" "${pid[upstream]}" upstream 90

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
declare -A block
block[nolimit]=""
block[cluster-1key]="rateLimit: {mode: cluster, by: client, limits: [{requests: 10000000, per: 1s}]}"
block[local-1key]="rateLimit: {mode: local, by: client, limits: [{requests: 10000000, per: 1s}]}"
block[cluster-1000keys]="rateLimit: {mode: cluster, by: 'header:X-Api-Key', limits: [{requests: 10000000, per: 1s}]}"
block[local-1000keys]="rateLimit: {mode: local, by: 'header:X-Api-Key', limits: [{requests: 10000000, per: 1s}]}"
block[local-1000keys-1s]="rateLimit: {mode: local, syncInterval: 1s, by: 'header:X-Api-Key', limits: [{requests: 10000000, per: 1s}]}"
wrk_script[cluster-1000keys]="$tmp/keys.lua"
wrk_script[local-1000keys]="$tmp/keys.lua"
wrk_script[local-1000keys-1s]="$tmp/keys.lua"
for v in "${labels[@]}"; do
  harp_config "$v" "bench-$v-$$" "$up_port" "${block[$v]}"
  start_harp "$v" "$proxy_cpu"
  url[$v]="http://127.0.0.1:$harp_port/"
done
# up to ~90 s each (a JVM with Hazelcast on a busy core takes a while)
for v in "${labels[@]}"; do wait_ready "${url[$v]}" "${pid[$v]}" "$v" 90; done

# ---- measuring ---------------------------------------------------------------------------------------------------
echo "# warm-up: ${warmup}s per variant (not counted)" >&2
for v in "${labels[@]}"; do [ "$warmup" -gt 0 ] && run_wrk "$v" "$warmup"; done

measure_rounds 17 0

# ---- report ------------------------------------------------------------------------------------------------------
summarise 0
report_title rate-limit
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
