"""The C allocator tuned for a threaded server process (glibc only; elsewhere nothing).

By default glibc gives each thread that allocates its own arena (up to eight per core) and
raises its mmap threshold after every large block it frees, so the large buffers of an
answer (its rows, its JSON) come from arenas that keep them after use: memory freed by one
worker thread serves no other, and the process's resident size grows towards the largest
answer times the number of threads, whatever bounds the answers themselves keep. Here the
threads share two arenas, and blocks of 1 MiB and more are mapped and given back at once.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging

log = logging.getLogger("smartcity.memory")

M_MMAP_THRESHOLD = -3  # mallopt parameters, from glibc's malloc.h
M_ARENA_MAX = -8
ARENAS = 2
MMAP_THRESHOLD = 1024 * 1024


def tune_allocator() -> bool:
    """Call before the server starts its threads; True when glibc took the settings."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (musl, macOS)
        return False
    taken = bool(mallopt(M_ARENA_MAX, ARENAS)) and bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD))
    if not taken:
        log.info("the C allocator did not take the server's memory settings")
    return taken
