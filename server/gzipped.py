"""gzip answers put together from parts compressed once and kept, and each request's own parts.

Compressing a whole answer again for every request costs more than making it. A part that stays the
same is compressed once, on its own, so that its blocks refer to nothing before them and end on a
byte: such blocks can be put in any stream (RFC 1951). A request's own parts are added between them,
stored or compressed on their own, and the stream gets gzip's header and trailer (RFC 1952).
"""

import struct
import zlib
from collections.abc import Callable, Iterable

# A gzip member's header: deflate, no name, no time, unknown system.
HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
# Deflate's last block, empty (fixed codes, end of block).
LAST_BLOCK = b"\x03\x00"
Part = tuple[bytes, bytes]  # (bytes as they are, their deflate blocks)


def runs(texts: Iterable[bytes], level: int) -> list[bytes]:
    """Each text as raw deflate blocks that refer to nothing outside it, ending on a byte."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
    # A full flush ends the blocks on a byte and forgets what came before.
    return [compressor.compress(text) + compressor.flush(zlib.Z_FULL_FLUSH) for text in texts]


def storer() -> Callable[[bytes], bytes]:
    """Deflate blocks holding bytes as they are, for a request's own short strings."""
    # Storing searches no window: a small one is set up in microseconds (a full one takes ~50 µs).
    compressor = zlib.compressobj(0, zlib.DEFLATED, -9, 1)
    return lambda text: compressor.compress(text) + compressor.flush(zlib.Z_SYNC_FLUSH)


def member(parts: Iterable[Part]) -> bytes:
    """A gzip stream of these parts, in order."""
    blocks = [HEADER]
    crc = size = 0
    for text, deflated in parts:
        crc = zlib.crc32(text, crc)
        size += len(text)
        blocks.append(deflated)
    blocks += [LAST_BLOCK, struct.pack("<II", crc, size & 0xFFFFFFFF)]
    return b"".join(blocks)
