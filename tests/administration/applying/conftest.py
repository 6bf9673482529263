from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    """Uploads go to a folder of the test's own."""
    settings.DATA_DIR = tmp_path
    yield tmp_path
