# Socket probes for the security suite, run inside the sandbox. Each prints one word: the outcome.
#   sock.py tcp HOST PORT          connected | refused | timeout | <errno name>
#   sock.py udp HOST PORT          answered | silent | <errno name>   (sends a DNS query for x.exfil.test)
#   sock.py icmp HOST              opened-sent | denied:<errno name>  (unprivileged ICMP echo socket)
#   sock.py raw | packet           opened | denied:<errno name>       (raw IP / AF_PACKET socket)
#   sock.py scan HOST              the open TCP ports of HOST, comma-separated
import errno, os, select, socket, struct, sys


def name(e):
    return errno.errorcode.get(e.errno, str(e.errno)).lower() if e.errno else type(e).__name__.lower()


def dns_query(qname, qtype=1):
    labels = b"".join(bytes([len(p)]) + p.encode() for p in qname.split(".")) + b"\0"
    return struct.pack("!HHHHHH", 0x4242, 0x0100, 1, 0, 0, 0) + labels + struct.pack("!HH", qtype, 1)


kind = sys.argv[1]
if kind == "tcp":
    s = socket.socket()
    s.settimeout(3)
    try:
        s.connect((sys.argv[2], int(sys.argv[3])))
        s.sendall(b"EXFIL\r\n")
        print("connected")
    except socket.timeout:
        print("timeout")
    except OSError as e:
        print("refused" if e.errno == errno.ECONNREFUSED else name(e))
elif kind == "udp":
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(2)
    try:
        s.connect((sys.argv[2], int(sys.argv[3])))
        s.send(dns_query("x.exfil.test"))
        s.recv(4096)
        print("answered")
    except socket.timeout:
        print("silent")
    except OSError as e:
        print(name(e))
elif kind == "icmp":
    try:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_ICMP)
    except OSError as e:
        print("denied:" + name(e))
    else:
        s.sendto(struct.pack("!BBHHH", 8, 0, 0, 1, 1) + b"EXFILTRATE", (sys.argv[2], 0))
        print("opened-sent")
elif kind in ("raw", "packet"):
    try:
        if kind == "raw":
            socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
        else:
            socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
        print("opened")
    except OSError as e:
        print("denied:" + name(e))
elif kind == "scan":
    host, found = sys.argv[2], []
    for start in range(1, 65536, 256):
        pending = {}
        for port in range(start, min(start + 256, 65536)):
            s = socket.socket()
            s.setblocking(False)
            s.connect_ex((host, port))
            pending[s] = port
        waiting = dict(pending)
        while waiting:
            _, ready, _ = select.select([], list(waiting), [], 2)
            if not ready:
                break
            for s in ready:
                if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
                    found.append(waiting[s])
                del waiting[s]
        for s in pending:
            s.close()
    print(",".join(str(p) for p in sorted(found)) or "none")
