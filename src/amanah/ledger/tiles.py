"""C2SP tlog-tiles (c2sp.org/tlog-tiles): the log as static files, for a copy on a USB stick.

Layout, relative to the copy's root:

- ``checkpoint``: the signed (and possibly cosigned) checkpoint note;
- ``tile/<L>/<N>[.p/<W>]``: hash tiles. Tile ``N`` of level ``L`` holds the 256 hashes
  ``MTH(D[(N*256+i) * 256**L : (N*256+i+1) * 256**L])``, i.e. the perfect subtrees of Merkle
  level ``8L`` (our node table stores every perfect subtree, so these are plain reads of
  ``node_key(8L, N*256+i)``); level 0 holds the leaf hashes;
- ``tile/entries/<N>[.p/<W>]``: entry bundles, each entry prefixed by its length as a
  big-endian uint16 (so an entry is at most 65,535 bytes, as DESIGN.md already requires).

``N`` is written in zero-padded 3-digit path elements, all but the last prefixed with ``x``
(1234067 -> ``x001/x234/067``). The partial tile at level ``L`` of a tree of size ``s`` has
width ``floor(s / 256**L) mod 256``; empty tiles are never written.

Deviations and choices:

- :func:`export_tiles` writes the copy for *one* checkpoint: full tiles plus the partial tiles
  of that size, and ``checkpoint`` last (so a copy interrupted midway has no checkpoint that
  claims tiles it lacks). It refuses to export if the note's size or root disagree with the
  store.
- :func:`verify_tiles` reads the partial tile the checkpoint implies and, if that file is
  missing, falls back to the full tile and uses its prefix (the spec lets logs delete a
  partial tile once the full one exists). It does not look for files the checkpoint does not
  need (the reader is a function of a path, not a directory listing).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from amanah.errors import EntryRejected, MalformedNote, VerificationFailed
from amanah.ledger.checkpoint import Checkpoint, open_checkpoint, require_stored
from amanah.ledger.hashing import HASH_SIZE, leaf_hash
from amanah.ledger.merkle import CompactRange, node_key
from amanah.ledger.ports import LedgerReader
from amanah.ledger.signing import Verifier

TILE_HEIGHT = 8
TILE_WIDTH = 1 << TILE_HEIGHT  # hashes (or entries) in a full tile (or bundle)
MAX_LEVEL = 63
MAX_ENTRY_SIZE = 0xFFFF
CHECKPOINT_PATH = "checkpoint"
# Entries and leaf hashes are read from the store this many bundles at a time.
CHUNK_BUNDLES = 16


class TilesMismatch(VerificationFailed):
    """A tiles copy is not intact. ``index`` is the first bad entry, ``path`` the bad file.

    The caller should treat the copy as untrustworthy and name ``index`` or ``path`` to the
    person auditing it.
    """

    def __init__(self, message: str, *, index: int | None = None, path: str | None = None) -> None:
        super().__init__(message)
        self.index = index
        self.path = path


def encode_index(n: int) -> str:
    """The tlog-tiles path form of a tile index: 1234067 -> ``x001/x234/067``."""
    if n < 0:
        raise ValueError(f"tile index {n} is negative")
    groups = [f"{n % 1000:03d}"]
    n //= 1000
    while n:
        groups.append(f"x{n % 1000:03d}")
        n //= 1000
    return "/".join(reversed(groups))


def _suffix(width: int | None) -> str:
    if width is None or width == TILE_WIDTH:
        return ""
    if not 1 <= width < TILE_WIDTH:
        raise ValueError(f"partial tile width {width} is not in 1..255")
    return f".p/{width}"


def tile_path(level: int, index: int, width: int | None = None) -> str:
    """``tile/<L>/<N>[.p/<W>]``; ``width`` of ``None`` or 256 means a full tile."""
    if not 0 <= level <= MAX_LEVEL:
        raise ValueError(f"tile level {level} is not in 0..{MAX_LEVEL}")
    return f"tile/{level}/{encode_index(index)}{_suffix(width)}"


def entries_path(index: int, width: int | None = None) -> str:
    """``tile/entries/<N>[.p/<W>]``; ``width`` of ``None`` or 256 means a full bundle."""
    return f"tile/entries/{encode_index(index)}{_suffix(width)}"


def level_widths(size: int, level: int) -> tuple[int, int]:
    """``(full tiles, partial width)`` at ``level`` for a tree of ``size`` (width 0: none)."""
    count = size >> (TILE_HEIGHT * level)
    return count >> TILE_HEIGHT, count & (TILE_WIDTH - 1)


def tiles_for(size: int, level: int) -> Iterator[tuple[int, int]]:
    """``(index, width)`` of every tile at ``level`` for ``size``, full ones first."""
    full, partial = level_widths(size, level)
    for n in range(full):
        yield n, TILE_WIDTH
    if partial:
        yield full, partial


def levels(size: int) -> range:
    """The hash-tile levels a tree of ``size`` has (none for size 0)."""
    count = 0
    while size >> (TILE_HEIGHT * count):
        count += 1
    return range(count)


def encode_bundle(entries: list[bytes]) -> bytes:
    """Entries as a bundle: each prefixed by its big-endian uint16 length."""
    out = bytearray()
    for entry in entries:
        if len(entry) > MAX_ENTRY_SIZE:
            raise EntryRejected(f"an entry of {len(entry)} bytes does not fit a tlog-tiles bundle")
        out += len(entry).to_bytes(2, "big")
        out += entry
    return bytes(out)


def decode_bundle(data: bytes) -> list[bytes]:
    """Split a bundle into its entries. Raises ``ValueError`` if it is truncated."""
    entries: list[bytes] = []
    pos = 0
    while pos < len(data):
        if pos + 2 > len(data):
            raise ValueError(f"truncated length prefix of entry {len(entries)} in the bundle")
        length = int.from_bytes(data[pos : pos + 2], "big")
        pos += 2
        if pos + length > len(data):
            raise ValueError(f"entry {len(entries)} of the bundle is truncated")
        entries.append(data[pos : pos + length])
        pos += length
    return entries


# --- export ------------------------------------------------------------------------------


def _check_note(reader: LedgerReader, checkpoint_note: bytes, size: int) -> None:
    require_stored(reader, reader.size(), checkpoint_note, size, "the tiles")


def _export_level0(reader: LedgerReader, size: int) -> Iterator[tuple[str, bytes]]:
    step = CHUNK_BUNDLES * TILE_WIDTH
    for start in range(0, size, step):
        end = min(start + step, size)
        hashes = reader.leaf_hashes(start, end)
        if len(hashes) != end - start:
            raise VerificationFailed(f"leaf hashes missing from the store in [{start}, {end})")
        rows = list(reader.entries(start, end))
        for offset, row in enumerate(rows):
            if row.seq != start + offset:
                raise VerificationFailed(f"entry {start + offset} is missing from the store")
        if len(rows) != end - start:
            raise VerificationFailed(f"entry {start + len(rows)} is missing from the store")
        for lo in range(start, end, TILE_WIDTH):
            hi = min(lo + TILE_WIDTH, end)
            n, width = lo >> TILE_HEIGHT, hi - lo
            yield tile_path(0, n, width), b"".join(hashes[lo - start : hi - start])
            bodies = [row.body for row in rows[lo - start : hi - start]]
            yield entries_path(n, width), encode_bundle(bodies)


def _export_level(reader: LedgerReader, size: int, level: int) -> Iterator[tuple[str, bytes]]:
    for n, width in tiles_for(size, level):
        keys = [node_key(TILE_HEIGHT * level, n * TILE_WIDTH + i) for i in range(width)]
        found = reader.get_nodes(keys)
        yield tile_path(level, n, width), b"".join(found[k] for k in keys)


def export_tiles(
    reader: LedgerReader, checkpoint_note: bytes, size: int
) -> Iterator[tuple[str, bytes]]:
    """Every file of a tlog-tiles copy of the tree of ``size``: ``(relative path, contents)``.

    Yields entry bundles and level-0 tiles interleaved (read ``CHUNK_BUNDLES`` bundles at a
    time), then the higher levels, then ``checkpoint``. Raises :class:`VerificationFailed` if
    the note is not a checkpoint for ``size`` with the stored root, or the store has gaps.
    """
    _check_note(reader, checkpoint_note, size)
    yield from _export_level0(reader, size)
    for level in levels(size)[1:]:
        yield from _export_level(reader, size, level)
    yield CHECKPOINT_PATH, checkpoint_note


# --- verify ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TilesReport:
    """What :func:`verify_tiles` checked: the checkpoint and the counts of files read."""

    checkpoint: Checkpoint
    entry_bundles: int
    hash_tiles: int

    @property
    def origin(self) -> str:
        return self.checkpoint.origin

    @property
    def size(self) -> int:
        return self.checkpoint.size

    @property
    def root(self) -> bytes:
        return self.checkpoint.root

    def to_json(self) -> dict[str, object]:
        return {
            "ok": True,
            "origin": self.origin,
            "size": self.size,
            "root": self.root.hex(),
            "entry_bundles": self.entry_bundles,
            "hash_tiles": self.hash_tiles,
        }


_MISSING = (KeyError, OSError, VerificationFailed)


def _read(read: Callable[[str], bytes], path: str) -> bytes:
    try:
        return read(path)
    except _MISSING as err:
        raise TilesMismatch(f"cannot read {path}: {err}", path=path) from None


def _read_tile(read: Callable[[str], bytes], path: str, full_path: str) -> tuple[str, bytes]:
    """Read a tile; for a missing partial tile, fall back to the full one."""
    if path == full_path:
        return path, _read(read, path)
    try:
        return path, read(path)
    except _MISSING as err:
        try:
            return full_path, read(full_path)
        except _MISSING:
            raise TilesMismatch(f"cannot read {path}: {err}", path=path) from None


def verify_tiles(
    read: Callable[[str], bytes], verifier: Verifier, origin: str | None = None
) -> TilesReport:
    """Verify a tlog-tiles copy offline, trusting nothing but ``verifier`` (the log's key).

    Checks the checkpoint's signature, reads every entry bundle, recomputes every leaf hash
    and the whole tree, compares every hash tile with the recomputed hashes and the root with
    the checkpoint's. ``read(path)`` returns a file's bytes and raises ``KeyError``,
    ``OSError`` or :class:`VerificationFailed` for a missing file.

    If the entries do not yield the signed root, the first entry whose hash differs from the
    level-0 tile is named (``TilesMismatch.index``); if the entries are right but a hash tile
    is not, the first bad tile is named (``TilesMismatch.path``).
    """
    note = _read(read, CHECKPOINT_PATH)
    try:
        checkpoint, _ = open_checkpoint(note, verifier, origin)
    except MalformedNote as err:
        raise TilesMismatch(f"checkpoint does not parse: {err}", path=CHECKPOINT_PATH) from None
    except VerificationFailed as err:
        raise TilesMismatch(f"checkpoint: {err}", path=CHECKPOINT_PATH) from None
    size = checkpoint.size

    # Higher-level tile hashes are the perfect subtrees of level 8L: keep just those.
    wanted = {
        node_key(TILE_HEIGHT * level, n * TILE_WIDTH + i)
        for level in levels(size)[1:]
        for n, width in tiles_for(size, level)
        for i in range(width)
    }
    upper: dict[int, bytes] = {}

    def keep(key: int, value: bytes) -> None:
        if key in wanted:
            upper[key] = value

    tree = CompactRange()
    first_bad_entry: int | None = None  # first entry whose hash the level-0 tile disputes
    first_bad_tile: str | None = None
    disputing_tile = ""
    bundles = tiles_read = 0
    for n, width in tiles_for(size, 0):
        start = n * TILE_WIDTH
        path, data = _read_tile(read, entries_path(n, width), entries_path(n))
        bundles += 1
        tpath, tile = _read_tile(read, tile_path(0, n, width), tile_path(0, n))
        tiles_read += 1
        try:
            entries = decode_bundle(data)
            if len(entries) < width or (len(entries) != width and path == entries_path(n, width)):
                raise ValueError(f"it holds {len(entries)} entries, not {width}")
        except ValueError as err:
            bad = start + _first_disagreement(_decode_prefix(data), tile)
            raise TilesMismatch(
                f"{path}: {err} (first bad entry {bad})", path=path, index=bad
            ) from None
        leaves = [leaf_hash(entry) for entry in entries[:width]]
        for leaf in leaves:
            tree.append(leaf, keep)
        if first_bad_tile is None and tile[: width * HASH_SIZE] != b"".join(leaves):
            first_bad_tile = tpath
        if first_bad_entry is None:
            for i, leaf in enumerate(leaves):
                if tile[i * HASH_SIZE : (i + 1) * HASH_SIZE] != leaf:
                    first_bad_entry, disputing_tile = start + i, tpath
                    break
        if first_bad_tile is None and not _tile_size_ok(tpath, tile, width):
            first_bad_tile = tpath

    if tree.root() != checkpoint.root:
        if first_bad_entry is not None:
            raise TilesMismatch(
                f"entry {first_bad_entry} does not match the signed tree "
                f"(its hash differs from the one in {disputing_tile})",
                index=first_bad_entry,
            )
        raise TilesMismatch(
            f"the {size} entries do not hash to the checkpoint's root "
            "(entries and level-0 tiles agree, so both were changed, or the log is forked)"
        )

    for level in levels(size)[1:]:
        for n, width in tiles_for(size, level):
            tpath, tile = _read_tile(read, tile_path(level, n, width), tile_path(level, n))
            tiles_read += 1
            if first_bad_tile is not None:
                continue
            keys = [node_key(TILE_HEIGHT * level, n * TILE_WIDTH + i) for i in range(width)]
            expected = b"".join(upper[k] for k in keys)
            if tile[: width * HASH_SIZE] != expected or not _tile_size_ok(tpath, tile, width):
                first_bad_tile = tpath
    if first_bad_tile is not None:
        raise TilesMismatch(
            f"{first_bad_tile} does not match the hashes recomputed from the entries",
            path=first_bad_tile,
        )
    return TilesReport(checkpoint, bundles, tiles_read)


def _decode_prefix(data: bytes) -> list[bytes]:
    """The entries a damaged bundle still yields before the damage."""
    entries: list[bytes] = []
    pos = 0
    while pos + 2 <= len(data):
        length = int.from_bytes(data[pos : pos + 2], "big")
        if pos + 2 + length > len(data):
            break
        entries.append(data[pos + 2 : pos + 2 + length])
        pos += 2 + length
    return entries


def _first_disagreement(entries: list[bytes], tile: bytes) -> int:
    """The offset of the first entry whose leaf hash the level-0 tile does not hold."""
    for i, entry in enumerate(entries):
        if tile[i * HASH_SIZE : (i + 1) * HASH_SIZE] != leaf_hash(entry):
            return i
    return len(entries)


def _tile_size_ok(path: str, tile: bytes, width: int) -> bool:
    # A full tile read as a fallback for a partial one is 256 hashes wide.
    want = TILE_WIDTH if ".p/" not in path else width
    return len(tile) == want * HASH_SIZE
