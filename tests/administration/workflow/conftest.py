"""Fixtures of the workflow tests: the case tests' submitted application of the
Familienbüro's service with its clerk and a clerk of another team, plus a second clerk
and two supervisors of the Familienbüro."""

from __future__ import annotations

from typing import Any

import pytest

from smartcity.core import roles
from tests.administration.applying.case.conftest import (  # noqa: F401 - fixtures
    application,
    clerk,
    parent,
    service,
    stranger_clerk,
)
from tests.administration.applying.factories import make_user


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


def _person(name: str, role: str) -> Any:
    user = make_user(name, f"{name}@stadt.example")
    roles.grant(user, role, "familienbuero")
    return user


@pytest.fixture
def colleague(service: Any) -> Any:  # noqa: F811
    return _person("kollegin", "clerk")


@pytest.fixture
def supervisor(service: Any) -> Any:  # noqa: F811
    return _person("teamleiterin", "supervisor")


@pytest.fixture
def other_supervisor(service: Any) -> Any:  # noqa: F811
    return _person("vertretung", "supervisor")
