"""The fee rule language: fixed and computed amounts, conditions, free cases, limits, and
schedules that are not written in it refused with where."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartcity.administration.payments import fees
from tests.administration.payments.conftest import CERTIFICATE_FEES


def total(data: object, rules: dict = CERTIFICATE_FEES) -> int:
    return sum(line.amount for line in fees.evaluate(rules, data))


@pytest.mark.parametrize(
    ("data", "cents"),
    [
        ({"anzahl": 1}, 1200),
        ({"anzahl": 3}, 2400),  # 12 for the first, 6 for each further
        ({"anzahl": 3, "eilig": True}, 3400),
        ({"anzahl": 3, "eilig": 1}, 2400),  # 1 is not true
        ({"anzahl": 2, "zweck": "rente"}, 0),  # free
        ({"anzahl": 0}, 0),
        ({}, 0),  # no copies asked for
    ],
)
def test_amounts_follow_the_form_data(data: dict, cents: int) -> None:
    assert total(data) == cents


def test_a_free_line_is_listed_as_free() -> None:
    (line,) = fees.evaluate(CERTIFICATE_FEES, {"anzahl": 2, "zweck": "kindergeld"})
    assert (line.key, line.quantity, line.amount, line.free) == ("urkunde", 2, 0, True)


def test_counts_nested_paths_and_combined_conditions() -> None:
    rules = {
        "lines": [
            {
                "key": "kind",
                "label": "je Kind",
                "amount": 500,
                "quantity": {"count": "kinder"},
                "when": {
                    "all": [
                        {"field": "antrag.art", "ne": "nachtrag"},
                        {"not": {"field": "antrag.befreit", "present": True}},
                    ]
                },
            }
        ]
    }
    kinder = {"kinder": [{"name": "A"}, {"name": "B"}]}
    assert total({**kinder, "antrag": {"art": "neu"}}, rules) == 1000
    assert total({**kinder, "antrag": {"art": "nachtrag"}}, rules) == 0
    assert total({**kinder, "antrag": {"art": "neu", "befreit": "ja"}}, rules) == 0
    with pytest.raises(fees.FeeError, match="not a list"):
        fees.evaluate(rules, {"kinder": 3})


def test_ordered_comparisons_never_mix_types() -> None:
    rules = {
        "lines": [{"key": "a", "label": "A", "amount": 100, "when": {"field": "alter", "ge": 18}}]
    }
    assert total({"alter": 18}, rules) == 100
    assert total({"alter": 17}, rules) == 0
    assert total({"alter": "18"}, rules) == 0
    assert total({"alter": True}, rules) == 0


def test_limits_of_quantity_and_total(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(fees.FeeError, match="quantity of 101"):
        fees.evaluate(CERTIFICATE_FEES, {"anzahl": 101})
    with pytest.raises(fees.FeeError, match="whole number"):
        fees.evaluate(CERTIFICATE_FEES, {"anzahl": 1.5})
    monkeypatch.setenv("SMARTCITY_PAYMENT_MAX_AMOUNT", "3000")
    with pytest.raises(fees.FeeError, match="MAX_AMOUNT"):
        fees.evaluate(CERTIFICATE_FEES, {"anzahl": 5})


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ({}, "'lines' is a required property"),
        ({"lines": [{"key": "a", "label": "A", "amount": -1}]}, "lines/0/amount"),
        (
            {"lines": [{"key": "a", "label": "A", "amount": 1, "when": {"field": "x", "like": 1}}]},
            "lines/0/when",
        ),
        (
            {"lines": [{"key": "a", "label": "A", "amount": 1, "when": "__import__('os')"}]},
            "lines/0/when",
        ),
        ({"lines": [{"key": "a", "label": "A", "amount": 1}] * 2}, "its own key"),
        (
            {
                "lines": [
                    {
                        "key": "a",
                        "label": "A",
                        "amount": 1,
                        "when": {
                            "not": {
                                "not": {
                                    "not": {
                                        "not": {"not": {"not": {"not": {"not": {"not": True}}}}}
                                    }
                                }
                            }
                        },
                    }
                ]
            },
            "nests too deeply",
        ),
    ],
)
def test_schedules_outside_the_language_are_refused(rules: dict, message: str) -> None:
    with pytest.raises(fees.ScheduleError, match=message):
        fees.check_schedule(rules)


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=5),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
        max_leaves=20,
    )
)
def test_any_form_data_gives_fees_or_a_fee_error(data: object) -> None:
    try:
        lines = fees.evaluate(CERTIFICATE_FEES, data)
    except fees.FeeError:
        return
    assert all(line.amount >= 0 for line in lines)


def test_the_back_office_refuses_a_schedule_outside_the_language(service) -> None:
    from django.core.exceptions import ValidationError

    from smartcity.administration.models import FeeSchedule

    schedule = FeeSchedule(service=service, step="urkunde", rules={"lines": [{"key": "a"}]})
    with pytest.raises(ValidationError, match="'label' is a required property"):
        schedule.full_clean()
