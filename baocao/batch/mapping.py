"""Running one function over a batch's items in order: in a process pool (map_items) or each item in
its own isolated worker (map_isolated, baocao.isolate), with a progress tick per item."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from baocao.isolate import Failure, IsolatedPool
from baocao.stages import Progress, Stage


def map_items(
    fn: Callable[[Any], Any], items: list[Any], workers: int, progress: Progress | None, label: Stage
) -> Iterator[Any]:
    """fn over items in order, in a process pool when it pays; progress ticks per item."""
    if progress:
        progress(label, len(items))
    if workers <= 1 or len(items) < 4:
        for item in items:
            yield fn(item)
            if progress:
                progress(None, 1)
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_ignore_ctrl_c) as pool:
        try:
            for result in pool.map(fn, items, chunksize=max(1, min(32, len(items) // (workers * 4)))):
                if progress:
                    progress(None, 1)
                yield result
        except BaseException:  # Ctrl+C: the files being written are finished (atomically), the rest never start
            pool.shutdown(cancel_futures=True)
            raise


def _ignore_ctrl_c() -> None:
    """Workers leave Ctrl+C to the main process, which stops the pool and prints one line."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def map_isolated(
    pool: IsolatedPool,
    fn: Callable[[Any], Any],
    items: list[Any],
    progress: Progress | None,
    label: Stage,
    failed: Callable[[Any, Failure], Any],
) -> Iterator[Any]:
    """fn over items in order, each in a worker process (see baocao.isolate); an item whose worker
    crashed, overran its time or raised gives failed(item, failure); progress ticks per item."""
    if progress:
        progress(label, len(items))
    for item, result in zip(items, pool.map(fn, items), strict=True):
        if progress:
            progress(None, 1)
        yield failed(item, result) if isinstance(result, Failure) else result
