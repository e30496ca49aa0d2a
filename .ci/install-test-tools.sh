#!/bin/sh
# Installs, from Debian/Ubuntu packages only, every system tool HARP's tests use beyond a JDK:
#   promtool (prometheus)         /metrics parses with a real Prometheus parser
#   keepalived, iproute2          VRRP failover lab in network namespaces
#   openssh-server, ansible-core  the Ansible deployment lab
#   systemd (systemd-analyze)     the lab checks the systemd units it cannot start
#   chromium, chromium-driver     dashboard browser tests
#   sqlite3                       the audit tests edit a stored record as an attacker with shell access would
#   wrk, nginx-light, haproxy     benchmarks (bench/, not run by the tests)
# Without these the tests that need them skip loudly; .ci/run installs them and makes such skips fail.
set -eu
if [ "$(id -u)" -ne 0 ]; then
  echo "install-test-tools: run as root (apt-get)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
  prometheus keepalived iproute2 openssh-server ansible-core python3 systemd \
  chromium chromium-driver sqlite3 wrk nginx-light haproxy procps curl ca-certificates >/dev/null
# Debian starts some daemons on install; tests start their own instances in their own namespaces and paths.
for svc in prometheus nginx haproxy keepalived ssh; do
  (service "$svc" stop >/dev/null 2>&1 || true)
done
# One tool a line: `command -v a b c` names only the first in dash, which hid a missing tool behind a found one.
missing=0
for tool in promtool keepalived sshd ansible-playbook systemd-analyze chromium chromedriver sqlite3 wrk nginx haproxy; do
  if path=$(command -v "$tool"); then
    echo "install-test-tools: $tool: $path"
  else
    echo "install-test-tools: $tool: MISSING" >&2
    missing=1
  fi
done
exit "$missing"
