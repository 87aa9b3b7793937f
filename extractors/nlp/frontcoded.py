"""simplemma's memory-frugal dictionary (a front-coded stream read in place) with a faster lookup: the same
stream, block index and answers as `simplemma`'s `StreamMap`, without a generator and without decoding the
records passed over on the way to the key (the Finnish vocabulary and lemmatizer ask about 60 000 words
of a 190-page book, most of them absent)."""

from __future__ import annotations

from bisect import bisect_right

from simplemma.strategies.dictionaries import frontcode
from simplemma.strategies.dictionaries.stream_dictionary_factory import StreamMap

_SAME_AS_PREV = frontcode._SAME_AS_PREV
_LITERAL_VALUE = frontcode._LITERAL_VALUE
_read_varint = frontcode._read_varint


class FrontCodedMap(StreamMap):
    """A str -> str view of one language's front-coded dictionary (see simplemma's frontcode module for the
    record format: shared-prefix length, key suffix, value trim byte, value suffix).

    A lookup bisects to the key's block as simplemma does, then walks the records comparing only what each
    changes: a record that keeps more of the previous key than that key shares with the target stays below
    the target; one that keeps less or as much compares its suffix with the rest of the target. No key is
    built on the way; a value that repeats the previous record's is decoded by simplemma's own walk."""

    __slots__ = ()

    def _find(self, key: str) -> tuple[bytes, int]:
        """The key as stored and the offset of its record's value (the trim byte), or -1 when it is absent."""
        target = key.encode()
        if self._rev:
            target = target[::-1]
        block = bisect_right(self._firsts, target) - 1
        if block < 0:
            return target, -1
        data = self._data
        n = len(data)
        pos, previous, _ = self._blocks[block]  # the key before the block's first: below the target
        common = 0  # bytes the current key shares with the target (the current key sorts below it)
        limit = min(len(previous), len(target))
        while common < limit and previous[common] == target[common]:
            common += 1
        while pos < n:
            shared = data[pos]
            if shared < 0x80:
                pos += 1
            else:
                shared, pos = _read_varint(data, pos)
            length = data[pos]
            if length < 0x80:
                pos += 1
            else:
                length, pos = _read_varint(data, pos)
            end = pos + length
            if shared <= common:  # the record's key is the target's first `shared` bytes and its suffix
                suffix, rest = data[pos:end], target[shared:]
                if suffix == rest:
                    return target, end
                if suffix > rest:
                    return target, -1  # sorted keys: the target would stand before this one
                common, limit = shared, shared + min(len(suffix), len(rest))
                while common < limit and suffix[common - shared] == target[common]:
                    common += 1
            pos = end + 1
            if data[end] != _SAME_AS_PREV:
                length = data[pos]
                if length < 0x80:
                    pos += 1
                else:
                    length, pos = _read_varint(data, pos)
                pos += length
        return target, -1

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._find(key)[1] >= 0

    def _lookup(self, key: str) -> str | None:
        stored_key, pos = self._find(key)
        if pos < 0:
            return None
        data = self._data
        trim = data[pos]
        if trim == _SAME_AS_PREV:
            return super()._lookup(key)  # the value of an earlier record
        length, pos = data[pos + 1], pos + 2
        if length >= 0x80:
            length, pos = _read_varint(data, pos - 1)
        value = data[pos:pos + length]
        if trim != _LITERAL_VALUE:
            value = stored_key[: len(stored_key) - trim] + value
        return (value[::-1] if self._rev else value).decode()
