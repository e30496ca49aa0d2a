# shellcheck shell=bash
# bench/lib.sh: the helpers bench/proxy.sh, bench/cache.sh and bench/ratelimit.sh share. Sourced, not run.
#
# The sourcing script runs under `set -eu` and sets, before calling these: repo, keep, base_port, rounds, duration,
# connections, wrk_cpu and its variants' labels (array `labels`, in interleaving order). The helpers fill the
# globals declared here and `tmp`, `port`, `harp_port`, `results`, `rps p50 p99 errs cpu cpu_usr cpu_sys`.
# shellcheck disable=SC2154,SC2034  # assigned by the sourcing script, resp. read by it

# Per variant: the pid of its server (nginx master, haproxy, the JVM: all exec'd, see cleanup), its URL, and the wrk
# Lua script it is loaded with, if any.
declare -A pid url wrk_script
# Per variant, from $results: medians over the rounds (m_usr/m_sys only with the user/sys split) and summed errors.
declare -A m_rps m_p50 m_p99 m_cpu m_usr m_sys m_err
pids=()   # every process started here: what cleanup stops
hz=$(getconf CLK_TCK)   # /proc/<pid>/stat counts CPU time in these ticks

# ---- options -------------------------------------------------------------------------------------------------------

# --help: the script's header comment (line 2 down to `set -eu`) without its '# '. $1: exit status.
usage() { sed -n '2,/^set -eu/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }

# The options every bench takes, for the `*)` arm of a script's own option loop: sets the option's variable and
# $taken, how many arguments it used (shift them); -h/--help prints the usage, anything unknown is refused with it.
bench_option() {
  case "$1" in
    --rounds) rounds=$2; taken=2 ;;
    --duration) duration=$2; taken=2 ;;
    --warmup) warmup=$2; taken=2 ;;
    --connections) connections=$2; taken=2 ;;
    --base-port) base_port=$2; taken=2 ;;
    --keep) keep=1; taken=1 ;;
    -h|--help) usage 0 ;;
    *) echo "unknown option: $1" >&2; usage 2 >&2 ;;
  esac
}

# Every value given must be a whole number: a typo stops here, not in wrk, taskset or a config file.
need_numbers() {
  local n
  for n in "$@"; do
    case "$n" in ''|*[!0-9]*) echo "numeric option expected, got '$n'" >&2; exit 2 ;; esac
  done
}

# VALUE MIN MAX MESSAGE: bounded by design, a typo must not turn into an hour of load on a shared machine.
need_range() {
  if [ "$1" -lt "$2" ] || [ "$1" -gt "$3" ]; then echo "$4" >&2; exit 2; fi
}

# The tools a script needs, checked up front rather than failing halfway through a run.
need_tools() {
  local t
  for t in "$@"; do
    command -v "$t" >/dev/null 2>&1 || { echo "missing tool: $t" >&2; exit 1; }
  done
}

# The benches measure a built jar; they never build one themselves.
need_jar() {
  [ -f "$1" ] || { echo "missing $1: build with ./mvnw -q -B package -DskipTests" >&2; exit 1; }
}

# ---- temp dir and cleanup --------------------------------------------------------------------------------------------

# Makes the run's fresh temp dir $tmp (configs, pids, logs, caches: nothing under /etc or /var) and arms the traps
# that stop every started process however the run ends. $1: name prefix; $2: 1 = a failed run (any status but 0,
# 130 for Ctrl-C, 143 for TERM) keeps $tmp and says so, 0 = only --keep keeps it.
bench_tmp() {
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
  keep_failed=$2
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# EXIT trap: stops every pid in $pids, then removes $tmp unless it is to be kept (see bench_tmp).
cleanup() {
  local status=$? p alive
  trap - EXIT INT TERM
  # Started with exec by their launchers, so these pids are the servers themselves (nginx: the master, which
  # takes its workers along). TERM first, KILL whatever is still there after 5 s.
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for _ in $(seq 50); do
    alive=0
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ "$alive" -eq 0 ] && break
    sleep 0.1
  done
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  if [ "$keep_failed" -eq 1 ]; then
    # A failed run keeps its configs and logs: they are what tells why. Ctrl-C (130) or TERM (143) is no failure.
    if [ "$keep" -eq 1 ] || { [ "$status" -ne 0 ] && [ "$status" -ne 130 ] && [ "$status" -ne 143 ]; }; then
      echo "kept $tmp (exit status $status)" >&2
    else
      rm -rf "$tmp"
    fi
  elif [ "$keep" -eq 1 ]; then
    echo "kept $tmp" >&2
  else
    rm -rf "$tmp"
  fi
}

# ---- ports and readiness -----------------------------------------------------------------------------------------

# True if nothing accepts connections on 127.0.0.1:$1.
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Sets $port to the next free port from --base-port up: busy ones (another session's bench, say) are skipped.
alloc_port() {
  next_port=${next_port:-$base_port}
  while ! port_free "$next_port"; do next_port=$((next_port + 1)); done
  port=$next_port
  next_port=$((next_port + 1))
}

# URL PID NAME [SECONDS]: waits until URL answers 200, at most SECONDS (default 60: a JVM with Hazelcast takes a few
# seconds, much longer on a busy core). If the process dies or time runs out, shows its log and ends the run.
wait_ready() {
  local limit=${4:-60}
  for _ in $(seq $((limit * 10))); do
    kill -0 "$2" 2>/dev/null || { echo "$3 exited during start; its log:" >&2; cat "$tmp/$3.log" >&2; exit 1; }
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" 2>/dev/null)" = 200 ] && return 0
    sleep 0.1
  done
  echo "$3 not ready after $limit s; its log:" >&2; cat "$tmp/$3.log" >&2; exit 1
}

# ---- servers -------------------------------------------------------------------------------------------------------

# Sets nginx_common (main context) and nginx_http_common (inside http {}), the lines every bench nginx shares: one
# worker in the foreground, temp paths in $tmp (nginx-light otherwise writes under /var/lib/nginx), keep-alive
# connections that outlast any wrk run. Each http {} still says its own access_log.
nginx_conf_parts() {
  mkdir -p "$tmp/nginx-tmp"
  nginx_common="worker_processes 1;
daemon off;
worker_rlimit_nofile 10000;
events { worker_connections 4096; }"
  nginx_http_common="client_body_temp_path $tmp/nginx-tmp/body; proxy_temp_path $tmp/nginx-tmp/proxy;
  fastcgi_temp_path $tmp/nginx-tmp/fastcgi; uwsgi_temp_path $tmp/nginx-tmp/uwsgi; scgi_temp_path $tmp/nginx-tmp/scgi;
  keepalive_requests 100000000; keepalive_timeout 120s;"
}

# Writes $tmp/upstream.conf, the upstream every bench proxies to: nginx answering `return 200` with a fixed 1 KiB
# body (the fastest fixed-body server here, no disk I/O). PORT HTTP_LINES [LOCATION_LINES]: HTTP_LINES go into
# http {} (its access_log), LOCATION_LINES before the return (headers).
upstream_conf() {
  local body
  body=$(head -c 1024 /dev/zero | tr '\0' 'x')
  cat >"$tmp/upstream.conf" <<EOF
$nginx_common
pid $tmp/upstream.pid;
error_log $tmp/upstream.err warn;
http {
  $nginx_http_common
  $2
  server {
    listen 127.0.0.1:$1;
    location / { default_type application/octet-stream; ${3:+$3 }return 200 "$body"; }
  }
}
EOF
}

# NAME CONF CPU: nginx with $tmp/CONF, pinned to CPU, run from $tmp (-p/-e: nothing of /etc or /var is used), its
# output in $tmp/NAME.log. exec, so $! is the master itself.
start_nginx() {
  (cd "$tmp" && exec taskset -c "$3" nginx -p "$tmp" -e "$tmp/$1.err" -c "$tmp/$2" >"$tmp/$1.log" 2>&1) &
  pid[$1]=$!; pids+=("$!")
}

# LABEL NODE_NAME UPSTREAM_PORT [PROXY_LINE] [TOP_LINE]: writes $tmp/LABEL.yaml, a standalone HARP node with one
# event loop and one proxy (pool of 128) to the upstream, on two fresh ports; PROXY_LINE is added to the proxy (cache,
# rateLimit), TOP_LINE at the top level (audit). Sets $harp_port to the proxy's port, $harp_admin to the admin port
# (its /metrics open, so a script can read a variant's counters).
harp_config() {
  alloc_port; harp_port=$port
  alloc_port; harp_admin=$port
  cat >"$tmp/$1.yaml" <<EOF
node: {name: $2, eventLoops: 1}
admin: {bind: 127.0.0.1, port: $port, openMetrics: true}
proxies:
  - name: bench
    bind: 127.0.0.1
    port: $harp_port
    upstream: {endpoints: ["http://127.0.0.1:$3"], poolSize: 128}
EOF
  if [ -n "${4:-}" ]; then printf '    %s\n' "$4" >>"$tmp/$1.yaml"; fi
  if [ -n "${5:-}" ]; then printf '%s\n' "$5" >>"$tmp/$1.yaml"; fi   # a top-level block, e.g. audit: {...}
}

# LABEL CPU [NAME=VALUE]...: `bin/harp run` with $tmp/LABEL.yaml, pinned to CPU, from $tmp, output in $tmp/LABEL.log;
# NAME=VALUE set its environment (JAVA_HOME, HARP_JAR, HARP_JAVA_OPTS). bin/harp execs java, so $! is the JVM.
start_harp() {
  (cd "$tmp" && exec env "${@:3}" taskset -c "$2" "$repo/bin/harp" run --config "$tmp/$1.yaml" >"$tmp/$1.log" 2>&1) &
  pid[$1]=$!; pids+=("$!")
}

# ---- measuring -------------------------------------------------------------------------------------------------------

# "utime stime" ticks of a process plus its direct children (nginx workers); comm may hold spaces, so cut at ')'.
cpu_ticks() {
  local user=0 sys=0 p f
  for p in "$1" $(pgrep -P "$1" 2>/dev/null || true); do
    f=$(cat "/proc/$p/stat" 2>/dev/null) || continue
    # shellcheck disable=SC2086  # split the fields after "comm)" into $1..
    set -- ${f##*) }
    user=$((user + ${12})); sys=$((sys + ${13}))
  done
  echo "$user $sys"
}

# wrk prints latencies as 812.00us / 1.23ms / 1.01s: normalise to ms.
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'; }

# VARIANT SECONDS: one wrk run (1 thread pinned to --wrk-cpu, --connections, latency percentiles, the variant's Lua
# script if it has one) into $tmp/wrk.out. A failed wrk, or a variant that died meanwhile, ends the run with both
# outputs: figures from a dead server would be meaningless.
run_wrk() {
  # shellcheck disable=SC2086  # no script: no -s argument at all
  if ! taskset -c "$wrk_cpu" wrk -t1 -c"$connections" -d"${2}s" --timeout 5s --latency \
      ${wrk_script[$1]:+-s "${wrk_script[$1]}"} "${url[$1]}" >"$tmp/wrk.out" 2>&1 \
      || ! kill -0 "${pid[$1]}" 2>/dev/null; then
    echo "wrk against $1 failed, or $1 died; wrk said:" >&2; cat "$tmp/wrk.out" >&2
    echo "last lines of $1's log:" >&2; tail -20 "$tmp/$1.log" >&2
    exit 1
  fi
}

# VARIANT SECONDS: one measured run. CPU ticks of the variant's process are read just before and after wrk, so CPU
# per request covers the load and nothing else. Sets rps, p50/p99 (ms), errs (non-2xx + socket errors) and cpu,
# cpu_usr, cpu_sys (us per completed request: total, user, system; "nan" if wrk completed none).
measure() {
  local u0 s0 u1 s1 n
  read -r u0 s0 <<<"$(cpu_ticks "${pid[$1]}")"
  run_wrk "$1" "$2"
  read -r u1 s1 <<<"$(cpu_ticks "${pid[$1]}")"
  n=$(awk '/requests in/ { print $1 }' "$tmp/wrk.out")
  rps=$(awk '/^Requests\/sec/ { print $2 }' "$tmp/wrk.out"); rps=${rps:-0}
  p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$tmp/wrk.out")")
  p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$tmp/wrk.out")")
  errs=$(awk '/Non-2xx/ { e += $NF } /Socket errors/ { gsub(/,/, ""); e += $4 + $6 + $8 + $10 } END { print e + 0 }' \
    "$tmp/wrk.out")
  read -r cpu cpu_usr cpu_sys <<<"$(awk -v u=$((u1 - u0)) -v s=$((s1 - s0)) -v hz="$hz" -v n="${n:-0}" \
    'BEGIN { if (n > 0) printf "%.2f %.2f %.2f", (u + s) * 1e6 / hz / n, u * 1e6 / hz / n, s * 1e6 / hz / n
             else print "nan nan nan" }')"
}

# LABEL_WIDTH SPLIT: --rounds rounds of one measured run per variant, interleaved A B C A B C ... so that load
# drifting on a shared machine spreads over all variants. Appends "round variant req/s p50 p99 cpu [user sys] errors"
# (tab-separated; user/sys only if SPLIT is 1) to $results and prints each run on stderr, the label LABEL_WIDTH wide.
measure_rounds() {
  local r v split=$2
  results="$tmp/results.tsv"
  : >"$results"
  for r in $(seq "$rounds"); do
    for v in "${labels[@]}"; do
      measure "$v" "$duration"
      if [ "$split" -eq 1 ]; then
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$v" "$rps" "$p50" "$p99" "$cpu" "$cpu_usr" "$cpu_sys" \
          "$errs" >>"$results"
        printf '# round %s %-*s %10s req/s  p50 %7s ms  p99 %7s ms  %6s us/req (user %s, sys %s)  errors %s\n' \
          "$r" "$1" "$v" "$rps" "$p50" "$p99" "$cpu" "$cpu_usr" "$cpu_sys" "$errs" >&2
      else
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$v" "$rps" "$p50" "$p99" "$cpu" "$errs" >>"$results"
        printf '# round %s %-*s %10s req/s  p50 %7s ms  p99 %7s ms  %6s us/req  errors %s\n' \
          "$r" "$1" "$v" "$rps" "$p50" "$p99" "$cpu" "$errs" >&2
      fi
    done
  done
}

# ---- report --------------------------------------------------------------------------------------------------------

# VARIANT COLUMN: median of that column of $results over the variant's rounds (mean of the middle two if even).
median() {
  awk -F'\t' -v v="$1" -v c="$2" '$2 == v { print $c }' "$results" | sort -g \
    | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# SPLIT: fills m_rps m_p50 m_p99 m_cpu (and m_usr m_sys if SPLIT is 1, as for measure_rounds) with medians, m_err
# with the errors summed over all rounds (the last column), for every variant.
summarise() {
  local v
  for v in "${labels[@]}"; do
    m_rps[$v]=$(median "$v" 3); m_p50[$v]=$(median "$v" 4); m_p99[$v]=$(median "$v" 5); m_cpu[$v]=$(median "$v" 6)
    if [ "$1" -eq 1 ]; then m_usr[$v]=$(median "$v" 7); m_sys[$v]=$(median "$v" 8); fi
    m_err[$v]=$(awk -F'\t' -v v="$v" '$2 == v { e += $NF } END { print e + 0 }' "$results")
  done
}

# A / B to two decimals, "-" if B is not positive (a variant that completed nothing).
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0) printf "%.2f", a / b; else print "-" }'; }

# NAME: the report's blank line and title: what ran, when, on how many cores, under what load (figures compare
# within one run only on a shared machine).
report_title() {
  echo
  echo "HARP $1 benchmark $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
}
