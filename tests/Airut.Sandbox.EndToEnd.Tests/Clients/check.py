"""Runs inside the sandbox: python3's own HTTPS clients through the proxy, and an AWS CLI-style signed request.

Trust comes only from the environment the sandbox sets (SSL_CERT_FILE and friends, read by OpenSSL's default
paths); no verification is turned off. Prints one "name=result" line per check; never a credential.
"""
import hashlib
import http.client
import os
import ssl
import sys
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sigv4  # noqa: E402


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return f"{response.status} {response.read().decode()}"
    except urllib.error.HTTPError as error:
        body = error.read().decode(errors="replace")
        return f"{error.code} {'blocked_by_network_allowlist' if 'blocked_by_network_allowlist' in body else 'other'}"


def signed_put(host, path):
    body = b"object body from the sandbox"
    amz_date = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    headers = sigv4.sign("PUT", host, path, "", body, os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"],
                         os.environ.get("AWS_SESSION_TOKEN"), "us-east-1", "s3", amz_date)
    connection = http.client.HTTPSConnection(host, 443, timeout=30, context=ssl.create_default_context())
    connection.putrequest("PUT", path, skip_host=True, skip_accept_encoding=True)
    for name, value in headers:
        connection.putheader(name, value)
    connection.putheader("content-length", str(len(body)))
    connection.endheaders(body)
    response = connection.getresponse()
    text = response.read().decode()
    sent = hashlib.sha256(dict(headers)["authorization"].encode()).hexdigest()
    words = [w for w in text.split() if not w.startswith("auth_sha256=")]
    arrived_unchanged = f"auth_sha256={sent}" in text.split()
    return f"{response.status} {' '.join(words)} auth={'unchanged' if arrived_unchanged else 'changed'}"


print("py_allowed=" + fetch("https://py.test/ok"), flush=True)
print("py_path_blocked=" + fetch("https://py.test/forbidden"), flush=True)
print("py_host_blocked=" + fetch("https://blocked.test/ok"), flush=True)
print("aws_scoped=" + signed_put("s3.scoped.test", "/bucket/key.txt"), flush=True)
print("aws_unscoped=" + signed_put("unscoped.test", "/bucket/key.txt"), flush=True)
