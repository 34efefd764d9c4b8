"""A least-recently-used cache of a fixed size, for what the service keeps between requests."""

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")

# Entries per cache: far more than the answer paths people take; the bound caps memory if someone
# walks every path with every platform.
SIZE = 2048


class Bounded(Generic[V]):
    """A least-recently-used cache: `get(key, make)` returns the kept value or makes and keeps it."""

    def __init__(self, size: int = SIZE) -> None:
        self.size = size
        self.values: OrderedDict[Hashable, V] = OrderedDict()

    def get(self, key: Hashable, make: Callable[[], V]) -> V:
        """The value kept for this key, made now if it is not (or no longer) kept."""
        if key in self.values:
            self.values.move_to_end(key)
            return self.values[key]
        value = self.values[key] = make()
        if len(self.values) > self.size:
            self.values.popitem(last=False)
        return value
