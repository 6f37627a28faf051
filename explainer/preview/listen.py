"""The preview's listening sockets: one for each address the host name resolves to, all on one port.

tornado.netutil.bind_sockets does the same but leaves the socket it was binding open when the bind
fails (a port in use): the file descriptor stays open until the garbage collector finds it, with a
ResourceWarning. Here every socket made is closed unless all of them listen. As tornado's, an empty
host is every interface, and an address family the system does not offer (IPv6 switched off in the
kernel) is passed over.
"""

from __future__ import annotations

import errno
import socket

BACKLOG = 128  # connections waiting to be accepted (tornado's default)


def listening(host: str, port: int) -> list[socket.socket]:
    """Non-blocking sockets listening on `port` at every address of `host`; OSError, with none left open, if one cannot."""
    families = socket.AF_UNSPEC if socket.has_ipv6 else socket.AF_INET
    found = socket.getaddrinfo(host or None, port, families, socket.SOCK_STREAM, 0, socket.AI_PASSIVE)
    # the whole address: an IPv6 one holds its scope (fe80::1%eth0), without which a link-local address cannot be bound
    addresses = sorted({(family, address) for family, _, _, _, address in found}, key=lambda each: (each[0], each[1]))
    sockets: list[socket.socket] = []
    try:
        for family, (ip, wanted, *rest) in addresses:
            chosen = sockets[0].getsockname()[1] if sockets and wanted == 0 else wanted  # port 0: the first one the system chose
            try:
                sock = socket.create_server((ip, chosen, *rest), family=family, backlog=BACKLOG)  # closes its socket on failure
            except OSError as exc:
                if exc.errno == errno.EAFNOSUPPORT:
                    continue  # a family the kernel does not offer, though the name resolves to it
                if exc.errno == errno.EADDRNOTAVAIL and host == "localhost" and family == socket.AF_INET6:
                    continue  # a machine without IPv6 still resolves localhost to ::1
                raise
            sock.setblocking(False)
            sockets.append(sock)
        if not sockets:
            raise OSError(errno.EAFNOSUPPORT, f"none of the addresses of {host or 'every interface'} can be listened on")
    except BaseException:
        for sock in sockets:
            sock.close()
        raise
    return sockets
