"""MQTT 3.1.1 packets (OASIS MQTT Version 3.1.1, clause 2 and 3) as bytes, for the bridge's
lean client (mqtt.wire): the packets it sends built in one go, and what the broker sent
split into whole packets at once (:func:`read`), the bridge's hot path."""

from __future__ import annotations

import struct
from collections.abc import Iterator, Sequence
from typing import NamedTuple

CONNECT, CONNACK, PUBLISH, PUBACK = 0x10, 0x20, 0x30, 0x40
SUBSCRIBE, SUBACK, PINGREQ, PINGRESP, DISCONNECT = 0x82, 0x90, 0xC0, 0xD0, 0xE0
# CONNACK return codes (clause 3.2.2.3)
REFUSED = {
    1: "unacceptable protocol version",
    2: "client identifier rejected",
    3: "server unavailable",
    4: "bad user name or password",
    5: "not authorized",
}


def pubacks(pids: list[int]) -> Iterator[int]:
    for pid in pids:
        yield PUBACK
        yield 2
        yield pid


class ProtocolError(Exception):
    """The broker sent something MQTT 3.1.1 does not allow, or refused the connection."""


class Message(NamedTuple):
    """A PUBLISH the broker delivered. ``session`` numbers the connection it came on: an
    acknowledgement belongs on that connection only."""

    topic: str
    payload: bytes
    pid: int
    qos: int
    session: int


def length(n: int) -> bytes:
    """The Remaining Length of clause 2.2.3: seven bits a byte, lowest first."""
    if n < 128:
        return bytes((n,))
    if n < 16384:
        return bytes((n & 0x7F | 0x80, n >> 7))
    out = bytearray()
    while True:
        n, digit = divmod(n, 128)
        out.append(digit | (0x80 if n else 0))
        if not n:
            return bytes(out)


def text(value: str | bytes) -> bytes:
    raw = value.encode() if isinstance(value, str) else value
    return struct.pack("!H", len(raw)) + raw


def connect_packet(
    client_id: str,
    *,
    clean_session: bool,
    keepalive: int,
    username: str | None = None,
    password: str | None = None,
) -> bytes:
    flags = 0x02 if clean_session else 0
    payload = text(client_id)
    if username is not None:
        flags |= 0x80
        payload += text(username)
        if password is not None:
            flags |= 0x40
            payload += text(password)
    body = text("MQTT") + bytes([4, flags]) + struct.pack("!H", keepalive) + payload
    return bytes([CONNECT]) + length(len(body)) + body


def subscribe_packet(pid: int, filters: Sequence[tuple[str, int]]) -> bytes:
    body = struct.pack("!H", pid) + b"".join(text(t) + bytes([qos]) for t, qos in filters)
    return bytes([SUBSCRIBE]) + length(len(body)) + body


def publish_packet(topic: str, payload: bytes, *, qos: int = 0, pid: int = 0) -> bytes:
    return encoded_publish(text(topic), payload, qos, pid)


def encoded_publish(head: bytes, payload: bytes, qos: int, pid: int) -> bytes:
    """A PUBLISH (clause 3.3) of a topic already encoded (``head``, :func:`text`)."""
    if not qos:
        return b"".join((b"\x30", length(len(head) + len(payload)), head, payload))
    n = len(head) + 2 + len(payload)
    first = b"\x32" if qos == 1 else b"\x34"
    return b"".join((first, length(n), head, pid.to_bytes(2, "big"), payload))


class Ignore(NamedTuple):
    """Which delivered messages the receiver only acknowledges: those whose payload begins
    with ``prefix`` and holds ``marker`` within its first ``within`` bytes (the bridge's
    own announcements coming back)."""

    prefix: bytes
    marker: bytes
    within: int = 200


def read(
    buffer: bytearray, session: int, ignore: Ignore | None = None
) -> tuple[list[Message | int], list[tuple[int, bytes]], int]:
    """The whole packets in ``buffer``: the PUBLISHes delivered, in order (clause 3.3), the
    other packets as (first byte, body), and where the first incomplete packet begins.

    A PUBLISH that ``ignore`` matches is not decoded: it stands in the list as the int
    ``session << 16 | packet id`` (0 for QoS 0), all :meth:`Connection.ack` needs. This is
    the bridge's hot path: most messages it receives are its own announcements."""
    delivered: list[Message | int] = []
    others: list[tuple[int, bytes]] = []
    end = len(buffer)
    at = 0
    prefix, marker, within = ignore if ignore is not None else (None, b"", 0)
    while at + 2 <= end:
        first = buffer[at]
        digit = buffer[at + 1]
        length = digit & 0x7F
        i = at + 2
        shift = 7
        while digit & 0x80:
            if i >= end:
                return delivered, others, at
            if shift > 21:
                raise ProtocolError("a Remaining Length of more than four bytes")
            digit = buffer[i]
            length |= (digit & 0x7F) << shift
            i += 1
            shift += 7
        stop = i + length
        if stop > end:
            return delivered, others, at
        if first & 0xF0 == PUBLISH:
            size = buffer[i] << 8 | buffer[i + 1]
            qos = first >> 1 & 3
            body = i + 2 + size
            pid = 0
            if qos:
                pid = buffer[body] << 8 | buffer[body + 1]
                body += 2
            if (
                prefix is not None
                and buffer.startswith(prefix, body)
                and buffer.find(marker, body, min(stop, body + within)) >= 0
            ):
                delivered.append(session << 16 | pid if qos else 0)
            else:
                topic = buffer[i + 2 : i + 2 + size].decode()
                delivered.append(Message(topic, bytes(buffer[body:stop]), pid, qos, session))
        else:
            others.append((first, bytes(buffer[i:stop])))
        at = stop
    return delivered, others, at
