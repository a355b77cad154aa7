"""Who holds an IP address: RDAP through ipwhois, the ASN from Team Cymru over DNS, and reverse DNS.

One lookup, for an address that is not reserved:
- ASN: two DNS TXT queries on the configured nameservers (``<reversed ip>.origin.asn.cymru.com``,
  then ``AS<n>.asn.cymru.com`` for the AS name, beside the RDAP requests), asked on the event loop
  and read by ipwhois's parsers. The first says which RIR holds the address. Only DNS: ipwhois's
  ``whois`` method opens TCP/43, and its ``http`` method (ARIN's Whois-RESTful service) recovers
  only the registry, not the ASN, from a host an RDAP mirror does not serve. When Cymru does not
  answer, the owner is "asn_lookup_failed".
- RDAP: the RIR's ``/ip/<ip>`` object, then the top-level entities that came without a vCard
  (RIPE NCC sends organisation and contacts as bare handles, each fetched at ``/entity/<handle>``)
  or with one naming only their handle (AFRINIC's organisations), then the new handles the fetched
  ones name (``depth=1``). Entities that already came with a vCard are not fetched again: ARIN nests
  the abuse contact, with its vCard, inside the registrant, and ipwhois would otherwise re-fetch
  every nested contact. Hand-written fixtures: ARIN 1 request, RIPE NCC 5.
  The entities of one level are fetched side by side: ipwhois's ``lookup_rdap`` fetches them one
  after another, which with the AS-name query before it made a RIPE NCC lookup 7 round trips long
  instead of 4 (bench/fanout.py).
- The parent network (``links`` rel="up"), beside the entities, only for a block an ISP passed on to
  a customer (ARIN) that names no abuse contact of its own: its provider's contact, shown as such.
- Reverse DNS: PTR, then the PTR name's A/AAAA must contain the address (forward-confirmed).

ipwhois is synchronous, so it runs in this module's own small thread pool (a hung RIR must not
starve the event loop's default executor, which also resolves host names for Slack). Every failure
comes back as ``Owner(error=...)``; nothing here raises. Results are cached per address.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import ipaddress
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import dns.asyncresolver
import dns.exception
import dns.resolver
from ipwhois import IPWhois
from ipwhois.exceptions import (
    ASNLookupError,
    ASNParseError,
    ASNRegistryError,
    HTTPLookupError,
    HTTPRateLimitError,
    IPDefinedError,
)
from ipwhois.rdap import RDAP, RIR_RDAP

from bot.diagnosis import addresses
from bot.diagnosis.cache import TTLCache
from bot.diagnosis.model import Owner
from bot.diagnosis.options import LookupOptions, Nameserver
from bot.diagnosis.owner.records import JSON, entities, handles, owner_from_rdap, parent_link, placeholder_orgs
from bot.diagnosis.owner.relay import RelayOpener, make_relay_opener
from bot.diagnosis.resolver import make_async_resolver

log = logging.getLogger(__name__)

FAILURE_TTL = 60.0  # a failed lookup is retried after a minute, not at once: RIRs rate-limit hard
RDAP_WORKERS = 8
# doctor's probe: Google's 8.8.8.0/24 at ARIN, a record that has been stable for decades.
PROBE_URL = "https://rdap.arin.net/registry/ip/8.8.8.8"

T = TypeVar("T")


class OwnerLookup:
    def __init__(
        self,
        *,
        nameservers: tuple[Nameserver, ...] = (),
        dns_timeout: float = 2.0,
        rdap_timeout: float = 6.0,
        cache_ttl: float = 3600.0,
        opener: urllib.request.OpenerDirector | None = None,
    ):
        self.nameservers = nameservers
        self.dns_timeout = dns_timeout
        self.rdap_timeout = rdap_timeout
        self.opener = opener  # None: direct HTTPS (ipwhois's default opener, which honours *_proxy)
        self._resolver = make_async_resolver(nameservers, dns_timeout)
        self._cache: TTLCache[Owner] = TTLCache(cache_ttl)
        self._executor = ThreadPoolExecutor(max_workers=RDAP_WORKERS, thread_name_prefix="rdap")

    @classmethod
    def create(cls, options: LookupOptions) -> OwnerLookup:
        return cls(
            nameservers=options.nameservers,
            dns_timeout=options.dns_timeout,
            rdap_timeout=options.rdap_deadline,
            cache_ttl=options.owner_cache_ttl,
            opener=make_relay_opener(options.rdap_relay) if options.rdap_relay else None,
        )

    def close(self) -> None:
        """Stop the worker threads; a request still hanging is abandoned, not awaited."""
        self._executor.shutdown(wait=False, cancel_futures=True)

    async def lookup(self, ip: str, *, fresh: bool = False) -> Owner:
        """The owner of ``ip``. Never raises: failures come back with ``error`` set (and reverse DNS
        when that worked). Successes are cached for ``cache_ttl``, failures for FAILURE_TTL;
        ``fresh=True`` asks again. Concurrent lookups of one address share one set of requests."""
        try:
            address = ipaddress.ip_address(ip.strip())
        except ValueError:
            return Owner(error="unexpected", detail=f"not an IP address: {ip!r}")
        if not addresses.registered(address):
            return Owner(error="not_public", detail=addresses.describe(address))
        key = address.compressed
        return await self._cache.get_or_compute(key, lambda: self._lookup(key), fresh=fresh,
                                                ttl_for=lambda owner: None if owner.error is None else FAILURE_TTL)

    async def _lookup(self, ip: str) -> Owner:
        started = time.perf_counter()
        owner, (rdns, confirmed) = await asyncio.gather(self._rdap(ip), self.reverse_dns(ip))
        owner = dataclasses.replace(owner, rdns=rdns, rdns_confirmed=confirmed)
        log.info("owner ip=%s asn=%s registry=%s error=%s in %.0f ms", ip, owner.asn or "-", owner.registry or "-",
                 owner.error or "-", (time.perf_counter() - started) * 1000)
        return owner

    async def _rdap(self, ip: str) -> Owner:
        try:
            data = await asyncio.wait_for(self._rdap_data(ip), self.rdap_timeout)
        except TimeoutError:
            return Owner(error="timeout", detail=f"no RDAP answer within {self.rdap_timeout:g} s")
        except Exception as exc:  # ipwhois raises many kinds; each becomes an error key
            return _failure(exc)
        return owner_from_rdap(ip, data)

    async def _rdap_data(self, ip: str) -> JSON:
        """An ipwhois ``lookup_rdap``-shaped result. Only what needs an answer waits for it: the
        origin ASN names the registry; then the AS name goes beside the RDAP requests, and the
        entities of each level are fetched side by side (ipwhois fetches one after another)."""
        whois = IPWhois(ip, timeout=self.rdap_timeout, proxy_opener=self.opener)  # no network; about 1 ms
        asn_data = await self._origin(whois)
        description = asyncio.create_task(self._as_name(whois, asn_data["asn"]))
        try:
            rdap = await self._rdap_objects(whois, asn_data)
        except BaseException:
            description.cancel()
            raise
        return {**asn_data, "asn_description": await description, **rdap}

    async def _in_worker(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor,
                                                                functools.partial(function, *args, **kwargs))

    async def _origin(self, whois: IPWhois) -> JSON:
        """Team Cymru's origin TXT (``<reversed ip>.origin.asn.cymru.com``) on the event loop, read by
        ipwhois's parser; as ipwhois does, the most specific prefix wins when several answer."""
        try:
            answer = await self._resolver.resolve(whois.net.dns_zone, "TXT", search=False)
        except dns.exception.DNSException as exc:
            raise ASNLookupError(f"ASN lookup failed (DNS {type(exc).__name__}) for {whois.address_str}.") from None
        origins = [whois.ipasn.parse_fields_dns(str(record)) for record in answer]
        return max(origins, key=lambda origin: _prefix_length(origin["asn_cidr"]))

    async def _as_name(self, whois: IPWhois, asn: str) -> str | None:
        """``AS<n>.asn.cymru.com`` TXT, read by ipwhois's parser; a nicety, so a failure is None."""
        try:
            answer = await self._resolver.resolve(f"AS{asn.split()[0]}.asn.cymru.com", "TXT", search=False)
            description: str | None = whois.ipasn.parse_fields_verbose_dns(str(answer[0]))["asn_description"]
            return description
        except (dns.exception.DNSException, ASNRegistryError, ASNParseError, IndexError):
            return None

    async def _rdap_objects(self, whois: IPWhois, asn_data: JSON) -> JSON:
        """The RIR's ``/ip/`` object, its entities (``_entity_levels``) and, for a customer's block
        without an abuse contact, its parent network side by side with them."""
        urls = RIR_RDAP[asn_data["asn_registry"]]
        response = await self._in_worker(self._get_json, whois, urls["ip_url"].format(whois.address_str))
        # A customer's block without an abuse contact: its provider's network, beside the entities.
        parent_url = parent_link(response, urls["ip_url"])
        parent = asyncio.ensure_future(self._in_worker(self._get_optional, whois, parent_url)) if parent_url else None
        try:
            fetched = await self._entity_levels(whois, urls["entity_url"], response)
            parent_document = await parent if parent else None
        finally:
            if parent:
                parent.cancel()
        # ipwhois parses the network object (the CIDRs of a range, ...); no further requests here.
        rdap = RDAP(whois.net).lookup(inc_raw=True, retry_count=0, asn_data=asn_data, response=response,
                                      root_ent_check=False, rate_limit_timeout=0)
        rdap["objects"].update({handle: {"handle": handle, "raw": document}
                                for handle, document in fetched.items() if document})
        if parent_document:
            rdap["parent"] = parent_document
        result: JSON = rdap
        return result

    async def _entity_levels(self, whois: IPWhois, url_template: str, response: JSON) -> dict[str, JSON | None]:
        """The top-level entities that came without a vCard (or whose vCard names only their handle),
        then the new handles the fetched ones name (``depth=1``)."""
        with_vcard = {entity["handle"] for entity in entities(response) if "vcardArray" in entity}
        fetched: dict[str, JSON | None] = {}  # None: asked, and it failed; not asked again
        bare = [handle for handle in handles(response) if handle not in with_vcard]
        await self._fetchentities(whois, url_template, [*bare, *placeholder_orgs(response)], fetched)
        await self._fetchentities(whois, url_template,
                                   [handle for document in list(fetched.values()) if document
                                    for handle in handles(document) if handle not in with_vcard], fetched)
        return fetched

    async def _fetchentities(self, whois: IPWhois, url_template: str, handles: list[str],
                              fetched: dict[str, JSON | None]) -> None:
        """One level of entities, side by side; each handle at most once per lookup."""
        wanted = [handle for handle in dict.fromkeys(handles) if handle not in fetched]
        documents = await asyncio.gather(*(self._in_worker(self._get_entity, whois, url_template, handle)
                                           for handle in wanted))
        fetched.update(zip(wanted, documents, strict=True))

    @staticmethod
    def _get_json(whois: IPWhois, url: str) -> JSON:
        """Runs in a worker thread. No retries and no 120 s rate-limit sleeps in a worker: the cache
        and the user's next request are the retry."""
        document: JSON = whois.net.get_http_json(url=url, retry_count=0, rate_limit_timeout=0)
        return document

    @staticmethod
    def _get_entity(whois: IPWhois, url_template: str, handle: str) -> JSON | None:
        """One entity; as in ipwhois, a missing or broken entity is skipped (a rate limit is not)."""
        try:
            document: JSON = whois.net.get_http_json(url=url_template.format(handle), retry_count=0,
                                                     rate_limit_timeout=0)
            return document
        except HTTPLookupError:  # HTTPRateLimitError is not one: it fails the lookup
            return None

    @staticmethod
    def _get_optional(whois: IPWhois, url: str) -> JSON | None:
        """A document that only adds to the answer (the provider's network): any failure is None."""
        try:
            document: JSON = whois.net.get_http_json(url=url, retry_count=0, rate_limit_timeout=0)
            return document
        except (HTTPLookupError, HTTPRateLimitError):
            return None

    async def reverse_dns(self, ip: str) -> tuple[str | None, bool | None]:
        """``(ptr_name, forward_confirmed)``. No PTR record: ``(None, False)`` — checked, and it cannot
        be forward-confirmed. A DNS failure or timeout: ``(None, None)`` — unknown. A PTR name whose
        A/AAAA lookup fails: ``(name, None)``. With several PTR names, the first that confirms wins."""
        try:
            address = ipaddress.ip_address(ip)
        except ValueError:
            return None, None
        try:
            answer = await self._resolver.resolve_address(address.compressed)
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            return None, False
        except dns.exception.DNSException:
            return None, None
        names = [record.target.to_text(omit_final_dot=True) for record in answer]
        if not names:
            return None, False
        confirmations = await asyncio.gather(*(self._forward_confirms(name, address) for name in names))
        for name, confirmed in zip(names, confirmations, strict=True):
            if confirmed:
                return name, True
        return names[0], (None if None in confirmations else False)

    async def _forward_confirms(self, name: str, address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool | None:
        rtype = "A" if address.version == 4 else "AAAA"
        try:
            answer = await self._resolver.resolve(name, rtype)
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            return False
        except dns.exception.DNSException:
            return None
        return any(ipaddress.ip_address(record.address) == address for record in answer)

    async def rdap_reachable(self) -> tuple[bool, str]:
        """For ``doctor``: one RDAP request (Google's 8.8.8.8 at ARIN) through the configured path.
        ``(True, "rdap.arin.net answered in 84 ms")`` or ``(False, why)``. Does not use the cache."""
        host = urllib.parse.urlsplit(PROBE_URL).hostname
        via = f" via RDAP_RELAY {self.opener.relay_url}" if isinstance(self.opener, RelayOpener) else ""
        loop = asyncio.get_running_loop()
        try:
            elapsed = await asyncio.wait_for(loop.run_in_executor(self._executor, self._probe), self.rdap_timeout)
        except TimeoutError:
            return False, f"{host}{via}: no answer within {self.rdap_timeout:g} s"
        except urllib.error.HTTPError as exc:
            if exc.code == 429:
                return False, f"{host}{via}: rate limited (HTTP 429{_retry_after(exc)})"
            return False, f"{host}{via}: HTTP {exc.code} {exc.reason}"
        except urllib.error.URLError as exc:
            return False, f"{host}{via}: cannot connect ({exc.reason})"
        except (OSError, ValueError) as exc:  # a reset connection; an answer that is not RDAP JSON
            return False, f"{host}{via}: {type(exc).__name__}: {exc}"
        return True, f"{host}{via} answered in {elapsed * 1000:.0f} ms"

    def _probe(self) -> float:
        opener = self.opener or urllib.request.build_opener()
        started = time.perf_counter()
        request = urllib.request.Request(PROBE_URL, headers={"Accept": "application/rdap+json"})
        with opener.open(request, timeout=self.rdap_timeout) as response:
            body = json.loads(response.read().decode("utf-8", "replace"))
        if not isinstance(body, dict) or body.get("objectClassName") != "ip network":
            raise ValueError("the answer is not an RDAP ip network object")
        return time.perf_counter() - started


def _prefix_length(cidr: str) -> int:
    try:
        return ipaddress.ip_network(cidr, strict=False).prefixlen
    except ValueError:
        return -1


def _failure(exc: Exception) -> Owner:
    if isinstance(exc, IPDefinedError):
        return Owner(error="not_public", detail=str(exc))
    if isinstance(exc, (ASNRegistryError, ASNLookupError, ASNParseError)):
        return Owner(error="asn_lookup_failed", detail=f"Team Cymru ASN lookup over DNS failed: {exc}")
    cause = exc.__context__  # ipwhois wraps the urllib error it caught
    if isinstance(exc, HTTPRateLimitError):
        return Owner(error="rate_limited", detail=f"{exc}{_retry_after(cause)}")
    if isinstance(exc, HTTPLookupError):
        if isinstance(cause, urllib.error.HTTPError):
            error = "not_found" if cause.code == 404 else "http_error"
            return Owner(error=error, detail=f"HTTP {cause.code} from {_host(cause.url)}")
        reason = cause.reason if isinstance(cause, urllib.error.URLError) else cause
        if isinstance(reason, TimeoutError):
            return Owner(error="timeout", detail=str(exc))
        return Owner(error="http_error", detail=f"{exc} ({type(reason).__name__}: {reason})" if reason else str(exc))
    log.warning("unexpected RDAP failure", exc_info=exc)
    return Owner(error="unexpected", detail=f"{type(exc).__name__}: {exc}")


def _retry_after(error: Any) -> str:
    value = error.headers.get("Retry-After") if isinstance(error, urllib.error.HTTPError) else None
    return f", Retry-After: {value}" if value else ""


def _host(url: str | None) -> str:
    return urllib.parse.urlsplit(url or "").hostname or "the RDAP server"


