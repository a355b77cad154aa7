"""Refuse every network access that leaves loopback.

pytest-socket misses UDP ``sendto`` and libc name resolution, and both dnspython (reads
/etc/resolv.conf) and ipwhois (whois TCP/43, HTTPS to the RIRs) reach out by default. This guard
patches the socket layer so that such a leak fails the test loudly instead of hanging or, worse,
passing because the machine happened to be online.
"""

from __future__ import annotations

import ipaddress
import socket

_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}
_installed = False


class NetworkAccessDenied(RuntimeError):
    pass


def _is_loopback_host(host) -> bool:
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode(errors="replace")
    host = str(host).strip("[]")
    if host in ("", "0.0.0.0", "::"):  # binding to / connecting to "any" stays on this machine
        return True
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _check_address(address) -> None:
    if isinstance(address, tuple) and address and not _is_loopback_host(address[0]):
        raise NetworkAccessDenied(f"test tried to reach {address[0]!r}: only loopback is allowed")
    # AF_UNIX paths and the like are local by nature


def install() -> None:
    global _installed
    if _installed:
        return
    _installed = True
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_sendto = socket.socket.sendto
    real_getaddrinfo = socket.getaddrinfo
    real_gethostbyname = socket.gethostbyname
    real_gethostbyname_ex = socket.gethostbyname_ex

    def connect(self, address):
        _check_address(address)
        return real_connect(self, address)

    def connect_ex(self, address):
        _check_address(address)
        return real_connect_ex(self, address)

    def sendto(self, data, *args):
        _check_address(args[-1])
        return real_sendto(self, data, *args)

    def getaddrinfo(host, *args, **kwargs):
        if not _is_loopback_host(host):
            raise NetworkAccessDenied(f"test tried to resolve {host!r}: only loopback is allowed")
        return real_getaddrinfo(host, *args, **kwargs)

    def gethostbyname(host):
        if not _is_loopback_host(host):
            raise NetworkAccessDenied(f"test tried to resolve {host!r}: only loopback is allowed")
        return real_gethostbyname(host)

    def gethostbyname_ex(host):
        if not _is_loopback_host(host):
            raise NetworkAccessDenied(f"test tried to resolve {host!r}: only loopback is allowed")
        return real_gethostbyname_ex(host)

    socket.socket.connect = connect
    socket.socket.connect_ex = connect_ex
    socket.socket.sendto = sendto
    socket.getaddrinfo = getaddrinfo
    socket.gethostbyname = gethostbyname
    socket.gethostbyname_ex = gethostbyname_ex
