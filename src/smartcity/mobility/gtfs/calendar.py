"""The service days of a GTFS load (calendar.txt, calendar_dates.txt) and its feed_info.txt."""

from __future__ import annotations

from smartcity.mobility.gtfs import tables, writing
from smartcity.mobility.gtfs.writing import Loading
from smartcity.mobility.models import Service, ServiceDate

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def services(loading: Loading) -> None:
    services: list[Service] = []
    for line, row in loading.rows("calendar.txt", ("service_id", "start_date", "end_date")):
        if row.get("service_id") not in loading.services:
            continue
        with loading.report.record(f"calendar.txt line {line}"):
            writing.whole_row(row)
            weekdays = sum(
                tables.enum(row, name, range(2)) << bit for bit, name in enumerate(WEEKDAYS)
            )
            services.append(
                Service(
                    version=loading.version,
                    service_id=row["service_id"],
                    weekdays=weekdays,
                    start_date=tables.day(row, "start_date"),
                    end_date=tables.day(row, "end_date"),
                )
            )
    list(writing.write(Service, services))
    loading.kept("calendar.txt", len(services))
    exceptions: list[ServiceDate] = []
    for line, row in loading.rows("calendar_dates.txt", ("service_id", "date", "exception_type")):
        if row.get("service_id") not in loading.services:
            continue
        with loading.report.record(f"calendar_dates.txt line {line}"):
            writing.whole_row(row)
            tables.required(row, "exception_type")
            exceptions.append(
                ServiceDate(
                    version=loading.version,
                    service_id=row["service_id"],
                    date=tables.day(row, "date"),
                    exception=tables.enum(row, "exception_type", range(1, 3)),
                )
            )
    list(writing.write(ServiceDate, exceptions))
    loading.kept("calendar_dates.txt", len(exceptions))
    _dates(loading, services, exceptions)


def _dates(loading: Loading, services: list[Service], exceptions: list[ServiceDate]) -> None:
    days = [s.start_date for s in services] + [s.end_date for s in services]
    days += [e.date for e in exceptions if e.exception == 1]
    if days:
        loading.version.first_date, loading.version.last_date = min(days), max(days)
        loading.version.save(update_fields=["first_date", "last_date"])


def feed_info(loading: Loading) -> dict[str, str]:
    for _line, row in loading.rows("feed_info.txt"):
        return {key: value for key, value in row.items() if key}
    return {}
