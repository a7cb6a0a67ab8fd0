"""AWS Signature Version 4 with header auth, signed the way botocore's SigV4Auth signs an S3 request.

The sandboxed command signs with the surrogate keys it sees in its environment, exactly as the AWS CLI does
(host, x-amz-content-sha256, x-amz-date and x-amz-security-token signed; the payload hash sent in
x-amz-content-sha256). The test upstream verifies what arrives with the real secret key. Written for the
Airut.Sandbox end-to-end tests; standard library only, because the client image has no botocore.
"""
import hashlib
import hmac
import re
import urllib.parse

ALGORITHM = "AWS4-HMAC-SHA256"
_AUTH = re.compile(r"AWS4-HMAC-SHA256\s+Credential=([^/]+)/([^,]+),\s*SignedHeaders=([^,]+),\s*Signature=([0-9a-f]+)")


def _hmac(key, text):
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def _quote(text):
    return urllib.parse.quote(text, safe="-_.~")


def canonical_query(query):
    pairs = [(_quote(k), _quote(v)) for k, v in urllib.parse.parse_qsl(query, keep_blank_values=True)]
    return "&".join(f"{k}={v}" for k, v in sorted(pairs))


def canonical_request(method, path, query, headers, signed_headers, payload_hash):
    """headers: (name, value) pairs in wire order; S3 paths are used as sent, not encoded twice."""
    lines = []
    for name in signed_headers:
        values = [" ".join(v.strip().split()) for n, v in headers if n.lower() == name]
        lines.append(f"{name}:{','.join(values)}\n")
    return "\n".join([method, path or "/", canonical_query(query), "".join(lines), ";".join(signed_headers), payload_hash])


def signature(secret, amz_date, scope, request):
    date, region, service, _ = scope.split("/")
    key = _hmac(_hmac(_hmac(_hmac(("AWS4" + secret).encode(), date), region), service), "aws4_request")
    to_sign = "\n".join([ALGORITHM, amz_date, scope, hashlib.sha256(request.encode()).hexdigest()])
    return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()


def sign(method, host, path, query, body, access_key, secret, token, region, service, amz_date):
    """The headers to send, Authorization last."""
    payload = hashlib.sha256(body).hexdigest()
    headers = [("host", host), ("x-amz-content-sha256", payload), ("x-amz-date", amz_date)]
    if token:
        headers.append(("x-amz-security-token", token))
    signed = sorted(name for name, _ in headers)
    scope = f"{amz_date[:8]}/{region}/{service}/aws4_request"
    request = canonical_request(method, path, query, headers, signed, payload)
    authorization = (f"{ALGORITHM} Credential={access_key}/{scope}, SignedHeaders={';'.join(signed)}, "
                     f"Signature={signature(secret, amz_date, scope, request)}")
    return headers + [("authorization", authorization)]


def verify(method, path, query, headers, body, secret):
    """(access key id, whether the signature is valid for secret, whether the payload hash matches the body)."""
    authorization = next((v for n, v in headers if n.lower() == "authorization"), "")
    match = _AUTH.match(authorization)
    if not match:
        return None, False, False
    access_key, scope, signed, claimed = match.groups()
    amz_date = next((v for n, v in headers if n.lower() == "x-amz-date"), "")
    payload = next((v for n, v in headers if n.lower() == "x-amz-content-sha256"), "")
    request = canonical_request(method, path, query, headers, signed.split(";"), payload)
    valid = hmac.compare_digest(signature(secret, amz_date, scope, request), claimed)
    return access_key, valid, payload == hashlib.sha256(body).hexdigest()
