"""Stamps: whether a file is as it was when last read, told by its stat alone.

Owns: the rule by which a process that builds again (serve) trusts what it read of a file
before instead of reading it again: the same inode, size, modification and change times, and no
change within RACY_NS before that read. Used by the loader (a file's text), the cache (a
file's digest) and the search index's shards (a page's digest). Imports nothing of ours.
"""

from __future__ import annotations

import os

# A file changed this shortly before it was read may change again within the same tick of the
# file system's clock (coarse: a few milliseconds; two seconds on FAT) and keep its stat: it
# is read again next time, not trusted (as git treats its "racy" index entries).
RACY_NS = 2_000_000_000


def stamp(status: os.stat_result) -> tuple:
    return (status.st_ino, status.st_dev, status.st_size, status.st_mtime_ns,
            status.st_ctime_ns)


def unchanged(status: os.stat_result | None, last: tuple | None, read_ns: int) -> bool:
    """Whether a file whose stat is now `status` is as it was when read at `read_ns` (time.time_ns),
    its stamp then `last`."""
    return status is not None and last is not None and last == stamp(status) \
        and status.st_ctime_ns < read_ns - RACY_NS
