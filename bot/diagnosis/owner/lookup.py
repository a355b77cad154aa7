"""Who holds an IP address: RDAP (read by ipwhois's parser), the origin AS from Team Cymru over DNS,
and reverse DNS, every question asked as soon as nothing it needs is missing.

One lookup, for an address that is not reserved, asks at once:
- RDAP: the ``/ip/<ip>`` object at the registry that IANA's bootstrap files name for the address
  (``bootstrap``). Only an address in no bootstrap range waits for Cymru to say which registry
  holds it.
- ASN: ``<reversed ip>.origin.asn.cymru.com`` TXT on the configured nameservers, then the AS name
  (``AS<n>.asn.cymru.com``) once the number is known, both beside the RDAP requests and read by
  ipwhois's parsers. ``asn``, ``asn_description`` and ``asn_registry`` come from Cymru when it
  answers; when it does not (unrouted space, common on Spamhaus DROP) the owner still comes from
  RDAP, with the registry from the bootstrap files. Only DNS: ipwhois's ``whois`` method opens
  TCP/43.
- Reverse DNS: PTR, then the PTR name's A/AAAA must contain the address (forward-confirmed).

After the ``/ip`` answer, entities are fetched only for what it lacks (``records.missing_entities``):
none when the holder's name and abuse contact came inline (ARIN), the organisation's record when it
is named by handle only (RIPE NCC), all such fetches side by side and at most ``MAX_ENTITIES`` per
lookup. For a block an ISP passed on to a customer (ARIN) without an abuse contact, the parent
network is asked beside them. Hand-written fixtures: ARIN 1 request, RIPE NCC 2. Each request's
costs are bounded in ``fetch`` (bytes read, redirects only to the registries' RDAP hosts).

The requests are blocking urllib calls in this module's own small thread pool (a hung RIR must not
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

from ipwhois import IPWhois
from ipwhois.exceptions import ASNLookupError, ASNParseError, ASNRegistryError, IPDefinedError
from ipwhois.rdap import RDAP

from bot.diagnosis import addresses
from bot.diagnosis.cache import Shared, SharedCache, TTLCache
from bot.diagnosis.dnsquery import Batch
from bot.diagnosis.model import Owner
from bot.diagnosis.options import LookupOptions, Nameserver
from bot.diagnosis.owner.bootstrap import Bootstrap, Service
from bot.diagnosis.owner.fetch import MAX_BYTES, RdapFailure, direct_opener, get_json, retry_after
from bot.diagnosis.owner.records import JSON, missing_entities, owner_from_rdap, parent_link
from bot.diagnosis.owner.relay import RelayOpener, make_relay_opener
from bot.diagnosis.resolver import nameservers_or_system

log = logging.getLogger(__name__)

FAILURE_TTL = 60.0  # a failed lookup is retried after a minute, not at once: RIRs rate-limit hard
RDAP_WORKERS = 8
MAX_ENTITIES = 8  # entity documents fetched per lookup; a registry's answer needs one or two
ENTITY_ROUNDS = 3  # an entity named only in a fetched entity's record, and so on: at most this deep
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
        bootstrap: Bootstrap | None = None,
        shared: SharedCache | None = None,
    ):
        self.nameservers = nameservers_or_system(nameservers)
        self.dns_timeout = dns_timeout
        self.rdap_timeout = rdap_timeout
        self.bootstrap = bootstrap or Bootstrap.shipped()
        # None: direct HTTPS (environment proxies honoured), redirects only to the bootstrap hosts
        self.opener = opener or direct_opener(self.bootstrap.hosts)
        self._cache: TTLCache[Owner] = TTLCache(cache_ttl, shared=Shared(shared, "owner", Owner) if shared else None)
        self._executor = ThreadPoolExecutor(max_workers=RDAP_WORKERS, thread_name_prefix="rdap")

    @classmethod
    def create(cls, options: LookupOptions, *, shared: SharedCache | None = None) -> OwnerLookup:
        return cls(
            shared=shared,
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

    def _batch(self) -> Batch:
        """One UDP socket per nameserver for one lookup's DNS queries (``dnsquery``)."""
        return Batch(self.nameservers, self.dns_timeout).open()

    async def _lookup(self, ip: str) -> Owner:
        """The first question of each chain (the PTR, Cymru's origin, the RDAP ``/ip`` object) is
        queued before anything is awaited, so that a DNSBL check started beside this lookup asks
        its questions after them: these answers lead to more questions, a DNSBL answer to none."""
        started = time.perf_counter()
        batch = self._batch()
        rdns = asyncio.ensure_future(self._reverse_dns(ip, batch))
        origin: asyncio.Future[JSON | None] | None = None
        try:
            try:
                whois = IPWhois(ip, timeout=self.rdap_timeout, proxy_opener=self.opener)  # parsers only; no network
            except Exception as exc:  # a reserved address, which lookup() keeps from here
                owner = _failure(exc)
            else:
                origin = asyncio.ensure_future(self._origin(whois, batch))
                owner = await self._rdap(ip, whois, batch, origin)
            name, confirmed = await rdns
        finally:
            for task in (rdns, origin):
                if task is not None and not task.done():
                    task.cancel()
            batch.close()
        owner = dataclasses.replace(owner, rdns=name, rdns_confirmed=confirmed)
        log.info("owner ip=%s asn=%s registry=%s error=%s in %.0f ms", ip, owner.asn or "-", owner.registry or "-",
                 owner.error or "-", (time.perf_counter() - started) * 1000)
        return owner

    async def _rdap(self, ip: str, whois: IPWhois, batch: Batch, origin: asyncio.Future[JSON | None]) -> Owner:
        try:
            data = await asyncio.wait_for(self._rdap_data(ip, whois, batch, origin), self.rdap_timeout)
        except TimeoutError:
            return Owner(error="timeout", detail=f"no RDAP answer within {self.rdap_timeout:g} s")
        except RdapFailure as exc:
            return Owner(error=exc.error, detail=exc.detail)
        except Exception as exc:  # ipwhois raises many kinds; each becomes an error key
            return _failure(exc)
        return owner_from_rdap(ip, data)

    async def _rdap_data(self, ip: str, whois: IPWhois, batch: Batch, origin: asyncio.Future[JSON | None]) -> JSON:
        """An ipwhois ``lookup_rdap``-shaped result: the RDAP request goes out at once to the
        registry the bootstrap files name, beside Cymru's origin query; the AS name follows the
        origin, the entities the ``/ip`` answer."""
        as_name = asyncio.create_task(self._as_name(whois, batch, origin))
        try:
            service = self.bootstrap.service_for(ipaddress.ip_address(ip))
            if service is None:  # in no bootstrap range: the registry Cymru names
                service = self._service_named_by(await origin, ip)
            rdap = await self._rdap_objects(whois, service)
            asn_data = await origin or {"asn_registry": service.registry}  # Cymru silent: the bootstrap's
            description = await as_name
        except BaseException:
            as_name.cancel()
            raise
        return {**asn_data, "asn_description": description, **rdap}

    def _service_named_by(self, asn_data: JSON | None, ip: str) -> Service:
        if asn_data is None:
            raise ASNLookupError(f"{ip} is in no RDAP bootstrap range and Team Cymru does not know it.")
        service = self.bootstrap.service_of(asn_data["asn_registry"])
        if service is None:
            raise ASNRegistryError(f"no RDAP service for the registry {asn_data['asn_registry']!r} of {ip}.")
        return service

    async def _in_worker(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor,
                                                                functools.partial(function, *args, **kwargs))

    async def _origin(self, whois: IPWhois, batch: Batch) -> JSON | None:
        """Team Cymru's origin TXT (``<reversed ip>.origin.asn.cymru.com``), read by ipwhois's parser;
        as ipwhois does, the most specific prefix wins when several answer. None when Cymru has no
        answer."""
        answer = await batch.ask(whois.net.dns_zone, "TXT")
        try:
            origins = [whois.ipasn.parse_fields_dns(record) for record in answer.values]
        except (ASNRegistryError, ASNParseError):
            origins = []
        if not origins:
            log.debug("no Cymru origin for %s: %s", whois.address_str, answer.kind)
            return None
        best: JSON = max(origins, key=lambda origin: _prefix_length(origin["asn_cidr"]))
        return best

    async def _as_name(self, whois: IPWhois, batch: Batch, origin: asyncio.Future[JSON | None]) -> str | None:
        """``AS<n>.asn.cymru.com`` TXT once the origin names the AS, read by ipwhois's parser; a
        nicety, so a failure is None."""
        asn_data = await origin
        if asn_data is None:
            return None
        answer = await batch.ask(f"AS{asn_data['asn'].split()[0]}.asn.cymru.com", "TXT")
        try:
            description: str | None = whois.ipasn.parse_fields_verbose_dns(answer.values[0])["asn_description"]
            return description
        except (ASNRegistryError, ASNParseError, IndexError):
            return None

    async def _rdap_objects(self, whois: IPWhois, service: Service) -> JSON:
        """The registry's ``/ip/`` object, the entities it lacks (``_entities``) and, for a customer's
        block without an abuse contact, its parent network beside them."""
        response, answered = await self._in_worker(get_json, self.opener, service.ip_url(whois.address_str),
                                                   self.rdap_timeout)
        # Redirected to another registry: its entities are there too.
        service = self.bootstrap.service_at(answered) or service
        parent_url = parent_link(response, service.ip_url(""))
        parent = asyncio.ensure_future(self._in_worker(self._get_optional, parent_url)) if parent_url else None
        try:
            fetched = await self._entities(service, response)
            parent_document = await parent if parent else None
        finally:
            if parent:
                parent.cancel()
        # ipwhois parses the network object (the CIDRs of a range, ...); no further requests here.
        rdap = RDAP(whois.net).lookup(inc_raw=True, retry_count=0, response=response, bootstrap=True,
                                      root_ent_check=False, rate_limit_timeout=0)
        rdap["objects"].update({handle: {"handle": handle, "raw": document}
                                for handle, document in fetched.items() if document})
        if parent_document:
            rdap["parent"] = parent_document
        result: JSON = rdap
        return result

    async def _entities(self, service: Service, response: JSON) -> dict[str, JSON | None]:
        """Round by round, the entities the answers so far still lack, side by side; each handle at
        most once, at most MAX_ENTITIES in all."""
        fetched: dict[str, JSON | None] = {}  # None: asked, and it failed; not asked again
        for _ in range(ENTITY_ROUNDS):
            documents = [document for document in fetched.values() if document]
            wanted = [handle for handle in missing_entities(response, documents) if handle not in fetched]
            wanted = wanted[:MAX_ENTITIES - len(fetched)]
            if not wanted:
                break
            answers = await asyncio.gather(*(self._in_worker(self._get_entity, service.entity_url(handle))
                                             for handle in wanted))
            fetched.update(zip(wanted, answers, strict=True))
        return fetched

    def _get_entity(self, url: str) -> JSON | None:
        """One entity, in a worker thread; a missing or broken entity is skipped, a rate limit is not."""
        try:
            return get_json(self.opener, url, self.rdap_timeout)[0]
        except RdapFailure as exc:
            if exc.error == "rate_limited":
                raise
            return None

    def _get_optional(self, url: str) -> JSON | None:
        """A document that only adds to the answer (the provider's network): any failure is None."""
        try:
            return get_json(self.opener, url, self.rdap_timeout)[0]
        except RdapFailure:
            return None

    async def reverse_dns(self, ip: str) -> tuple[str | None, bool | None]:
        """``(ptr_name, forward_confirmed)``. No PTR record: ``(None, False)`` — checked, and it cannot
        be forward-confirmed. A DNS failure or timeout: ``(None, None)`` — unknown. A PTR name whose
        A/AAAA lookup fails: ``(name, None)``. With several PTR names, the first that confirms wins."""
        batch = self._batch()
        try:
            return await self._reverse_dns(ip, batch)
        finally:
            batch.close()

    async def _reverse_dns(self, ip: str, batch: Batch) -> tuple[str | None, bool | None]:
        try:
            address = ipaddress.ip_address(ip)
        except ValueError:
            return None, None
        answer = await batch.ask(address.reverse_pointer, "PTR")
        if answer.kind in ("nxdomain", "no_answer"):
            return None, False
        if answer.kind != "answer" or not answer.values:
            return None, None
        names = list(answer.values)
        confirmations = await asyncio.gather(*(self._forward_confirms(batch, name, address) for name in names))
        for name, confirmed in zip(names, confirmations, strict=True):
            if confirmed:
                return name, True
        return names[0], (None if None in confirmations else False)

    @staticmethod
    async def _forward_confirms(batch: Batch, name: str, address: ipaddress.IPv4Address | ipaddress.IPv6Address,
                                ) -> bool | None:
        answer = await batch.ask(f"{name}.", "A" if address.version == 4 else "AAAA")
        if answer.kind in ("nxdomain", "no_answer"):
            return False
        if answer.kind != "answer":
            return None
        return any(ipaddress.ip_address(value) == address for value in answer.values)

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
                return False, f"{host}{via}: rate limited (HTTP 429{retry_after(exc)})"
            return False, f"{host}{via}: HTTP {exc.code} {exc.reason}"
        except urllib.error.URLError as exc:
            return False, f"{host}{via}: cannot connect ({exc.reason})"
        except (OSError, ValueError) as exc:  # a reset connection; an answer that is not RDAP JSON
            return False, f"{host}{via}: {type(exc).__name__}: {exc}"
        return True, f"{host}{via} answered in {elapsed * 1000:.0f} ms"

    def _probe(self) -> float:
        started = time.perf_counter()
        request = urllib.request.Request(PROBE_URL, headers={"Accept": "application/rdap+json"})
        with self.opener.open(request, timeout=self.rdap_timeout) as response:
            body = json.loads(response.read(MAX_BYTES).decode("utf-8", "replace"))
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
    log.warning("unexpected RDAP failure", exc_info=exc)
    return Owner(error="unexpected", detail=f"{type(exc).__name__}: {exc}")
