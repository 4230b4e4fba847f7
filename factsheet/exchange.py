"""Exchange: a new file put in the place of an old one, atomically, without the flush that ext4
makes of a file renamed over another.

Owns: one system call. ext4 (mounted with its default, auto_da_alloc) starts writing out the new
file's data when a rename replaces an existing file, inside the rename: 0.5 to 2 ms for each of
the ten-megabyte files a fact edit rewrites at ten thousand facts (the data files, the facts
index, the timeline), as long as copying them. Linux's renameat2(RENAME_EXCHANGE) swaps the two
names in one step instead, which that rule does not cover (0.04 ms): a reader still sees the old
file or the new one, never neither; the old file, left under the new one's temporary name, is
then unlinked. What the flush was for (a file replaced without fsync is not left empty by a
crash) a generated site does not need: it is built again. Elsewhere (another system, a file
system without the exchange, no old file), os.replace.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

RENAME_EXCHANGE = 2  # linux/fs.h
AT_FDCWD = -100
_renameat2 = None  # libc's, once looked up; False where there is none


def _exchange_call():
    global _renameat2
    if _renameat2 is None:
        _renameat2 = False
        if sys.platform.startswith("linux"):
            try:
                import ctypes
                call = ctypes.CDLL(None, use_errno=True).renameat2
                call.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                                 ctypes.c_uint)
                call.restype = ctypes.c_int
                _renameat2 = call
            except (AttributeError, OSError):  # a C library without it (glibc < 2.28, musl)
                pass
    return _renameat2


def replace(fresh: Path, target: Path) -> None:
    """os.replace(fresh, target): `fresh` in the place of `target`, atomically. Where the old
    file is exchanged rather than replaced, its blocks are freed by the unlink (or, if the caller
    holds it open, when closed)."""
    call = _exchange_call()
    if call and _a_file(target) and call(AT_FDCWD, os.fsencode(fresh), AT_FDCWD,
                                         os.fsencode(target), RENAME_EXCHANGE) == 0:
        os.unlink(fresh)  # the old file now
        return
    os.replace(fresh, target)  # no old file, no exchange here (EINVAL, ENOSYS): as ever


def _a_file(path: Path) -> bool:
    """Whether `path` is a file or a link, which os.replace would replace: a folder in its place
    (put there by hand) it refuses, and so must this, where the exchange would take it."""
    try:
        return not stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False
