"""MQTT 3.1.1 packets as the bridge's client builds and reads them (OASIS MQTT 3.1.1,
clauses 2 and 3), byte by byte."""

from __future__ import annotations

import pytest

from smartcity.sensors.mqtt import packets


def test_a_publish_reads_back_as_it_was_built_whatever_the_reads_cut():
    """Clause 3.3: topic, packet identifier and payload; a Remaining Length of two bytes
    (clause 2.2.3) for a payload over 127 bytes; a packet may arrive a byte at a time."""
    payload = b'{"result": 21.5}' * 20
    sent = packets.publish_packet("v1.1/Datastreams(7)/Observations", payload, qos=1, pid=513)
    sent += packets.publish_packet("v1.1/Observations", b"{}")
    assert sent[0] == 0x32 and sent[1] & 0x80  # QoS 1; the length goes on
    buffer = bytearray()
    found: list = []
    for byte in sent:
        buffer.append(byte)
        delivered, others, used = packets.read(buffer, session=3)
        del buffer[:used]
        found += delivered
        assert others == []
    assert buffer == b""
    assert found == [
        packets.Message("v1.1/Datastreams(7)/Observations", payload, 513, 1, 3),
        packets.Message("v1.1/Observations", b"{}", 0, 0, 3),
    ]


def test_an_ignored_publish_stays_a_number_for_its_acknowledgement():
    ignore = packets.Ignore(b'{"@iot.id":', b'"@iot.selfLink":"http://testserver/')
    own = b'{"@iot.id":5,"@iot.selfLink":"http://testserver/sta/v1.1/Observations(5)"}'
    foreign = b'{"@iot.id":5,"@iot.selfLink":"https://elsewhere.example/Observations(5)"}'
    buffer = bytearray(
        packets.publish_packet("v1.1/Observations", own, qos=1, pid=9)
        + packets.publish_packet("v1.1/Observations", own)
        + packets.publish_packet("v1.1/Observations", foreign, qos=1, pid=10)
    )
    delivered, _, used = packets.read(buffer, session=2, ignore=ignore)
    assert used == len(buffer)
    assert delivered[:2] == [2 << 16 | 9, 0]
    assert delivered[2] == packets.Message("v1.1/Observations", foreign, 10, 1, 2)


def test_other_packets_come_apart_and_a_fifth_length_byte_is_an_error():
    buffer = bytearray(bytes([packets.PUBACK, 2, 1, 2, packets.PINGRESP, 0]))
    others = [(packets.PUBACK, b"\x01\x02"), (packets.PINGRESP, b"")]
    assert packets.read(buffer, 1) == ([], others, 6)
    with pytest.raises(packets.ProtocolError, match="four bytes"):
        packets.read(bytearray(b"\x30\xff\xff\xff\xff\x01"), 1)


def test_the_connect_packet_carries_session_and_account():
    """Clause 3.1: protocol name and level 4, the flags, keep alive, then the payload in
    the order client id, user name, password."""
    packet = packets.connect_packet("bridge-0", clean_session=False, keepalive=30,
                                 username="smartcity", password="geheim")
    assert packet[2:9] == b"\x00\x04MQTT\x04"
    assert packet[9] == 0xC0  # user name, password; no clean session
    assert packet[10:12] == b"\x00\x1e"
    assert packet.endswith(b"\x00\x08bridge-0\x00\x09smartcity\x00\x06geheim")
    assert packets.connect_packet("x", clean_session=True, keepalive=0)[9] == 0x02
