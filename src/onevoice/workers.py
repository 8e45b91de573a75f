"""Independent pieces of work on every core, or on a Dask cluster, with results in order.

Build and check split their work into pieces that share one read-only value (the
loaded project) and return small results (what was written, what was found), so
the same function runs in this process, in a pool of local processes, or on the
workers of a Dask cluster (`--scheduler ADDRESS`, or `local` for a LocalCluster
on this machine). The shared value is sent once per worker, not once per piece.
Each piece runs at the start of a roomy stack of Python frames (callstack.py).
On a cluster, every worker must see the project and the output folder at the same
paths (a shared file system). A local worker dies with the process that started it,
however that ends (`kill -9` too): none is left running, writing into a build.

Local workers are forked from this process, which is quick and shares the loaded
project for free, unless this process runs threads of a native library that a fork
does not copy (Typst's pool of layout threads, once a card was laid out here: a forked
worker would wait for those threads forever). Then its pools fork their workers from
a fresh process of their own (multiprocessing's forkserver) instead: see no_fork().
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from .callstack import roomy
from .errors import InputError, SourceError
from .locations import Location

Item = TypeVar("Item")
Result = TypeVar("Result")

_SHARED: dict[str, Any] = {}
# Modules a worker started from the forkserver has loaded before its first piece of work.
_PRELOAD = ["onevoice.render.build", "onevoice.check.run"]
_FORK = {"safe": True}


def no_fork() -> None:
    """Say that this process now runs threads a fork does not copy (typeset.py calls this
    before Typst first lays out here): later pools start no worker by forking it."""
    _FORK["safe"] = False


def default_jobs() -> int:
    """All cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)


@dataclass(frozen=True)
class Workers:
    """Where the pieces of a build or a check run: on `jobs` processes of this machine (all
    its cores when None), or on the Dask cluster at `scheduler` (`local`: a LocalCluster of
    `jobs` workers)."""

    jobs: int | None = None
    scheduler: str | None = None

    @property
    def count(self) -> int:
        return self.jobs or default_jobs()

    def alone(self) -> Workers:
        """This process alone: for work too small to share, unless a cluster was asked for."""
        return self if self.scheduler else Workers(1)


EVERY_CORE = Workers()
ONE_PROCESS = Workers(1)


def in_runs(items: list[Item], size: int) -> list[list[Item]]:
    """`items` in runs of `size`, the last one shorter: pieces of work, batches, volumes."""
    return [items[i:i + size] for i in range(0, len(items), size)]


def parent_pid() -> int | None:
    """The process that started this worker; None outside a worker."""
    return _SHARED.get("parent")


def _die_with(parent: int) -> None:
    """End this worker soon after the build's process is gone, however it ended (`kill -9`
    included): a daemon thread looks at the process that forked it twice a second (the
    build's, or the forkserver, which ends with the build's). Not Linux's
    PR_SET_PDEATHSIG, which fires when the *thread* that started the worker ends, and so
    killed the workers of a pool started from a short-lived thread in the middle of a build."""
    forked_by = os.getppid()
    try:
        os.kill(parent, 0)
    except ProcessLookupError:  # gone already
        os._exit(1)

    def watch() -> None:
        while os.getppid() == forked_by:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="onevoice-parent-watch", daemon=True).start()


def _keep(shared: Any, parent: int, environment: dict[str, str], folder: str) -> None:
    """Set a new worker up: the shared value, and the environment and working folder of
    the process that started the pool now (a forkserver keeps those it started with)."""
    _die_with(parent)
    if os.environ != environment:
        os.environ.clear()
        os.environ.update(environment)
    if os.getcwd() != folder:
        os.chdir(folder)
    _SHARED["value"] = shared
    _SHARED["parent"] = parent


def _call(task: tuple[Callable[[Any, Any], Any], Any]) -> Any:
    function, item = task
    return roomy(function, _SHARED["value"], item)


def map_jobs(function: Callable[[Any, Item], Result], shared: Any, items: list[Item],
             workers: Workers) -> Iterator[Result]:
    """`function(shared, item)` for every item, yielded in the order of `items`.

    `function` must be a module-level function (it is sent to other processes).
    """
    yield from map_rounds(function, shared, [items], workers)


def map_rounds(function: Callable[[Any, Item], Result], shared: Any, rounds: list[list[Item]],
               workers: Workers) -> Iterator[Result]:
    """Like map_jobs() for each round in turn, on the same processes or cluster: a round
    starts when the one before has finished, so it may use what that one wrote."""
    jobs = workers.count
    if workers.scheduler:
        yield from _map_dask(function, shared, rounds, jobs, workers.scheduler)
    elif jobs <= 1 or sum(len(items) for items in rounds) < 2:
        yield from (roomy(function, shared, item) for items in rounds for item in items)
    else:
        # Imported here: one process (a small check) need not load multiprocessing.
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("fork" if _FORK["safe"] else "forkserver")
        if not _FORK["safe"]:
            context.set_forkserver_preload(_PRELOAD)
        processes = min(jobs, max(len(items) for items in rounds))
        with ProcessPoolExecutor(processes, mp_context=context, initializer=_keep,
                                 initargs=(shared, os.getpid(), dict(os.environ),
                                           os.getcwd())) as pool:
            for items in rounds:
                yield from pool.map(_call, [(function, item) for item in items])


@contextlib.contextmanager
def dask_client(scheduler: str, jobs: int) -> Iterator[Any]:
    """A client of the cluster at `scheduler`, or of a LocalCluster when it is 'local'."""
    from distributed import Client, LocalCluster

    if scheduler != "local":
        try:
            client = Client(scheduler, timeout=10)
        except (OSError, TimeoutError, ValueError) as exc:
            raise InputError([SourceError(Location("--scheduler"), f"no Dask scheduler "
                                          f"answers at {scheduler} ({exc})", "start the "
                                          "scheduler, or check its address and port")]) from None
        with client:
            yield client
        return
    with LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as client:
        yield client


def _map_dask(function: Callable[[Any, Item], Result], shared: Any, rounds: list[list[Item]],
              jobs: int, scheduler: str) -> Iterator[Result]:
    with dask_client(scheduler, jobs) as client:
        [value] = client.scatter([shared], broadcast=True)
        for items in rounds:
            futures = client.map(roomy, [function] * len(items), [value] * len(items), items,
                                 pure=False)
            for future in futures:
                yield future.result()
                future.release()
