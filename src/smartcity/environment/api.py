"""The environment JSON API under ``/api/v1/environment/`` (OpenAPI at /api/openapi.json):
aggregates of a measuring series, as JSON or CSV, and the newest value of every series."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import orjson
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Schema

from smartcity.core.errors import BadRequest
from smartcity.core.timeutil import TimeFormatError, format_instant, local_zone, parse_instant
from smartcity.environment import export, services

router = Router(tags=["Umwelt / environment"])

_DEFAULT_SPAN = {"hour": timedelta(days=1), "day": timedelta(days=30), "month": timedelta(days=365)}


class BucketOut(Schema):
    start: str
    end: str
    count: int
    mean: float | None
    min: float | None
    max: float | None


class SeriesOut(Schema):
    datastream: int
    interval: str
    timeZone: str  # the JSON member name
    start: str
    end: str
    buckets: list[BucketOut]


class SeriesQuery(Schema):
    interval: Literal["hour", "day", "month"] = "day"
    start: str | None = None
    end: str | None = None
    format: Literal["json", "csv", "csv-de"] = "json"
    compare: int | None = None  # a second Datastream, in the same CSV file


class LatestOut(Schema):
    datastream: int
    name: str
    thing: int
    unit: str | None
    phenomenonTime: str | None  # the JSON member name
    result: Any


class LatestList(Schema):
    value: list[LatestOut]


# the instants an aggregate may span: far beyond any measurement, and far enough from the
# ends of Python's calendar (years 1 and 9999) for the default spans and the buckets
_EARLIEST = datetime(1000, 1, 1, tzinfo=UTC)
_LATEST = datetime(9000, 1, 1, tzinfo=UTC)


def _instant(text: str | None, name: str, default: datetime) -> datetime:
    if text is None:
        return default
    try:
        instant = parse_instant(text)
    except TimeFormatError as error:
        raise BadRequest(f"{name}: {error}", where=name) from None
    if not _EARLIEST <= instant <= _LATEST:
        raise BadRequest(f"{name} must lie between the years 1000 and 9000", where=name)
    return instant


@router.get(
    "/datastreams/{datastream_id}/aggregates",
    response={200: SeriesOut},
    summary="Aggregates of a Datastream per hour, day or month",
    description=(
        "Count, mean, minimum and maximum of the numeric results in each bucket of the "
        "local calendar (SMARTCITY_TIME_ZONE), computed in the database. start and end are "
        "ISO 8601 (without an offset: local time); the default is the last day (hour), "
        "30 days (day) or year (month). format=csv answers CSV (RFC 4180, UTC, full "
        "precision), format=csv-de CSV for German spreadsheets (semicolons, decimal "
        "commas, local time, rounded, UTF-8 with BOM); compare=<id> adds a second "
        "Datastream's lines to either."
    ),
)
def aggregates(request: HttpRequest, datastream_id: int, query: Query[SeriesQuery]) -> Any:
    end = _instant(query.end, "end", timezone.now())
    start = _instant(query.start, "start", end - _DEFAULT_SPAN[query.interval])
    buckets = services.series(datastream_id, start, end, query.interval)
    if query.format != "json":
        return _csv(datastream_id, buckets, query, start, end)
    return _json(
        {
            "datastream": datastream_id,
            "interval": query.interval,
            "timeZone": str(local_zone()),
            "start": format_instant(start),
            "end": format_instant(end),
            "buckets": [
                {
                    "start": format_instant(b.start),
                    "end": format_instant(b.end),
                    "count": b.count,
                    "mean": b.mean,
                    "min": b.minimum,
                    "max": b.maximum,
                }
                for b in buckets
            ],
        }
    )


def _csv(
    datastream_id: int, buckets: list[services.Bucket], query: SeriesQuery,
    start: datetime, end: datetime,
) -> HttpResponse:
    series = [export.series_info(datastream_id, buckets)]
    if query.compare is not None:
        other = services.series(query.compare, start, end, query.interval)
        series.append(export.series_info(query.compare, other))
    name = f"datastream-{datastream_id}-{query.interval}"
    if query.compare is not None:
        name += f"-{query.compare}"
    if query.format == "csv-de":
        body: str | bytes = export.german_csv(series)
        name += "-de"
    else:
        body = export.rfc_csv(series)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@router.get(
    "/latest",
    response={200: LatestList},
    summary="The newest value of every Datastream",
    description="One entry per Datastream; phenomenonTime and result are null for a "
    "Datastream without observations.",
)
def latest(request: HttpRequest) -> Any:
    return _json(
        {
            "value": [
                {
                    "datastream": item.datastream,
                    "name": item.name,
                    "thing": item.thing,
                    "unit": item.unit_symbol,
                    "phenomenonTime": item.phenomenon_time,
                    "result": item.result,
                }
                for item in services.latest()
            ]
        }
    )


class AssessmentOut(Schema):
    directive: str
    provision: str
    averaging: str
    value: float
    allowedExceedances: int | None  # the JSON member name
    appliesFrom: int  # the JSON member name
    exceedances: int | None
    mean: float | None
    exceeded: bool
    valid: bool
    result: Literal["exceeded", "met", "not assessable"]  # "not assessable" unless valid
    citation: str  # the directive's provision as the German text names it
    national: str  # the same limit value in German law (39. BImSchV), if it is there


class LimitReportOut(Schema):
    datastream: int
    pollutant: str
    year: int
    hours: int
    hoursWithData: int  # the JSON member name
    limitValues: list[AssessmentOut]  # the JSON member name


@router.get(
    "/datastreams/{datastream_id}/limit-values",
    response={200: LimitReportOut},
    summary="A calendar year of a pollutant against the EU limit values",
    description=(
        "Exceedances and annual means against Directive 2008/50/EC (Annex XI, XIV) and "
        "Directive (EU) 2024/2881 (Annex I, from 2030), from hourly means in the database; "
        "a daily mean needs 18 of 24 hourly values, a valid year 90 % of its hours "
        "(2008/50/EC Annex XI, A; Annex I, A); result is 'not assessable' for a year "
        "with fewer. The Datastream's ObservedProperty must be an EEA "
        "pollutant (NO2, PM10, PM2.5, SO2)."
    ),
)
def limit_values(request: HttpRequest, datastream_id: int, year: int | None = None) -> Any:
    report = services.limit_report(datastream_id, year or timezone.now().year)
    return _json(
        {
            "datastream": report.datastream,
            "pollutant": report.pollutant,
            "year": report.year,
            "hours": report.hours,
            "hoursWithData": report.hours_with_data,
            "limitValues": [
                {
                    "directive": a.limit.directive,
                    "provision": a.limit.provision,
                    "averaging": a.limit.averaging,
                    "value": a.limit.value,
                    "allowedExceedances": a.limit.allowed_exceedances,
                    "appliesFrom": a.limit.from_year,
                    "exceedances": a.exceedances,
                    "mean": a.mean,
                    "exceeded": a.exceeded,
                    "valid": a.valid,
                    "result": a.result,
                    "citation": a.limit.citation,
                    "national": a.limit.national,
                }
                for a in report.assessments
            ],
        }
    )


class PollutantOut(Schema):
    pollutant: str
    datastream: int
    hour: str
    mean: float
    index: int


class StationIndexOut(Schema):
    thing: int
    index: int | None
    label: str | None
    labelEn: str | None  # the JSON member name
    determinedBy: str | None  # the JSON member name
    complete: bool
    pollutants: list[PollutantOut]


@router.get(
    "/things/{thing_id}/air-quality",
    response={200: StationIndexOut},
    summary="The UBA air quality index of a station",
    description=(
        "Classes 1 (sehr gut) to 5 (sehr schlecht) of the Umweltbundesamt's index from the "
        "newest hourly mean of each pollutant the station (Thing) measures (NO2, PM10, "
        "PM2.5, O3, SO2); the worst class decides. complete is false when the station "
        "measures fewer than the five; index is null when it measures none."
    ),
)
def air_quality(request: HttpRequest, thing_id: int) -> Any:
    return _json(services.index_json(services.station_index(thing_id)))


def _json(body: dict[str, Any]) -> HttpResponse:
    """The body as JSON, written by orjson. The response schemas above document it in the
    OpenAPI document (and the tests hold the body to them); validating a year of daily
    buckets with pydantic on every request would cost more than computing them."""
    return HttpResponse(orjson.dumps(body), content_type="application/json")
