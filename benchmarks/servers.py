"""Loopback HTTP servers for the refresh benchmark, in their own process.

`python servers.py HOSTS DELAY` serves JSON on 127.0.0.1 .. 127.0.0.HOSTS, answering each
request after DELAY seconds, and prints one port per line.
"""

import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BODY = b'{"total": 1}'


class Slow(BaseHTTPRequestHandler):
    delay = 0.2

    def do_GET(self):  # noqa: N802 - the http.server API
        time.sleep(self.delay)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    hosts, Slow.delay = int(sys.argv[1]), float(sys.argv[2])
    for h in range(1, hosts + 1):
        server = ThreadingHTTPServer((f"127.0.0.{h}", 0), Slow)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        print(server.server_address[1], flush=True)
    sys.stdin.read()  # until the benchmark closes our stdin
