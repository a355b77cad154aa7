"""One RDAP request, with its costs bounded: at most ``MAX_BYTES`` read from any answer, redirects
followed only to the registries' own RDAP hosts (the bootstrap hosts) and at most ``MAX_REDIRECTS``
of them. Blocking (urllib): ``lookup`` runs it in its worker threads. Every failure is an
``RdapFailure`` carrying the owner's error key; nothing else escapes for a network or HTTP outcome.

An answer naming thousands of entities, a body of hundreds of megabytes, a redirect to an
attacker's host: each made the lookup as expensive as the server wished (thousands of requests,
memory twice the body, a request to any host). The caps are far above what a registry sends: an
RDAP answer is a few to a few hundred kilobytes, and a registry redirects at most once, to another
registry."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from http.client import HTTPMessage
from typing import IO, Any

JSON = dict[str, Any]

MAX_BYTES = 1 << 20  # 1 MiB per answer
MAX_REDIRECTS = 3
ACCEPT = {"Accept": "application/rdap+json"}


class RdapFailure(Exception):
    """An RDAP request that gave no usable answer. ``error`` is the ``Owner.error`` key."""

    def __init__(self, error: str, detail: str):
        super().__init__(detail)
        self.error = error
        self.detail = detail


class RedirectRefused(urllib.error.HTTPError):
    """A redirect to a host that is not a registry's RDAP service: not followed."""


class RegistryRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only over HTTPS to one of ``hosts``. Through ``RDAP_RELAY`` the rule applies
    to the original host (the relay opener keeps it in the URL and the Host header)."""

    max_redirections = MAX_REDIRECTS

    def __init__(self, hosts: frozenset[str]):
        super().__init__()
        self.hosts = hosts

    def redirect_request(self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str,
                         headers: HTTPMessage, newurl: str) -> urllib.request.Request | None:
        target = urllib.parse.urlsplit(newurl)
        host = (target.hostname or "").lower()
        if target.scheme != "https" or host not in self.hosts:
            raise RedirectRefused(req.full_url, code, f"redirect to {target.scheme}://{host} refused: not a "
                                  "registry's RDAP service", headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def direct_opener(hosts: frozenset[str]) -> urllib.request.OpenerDirector:
    """HTTPS straight to the registries (environment proxies honoured), redirects as above."""
    return urllib.request.build_opener(RegistryRedirects(hosts))


def get_json(opener: urllib.request.OpenerDirector, url: str, timeout: float) -> tuple[JSON, str]:
    """The RDAP document at ``url`` and the URL that answered (after redirects). No retry: the
    cache and the user's next request are the retry."""
    host = host_of(url)
    try:
        with opener.open(urllib.request.Request(url, headers=ACCEPT), timeout=timeout) as response:
            declared = response.headers.get("Content-Length") or ""
            if declared.isdigit() and int(declared) > MAX_BYTES:
                raise _too_large(host)
            body: bytes = response.read(MAX_BYTES + 1)
            answered: str = response.geturl()
    except urllib.error.HTTPError as exc:
        exc.close()  # it holds the connection
        raise _http_failure(exc) from None
    except (urllib.error.URLError, OSError) as exc:  # URLError wraps a refused connection, a DNS failure
        reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        if isinstance(reason, TimeoutError):
            raise RdapFailure("timeout", f"no answer from {host} within {timeout:g} s") from None
        raise RdapFailure("http_error", f"RDAP request to {host} failed ({type(reason).__name__}: {reason})") from None
    if len(body) > MAX_BYTES:
        raise _too_large(host)
    try:
        document = json.loads(body.decode("utf-8", "replace"))
    except ValueError:
        raise RdapFailure("http_error", f"the answer from {host} is not JSON") from None
    if not isinstance(document, dict):
        raise RdapFailure("http_error", f"the answer from {host} is not an RDAP object")
    if any(isinstance(notice, dict) and notice.get("title") == "Rate Limit Notice"
           for notice in document.get("notices") or []):
        raise RdapFailure("rate_limited", f"{host} answered with a rate limit notice")
    return document, answered


def host_of(url: str | None) -> str:
    return urllib.parse.urlsplit(url or "").hostname or "the RDAP server"


def _too_large(host: str) -> RdapFailure:
    return RdapFailure("http_error", f"the answer from {host} is larger than {MAX_BYTES // 1024} KiB: not read")


def _http_failure(exc: urllib.error.HTTPError) -> RdapFailure:
    host = host_of(exc.url)
    if exc.code == 429:
        return RdapFailure("rate_limited", f"HTTP 429 from {host}{retry_after(exc)}")
    if isinstance(exc, RedirectRefused):
        return RdapFailure("http_error", f"HTTP {exc.code} from {host}: {exc.reason}")
    if exc.code == 404:
        return RdapFailure("not_found", f"HTTP 404 from {host}")
    return RdapFailure("http_error", f"HTTP {exc.code} from {host}")


def retry_after(error: Any) -> str:
    value = error.headers.get("Retry-After") if isinstance(error, urllib.error.HTTPError) else None
    return f", Retry-After: {value}" if value else ""
