"""Debian's mta-sts-daemon (postfix-mta-sts-resolver) pointed at the lab.

Usage: python3 mta_sts_daemon.py DNS_HOST DNS_PORT HTTPS_PORT CA_FILE -- DAEMON_ARGS...

The daemon has no option for its DNS server or its HTTPS port and trust
roots, so exactly two transports are patched before it starts, and nothing
else: aiodns resolvers ask the lab's DNS server (c-ares takes the port as
an option), and aiohttp sessions connect to the lab's HTTPS port, at the
address the lab's DNS gives for the policy host, trusting the lab's CA
only. The policy URL, the SNI name, the certificate check and everything
the daemon decides stay its own.
"""

import socket
import ssl
import sys

import aiodns
import aiohttp
from aiohttp.abc import AbstractResolver

DNS_HOST, DNS_PORT, HTTPS_PORT, CA_FILE = (
    sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
DAEMON_ARGS = sys.argv[sys.argv.index("--") + 1:]

_dns_init = aiodns.DNSResolver.__init__


def _lab_dns_init(self, *args, **kwargs):
    kwargs.update(nameservers=[DNS_HOST], udp_port=DNS_PORT, tcp_port=DNS_PORT)
    _dns_init(self, *args, **kwargs)


aiodns.DNSResolver.__init__ = _lab_dns_init


class LabPolicyHosts(AbstractResolver):
    """Host addresses from the lab's DNS, with the lab's HTTPS port."""

    async def resolve(self, host, port=0, family=socket.AF_INET):
        answers = await aiodns.DNSResolver().query(host, "A")
        return [{"hostname": host, "host": answer.host, "port": HTTPS_PORT,
                 "family": socket.AF_INET, "proto": 0,
                 "flags": socket.AI_NUMERICHOST} for answer in answers]

    async def close(self):
        pass


_session_init = aiohttp.ClientSession.__init__


def _lab_session_init(self, *args, **kwargs):
    kwargs["connector"] = aiohttp.TCPConnector(
        resolver=LabPolicyHosts(),
        ssl=ssl.create_default_context(cafile=CA_FILE))
    _session_init(self, *args, **kwargs)


aiohttp.ClientSession.__init__ = _lab_session_init

from postfix_mta_sts_resolver.daemon import main  # noqa: E402

sys.argv = ["mta-sts-daemon"] + DAEMON_ARGS
main()
