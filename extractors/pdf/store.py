"""PDF page store: the pages of one document between reading and layout, with memory flat in pages.

Layout needs document-wide facts before it lays out the first page: the running headers and footers
(extractors/pdf/furniture.py), the body font size and the document's language. The store keeps what
those need of every page (its PageMargin, the font sizes of the words between the margins, the text of
the first pages' lines) and the pages themselves only up to a bound: the first IN_MEMORY_PAGES pages
(more until SAMPLE_WORDS words of text pages are in, the language sample of the OCR stage) and every
scanned page (OCR replaces its lines in place). Later pages are pickled to an anonymous temporary file
and read back once, when layout takes them, so a 1 000-page book holds about IN_MEMORY_PAGES pages in
memory. The pages come back exactly as they went in.
"""

from __future__ import annotations

import pickle
import tempfile
from collections import Counter
from collections.abc import Iterator
from typing import IO

from extractors.pdf.furniture import PageMargin, page_margin
from extractors.pdf.page import PageContent
from extractors.pdf.scanned import is_scan

IN_MEMORY_PAGES = 200
"""Pages held in memory before the store sets pages aside on disk (about 250 kB each in budget books)."""
SAMPLE_WORDS = 3000
"""Words of text pages the OCR stage detects the document's language from (extractors/pdf/scanned.py)."""
LANGUAGE_LINES = 400
"""Content lines (furniture left out) the document's language is detected from."""


class PageStore:
    """Pages in order, added once and taken once, and the document-wide summaries of all of them.

    Use as a context manager (the temporary file is closed and removed on exit). Call `finish` after
    OCR has replaced the lines of scanned pages and before `body_sizes`, `head_lines` or `take`.
    """

    def __init__(self, keep: int | None = None) -> None:
        self.keep = IN_MEMORY_PAGES if keep is None else keep
        self.margins: list[PageMargin | None] = []
        self._sizes: Counter[float] = Counter()
        self._texts: dict[int, list[str]] = {}
        self._memory: dict[int, PageContent] = {}
        self._disk: dict[int, tuple[int, int]] = {}
        self._scans: list[int] = []
        self._file: IO[bytes] | None = None
        self._sample_words = 0
        self._head_lines = 0

    def __len__(self) -> int:
        return len(self.margins)

    def __enter__(self) -> PageStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._memory.clear()
        self._disk.clear()
        if self._file is not None:
            self._file.close()
            self._file = None

    def add(self, page: PageContent) -> None:
        """Append the next page (pages are added in order)."""
        index = len(self.margins)
        if is_scan(page):  # summarised by finish(), after OCR
            self.margins.append(None)
            self._scans.append(index)
            self._memory[index] = page
            return
        sampled = self._sample_words  # words of the text pages before this one
        self._sample_words += sum(len(ln.words) for ln in page.lines)
        self.margins.append(self._summarise(index, page, self._head_lines < LANGUAGE_LINES))
        if index < self.keep or sampled < SAMPLE_WORDS:
            self._memory[index] = page
            return
        if self._file is None:
            self._file = tempfile.TemporaryFile(prefix="plandata-pages-")
        offset = self._file.seek(0, 2)
        data = pickle.dumps(page, protocol=pickle.HIGHEST_PROTOCOL)
        self._file.write(data)
        self._disk[index] = (offset, len(data))

    def _summarise(self, index: int, page: PageContent, head: bool) -> PageMargin:
        margin = page_margin(page.lines, page.height)
        in_margin = {i for i, _ in margin.margin}
        # one update for the page (the same sizes in the same order as line by line)
        self._sizes.update([w.size for i, line in enumerate(page.lines) if i not in in_margin for w in line.words])
        if head:
            self._texts[index] = [ln.text for ln in page.lines]
            self._head_lines += len(page.lines) - len(in_margin)
        return margin

    def in_memory(self) -> list[PageContent]:
        """The pages held in memory, in order: the first pages (the language sample) and the scanned ones."""
        return [self._memory[i] for i in sorted(self._memory)]

    def finish(self) -> list[PageMargin]:
        """Summarise the scanned pages (as OCR left them); every page's PageMargin."""
        for index in self._scans:
            self.margins[index] = self._summarise(index, self._memory[index], True)
        self._scans = []
        return [margin for margin in self.margins if margin is not None]

    def body_sizes(self, furniture: list[set[int]]) -> list[float]:
        """Font sizes of every word of the content lines (furniture left out), sorted."""
        sizes = Counter(self._sizes)
        for margin, skip in zip(self.margins, furniture, strict=True):
            assert margin is not None
            for index, line in margin.margin:
                if index not in skip:
                    sizes.update(w.size for w in line.words)
        return sorted(sizes.elements())

    def head_lines(self, furniture: list[set[int]], count: int = LANGUAGE_LINES) -> list[str]:
        """Texts of the document's first `count` content lines (furniture left out)."""
        out: list[str] = []
        for index, skip in enumerate(furniture):
            texts = self._texts.get(index)
            if texts is None or len(out) >= count:
                break
            out += [text for i, text in enumerate(texts) if i not in skip]
        return out[:count]

    def take(self, index: int) -> PageContent:
        """Page `index` (0-based), released from the store."""
        if index in self._memory:
            return self._memory.pop(index)
        assert self._file is not None
        offset, size = self._disk.pop(index)
        self._file.seek(offset)
        page: PageContent = pickle.loads(self._file.read(size))
        return page

    def pages(self) -> Iterator[PageContent]:
        """Every page in order, each released from the store as it is taken."""
        for index in range(len(self)):
            yield self.take(index)
