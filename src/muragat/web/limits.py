"""Bounded work per request: how much text `POST /api/v1/analyze` takes, for how long, and
how many analyses run at once.

Analysis runs in a small thread pool of its own (`Limits.concurrent` threads), never in the
server's request threads. A request that finds every slot taken is answered 429 at once.
A request waits at most `Limits.seconds`; then it is answered 503, and the analysis stops at
the next layer boundary (a Python thread cannot be killed mid-layer; the body size limit is
what bounds one layer's work). Its slot stays taken until the thread has really stopped, so
abandoned analyses can never pile up beyond `concurrent`.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from muragat import pipeline
from muragat.model import Document

T = TypeVar("T")
DEFAULT_ANALYZE_KB = 64  # a few pages of text: analysed in seconds, a small JSON answer
DEFAULT_SECONDS = 30.0
DEFAULT_CONCURRENT = 2  # the machine's cores are the web server's too


@dataclass(frozen=True, slots=True)
class Limits:
    analyze_kb: int = DEFAULT_ANALYZE_KB  # 0: POST /analyze is off for requests without a token
    seconds: float = DEFAULT_SECONDS
    concurrent: int = DEFAULT_CONCURRENT

    def describe(self, writable: bool, max_bytes: int) -> str:
        """The limits as the OpenAPI description of the analyze route states them."""
        mb = max(max_bytes // (1024 * 1024), 1)
        size = (f"Денесі {self.analyze_kb} КБ-қа дейін. / Body up to {self.analyze_kb} KB."
                if self.analyze_kb else
                "Токенсіз өшірулі (serve --analyze-limit-kb N). / Off without a token "
                "(serve --analyze-limit-kb N).")
        if writable:
            size += (f" write/admin токенімен {mb} МБ-қа дейін. / With a write/admin token "
                     f"up to {mb} MB.")
        return (f"Мәтінді талдау, ештеңе сақталмайды. {size} Уақыт шегі {self.seconds:g} с "
                f"(одан кейін 503), бір мезетте {self.concurrent} талдау (артығы 429). / "
                f"Analyse a text; nothing is stored. Time limit {self.seconds:g} s (then 503), "
                f"{self.concurrent} analyses at a time (more: 429).")


class Busy(Exception):
    """Every analysis slot is taken."""


class Late(Exception):
    """The analysis passed its time limit."""


class Worker:
    """The analysis threads and their slots."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._slots = threading.BoundedSemaphore(limits.concurrent)
        self._pool = ThreadPoolExecutor(limits.concurrent, thread_name_prefix="muragat-analyze")

    async def run(self, fn: Callable[[float], T]) -> T:
        """`fn(deadline)` in an analysis thread; Busy when no slot is free, Late past the time
        limit (the thread is told through the deadline it was given)."""
        if not self._slots.acquire(blocking=False):
            raise Busy
        deadline = time.monotonic() + self.limits.seconds
        try:
            future: Future[T] = self._pool.submit(fn, deadline)
        except RuntimeError:  # the pool is shut down: the server is stopping
            self._slots.release()
            raise Busy from None
        future.add_done_callback(self._done)  # finished, failed or cancelled: the slot is free
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), self.limits.seconds)
        except TimeoutError:
            raise Late from None

    def _done(self, future: Future[Any]) -> None:
        self._slots.release()
        if not future.cancelled():  # an abandoned analysis's error is dropped, not logged
            future.exception()

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


class Stopped(Exception):
    """An analysis stopped at a layer boundary because its deadline passed."""


def analyse(text: str, layers: tuple[str, ...], deadline: float) -> Document:
    """The pipeline layer by layer (`pipeline.check` has validated the order), stopping at the
    first boundary past `deadline`."""
    doc = Document(text=text)
    for spec in pipeline.check(layers):
        if time.monotonic() > deadline:
            raise Stopped
        doc = pipeline.layer(spec.name)(doc)
    return doc
