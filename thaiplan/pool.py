"""Files converted in watched worker processes: a time and a memory limit per
file, and a worker that hangs, crashes or runs out of memory is that file's
error, never the batch's.

`IsolatedWorker` owns one `python -m thaiplan.worker` process (its own
session, so ending it ends what it started: tesseract, soffice). The local
pool runs one per job in a thread each; a Dask task uses one per Dask worker
thread (thaiplan.dask_runner). Both give the same outcomes.
"""

from __future__ import annotations

import contextlib
import os
import queue
import selectors
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator

from thaiplan.errors import FileTimeout, OutOfMemory, ThaiplanError, WorkerCrashed
from thaiplan.settings import Settings
from thaiplan.store import Outcome, Task
from thaiplan.worker import READY, receive, send

POLL_S = 0.1  # how often a running file's time and memory are checked
STARTUP_S = 120.0  # a worker that has not loaded the pipeline by then is broken
LOG_LIMIT = 1 << 20  # a worker's stderr kept for a crash's last words, at most


Event = Callable[[str, dict[str, object]], None]


class IsolatedWorker:
    """One worker process, restarted after a failure."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (lives as long as the worker: its stderr, for a crash's last words)
        self.selector: selectors.BaseSelector | None = None

    def _start(self) -> subprocess.Popen[bytes]:
        """The running worker, started (and waited for until it has loaded the pipeline) if need be."""
        if self.process is None or self.process.poll() is not None:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "thaiplan.worker"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=self.log, start_new_session=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )  # fmt: skip
            self.selector = selectors.DefaultSelector()
            assert self.process.stdout is not None
            self.selector.register(self.process.stdout, selectors.EVENT_READ)
            if not self.selector.select(STARTUP_S) or receive(self.process.stdout) != READY:  # type: ignore[arg-type]
                raise OSError("the worker did not start")
        return self.process

    def run(self, task: Task, settings: Settings, stop: threading.Event | None = None) -> Outcome | None:
        """The file's outcome; None when `stop` was set while it ran (an interrupted run)."""
        try:
            process = self._start()
            assert process.stdin is not None and process.stdout is not None
            send(process.stdin, (task.source, task.path or task.source, task.sha256, settings))  # type: ignore[arg-type]
        except (OSError, ValueError, EOFError):
            self.kill()
            return _failure(task, WorkerCrashed(
                f"the worker process could not be started{self._last_words()}"))  # fmt: skip
        started = time.monotonic()  # the file's clock starts once its worker is ready
        limits = settings.limits
        budget = limits.max_memory_mb << 20
        while True:
            assert self.selector is not None
            if self.selector.select(POLL_S):
                try:
                    outcome = receive(process.stdout)  # type: ignore[arg-type]
                except (EOFError, OSError, ValueError):
                    return self._crashed(task, started, stop)
                assert isinstance(outcome, Outcome)
                self._trim_log()
                return outcome
            if stop is not None and stop.is_set():
                self.kill()
                return None
            elapsed = time.monotonic() - started
            if process.poll() is not None:
                return self._crashed(task, started, stop)
            if elapsed > limits.timeout_s:
                self.kill()
                return _failure(task, FileTimeout(f"not done after {limits.timeout_s:g} s; its worker was ended"), elapsed)
            used = tree_memory(process.pid)
            if used > budget:
                self.kill()
                return _failure(task, OutOfMemory(
                    f"needed more than {limits.max_memory_mb} MB of memory ({used >> 20} MB); its worker was ended"),
                    elapsed)  # fmt: skip

    def _crashed(self, task: Task, started: float, stop: threading.Event | None) -> Outcome | None:
        code = self.process.wait() if self.process is not None else None
        self.kill()
        if stop is not None and stop.is_set():
            return None
        how = f"killed by signal {signal.Signals(-code).name}" if code and code < 0 else f"exit status {code}"
        oom = code == -signal.SIGKILL  # the kernel's OOM killer sends SIGKILL
        error = (OutOfMemory(f"its worker was killed by the system ({how}), most likely out of memory") if oom
                 else WorkerCrashed(f"the worker process died while converting it ({how}){self._last_words()}"))  # fmt: skip
        return _failure(task, error, time.monotonic() - started)

    def _trim_log(self) -> None:
        """Forget what a healthy worker wrote to stderr once it grows (warnings of a long run)."""
        with contextlib.suppress(OSError):
            if self.log.seek(0, os.SEEK_END) > LOG_LIMIT:
                self.log.seek(0)  # the worker shares this offset: it writes from the start again
                self.log.truncate(0)

    def _last_words(self) -> str:
        with contextlib.suppress(OSError):
            self.log.seek(0, os.SEEK_END)
            size = self.log.tell()
            self.log.seek(max(0, size - 400))
            lines = [ln for ln in self.log.read().decode("utf-8", "replace").splitlines() if ln.strip()]
            self.log.seek(0)
            self.log.truncate()
            if lines:
                return f": {lines[-1].strip()[:200]}"
        return ""

    def kill(self) -> None:
        """End the worker and everything it started (tesseract, soffice in their own sessions too)."""
        process, self.process = self.process, None
        if self.selector is not None:
            self.selector.close()
            self.selector = None
        if process is None:
            return
        kill_tree(process.pid)
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            process.wait(timeout=10)
        for stream in (process.stdin, process.stdout):
            with contextlib.suppress(OSError):
                if stream is not None:
                    stream.close()

    def close(self) -> None:
        """Ask the worker to end (end of input), then make sure."""
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(OSError):
                assert self.process.stdin is not None
                self.process.stdin.close()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=5)
        self.kill()
        self.log.close()


def _failure(task: Task, exc: ThaiplanError, seconds: float = 0.0) -> Outcome:
    """The outcome of a file its worker gave none for."""
    from thaiplan.outcome import failure  # the records' model: the driver loads it only when a file fails

    return failure(task.source, task.sha256, exc, seconds)


def tree_memory(pid: int) -> int:
    """Resident bytes of a process and all its descendants."""
    import psutil  # imported where workers run: a rerun with nothing to convert never needs it

    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for process in processes:
        with contextlib.suppress(psutil.Error):
            total += process.memory_info().rss
    return total


def kill_tree(pid: int) -> None:
    """SIGKILL a process, its process group and every descendant (found before any dies)."""
    import psutil

    try:
        descendants = psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        descendants = []
    groups = {pid}
    for child in descendants:
        with contextlib.suppress(psutil.Error, OSError):
            groups.add(os.getpgid(child.pid))
    for group in groups:
        with contextlib.suppress(ProcessLookupError, PermissionError, OSError):
            os.killpg(group, signal.SIGKILL)
    for child in descendants:
        with contextlib.suppress(psutil.Error):
            child.kill()


def run_local(tasks: Iterable[Task], settings: Settings, stop: threading.Event, emit: Event) -> Iterator[Outcome]:
    """Outcomes as they complete, from `settings.worker_count` watched workers.
    Events are emitted from the calling thread only."""
    pending: queue.Queue[Task | None] = queue.Queue()
    done: queue.Queue[tuple[str, object]] = queue.Queue()
    count = 0
    for task in tasks:
        pending.put(task)
        count += 1
    jobs = max(1, min(settings.worker_count, count))
    for _ in range(jobs):
        pending.put(None)

    def loop() -> None:
        worker = IsolatedWorker()
        try:
            while not stop.is_set():
                task = pending.get()
                if task is None:
                    break
                done.put(("started", task))
                outcome = worker.run(task, settings, stop)
                if outcome is not None:
                    done.put(("done", outcome))
        except BaseException as exc:  # noqa: BLE001 (handed to the driver)
            done.put(("error", exc))
        finally:
            worker.close()
            done.put(("end", None))

    threads = [threading.Thread(target=loop, name=f"thaiplan-worker-{i}", daemon=True) for i in range(jobs)]
    for thread in threads:
        thread.start()
    finished = 0
    try:
        while finished < jobs:
            kind, item = _next(done)
            if kind == "end":
                finished += 1
            elif kind == "error":
                raise item  # type: ignore[misc]
            elif kind == "started":
                emit("started", {"file": item.source})  # type: ignore[attr-defined]
            else:
                yield item  # type: ignore[misc]
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=15)


def _next(done: queue.Queue[tuple[str, object]]) -> tuple[str, object]:
    """The next item, waking often so Ctrl-C reaches the main thread at once."""
    while True:
        try:
            return done.get(timeout=0.2)
        except queue.Empty:
            continue


def default_max_memory_mb(jobs: int) -> int:
    """A worker's share of the machine: 80% of the memory over the workers, at least 1 GB."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") >> 20
    except (AttributeError, ValueError, OSError):  # no sysconf (Windows)
        import psutil

        total = psutil.virtual_memory().total >> 20
    return max(1024, int(total * 0.8 / max(1, jobs)))

