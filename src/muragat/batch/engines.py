"""Where the chunks run: in this process, in local worker processes, or on a Ray cluster.

Every engine has one method, `map(fn, chunks)`: results come back in input order, with at most
a few chunks in flight per worker (a corpus of millions of documents is streamed, never held
in memory), and a chunk whose worker died comes back as the exception, not as a crash of
the whole run.
"""

from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from muragat.errors import EngineError
from muragat.i18n import t

C = TypeVar("C")
R = TypeVar("R")

IN_FLIGHT_PER_WORKER = 2  # enough to keep a worker busy while the driver writes


class Engine:
    """Runs `fn` over chunks in this process: the reference the others must agree with."""

    name = "serial"
    workers = 1

    def map(self, fn: Callable[[C], R], chunks: Iterable[C]) -> Iterator[tuple[C, R | BaseException]]:
        for chunk in chunks:
            try:
                yield chunk, fn(chunk)
            except Exception as exc:  # the contract: a failed chunk is a value, not a crash
                yield chunk, exc

    def close(self) -> None:
        """Release workers; safe to call twice."""

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class LocalEngine(Engine):
    """Worker processes on this machine. A worker that dies (out of memory, a segfault in a
    native library) fails its chunk only: the pool is rebuilt and the run goes on."""

    name = "local"

    def __init__(self, workers: int | None = None) -> None:
        self.workers = max(1, workers or os.cpu_count() or 1)
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.workers)
        return self._pool

    def map(self, fn: Callable[[C], R], chunks: Iterable[C]) -> Iterator[tuple[C, R | BaseException]]:
        pending: deque[tuple[C, Future[R]]] = deque()
        limit = self.workers * IN_FLIGHT_PER_WORKER
        for chunk in chunks:
            pending.append((chunk, self._submit(fn, chunk)))
            if len(pending) >= limit:
                yield from self._next(fn, pending)
        while pending:
            yield from self._next(fn, pending)

    def _next(self, fn: Callable[[C], R], pending: deque[tuple[C, Future[R]]]
              ) -> Iterator[tuple[C, R | BaseException]]:
        chunk, future = pending.popleft()
        try:
            yield chunk, future.result()
        except BrokenProcessPool:
            # a dying worker takes every chunk in flight with it, and which one killed it is
            # unknown: each is run again alone in a fresh pool, so only the culprit fails
            self._reset()
            retry = [chunk, *(c for c, _ in pending)]
            pending.clear()
            for c in retry:
                yield c, self._alone(fn, c)
        except Exception as exc:
            yield chunk, exc

    def _submit(self, fn: Callable[[C], R], chunk: C) -> Future[R]:
        try:
            return self._executor().submit(fn, chunk)
        except BrokenProcessPool:
            self._reset()
            return self._executor().submit(fn, chunk)

    def _alone(self, fn: Callable[[C], R], chunk: C) -> R | BaseException:
        try:
            return self._submit(fn, chunk).result()
        except BrokenProcessPool as exc:
            self._reset()
            return exc
        except Exception as exc:
            return exc

    def _reset(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


class RayEngine(Engine):
    """Ray tasks: `address=None` starts Ray on this machine, `"auto"` or `"ray://host:10001"`
    joins an existing cluster. The package must be importable on the cluster's workers."""

    name = "ray"

    def __init__(self, address: str | None = None, workers: int | None = None) -> None:
        try:
            import ray
        except ImportError:
            raise EngineError(t(
                "Ray орнатылмаған: pip install 'muragat[batch]'",
                "Ray is not installed: pip install 'muragat[batch]'")) from None
        self._ray = ray
        self._started = False
        if not ray.is_initialized():
            options: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False,
                                       "logging_level": logging.ERROR}
            if address:
                options["address"] = address
            elif workers:
                options["num_cpus"] = workers
            try:
                ray.init(**options)
            except Exception as exc:  # ConnectionError, RuntimeError… by Ray version
                raise EngineError(t(f"Ray іске қосылмады: {exc}",
                                    f"Ray could not start: {exc}")) from None
            self._started = True
        self.workers = max(1, int(ray.cluster_resources().get("CPU", 1)))

    def map(self, fn: Callable[[C], R], chunks: Iterable[C]) -> Iterator[tuple[C, R | BaseException]]:
        ray = self._ray
        remote = ray.remote(fn)
        pending: deque[tuple[C, Any]] = deque()
        limit = self.workers * IN_FLIGHT_PER_WORKER
        for chunk in chunks:
            pending.append((chunk, remote.remote(chunk)))
            if len(pending) >= limit:
                yield self._collect(*pending.popleft())
        while pending:
            yield self._collect(*pending.popleft())

    def _collect(self, chunk: C, ref: Any) -> tuple[C, R | BaseException]:
        try:
            return chunk, self._ray.get(ref)
        except Exception as exc:  # RayTaskError wraps the worker's exception
            return chunk, exc

    def close(self) -> None:
        if self._started:
            self._ray.shutdown()
            self._started = False


ENGINES = ("local", "ray", "serial")


def make_engine(name: str = "local", workers: int | None = None,
                address: str | None = None) -> Engine:
    """`local` (processes; `workers=1` runs in this process), `ray`, or `serial`."""
    if name == "serial" or (name == "local" and workers == 1):
        return Engine()
    if name == "local":
        return LocalEngine(workers)
    if name == "ray":
        return RayEngine(address, workers)
    raise EngineError(t(f"белгісіз қозғалтқыш: {name}", f"unknown engine: {name}"))
