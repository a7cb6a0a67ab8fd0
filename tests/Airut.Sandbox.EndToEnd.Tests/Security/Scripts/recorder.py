# A recorder of the security suite's "outside world" (attacks.md §0.2). It logs one JSON line on stdout for every
# accepted TCP connection, every received byte, every UDP datagram and (when it can open a raw socket) every ICMP
# packet, so a test can assert that nothing reached it, or exactly what did.
#   recorder.py outside   plain TCP and UDP listeners on many ports, a fake DNS resolver on UDP 53, ICMP capture
#   recorder.py upstream  TLS (certificate from /certs) and plain HTTP/1.1 on 443/80, answering every request 200 "ok"
import base64, json, socket, ssl, struct, sys, threading, time

lock = threading.Lock()


def log(event, **fields):
    fields["ev"] = event
    fields["t"] = round(time.time(), 3)
    with lock:
        sys.stdout.write(json.dumps(fields) + "\n")
        sys.stdout.flush()


def b64(data):
    return base64.b64encode(data).decode()


def tcp_listener(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", port))
    s.listen(64)
    return s


def serve_raw(port):
    s = tcp_listener(port)

    def handle(conn, peer):
        conn.settimeout(2)
        data = b""
        try:
            while len(data) < 65536:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                data += chunk
        except OSError:
            pass
        log("tcp-data", port=port, peer=peer[0], data=b64(data))
        conn.close()

    def loop():
        while True:
            conn, peer = s.accept()
            log("tcp-accept", port=port, peer=peer[0])
            threading.Thread(target=handle, args=(conn, peer), daemon=True).start()

    threading.Thread(target=loop, daemon=True).start()


def serve_udp(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", port))

    def loop():
        while True:
            data, peer = s.recvfrom(65535)
            log("udp", port=port, peer=peer[0], data=b64(data))
            if port == 53 and len(data) >= 12:
                # The fake upstream resolver answers REFUSED: it exists to count queries, not to resolve.
                flags = struct.unpack("!H", data[2:4])[0] | 0x8000 | 5
                s.sendto(data[:2] + struct.pack("!H", flags) + data[4:], peer)

    threading.Thread(target=loop, daemon=True).start()


def capture_icmp():
    try:
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    except OSError as e:
        log("icmp-capture", state="unavailable", error=str(e))
        return
    log("icmp-capture", state="on")

    def loop():
        while True:
            data, peer = s.recvfrom(65535)
            ihl = (data[0] & 0x0F) * 4
            log("icmp", peer=peer[0], type=data[ihl] if len(data) > ihl else -1, data=b64(data[ihl:]))

    threading.Thread(target=loop, daemon=True).start()


def serve_http(port, context):
    s = tcp_listener(port)

    def handle(conn, peer):
        sni = {"name": None}
        if context is not None:
            try:
                conn.settimeout(10)
                conn = context.wrap_socket(conn, server_side=True)
                sni["name"] = getattr(conn, "airut_sni", None)
            except (OSError, ssl.SSLError) as e:
                log("tls-failed", port=port, peer=peer[0], error=str(e))
                conn.close()
                return
        conn.settimeout(15)
        buffer = b""
        try:
            while True:
                while b"\r\n\r\n" not in buffer:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    buffer += chunk
                head, _, rest = buffer.partition(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value.strip() or b"0")
                while len(rest) < length:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    rest += chunk
                body, buffer = rest[:length], rest[length:]
                log("http", port=port, peer=peer[0], sni=sni["name"], head=b64(head), body=b64(body))
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok")
        except (OSError, ValueError) as e:
            log("http-error", port=port, peer=peer[0], error=str(e))
        finally:
            conn.close()

    def loop():
        while True:
            conn, peer = s.accept()
            log("tcp-accept", port=port, peer=peer[0])
            threading.Thread(target=handle, args=(conn, peer), daemon=True).start()

    threading.Thread(target=loop, daemon=True).start()


def tls_context():
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain("/certs/cert.pem", "/certs/key.pem")

    def remember(sock, name, _):
        sock.airut_sni = name

    context.sni_callback = remember
    return context


role = sys.argv[1]
if role == "outside":
    for p in (22, 25, 53, 80, 443, 853, 2375, 2376, 5200, 8080, 9999):
        serve_raw(p)
    for p in (53, 123, 443, 853, 9999):
        serve_udp(p)
    capture_icmp()
else:
    serve_http(443, tls_context())
    serve_http(80, None)
log("ready", role=role)
while True:
    time.sleep(3600)
