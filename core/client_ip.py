"""The client's IP address, as seen through the proxies we trust.

Behind a reverse proxy every request arrives from the proxy, so REMOTE_ADDR alone would
put all visitors under one address (and one visitor's failed logins would lock out
everyone). When REMOTE_ADDR is one of ``settings.TRUSTED_PROXIES``, the address is the
rightmost X-Forwarded-For entry that is not itself a trusted proxy; a client that talks
to the app directly cannot choose its address by sending the header.
"""

import ipaddress

from django.conf import settings


def _valid(address):
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request):
    remote = _valid(request.META.get("REMOTE_ADDR", "")) or ""
    trusted = set(getattr(settings, "TRUSTED_PROXIES", ()))
    if remote not in trusted:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for entry in reversed(forwarded.split(",")):
        address = _valid(entry)
        if address is None:
            return remote  # a malformed chain: trust nothing in it
        if address not in trusted:
            return address
    return remote
