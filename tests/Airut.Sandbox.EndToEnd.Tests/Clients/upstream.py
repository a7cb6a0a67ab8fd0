"""The test-owned TLS upstream of the client end-to-end tests: one container, several names, chosen by Host.

git.test        a real git repository over smart HTTP (git http-backend as CGI); every request must carry the
                expected Authorization (compared as a SHA-256), else 403 "badauth". Pushes are enabled here, so
                a refused push can only have been refused by the proxy. GET /_state reports the repository.
py.test         200 "py-ok" on /ok and "py-other" elsewhere (the proxy decides what is blocked).
s3.scoped.test  SigV4 verification with the real secret key: answers what arrived (akid, signature, session
unscoped.test   token, payload), as words, never as values.

Secrets arrive in the environment; only their hashes are compared, and nothing is ever printed but "listening".
"""
import hashlib
import http.server
import os
import ssl
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sigv4  # noqa: E402

GIT_ROOT = "/srv/git"
REPOSITORY = os.path.join(GIT_ROOT, "repo.git")
receive_pack_posts = 0


def sha256(text):
    return hashlib.sha256(text.encode()).hexdigest()


def create_repository():
    work = "/tmp/seed"
    run = lambda *args, cwd=None: subprocess.run(args, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    run("git", "init", "-q", "--bare", "-b", "main", REPOSITORY)
    run("git", "-C", REPOSITORY, "config", "http.receivepack", "true")
    run("git", "init", "-q", "-b", "main", work)
    with open(os.path.join(work, "hello.txt"), "w") as f:
        f.write(os.environ["REPO_CONTENT"] + "\n")
    run("git", "-C", work, "add", "hello.txt")
    run("git", "-C", work, "-c", "user.name=Upstream", "-c", "user.email=upstream@git.test", "commit", "-q", "-m", "seed")
    run("git", "-C", work, "push", "-q", REPOSITORY, "main")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        self.dispatch()

    def do_POST(self):
        self.dispatch()

    def do_PUT(self):
        self.dispatch()

    def log_message(self, *args):
        pass

    def body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0], 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length", "0")))

    def answer(self, status, body, headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def dispatch(self):
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        path, _, query = self.path.partition("?")
        body = self.body()
        if host == "git.test":
            self.git(path, query, body)
        elif host == "py.test":
            self.answer(200, b"py-ok" if path == "/ok" else b"py-other")
        elif host in ("s3.scoped.test", "unscoped.test"):
            self.aws(path, query, body)
        else:
            self.answer(404, b"unknown host")

    def git(self, path, query, body):
        global receive_pack_posts
        if sha256(self.headers.get("Authorization", "")) != os.environ["GIT_AUTH_SHA256"]:
            self.answer(403, b"badauth")
            return
        if path == "/_state":
            head = subprocess.run(["git", "-C", REPOSITORY, "rev-parse", "main"], capture_output=True, text=True).stdout.strip()
            self.answer(200, f"receive_pack_posts={receive_pack_posts} main={head}".encode())
            return
        if path.endswith("/git-receive-pack"):
            receive_pack_posts += 1
        env = {
            "PATH": os.environ["PATH"], "GIT_PROJECT_ROOT": GIT_ROOT, "GIT_HTTP_EXPORT_ALL": "1",
            "REQUEST_METHOD": self.command, "PATH_INFO": path, "QUERY_STRING": query, "REMOTE_USER": "tester",
            "REMOTE_ADDR": self.client_address[0], "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(len(body)), "GIT_PROTOCOL": self.headers.get("Git-Protocol", ""),
            "HTTP_CONTENT_ENCODING": self.headers.get("Content-Encoding", ""),
        }
        output = subprocess.run(["git", "http-backend"], input=body, env=env, capture_output=True).stdout
        head, _, content = output.partition(b"\r\n\r\n")
        if not _:
            head, _, content = output.partition(b"\n\n")
        status, headers = 200, []
        for line in head.decode("latin-1").splitlines():
            name, _, value = line.partition(":")
            if name.lower() == "status":
                status = int(value.strip().split()[0])
            elif name:
                headers.append((name, value.strip()))
        self.answer(status, content, headers)

    def aws(self, path, query, body):
        headers = list(self.headers.items())
        access_key, valid, payload_ok = sigv4.verify(self.command, path, query, headers, body, os.environ["AWS_SECRET"])
        token = self.headers.get("x-amz-security-token")
        words = [
            "akid=" + ("none" if access_key is None else "real" if sha256(access_key) == os.environ["AWS_AKID_SHA256"] else "other"),
            "sig=" + ("ok" if valid else "bad"),
            "token=" + ("none" if token is None else "real" if sha256(token) == os.environ["AWS_TOKEN_SHA256"] else "other"),
            "payload=" + ("ok" if payload_ok else "bad"),
            "auth_sha256=" + sha256(self.headers.get("Authorization", "")),
        ]
        self.answer(200, " ".join(words).encode())


create_repository()
server = http.server.ThreadingHTTPServer(("0.0.0.0", 443), Handler)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain("/certs/cert.pem", "/certs/key.pem")
server.socket = context.wrap_socket(server.socket, server_side=True)
print("listening", flush=True)
server.serve_forever()
