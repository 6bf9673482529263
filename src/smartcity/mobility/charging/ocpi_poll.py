"""Polling a CPO's OCPI 2.2.1 Locations endpoint (the Sender interface's GET List) for a
feed of kind ``ocpi``: ``feed.url`` is the endpoint, ``feed.options`` holds the
credentials token the CPO gave us (``token``) and how to ask.

Every request carries ``Authorization: Token <token>``, the token Base64-encoded as
OCPI 2.2.1 asks (``"token_base64": false`` sends it as it is, for CPOs that still expect
that); the token is never logged nor written into an error. Answers are the OCPI response
envelope (``data``, ``status_code``, ``status_message``, ``timestamp``): only a 1xxx
``status_code`` is success. Pages are followed by the ``Link: <...>; rel="next"`` header
(only within the endpoint's own https origin, so the token goes nowhere else), or, where a
CPO sends no Link, by ``offset`` up to ``X-Total-Count``.

A full poll takes all pages together as the new truth (offers.sync: what no page lists is
removed); between full polls (every ``full_sync_hours``, default 24) a poll asks only for
what changed since the last delivery (``date_from``) and writes just that. Locations
outside the city's extent (or ``options["bbox"]``) are left out."""

from __future__ import annotations

import base64
import logging
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from django.db import transaction

from smartcity.core import config
from smartcity.core.geo import BBox
from smartcity.core.importers import ImportReport
from smartcity.core.sources import Rejected, SourceError, json_records, open_url
from smartcity.mobility import feeds, offers
from smartcity.mobility.charging import ocpi
from smartcity.mobility.charging.ocpi_models import Location, OcpiError, parse
from smartcity.mobility.models import Feed, Offer

log = logging.getLogger("smartcity.mobility.ocpi")

MAX_PAGES = 1000
TIMEOUT = 60
ENVELOPE = "expected the OCPI response envelope (an object with data and status_code)"
_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?', re.IGNORECASE)


def authorization(feed: Feed) -> dict[str, str]:
    """The Authorization header for the feed's CPO; ValueError without a token."""
    token = str(feed.options.get("token") or "")
    if not token:
        raise ValueError('the feed has no credentials token (options "token")')
    if feed.options.get("token_base64", True):
        token = base64.b64encode(token.encode()).decode()
    return {"Authorization": f"Token {token}"}


def ocpi_time(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def with_query(url: str, **query: Any) -> str:
    """``url`` with these query parameters set (the others kept)."""
    parts = urlsplit(url)
    kept = [(k, v) for k, v in parse_qsl(parts.query) if k not in query]
    given = [(k, str(v)) for k, v in query.items() if v is not None]
    return urlunsplit(parts._replace(query=urlencode(kept + given)))


def first_url(feed: Feed, since: datetime | None) -> str:
    limit = feed.options.get("page_size")
    return with_query(
        feed.url,
        date_from=ocpi_time(since) if since else None,
        limit=int(limit) if limit else None,
    )


def next_url(feed: Feed, url: str, headers: Any, received: int, count: int) -> str | None:
    """The next page: the Link header's, else by offset while X-Total-Count says there is
    more; None after the last page. A next page on another origin is a SourceError."""
    found = _NEXT.search(headers.get("Link") or "")
    if found:
        target = urljoin(url, found[1].strip())
        if urlsplit(target)[:2] != urlsplit(feed.url)[:2]:
            raise SourceError(
                f"the next page {target} is not on the endpoint's origin; not followed"
            )
        return target
    total = headers.get("X-Total-Count") or ""
    if count and total.isdigit() and received < int(total):
        return with_query(url, offset=received)
    return None


def _page(source: Any, where: str) -> list[Any]:
    """The Locations of one answer, once its envelope says success."""
    data: list[Any] = []
    envelope: dict[str, Any] = {}
    listed = True
    for record in json_records(source, top=dict, shape=ENVELOPE, split=("data",)):
        if record.path[0] == "data":
            if len(record.path) == 2:
                data.append(record.value)
            else:
                listed = record.value == []
        else:
            envelope[str(record.path[0])] = record.value
    code = envelope.get("status_code")
    if not isinstance(code, int) or not 1000 <= code < 2000:
        message = str(envelope.get("status_message") or "")[:200]
        raise SourceError(f"{where}: the CPO answered status_code {code!r} {message}".rstrip())
    if not listed:
        raise SourceError(f"{where}: data is not a list of Locations")
    return data


def pages(feed: Feed, since: datetime | None) -> Iterator[tuple[str, Any]]:
    """Every Location of every page, with where it stood (``page 2, /data/4``)."""
    headers = authorization(feed)
    url, received = first_url(feed, since), 0
    for number in range(1, MAX_PAGES + 1):
        try:
            with open_url(url, TIMEOUT, headers) as source:
                source.record_limit = config.get("IMPORT_RECORD_BYTES")
                data = _page(source, f"page {number}")
                answer_headers = source.headers
        except Rejected as rejected:
            raise SourceError(f"page {number}: {rejected.reason}") from None
        except (OSError, ValueError) as error:
            if isinstance(error, SourceError):
                raise
            raise SourceError(f"page {number} ({url.split('?')[0]}): {error}") from None
        for index, raw in enumerate(data):
            yield f"page {number}, /data/{index}", raw
        received += len(data)
        following = next_url(feed, url, answer_headers, received, len(data))
        if following is None:
            return
        url = following
    raise SourceError(f"more than {MAX_PAGES} pages; stopped")


def records(
    feed: Feed, since: datetime | None, report: ImportReport, area: BBox, hidden: list[str]
) -> Iterator[offers.OfferRecord]:
    """The Locations to show as offers; the refs of those not to be shown go to ``hidden``."""
    for where, raw in pages(feed, since):
        try:
            location = parse(Location, raw)
        except OcpiError as error:
            report.reject(where, str(error))
            continue
        found = ocpi.record(location)
        if (
            found is None
            or not area.min_x <= found.lon <= area.max_x
            or not area.min_y <= found.lat <= area.max_y
        ):
            hidden.append(ocpi.ref_of(location.country_code, location.party_id, location.id))
            report.count(
                "skipped", "locations not shown (unpublished, removed or outside the area)"
            )
            continue
        yield found


def _full_due(feed: Feed, now: datetime) -> bool:
    last = feed.options.get("last_full_sync")
    if feed.delivered_at is None or not last:
        return True
    hours = float(feed.options.get("full_sync_hours", 24))
    return now - datetime.fromisoformat(last) >= timedelta(hours=hours)


def poll_report(feed: Feed, *, now: datetime) -> ImportReport:
    """Poll the feed's CPO once (see the module) and say what it did."""
    report = ImportReport()
    try:
        bbox = feeds.area(feed)
        full = _full_due(feed, now)
        hidden: list[str] = []
        with transaction.atomic():
            found = records(feed, None if full else feed.delivered_at, report, bbox, hidden)
            written = offers.sync(feed, found, kinds=(Offer.SITE,) if full else ())
            if hidden and not full:  # changed to hidden since the last poll
                Offer.objects.filter(feed=feed, ref__in=hidden).delete()
            if full:
                feed.options["last_full_sync"] = now.isoformat()
                Feed.objects.filter(pk=feed.pk).update(options=feed.options)
    except (OSError, ValueError) as error:
        report.failure = str(error)
        feeds.failed(feed, report.failure, at=now)
        return report
    feeds.delivered(feed, now)
    report.count("created", "charging sites", written["written"])
    if report.rejected:
        log.warning(
            "OCPI feed %s: %d Locations rejected, e.g. %s: %s",
            feed.key,
            len(report.rejected),
            *report.rejected[0],
        )
    return report


def poll(feed: Feed, *, now: datetime) -> None:
    """The polling task's entry (mobility/polling.py, by ``Feed.kind`` ``ocpi``): never
    raises for the CPO's fault; a failure is recorded on the feed, which keeps its sites."""
    poll_report(feed, now=now)
