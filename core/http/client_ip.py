"""The client's IP address, as seen through the proxies we trust: the one identity that
the login lockout (django-axes) and the API's anonymous throttle count by.

Behind a reverse proxy every request arrives from the proxy, so REMOTE_ADDR alone would
put all visitors under one address (and one visitor's failed logins would lock out
everyone). When REMOTE_ADDR is one of ``settings.TRUSTED_PROXIES`` (addresses or
networks; none by default, loopback included), the address is the rightmost
X-Forwarded-For entry that is not itself a trusted proxy; a client that talks to the app
directly cannot choose its address by sending the header.
"""

import functools
import ipaddress

from django.conf import settings


def _valid(address):
    try:
        return ipaddress.ip_address(address.strip())
    except ValueError:
        return None


@functools.lru_cache(maxsize=8)
def _networks(trusted):
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in trusted)


def _is_trusted(address):
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    return any(address in network for network in networks)


def client_ip(request):
    remote = _valid(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return ""
    if not _is_trusted(remote):
        return str(remote)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for entry in reversed(forwarded.split(",")):
        address = _valid(entry)
        if address is None:
            return str(remote)  # a malformed chain: trust nothing in it
        if not _is_trusted(address):
            return str(address)
    return str(remote)
