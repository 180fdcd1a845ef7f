"""The platform's own public address (EGOV_PUBLIC_URL), from which every link to the platform is
built: payment return and notification (IPN) URLs, the local SMS and payment simulators, the QR
link on signed results, e-mail links. Decision 0021.

Without ``EGOV_PUBLIC_URL`` the address is the one ``egov serve``/``egov demo`` serves
(``--addr``, passed on as ``EGOV_ADDR``), so the demo works on any port. Pure functions: imported
by the settings, before Django is set up.
"""

from __future__ import annotations

DEFAULT_ADDR = "127.0.0.1:8000"
# The test PKI's OCSP/CRL/timestamp responder listens this far above the web port by default
# (8000 -> 8787), so that two demo installations served on different ports do not collide.
PKI_PORT_OFFSET = 787
AXIS_PORT_OFFSET = 788  # the local simulator of the document exchange axis, beside it (8788)


def split_addr(addr: str) -> tuple[str, int]:
    """``host, port`` of a gunicorn-style bind address (``HOST:PORT``, ``:PORT``, ``[::1]:PORT``)."""
    host, _, port = (addr or DEFAULT_ADDR).strip().rpartition(":")
    if not port.isdigit():
        raise ValueError(f"not a HOST:PORT address: {addr!r}")
    return host.strip("[]"), int(port)


def for_addr(addr: str) -> str:
    """The URL a browser on this machine opens for a server bound to ``addr``: a wildcard bind
    (``0.0.0.0``, ``::``, empty) is reached on the loopback address."""
    host, port = split_addr(addr)
    if host in ("", "0.0.0.0"):  # noqa: S104 - the wildcard bind is read here, never bound
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def pki_port_for(addr: str) -> int:
    port = split_addr(addr)[1] + PKI_PORT_OFFSET
    return port if port <= 65535 else port - 2 * PKI_PORT_OFFSET


def axis_port_for(addr: str) -> int:
    port = split_addr(addr)[1] + AXIS_PORT_OFFSET
    return port if port <= 65535 else port - 2 * AXIS_PORT_OFFSET


def normalise(url: str) -> str:
    """``url`` without its trailing slash: links are built as ``EGOV_PUBLIC_URL + path``."""
    return url.strip().rstrip("/")
