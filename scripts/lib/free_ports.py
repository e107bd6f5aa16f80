"""Print the first of `count` consecutive TCP ports on 127.0.0.1 that are free now.

Used by scripts/lib/private-suite.sh. The search runs below the kernel's
ephemeral range (net.ipv4.ip_local_port_range, 32768 and up here), so an
outgoing connection cannot take a port between the check and the server's bind.
    python3 free_ports.py <count> <low> <high>
"""
import random
import socket
import sys


def free(port):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


count, low, high = (int(a) for a in sys.argv[1:4])
starts = list(range(low, high - count))
random.shuffle(starts)
for start in starts:
    if all(free(p) for p in range(start, start + count)):
        print(start)
        sys.exit(0)
sys.exit(f"no {count} free ports between {low} and {high}")
