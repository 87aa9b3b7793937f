"""extractors.memory: freed heap memory goes back to the system (issue 12: a long document's peak per process)."""

from __future__ import annotations


def _resident_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as handle:
        return next(int(line.split()[1]) for line in handle if line.startswith("VmRSS")) / 1024


def test_free_heap_pages_in_the_middle_of_the_heap_are_handed_back() -> None:
    """80 MB of 2 kB blocks freed below one that stays (as a page's words lie below the next page's) stay
    resident until release_free_memory hands them back."""
    from extractors.memory import release_free_memory

    blocks = [bytearray(2048) for _ in range(40_000)]  # zero-filled: every page written
    last = bytearray(2048)
    freed_at = _resident_mb()
    del blocks
    held = _resident_mb()
    assert release_free_memory()
    assert freed_at - held < 20  # free() alone kept them
    assert held - _resident_mb() > 60
    assert last[0] == 0
