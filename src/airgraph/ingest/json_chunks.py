"""A JSON document read in pieces: the elements of its top-level arrays, a few MiB at a time.

A manifest of a million nodes and ten million edges is 0.7 GB of JSON; loading it whole
costs gigabytes of Python objects. :func:`json_chunks` walks the top-level object and
yields each array value as runs of elements (decoded by the C parser a run at a time),
and every other value whole. Lines are counted as it goes, so a bad element is reported
at its line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from airgraph.errors import IngestError

__all__ = ["Chunk", "json_chunks"]

_READ = 8 << 20
"""Characters read at a time; also about the text decoded per run of elements."""
_LARGEST_ELEMENT = 64 << 20
"""One array element (or other value) may take at most this many characters."""
_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


@dataclass(frozen=True, slots=True)
class Chunk:
    """Consecutive elements of the top-level value ``key`` (or the whole value when it is
    not an array: then ``values`` holds just it and ``whole`` is True)."""

    key: str
    values: list[Any]
    lines: list[int] | None
    """Line of each value, when known without extra work (see :meth:`line`)."""
    text: str
    first_line: int
    whole: bool = False

    def line(self, index: int) -> int:
        """The line where value ``index`` starts."""
        if self.lines is not None:
            return self.lines[index]
        pos, line = 0, self.first_line
        for _ in range(index + 1):
            start = _SPACE.match(self.text, pos).end()
            if self.text.startswith(",", start):
                start = _SPACE.match(self.text, start + 1).end()
            line += self.text.count("\n", pos, start)
            _, pos = _DECODER.raw_decode(self.text, start)
            found = line
            line += self.text.count("\n", start, pos)
        return found


def json_chunks(handle: IO[str], file: str) -> Iterator[Chunk]:
    """Yield the top-level object's values in document order; raise IngestError on
    anything that is not one JSON object, naming the line."""
    yield from _Reader(handle, file).document()


class _Reader:
    def __init__(self, handle: IO[str], file: str) -> None:
        self.handle = handle
        self.file = file
        self.buf = ""
        self.pos = 0
        self.line = 1  # line of self.pos
        self.eof = False
        self.single_until = 0  # take elements one by one before this position

    # --- the buffer ---------------------------------------------------------

    def more(self) -> bool:
        """Read more text; False at the end of the file."""
        if self.eof:
            return False
        data = self.handle.read(_READ)
        if not data:
            self.eof = True
            return False
        self.single_until -= self.pos
        self.buf = self.buf[self.pos:] + data
        self.pos = 0
        return True

    def advance(self, to: int) -> None:
        self.line += self.buf.count("\n", self.pos, to)
        self.pos = to

    def skip_space(self) -> str:
        """Skip whitespace; the next character, or '' at the end of the file."""
        while True:
            self.advance(_SPACE.match(self.buf, self.pos).end())
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self.more():
                return ""

    def expect(self, chars: str, what: str) -> str:
        char = self.skip_space()
        if not char or char not in chars:
            found = repr(char) if char else "the end of the file"
            raise self.error(f"JSON syntax error: expected {what}, found {found}")
        self.advance(self.pos + 1)
        return char

    def error(self, message: str, line: int | None = None) -> IngestError:
        return IngestError(message, file=self.file, line=line or self.line)

    def value(self) -> Any:
        """Decode one value at the current position, reading more text as needed."""
        self.skip_space()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                # the value may only be cut off by the buffer's end: read on, within limits
                if len(self.buf) - self.pos > _LARGEST_ELEMENT:
                    raise self.error(f"a JSON value larger than {_LARGEST_ELEMENT >> 20} MiB"
                                     ) from None
                if not self.more():
                    line = self.line + self.buf.count("\n", self.pos, exc.pos)
                    raise self.error(f"JSON syntax error: {exc.msg}", line) from None
                continue
            except RecursionError:
                raise self.error("JSON nested too deeply") from None
            self.advance(end)
            return value

    # --- the document -------------------------------------------------------

    def document(self) -> Iterator[Chunk]:
        self.more()
        if self.buf.startswith("\ufeff"):
            self.pos = 1
        self.expect("{", "'{' (a manifest is a JSON object)")
        if self.skip_space() == "}":
            self.advance(self.pos + 1)
        else:
            while True:
                key_line = self.line
                key = self.value()
                if not isinstance(key, str):
                    raise self.error("JSON syntax error: expected a key string", key_line)
                self.expect(":", "':'")
                if self.skip_space() == "[":
                    self.advance(self.pos + 1)
                    yield from self.array(key)
                else:
                    line = self.line
                    yield Chunk(key, [self.value()], [line], "", line, whole=True)
                if self.expect(",}", "',' or '}'") == "}":
                    break
        if self.skip_space():
            raise self.error("JSON syntax error: text after the top-level object")

    def array(self, key: str) -> Iterator[Chunk]:
        """Runs of elements of the array whose '[' was just consumed."""
        if self.skip_space() == "]":
            self.advance(self.pos + 1)
            return
        while True:
            run = self.run(key)
            if run is not None:
                yield run
            else:  # a run failed to decode as a whole: one element, precisely
                line = self.line
                yield Chunk(key, [self.value()], [line], "", line)
            if self.expect(",]", "',' or ']'") == "]":
                return
            self.skip_space()

    def run(self, key: str) -> Chunk | None:
        """Many complete elements from the current position in one decode, or None.

        The run ends at the last '}' followed by ',' or ']' in the buffer, or earlier where
        the array closes. A cut inside a string or a nested value does not decode: the
        caller then takes elements one by one up to that cut.
        """
        if self.pos < self.single_until:
            return None
        if len(self.buf) - self.pos < _READ // 2 and not self.eof:
            self.more()
        cut = _last_element_end(self.buf, self.pos)
        if cut <= self.pos:
            return None
        text = self.buf[self.pos:cut]
        try:
            values, end = _DECODER.raw_decode(f"[{text}]")
        except (json.JSONDecodeError, RecursionError):
            self.single_until = cut
            return None
        # the array may close inside the text: stop at its ']'
        stop = self.pos + min(end - 1, len(text) + 1) - 1
        chunk = Chunk(key, values, None, self.buf[self.pos:stop], self.line)
        self.advance(stop)
        return chunk


_ELEMENT_END = re.compile(r"\}[ \t\n\r]*[,\]]")


def _last_element_end(buf: str, start: int) -> int:
    """Position just after the last '}' in ``buf[start:]`` that is followed by ',' or ']'."""
    end = len(buf)
    while True:
        brace = buf.rfind("}", start, end)
        if brace < 0:
            return -1
        if _ELEMENT_END.match(buf, brace):
            return brace + 1
        end = brace
