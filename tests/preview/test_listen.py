"""The preview's listening sockets: all on one port, and none left open when one of them cannot listen."""

from __future__ import annotations

import errno
import os
import socket
from collections.abc import Iterator
from typing import Any

import pytest

from explainer.preview.listen import listening


def open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.fixture
def two_addresses(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A host name that resolves to two loopback addresses (as localhost does to ::1 and 127.0.0.1 where IPv6 is on)."""
    real = socket.getaddrinfo

    def resolve(host: str, port: int, *args: Any) -> list[tuple[Any, ...]]:
        if host != "twice.test":
            return real(host, port, *args)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port)) for ip in ("127.0.0.2", "127.0.0.1")]
    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    yield


def test_every_address_listens_on_the_one_port_the_system_chose(two_addresses: None) -> None:
    sockets = listening("twice.test", 0)
    try:
        assert [sock.getsockname()[0] for sock in sockets] == ["127.0.0.1", "127.0.0.2"]
        ports = {sock.getsockname()[1] for sock in sockets}
        assert len(ports) == 1 and 0 not in ports
        assert all(not sock.getblocking() for sock in sockets)
    finally:
        for sock in sockets:
            sock.close()


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts open files in /proc (Linux)")
def test_a_port_in_use_at_any_address_leaves_no_socket_open(two_addresses: None) -> None:
    # the first address listens, the second is taken: the first must be closed again, not left to the collector
    with socket.socket() as taken:
        taken.bind(("127.0.0.2", 0))
        taken.listen()
        port = taken.getsockname()[1]
        before = open_descriptors()
        with pytest.raises(OSError) as caught:
            listening("twice.test", port)
        assert caught.value.errno == errno.EADDRINUSE
        assert open_descriptors() == before
        with pytest.raises(OSError):  # the only address taken: the same
            listening("127.0.0.2", port)
        assert open_descriptors() == before


def test_an_unknown_host_is_an_os_error() -> None:
    with pytest.raises(OSError):
        listening("no-such-host.invalid", 0)


def test_an_empty_host_is_every_interface_on_one_port() -> None:
    sockets = listening("", 0)
    try:
        names = [sock.getsockname() for sock in sockets]
        assert names[0][0] == "0.0.0.0" and len({name[1] for name in names}) == 1
        assert all(sock.family in (socket.AF_INET, socket.AF_INET6) for sock in sockets)
    finally:
        for sock in sockets:
            sock.close()


def test_an_address_is_bound_whole_with_its_ipv6_flow_and_scope(monkeypatch: pytest.MonkeyPatch) -> None:
    # a link-local address (fe80::1%eth0) cannot be bound without its scope: the whole address goes to bind
    asked: list[tuple[Any, ...]] = []
    create = socket.create_server

    def resolve(host: str, port: int, *args: Any) -> list[tuple[Any, ...]]:
        return [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("::1", port, 0, 0))]

    def recorded(address: tuple[Any, ...], **kwargs: Any) -> socket.socket:
        asked.append(address)
        return create(address, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    monkeypatch.setattr(socket, "create_server", recorded)
    sockets = listening("scoped.test", 0)
    for sock in sockets:
        sock.close()
    assert asked == [("::1", 0, 0, 0)] and len(sockets) == 1


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts open files in /proc (Linux)")
def test_a_family_the_kernel_does_not_offer_is_passed_over(two_addresses: None, monkeypatch: pytest.MonkeyPatch) -> None:
    # a kernel with IPv6 switched off, and a name that resolves to an IPv6 address too
    real_socket, real_resolve = socket.socket, socket.getaddrinfo

    def without_ipv6(family: int = -1, *args: Any, **kwargs: Any) -> socket.socket:
        if family == socket.AF_INET6:
            raise OSError(errno.EAFNOSUPPORT, "Address family not supported by protocol")
        return real_socket(family, *args, **kwargs)

    def both(host: str, port: int, *args: Any) -> list[tuple[Any, ...]]:
        return [*real_resolve("twice.test", port, *args), (socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("::1", port, 0, 0))]

    before = open_descriptors()
    monkeypatch.setattr(socket, "socket", without_ipv6)
    monkeypatch.setattr(socket, "getaddrinfo", both)
    sockets = listening("both.test", 0)
    monkeypatch.undo()
    try:
        assert sorted(sock.getsockname()[0] for sock in sockets) == ["127.0.0.1", "127.0.0.2"]
    finally:
        for sock in sockets:
            sock.close()
    monkeypatch.setattr(socket, "socket", without_ipv6)
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, port, *args: [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("::1", port, 0, 0))])
    with pytest.raises(OSError) as caught:  # nothing left to listen on: said so
        listening("six.test", 0)
    monkeypatch.undo()
    assert caught.value.errno == errno.EAFNOSUPPORT and open_descriptors() == before
