"""The parser thread: same items in the same order, its errors raised where the next
item would have come, bounded look-ahead, and a clean stop when the consumer gives up."""

import threading
import time

import pytest

from publications.importing.read_ahead import ReadAhead


def test_items_arrive_in_order():
    items = ReadAhead(range(1003), chunk=10, depth=2)
    try:
        assert list(items) == list(range(1003))
    finally:
        items.close()


def test_a_producer_error_is_raised_after_the_items_before_it():
    def parse():
        yield from range(25)
        raise ValueError("bad input")

    items = ReadAhead(parse(), chunk=10)
    received = []
    with pytest.raises(ValueError, match="bad input"):
        for item in items:
            received.append(item)
    items.close()
    assert received == list(range(25))


def test_the_producer_stays_a_bounded_distance_ahead():
    produced = []

    def parse():
        for number in range(10_000):
            produced.append(number)
            yield number

    items = ReadAhead(parse(), chunk=5, depth=3)
    iterator = iter(items)
    assert next(iterator) == 0
    time.sleep(0.3)  # let the producer run as far as it may
    # The queue (3 chunks), the chunk taken, the chunk being filled.
    assert len(produced) <= 5 * 3 + 5 + 5
    items.close()


def test_closing_early_stops_the_producer_and_closes_the_source():
    closed = threading.Event()

    def parse():
        try:
            number = 0
            while True:
                yield number
                number += 1
        finally:
            closed.set()

    items = ReadAhead(parse(), chunk=4, depth=2)
    for item in items:
        if item == 10:
            break
    items.close()
    assert closed.is_set()
    assert not any(thread.name == "import-parser" for thread in threading.enumerate())
