#!/bin/bash
# The network-namespace lab: three HARP "hosts", a client/controller and a switch on one machine, deployed with the
# real site.yml over SSH. FailoverLabIT drives it; a human can too:
#
#   ansible/lab/lab.sh up   ID            # namespaces, bridge, sshd per host, upstream per host, lab inventory
#   ansible/lab/lab.sh play ID site.yml   # ansible-playbook from the client namespace (extra args passed on)
#   ansible/lab/lab.sh on   ID n1|cl CMD  # run CMD inside a namespace
#   ansible/lab/lab.sh down ID [LOGDIR]   # kill every process in the namespaces, delete them, assert nothing is left
#
# Namespaces are named harplab-ID-{sw,n1,n2,n3,cl}; every file lives under /var/lib/harp-lab/ID (the hosts'
# install_root is /var/lib/harp-lab/ID/hosts/nN). Addresses: 10.213.0.0/24 only, nodes .11-.13, client .100, VIP .10.
# No namespace gets a default route, and nothing is created in the root namespace (veths are born inside theirs).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
NODES=(n1 n2 n3)
PRIORITIES=(150 100 50)
NET=10.213.0
VIP=$NET.10
CLIENT=$NET.100

die() { echo "lab: $*" >&2; exit 1; }
ns() { echo "harplab-$ID-$1"; }
addr_of() { case $1 in n1) echo $NET.11 ;; n2) echo $NET.12 ;; n3) echo $NET.13 ;; cl) echo $CLIENT ;; esac; }
in_ns() { local n=$1; shift; ip netns exec "$(ns "$n")" "$@"; }

lab_namespaces() { ip netns list | awk '{print $1}' | grep -E "^harplab-$ID-" || true; }

# Every namespace exists and none has a default route (IPv4 or IPv6): checked before any traffic is sent.
assert_isolated() {
  local n
  for n in sw "${NODES[@]}" cl; do
    ip netns list | awk '{print $1}' | grep -qx "$(ns "$n")" || die "namespace $(ns "$n") does not exist"
    [ -z "$(ip -n "$(ns "$n")" -4 route show default)" ] || die "$(ns "$n") has an IPv4 default route"
    [ -z "$(ip -n "$(ns "$n")" -6 route show default)" ] || die "$(ns "$n") has an IPv6 default route"
  done
  echo "lab: namespaces present, no default route anywhere"
}

up() {
  [ "$(id -u)" -eq 0 ] || die "needs root (ip netns)"
  root=/var/lib/harp-lab/$ID
  [ -e "$root" ] && die "$root exists: run '$0 down $ID' first"
  [ -z "$(lab_namespaces)" ] || die "namespaces of lab $ID exist already"
  mkdir -p "$root"/{ssh,cp,ansible,logs}
  chmod 755 /var/lib/harp-lab "$root"
  echo "${LAB_OWNER_PID:-manual}" > "$root/owner"

  # The switch: one bridge in its own namespace; each host's veth is created there with its peer born in the host.
  ip netns add "$(ns sw)"
  ip -n "$(ns sw)" link set lo up
  ip -n "$(ns sw)" link add br0 type bridge
  ip -n "$(ns sw)" link set br0 up
  local n
  for n in "${NODES[@]}" cl; do
    ip netns add "$(ns "$n")"
    ip -n "$(ns "$n")" link set lo up
    ip -n "$(ns sw)" link add "p-$n" type veth peer name eth0 netns "$(ns "$n")"
    ip -n "$(ns sw)" link set "p-$n" master br0 up
    ip -n "$(ns "$n")" addr add "$(addr_of "$n")/24" dev eth0
    ip -n "$(ns "$n")" link set eth0 up
  done
  assert_isolated

  # SSH: one client key; per host its own host key, config, pidfile, listening on the host's address only.
  ssh-keygen -q -t ed25519 -N '' -C harp-lab -f "$root/ssh/id_ed25519"
  cp "$root/ssh/id_ed25519.pub" "$root/ssh/authorized_keys"
  mkdir -p /run/sshd
  local sftp=internal-sftp f
  for f in /usr/lib/openssh/sftp-server /usr/libexec/openssh/sftp-server; do [ -x "$f" ] && sftp=$f; done
  for n in "${NODES[@]}"; do
    local d="$root/sshd/$n"
    mkdir -p "$d" "$root/hosts/$n" "$root/upstream"
    ssh-keygen -q -t ed25519 -N '' -f "$d/host_key"
    cat > "$d/sshd_config" <<EOF
ListenAddress $(addr_of "$n")
Port 22
HostKey $d/host_key
PidFile $d/sshd.pid
AuthorizedKeysFile $root/ssh/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
UseDNS no
MaxSessions 50
MaxStartups 50:30:100
Subsystem sftp $sftp
EOF
    in_ns "$n" /usr/sbin/sshd -f "$d/sshd_config" -E "$root/logs/sshd-$n.log"
    # The API behind HARP, on the host's loopback: /node.txt names the host that served it.
    in_ns "$n" start-stop-daemon --start --quiet --background --make-pidfile --pidfile "$root/upstream/$n.pid" \
      --output "$root/logs/upstream-$n.log" --startas /usr/bin/python3 -- "$here/upstream.py" "$n" 9000
  done

  inventory > "$root/inventory.yml"
  # sshd answers on every host before the first play.
  for n in "${NODES[@]}"; do
    local i
    for i in $(seq 1 50); do
      lab_ssh "$n" true 2>/dev/null && break
      [ "$i" -lt 50 ] || die "sshd on $n does not answer"
      sleep 0.2
    done
  done
  echo "lab: up: $root"
}

inventory() {
  cat <<EOF
# The lab's inventory (written by ansible/lab/lab.sh): real site.yml, per-host install_root, no systemd, no packages.
all:
  children:
    harp:
      hosts:
EOF
  local i
  for i in 0 1 2; do
    local n=${NODES[$i]}
    cat <<EOF
        $n:
          ansible_host: $(addr_of "$n")
          harp_address: $(addr_of "$n")
          harp_interface: eth0
          harp_vrrp_priority: ${PRIORITIES[$i]}
          install_root: $root/hosts/$n
EOF
  done
  cat <<EOF
      vars:
        ansible_user: root
        ansible_become: false
        ansible_python_interpreter: /usr/bin/python3
        harp_lab: true
        harp_install_packages: false
        harp_service_manager: start-stop-daemon
        harp_user: root
        harp_cluster_name: harp-lab-$ID
        harp_vip: $VIP/24
        harp_vrrp_router_id: 51
        harp_vrrp_advert_int: 0.2
        harp_vrrp_preempt: false
        harp_check_fall: 2
        harp_check_timeout: 0.3
        harp_drain_timeout: 5s
        harp_java_opts: -Xmx192m -Xss512k -XX:TieredStopAtLevel=1 -XX:ActiveProcessorCount=2
        harp_event_loops: 1
        harp_proxies:
          - name: api
            port: 8080
            upstream:
              endpoints: ["http://127.0.0.1:9000"]
            timeouts: {connect: 2s, response: 10s, idle: 30s}
          - name: cached
            port: 8081
            upstream:
              endpoints: ["http://127.0.0.1:9000"]
            cache: {}
          - name: limited
            port: 8082
            upstream:
              endpoints: ["http://127.0.0.1:9000"]
            rateLimit:
              mode: cluster
              by: header:X-Lab-Key
              limits: [{requests: 100, per: 1h}]
              # Exact counts or a visible 503: never a local guess (the continuity check compares counts).
              onClusterFailure: deny
              clusterTimeout: 1s
        harp_vip_check_port: 8080
        harp_vip_check_path: /node.txt
EOF
}

lab_ssh() {
  local n=$1; shift
  in_ns cl ssh -q -i "$root/ssh/id_ed25519" -o IdentitiesOnly=yes -o StrictHostKeyChecking=no \
    -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o ConnectTimeout=2 "root@$(addr_of "$n")" "$@"
}

play() {
  [ -d "$root" ] || die "lab $ID is not up"
  assert_isolated >/dev/null
  local book=$1; shift
  # Ansible keeps its state in the lab; ssh control masters live in the client namespace (teardown kills them).
  in_ns cl env \
    ANSIBLE_CONFIG="$repo/ansible/ansible.cfg" \
    ANSIBLE_HOME="$root/ansible" \
    ANSIBLE_LOCAL_TEMP="$root/ansible/tmp" \
    ANSIBLE_REMOTE_TEMP="$root/ansible/remote-tmp" \
    ANSIBLE_PRIVATE_KEY_FILE="$root/ssh/id_ed25519" \
    ANSIBLE_HOST_KEY_CHECKING=False \
    ANSIBLE_SSH_ARGS="-o ControlMaster=auto -o ControlPersist=60s -o ControlPath=$root/cp/%C -o IdentitiesOnly=yes -o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no -o LogLevel=ERROR" \
    ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0 \
    ansible-playbook -i "$root/inventory.yml" "$repo/ansible/$book" "$@"
}

# Kill every process of every lab namespace (ssh control masters in the client included), delete the namespaces,
# remove the lab's files, and fail if anything is left.
down() {
  root=/var/lib/harp-lab/$ID
  local logdir=${1:-}
  if [ -n "$logdir" ] && [ -d "$root" ]; then
    mkdir -p "$logdir"
    cp -r "$root/logs/." "$logdir/" 2>/dev/null || true
    local n
    for n in "${NODES[@]}"; do
      [ -d "$root/hosts/$n/var/log/harp" ] && mkdir -p "$logdir/$n" && cp -r "$root/hosts/$n/var/log/harp/." "$logdir/$n/"
      [ -f "$root/hosts/$n/var/lib/harp/vip-transitions.log" ] && cp "$root/hosts/$n/var/lib/harp/vip-transitions.log" "$logdir/$n/" || true
    done
  fi
  local pass name pids
  for pass in TERM KILL; do
    for name in $(lab_namespaces); do
      pids=$(ip netns pids "$name" 2>/dev/null || true)
      [ -n "$pids" ] && kill "-$pass" $pids 2>/dev/null || true
    done
    # A SIGSTOPped process does not act on TERM until continued.
    for name in $(lab_namespaces); do
      pids=$(ip netns pids "$name" 2>/dev/null || true)
      [ -n "$pids" ] && kill -CONT $pids 2>/dev/null || true
    done
    for _ in $(seq 1 50); do
      local left=""
      for name in $(lab_namespaces); do left="$left$(ip netns pids "$name" 2>/dev/null || true)"; done
      [ -z "$left" ] && break
      sleep 0.1
    done
  done
  for name in $(lab_namespaces); do
    ip netns del "$name"
  done
  # Processes of the lab outside its namespaces would be a bug: none may point into its directory.
  local stray=""
  if [ -d "$root" ]; then
    local p
    for p in /proc/[0-9]*; do
      if { tr "\0" " " < "$p/cmdline"; } 2>/dev/null | grep -q -- "$root/"; then
        stray="$stray ${p#/proc/}"
      fi
    done
  fi
  rm -rf "$root"
  rmdir /var/lib/harp-lab 2>/dev/null || true
  [ -z "$(lab_namespaces)" ] || die "namespaces left: $(lab_namespaces | tr '\n' ' ')"
  [ -z "$stray" ] || die "processes left outside the namespaces:$stray"
  [ ! -e "$root" ] || die "$root left"
  echo "lab: down: no namespace, process or file of lab $ID is left"
}

# Labs whose owning test JVM died without tearing down (killed build): removed before a new one starts.
reap() {
  local d
  for d in /var/lib/harp-lab/*/; do
    [ -f "$d/owner" ] || continue
    local owner
    owner=$(cat "$d/owner")
    [ "$owner" = manual ] && continue
    if ! kill -0 "$owner" 2>/dev/null; then
      (ID=$(basename "$d"); down) >&2 || true
    fi
  done
}

cmd=${1:-}; ID=${2:-}
[ -n "$cmd" ] && [ -n "$ID" ] || die "usage: $0 up|play|on|down|check ID ..."
[[ "$ID" =~ ^[a-z0-9]{1,8}$ ]] || die "lab id: 1-8 lowercase letters or digits"
root=/var/lib/harp-lab/$ID
shift 2
case $cmd in
  up) reap; up ;;
  play) play "$@" ;;
  on) n=$1; shift; in_ns "$n" "$@" ;;
  ssh) n=$1; shift; lab_ssh "$n" "$@" ;;
  check) assert_isolated ;;
  down) down "$@" ;;
  *) die "unknown command $cmd" ;;
esac
