#!/usr/bin/python3
"""The lab's API behind HARP, one per host on the host's loopback: GET /node.txt answers the host's name, so every
response through the VIP says which node served it. GET /cacheable/<anything> answers the host's name and the path,
cacheable for 10 minutes: a cache hit shows which node's upstream produced it. HTTP/1.1 keep-alive (HARP pools its upstream connections) and a
deep listen backlog: python3 -m http.server closes every connection and queues only 5 connects, which under load
showed up as HARP's 504 upstream-connect-timeout rather than anything about failover.

usage: upstream.py NODE_NAME PORT
"""
import http.server
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    node = b""

    def do_GET(self):  # noqa: N802 - http.server's naming
        path = self.path.split("?")[0]
        cache_control = "no-store"
        if path == "/node.txt":
            status, body = 200, self.node + b"\n"
        elif path.startswith("/cacheable/"):
            status, body, cache_control = 200, self.node + b" " + path.encode() + b"\n", "public, max-age=600"
        else:
            status, body = 404, b"not found\n"
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", cache_control)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Server(http.server.ThreadingHTTPServer):
    request_queue_size = 512
    daemon_threads = True


def main():
    Handler.node = sys.argv[1].encode()
    Server(("127.0.0.1", int(sys.argv[2])), Handler).serve_forever()


if __name__ == "__main__":
    main()
