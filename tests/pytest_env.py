"""Test-wide set-up. The suite runs with production-like settings (DEBUG off), so what a
user would see on an error is what the tests see."""

from __future__ import annotations

import os

os.environ.setdefault("SMARTCITY_SECRET_KEY", "test-secret-key-not-for-production-0123456789")
os.environ.setdefault("SMARTCITY_DEBUG", "0")
# The tests' own task queue, apart from a `make run` server's on the same data folder.
os.environ.setdefault("SMARTCITY_TASK_QUEUE_NAME", "smartcity-test")
