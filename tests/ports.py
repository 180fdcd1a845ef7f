"""Ports for the servers the tests start on loopback."""

import socket


def free_port() -> int:
    """A port the OS has just given and released, for a server a test starts on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
