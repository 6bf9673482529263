"""The Kassenzeichen: its format as configured, its check digit, finding it in a transfer's
remittance text."""

from __future__ import annotations

from datetime import date

import pytest

from smartcity.administration.payments import kassenzeichen as kz
from tests.administration.payments.conftest import payment_of


def test_a_new_one_has_the_format_and_a_valid_check_digit() -> None:
    form = kz.parse_format("5{yy}{serial:7}")
    found = kz.candidate(form, date(2026, 12, 3))
    assert len(found) == form.length == 11 and found.startswith("526")
    assert kz.is_valid(found, form)


def test_every_single_wrong_digit_and_neighbour_swap_is_caught() -> None:
    good = kz.with_check_digit("5261234567")
    form = kz.parse_format("5{yy}{serial:7}")
    for i in range(len(good)):
        for digit in "0123456789":
            if digit != good[i]:
                assert not kz.is_valid(good[:i] + digit + good[i + 1 :], form)
    for i in range(len(good) - 1):
        swapped = good[:i] + good[i + 1] + good[i] + good[i + 2 :]
        if swapped != good and {good[i], good[i + 1]} != {"0", "9"}:  # Luhn's one blind spot
            assert not kz.is_valid(swapped, form)


@pytest.mark.parametrize(
    "text", ["", "5{yy}", "KZ{serial:7}", "{serial:3}", "{serial:7}{serial:5}"]
)
def test_formats_it_cannot_fill_are_refused(text: str) -> None:
    with pytest.raises(kz.FormatError):
        kz.parse_format(text)


def test_the_year_and_four_digit_year() -> None:
    form = kz.parse_format("9{yyyy}00{serial:5}")
    found = kz.candidate(form, date(2027, 1, 1))
    assert found.startswith("9202700") and len(found) == 13 and kz.is_valid(found, form)


def test_found_in_remittance_text_also_in_groups() -> None:
    good = kz.with_check_digit("5261234567")
    form = kz.parse_format("5{yy}{serial:7}")
    grouped = f"{good[:4]} {good[4:8]} {good[8:]}"
    assert list(kz.find_in(f"Kassenzeichen {grouped} Geburtsurkunde", form)) == [good]
    assert list(kz.find_in(f"KZ:{good}/2026", form)) == [good]
    assert list(kz.find_in("Rechnung 12345678901", form)) == []


def test_payments_get_unique_valid_ones(service) -> None:
    numbers = [payment_of(service).kassenzeichen for _ in range(30)]
    assert len(set(numbers)) == 30 and all(kz.is_valid(n) for n in numbers)
