"""The local stack's ports never come from the range outgoing connections take theirs from."""

import socket
from pathlib import Path

from stack import free_port


def test_free_ports_are_below_the_ephemeral_range_and_bindable():
    start = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    ports = {free_port() for _ in range(20)}
    assert all(1024 <= port < start for port in ports)
    assert len(ports) > 1  # chosen at random, so concurrent runs rarely meet
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", ports.pop()))
