"""The case fixtures (a submitted application of a team's service, its clerk, a clerk of
another team) with a supervisor of the team, who may hand files to the archive."""

from __future__ import annotations

from typing import Any

import pytest

from smartcity.core import roles
from tests.administration.applying.case.conftest import (  # noqa: F401
    application,
    clerk,
    parent,
    service,
    stranger_clerk,
)
from tests.administration.applying.conftest import upload_dir  # noqa: F401
from tests.administration.applying.factories import make_user


@pytest.fixture
def supervisor(service: Any) -> Any:  # noqa: F811
    user = make_user("leiterin", "leitung@stadt.example")
    roles.grant(user, "supervisor", "familienbuero")
    return user
