"""Giving freed memory back to the system between stages, so that a long document's peak stays flat.

CPython frees small objects into its own arenas and larger blocks with the C library's `free`; glibc keeps
freed blocks in the middle of its heap for later allocations and returns only the top of the heap to the
system. After reading a long document's pages (PDFium's parsed objects, each page's characters and words,
the PageStore's pages) the heap is full of such holes: on a 504-page document 61 MB of resident memory were
free blocks when layout ended, and the stages after it allocate elsewhere, so the process's peak carried them.
`malloc_trim(0)` (glibc) hands every free page of the heap back; elsewhere it is a no-op.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import lru_cache

__all__ = ["release_free_memory"]


@lru_cache(maxsize=1)
def _malloc_trim() -> ctypes._CFuncPtr | None:  # type: ignore[name-defined]
    name = ctypes.util.find_library("c")
    try:
        trim = ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to hand back this way
        return None
    if trim is not None:
        trim.argtypes, trim.restype = (ctypes.c_size_t,), ctypes.c_int
    return trim


def release_free_memory() -> bool:
    """Return the C heap's free pages to the system (glibc's malloc_trim(0)); whether it could be asked.
    Changes no object: only resident memory that no object uses."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
