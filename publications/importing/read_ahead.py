"""Parsing in a thread of its own, ahead of the merge.

A large import spends a third of its time inside the database driver, writing, and the
driver lets other Python threads run meanwhile. A parser thread running ahead fills that
time with the next records, so on a machine with a spare core the import takes little
more than its Python work alone. Parsers touch no database (``records``: plain data), so
nothing else is shared; the records reach the merge in the same order, and a parser's
exception is raised in the merge's thread where its next record would have come.
"""

import queue
import threading
from collections.abc import Iterable, Iterator

_END = object()


class ReadAhead:
    """Iterates ``items`` in a background thread, at most ``chunk * depth`` items ahead
    of the consumer (so memory stays bounded). ``close()`` stops the thread and waits
    for it; call it when done, also after an error."""

    def __init__(self, items: Iterable, *, chunk: int = 100, depth: int = 20):
        self._items = iter(items)
        self._chunk = chunk
        self._handoff: queue.Queue = queue.Queue(maxsize=depth)
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._produce, name="import-parser", daemon=True)
        self._thread.start()

    def _hand_over(self, entry) -> bool:
        while not self._stopped.is_set():
            try:
                self._handoff.put(entry, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def _produce(self):
        block: list = []
        try:
            for item in self._items:
                block.append(item)
                if len(block) == self._chunk:
                    if not self._hand_over((block, None)):
                        return
                    block = []
            self._hand_over((block, _END))
        except BaseException as error:  # re-raised in the consumer's thread
            self._hand_over((block, error))
        finally:
            close = getattr(self._items, "close", None)
            if close is not None:
                close()

    def __iter__(self) -> Iterator:
        while True:
            block, end = self._handoff.get()
            yield from block
            if end is _END:
                return
            if end is not None:
                raise end

    def close(self):
        self._stopped.set()
        self._thread.join()
