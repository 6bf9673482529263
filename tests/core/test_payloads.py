"""core.payloads: JSON nested deeper than SMARTCITY_JSON_MAX_DEPTH, or holding U+0000, is
refused before anything is stored; the depth is exact at the limit."""

from __future__ import annotations

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartcity.core.errors import BadRequest
from smartcity.core.payloads import check, nests_deeper


def _nested(levels: int) -> object:
    value: object = 1
    for n in range(levels):
        value = {"a": value} if n % 2 else [value]
    return value


@pytest.mark.parametrize("levels", [0, 1, 2, 31, 32, 33, 300])
def test_the_depth_is_exact(levels):
    assert nests_deeper(_nested(levels), 32) is (levels > 32)


def _depth(value: object) -> int:
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    return 0


_json = st.recursive(
    st.none() | st.integers() | st.text(max_size=3),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=30,
)


@given(_json, st.integers(min_value=1, max_value=8))
def test_the_depth_agrees_with_a_plain_recursive_count(value, limit):
    assert nests_deeper(value, limit) is (_depth(value) > limit)


def test_check_names_the_setting(monkeypatch):
    monkeypatch.setenv("SMARTCITY_JSON_MAX_DEPTH", "4")
    check(_nested(4))
    with pytest.raises(BadRequest, match="SMARTCITY_JSON_MAX_DEPTH"):
        check(_nested(5))


@pytest.mark.parametrize("value", [{"name": "a\x00b"}, {"a\x00": 1}, [["x", "\x00"]]])
def test_nul_in_a_string_or_key_is_refused(value):
    with pytest.raises(BadRequest, match="U\\+0000"):
        check(value, orjson.dumps(value))
    with pytest.raises(BadRequest):
        check(value)


def test_a_backslash_before_u0000_is_text_not_nul():
    value = {"name": "\\u0000"}
    raw = orjson.dumps(value)
    assert b"\\u0000" in raw
    check(value, raw)
