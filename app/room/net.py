"""Network interfaces a room can listen on (psutil), and the one to offer first.

A room listens on exactly one address the facilitator chose: never on every interface
at once without being asked (``0.0.0.0`` is refused), so a laptop on a conference
network and a wired LAN serves only the network of the room.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass


@dataclass(frozen=True)
class Interface:
    """An address of a network interface that is up."""

    name: str
    address: str
    loopback: bool

    def describe(self) -> str:
        """'wlan0 (192.168.1.20)'."""
        return f"{self.name} ({self.address})"


def interfaces() -> list[Interface]:
    """IPv4 addresses of the interfaces that are up, private networks first, loopback last."""
    import psutil

    stats = psutil.net_if_stats()
    out = []
    for name, addrs in psutil.net_if_addrs().items():
        if name in stats and not stats[name].isup:
            continue
        for a in addrs:
            if a.family != socket.AF_INET:
                continue
            ip = ipaddress.ip_address(a.address)
            if ip.is_link_local:
                continue
            out.append(Interface(name, a.address, ip.is_loopback))
    return sorted(out, key=lambda i: (i.loopback, not ipaddress.ip_address(i.address).is_private,
                                      i.name))


def check_address(address: str) -> str:
    """The address to bind, or ValueError with a readable reason."""
    try:
        ip = ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        raise ValueError(f"{address!r} is not an IP address") from None
    if ip.is_unspecified:
        raise ValueError("a room listens on one network interface: choose its address "
                         "instead of every interface (0.0.0.0)")
    if ip.version != 4:
        raise ValueError("rooms listen on IPv4 addresses (phones' QR scanners expect them)")
    return str(ip)


def default_interface() -> Interface | None:
    """The interface to offer: the only private LAN address when there is exactly one."""
    lan = [i for i in interfaces() if not i.loopback]
    return lan[0] if len(lan) == 1 else None
