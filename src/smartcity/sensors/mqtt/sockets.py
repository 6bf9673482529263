"""The broker's socket, for the bridge's client (mqtt.wire): the TLS context of an
``mqtts://`` broker, opening a connection (TCP, TLS if configured, CONNECT and the CONNACK
that must come first, clause 3.2), reading what it holds at once, and ending a persistent
session for good."""

from __future__ import annotations

import socket
import ssl

from smartcity.core import config
from smartcity.sensors.mqtt.packets import (
    CONNACK,
    DISCONNECT,
    REFUSED,
    ProtocolError,
    connect_packet,
)

_READ = 1 << 18  # bytes asked of the socket at a time


def tls_context() -> ssl.SSLContext:
    """The platform's TLS context for an ``mqtts://`` broker (bridge and administrator):
    the broker's certificate and host name verified against SMARTCITY_MQTT_TLS_CA (else the
    system's CAs), TLS 1.2 or later, and the client certificate of
    SMARTCITY_MQTT_TLS_CLIENT_CERT if set. ValueError names the setting a file fails."""
    ca = config.get("MQTT_TLS_CA")
    cert, key = config.get("MQTT_TLS_CLIENT_CERT"), config.get("MQTT_TLS_CLIENT_KEY")
    try:
        context = ssl.create_default_context(cafile=ca or None)
    except (OSError, ssl.SSLError) as error:
        raise ValueError(f"SMARTCITY_MQTT_TLS_CA {ca!r}: {error}") from None
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    if key and not cert:
        raise ValueError("SMARTCITY_MQTT_TLS_CLIENT_KEY needs SMARTCITY_MQTT_TLS_CLIENT_CERT")
    if cert:
        try:
            context.load_cert_chain(cert, key or None)
        except (OSError, ssl.SSLError) as error:
            raise ValueError(f"SMARTCITY_MQTT_TLS_CLIENT_CERT {cert!r}: {error}") from None
    return context


def end_session(
    host: str,
    port: int,
    client_id: str,
    *,
    username: str | None = None,
    password: str | None = None,
    tls: ssl.SSLContext | None = None,
) -> None:
    """End the broker's persistent session of ``client_id`` for good: connect with a clean
    session (which discards the stored one, clause 3.1.2.4) and leave at once."""
    connect = connect_packet(
        client_id, clean_session=True, keepalive=0, username=username, password=password
    )
    sock, _ = open_connection(host, port, tls, connect)
    with sock:
        sock.sendall(bytes([DISCONNECT, 0]))


def open_connection(
    host: str, port: int, tls: ssl.SSLContext | None, connect: bytes
) -> tuple[socket.socket, bytearray]:
    """A connection the broker accepted (TCP, TLS if given, CONNECT, CONNACK), and what
    arrived after the CONNACK."""
    raw = socket.create_connection((host, port), timeout=10)
    try:
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock = tls.wrap_socket(raw, server_hostname=host) if tls is not None else raw
        sock.sendall(connect)
        return sock, connack(sock)
    except BaseException:
        raw.close()
        raise


def connack(sock: socket.socket) -> bytearray:
    """Read the CONNACK that must come first (clause 3.2); raise unless it accepts. What
    arrived after it is returned."""
    buffer = bytearray()
    while len(buffer) < 4:
        data = sock.recv(4096)
        if not data:
            raise OSError("the broker closed the connection before its CONNACK")
        buffer += data
    if buffer[0] != CONNACK or buffer[1] != 2:
        raise ProtocolError(f"expected a CONNACK, got packet type {buffer[0] >> 4}")
    if buffer[3]:
        reason = REFUSED.get(buffer[3], f"return code {buffer[3]}")
        raise ProtocolError(f"connection refused: {reason}")
    return buffer[4:]


def receive(sock: socket.socket) -> bytes | None:
    """What the socket holds now (b"" if nothing yet, None once it is closed)."""
    chunks: list[bytes] = []
    size = 0
    while size < 4 * _READ:
        try:
            data = sock.recv(_READ)
        except (BlockingIOError, ssl.SSLWantReadError, ssl.SSLWantWriteError):
            break
        if not data:
            if chunks:
                break
            return None
        chunks.append(data)
        size += len(data)
        if isinstance(sock, ssl.SSLSocket):
            if not sock.pending():
                break
        elif len(data) < _READ:
            break
    return b"".join(chunks)
