"""`smartcity worker` as an operator runs it: its own process on the queue of a data
folder, running tasks enqueued from elsewhere, stopping cleanly on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid

import pytest
from huey.exceptions import TaskException

from smartcity.core import tasks


def test_the_worker_command_runs_enqueued_tasks(tmp_path):
    name = f"smartcity-test-{uuid.uuid4().hex}"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SMARTCITY_")},
        "SMARTCITY_DATA_DIR": str(tmp_path),
        "SMARTCITY_TASK_QUEUE_NAME": name,
        "SMARTCITY_SECRET_KEY": "test-secret-key-not-for-production-0123456789",
    }
    command = [sys.executable, "-m", "smartcity.cli"]
    migrate = [*command, "migrate", "--verbosity", "0"]
    subprocess.run(migrate, env=env, check=True, timeout=120)  # noqa: S603 - our own command
    worker = subprocess.Popen(  # noqa: S603 - our own command
        [*command, "worker", "--no-periodic"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        queue = tasks.build_queue(redis_url="", name=name, folder=tmp_path)

        # a stand-in with the name of the worker's own task: the worker runs its own
        def run_import(schedule_id: int) -> None: ...

        run_import.__module__ = "smartcity.core.schedules"
        run_import = queue.task()(run_import)
        # run_import leaves no result; an id that is no number makes it fail, and the
        # worker stores that error where this process reads it
        with pytest.raises(TaskException, match="expected a number"):
            run_import("not-a-number").get(blocking=True, timeout=30)
    finally:
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=60)
    assert worker.returncode == 0, output
    assert "task consumer on the embedded queue" in output
