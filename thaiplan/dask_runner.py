"""The same conversions on a Dask distributed cluster (`--scheduler tcp://HOST:8786`).

Each task converts one file inside a watched worker process on the Dask
worker (thaiplan.pool.IsolatedWorker, one per Dask worker thread), so the
time and memory limits and the statuses are those of a local run; the
driver stores results as they arrive. Workers read the files by absolute
path: the inputs must be on storage every worker sees at the same path.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

from thaiplan.errors import InputError, ThaiplanError
from thaiplan.pool import Event, IsolatedWorker
from thaiplan.settings import Settings
from thaiplan.store import Outcome, Task

_LOCAL = threading.local()  # one IsolatedWorker per Dask worker thread, kept between tasks


class SchedulerUnavailable(InputError):
    kind = "scheduler"
    hint = "start one with `dask scheduler` and workers with `dask worker ADDRESS`, or leave out --scheduler"
    exit_code = 2


def convert_on_worker(task: Task, settings: Settings) -> Outcome:
    """Runs on a Dask worker."""
    worker = getattr(_LOCAL, "worker", None)
    if worker is None:
        worker = _LOCAL.worker = IsolatedWorker()
    outcome = worker.run(task, settings)
    assert outcome is not None  # no stop event on a worker: always an outcome
    return outcome


def run_dask(tasks: list[Task], settings: Settings, stop: threading.Event, emit: Event) -> Iterator[Outcome]:
    """Outcomes as they complete on the cluster at settings.scheduler."""
    try:
        from distributed import Client, as_completed
    except ImportError as exc:
        raise SchedulerUnavailable("--scheduler needs Dask", "install it: pip install 'dask[distributed]'") from exc
    try:
        client = Client(settings.scheduler, timeout=30, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise SchedulerUnavailable(f"the Dask scheduler {settings.scheduler} cannot be reached ({exc})") from None
    remote = [Task(t.source, t.sha256, str(Path(t.source).resolve())) for t in tasks]
    futures = [client.submit(convert_on_worker, task, settings, pure=False, key=f"thaiplan-{i}-{task.sha256[:12]}")
               for i, task in enumerate(remote)]  # fmt: skip
    for task in remote:
        emit("started", {"file": task.source})
    try:
        for future in as_completed(futures, loop=client.loop):
            if stop.is_set():
                break
            try:
                yield future.result()
            except ThaiplanError:
                raise
            except Exception as exc:  # a Dask worker lost, the task given up: that file's failure
                from thaiplan.errors import WorkerCrashed
                from thaiplan.outcome import failure

                task = remote[futures.index(future)]
                yield failure(task.source, task.sha256, WorkerCrashed(f"the Dask task failed ({type(exc).__name__}: {exc})"))
    finally:
        client.cancel(futures)
        client.close()
