"""What a worker keeps in its own memory: an LRU bounded by the size of what it holds."""

import collections
import threading


class SizedLRU:
    """An LRU of entries bounded by their total weight (`weight(entry)`: bytes or characters); an
    entry heavier than a quarter of the limit is not kept, so that one huge one cannot evict the
    rest."""

    def __init__(self, limit, weight):
        self.limit, self.weight = limit, weight
        self.size = 0
        self.entries = collections.OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key, entry):
        weight = self.weight(entry)
        if weight > self.limit // 4:
            return
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.size -= self.weight(old)
            self.entries[key] = entry
            self.size += weight
            while self.size > self.limit:
                _, dropped = self.entries.popitem(last=False)
                self.size -= self.weight(dropped)

    def clear(self):
        with self.lock:
            self.entries.clear()
            self.size = 0
