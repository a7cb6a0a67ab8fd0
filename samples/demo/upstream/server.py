"""The demo's upstream: an HTTPS server that says what reached it, never echoing a credential.

It knows the real token only as a SHA-256 digest (EXPECTED_TOKEN_SHA256), so it can report whether the
Authorization header carried the real value, a surrogate, or nothing, without printing either.
"""
import hashlib
import http.server
import json
import os
import ssl

EXPECTED = os.environ["EXPECTED_TOKEN_SHA256"]


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        header = self.headers.get("Authorization", "")
        token = header.removeprefix("Bearer ")
        if not header:
            credential = "none"
        elif hashlib.sha256(token.encode()).hexdigest() == EXPECTED:
            credential = "the real token (the proxy swapped it in)"
        else:
            credential = "something else"
        body = json.dumps({"upstream": "api.demo.test", "path": self.path, "authorization": credential}) + "\n"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, format, *args):
        print("upstream: " + self.requestline, flush=True)


context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain("/certs/server.pem", "/certs/server.key")
server = http.server.ThreadingHTTPServer(("0.0.0.0", 443), Handler)
server.socket = context.wrap_socket(server.socket, server_side=True)
server.serve_forever()
