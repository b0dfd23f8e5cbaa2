"""Garbage-collector settings for a serving process.

A page of 50 mines allocates tens of thousands of short-lived objects (rows, records, GraphQL
results); with CPython's default thresholds that starts a dozen collections per request, and the
older generations' collections walk everything start-up allocated (the schema, the routing
vocabulary, the document's records): about 13 ms of a 50-mine page's CPU, measured. After
start-up the service freezes what it has allocated (the collector no longer walks it) and lets
the young generation grow larger before collecting it: about 2 ms. A request leaves no
reference cycle behind (`schema/async_helpers.py`), so what it allocated is freed when it ends
and the young generation seldom fills at all: no collection in a hundred pages, measured.
"""

from __future__ import annotations

import gc

#: allocations (net) before a young-generation collection; CPython's default is 700
YOUNG_THRESHOLD = 10_000


def settle() -> None:
    """Call once start-up is done: collect, freeze the survivors, collect less often."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
