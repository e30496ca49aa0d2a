#!/usr/bin/python3
"""Continuous, bounded load of idempotent GETs against the lab's virtual IP, run inside the client namespace.

Workers: each sends GET on a fresh TCP connection (so every request follows the VIP to whichever node holds it),
with a short timeout; a failed attempt (error, timeout or non-200) is retried once; a request fails only when both
attempts fail. Probes time the failover precisely (workers may be waiting out a timeout when the VIP moves): a new
un-retried GET starts every --probe-interval seconds, each in its own thread (at most --probe-max in flight), so a
slow or lost probe never delays the next one; probes are never counted as load.

The body of /node.txt names the host whose HARP served it (each host's upstream is its own). Every request and
probe becomes one JSON line in --out. Everything is bounded: --duration seconds, --max-requests, or --stop-file.
"""
import argparse
import http.client
import json
import os
import threading
import time


def get(host, port, path, timeout):
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Connection": "close"})
        resp = conn.getresponse()
        body = resp.read().decode("utf-8", "replace").strip()
        if resp.status != 200:
            return False, None, "status %d" % resp.status
        return True, body, None
    except Exception as e:  # noqa: BLE001 - every failure is data here
        return False, None, type(e).__name__ + ": " + str(e)
    finally:
        conn.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--path", default="/node.txt")
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--pause", type=float, default=0.05, help="seconds between a worker's requests")
    ap.add_argument("--timeout", type=float, default=1.0, help="per attempt")
    ap.add_argument("--probe-interval", type=float, default=0.02)
    ap.add_argument("--probe-timeout", type=float, default=0.5)
    ap.add_argument("--probe-max", type=int, default=40, help="probes in flight at most")
    ap.add_argument("--duration", type=float, default=300.0, help="hard limit, seconds")
    ap.add_argument("--max-requests", type=int, default=100000)
    ap.add_argument("--stop-file", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()

    deadline = time.time() + a.duration
    lock = threading.Lock()
    out = open(a.out, "w", buffering=1)
    counts = {"requests": 0, "failed": 0, "retried": 0, "probes": 0}

    def stopped():
        return time.time() >= deadline or counts["requests"] >= a.max_requests or os.path.exists(a.stop_file)

    def write(record):
        with lock:
            out.write(json.dumps(record) + "\n")

    def worker():
        while not stopped():
            start = time.time()
            ok, node, err = get(a.host, a.port, a.path, a.timeout)
            tries = 1
            if not ok:
                first_err = err
                ok, node, err = get(a.host, a.port, a.path, a.timeout)
                tries = 2
                err = None if ok else "%s; retry: %s" % (first_err, err)
            end = time.time()
            with lock:
                counts["requests"] += 1
                counts["retried"] += tries - 1
                counts["failed"] += 0 if ok else 1
            write({"kind": "req", "start": start, "end": end, "ok": ok, "node": node, "tries": tries, "error": err})
            time.sleep(a.pause)

    in_flight = threading.BoundedSemaphore(a.probe_max)

    def one_probe():
        try:
            start = time.time()
            ok, node, err = get(a.host, a.port, a.path, a.probe_timeout)
            with lock:
                counts["probes"] += 1
            write({"kind": "probe", "start": start, "end": time.time(), "ok": ok, "node": node, "error": err})
        finally:
            in_flight.release()

    def probe():
        next_at = time.time()
        while not stopped():
            if in_flight.acquire(blocking=False):
                threading.Thread(target=one_probe, daemon=True).start()
            next_at += a.probe_interval
            time.sleep(max(0.0, next_at - time.time()))

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(a.workers)]
    threads.append(threading.Thread(target=probe, daemon=True))
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(0.0, deadline - time.time()) + 2 * a.timeout + 1)
    out.close()
    print(json.dumps(counts), flush=True)


if __name__ == "__main__":
    main()
