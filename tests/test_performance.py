"""Performance as behaviour: nested lists cost one round trip per level whatever the page size,
paged statements start from an index, and a long but progressing load of the embedded engine is
waited for. Speed itself is measured by `greenmine bench scale`, never asserted here."""

from __future__ import annotations

import pytest

from graph import embedded
from graph.embedded import LoadProgress, _load_progress, _LoadWatch


def _loading(loaded: int) -> LoadProgress:
    return LoadProgress(loaded_bytes=loaded, total_bytes=1000, percent=loaded / 10, eta_seconds=1)


def test_a_load_that_keeps_working_is_waited_for_past_the_start_timeout() -> None:
    watch = _LoadWatch(started=0.0)
    # an append-only file of big statements reports 0 bytes until it is nearly done; CPU moves
    for second in range(0, 600, 5):
        assert watch.observe(_loading(0), cpu_seconds=second * 0.9, now=float(second)) is None
    assert watch.observe(_loading(900), cpu_seconds=None, now=700.0) is None


def test_a_load_that_stops_progressing_fails_with_a_message_saying_so() -> None:
    watch = _LoadWatch(started=0.0)
    assert watch.observe(_loading(10), cpu_seconds=3.0, now=1.0) is None
    failure = watch.observe(_loading(10), cpu_seconds=3.0, now=1.0 + embedded.LOAD_STALL_S + 1)
    assert failure is not None and "no progress" in failure


def test_a_load_past_the_generous_bound_fails_clearly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embedded, "LOAD_TIMEOUT_S", 50.0)
    watch = _LoadWatch(started=0.0)
    failure = None
    for second in range(0, 60):
        failure = watch.observe(_loading(second), cpu_seconds=float(second), now=float(second))
        if failure:
            break
    assert failure is not None and "still loading" in failure and "LOAD_TIMEOUT_S" in failure


def test_the_loading_progress_is_read_from_info_persistence() -> None:
    info = (
        b"# Persistence\r\nloading:1\r\nloading_total_bytes:4844130\r\n"
        b"loading_loaded_bytes:1048576\r\nloading_loaded_perc:21.65\r\nloading_eta_seconds:12\r\n"
    )
    assert _load_progress(info) == LoadProgress(1048576, 4844130, 21.65, 12)
