"""Concurrent clerks for the numbering tests: threads that start together, each on its own
database connection (so on PostgreSQL each is a writer of its own), and the issuance loop that
reads the next number and takes it, again when another clerk took it first."""

import threading
from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from django.db import connection, transaction

T = TypeVar("T")

# SQLite takes one writer at a time: the threads would only wait for each other.
concurrent_writers = pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")


def next_number(numbering: Any, *key: Any) -> int:
    """What issuance does: read the next number of the series ``key``, take it in the transaction
    that keeps the file; a number another clerk took in the meantime is read again."""
    while True:
        value = numbering.peek(*key)
        with transaction.atomic():
            if numbering.take(*key, value):
                return value


def at_once(work: Callable[[], T], *, threads: int = 8, times: int = 5, timeout: float = 120) -> list[T]:
    """Every result of ``work`` done ``times`` times in each of ``threads`` threads released
    together; the first error a thread met is raised here."""
    results: list[T] = []
    errors: list[BaseException] = []
    start = threading.Barrier(threads)

    def clerk() -> None:
        try:
            start.wait(30)
            for _ in range(times):
                results.append(work())
        except BaseException as error:  # raised below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    running = [threading.Thread(target=clerk) for _ in range(threads)]
    for thread in running:
        thread.start()
    for thread in running:
        thread.join(timeout)
    if errors:
        raise errors[0]
    assert not any(thread.is_alive() for thread in running), "a clerk did not finish"
    return results


def runs_while_another_holds(hold: Callable[[], object], run: Callable[[], object], *, wait: float = 5) -> bool:
    """Whether ``run`` (in a transaction of its own) completes while another transaction that did
    ``hold`` stays open: the two do not wait for each other on any row."""
    holding, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def holder() -> None:
        try:
            with transaction.atomic():
                hold()
                holding.set()
                release.wait(wait * 2)
        except BaseException as error:  # raised below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    def other() -> None:
        try:
            with transaction.atomic():
                run()
        except BaseException as error:  # raised below
            errors.append(error)
        finally:
            connection.close()

    first = threading.Thread(target=holder)
    first.start()
    if not holding.wait(wait * 2):
        release.set()
        first.join()
        raise errors[0] if errors else AssertionError("the first transaction did not start")
    second = threading.Thread(target=other)
    second.start()
    second.join(wait)
    finished = not second.is_alive()
    release.set()
    first.join(wait * 2)
    second.join(wait * 2)
    if errors:
        raise errors[0]
    return finished
