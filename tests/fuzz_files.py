"""The fuzz corpus: mutated and hostile files made from the shared corpus, deterministic by seed.

`generate(out_dir, corpus, seed, count)` writes `count` files named `<index>-<recipe>.<suffix>` and returns
their recipes. The first files are one of each hostile construct (decompression bombs, absurd page boxes,
page-tree loops, many empty pages, deep nesting, encryption with and without a user password, polyglots,
non-PDF content under a .pdf name, hostile text exports, slow or memory-hungry content streams); the rest
are mutations of corpus files (byte flips, truncations, cut or doubled ranges, broken cross-references,
garbage or mis-sized streams). The same seed and count always give the same bytes.
"""

from __future__ import annotations

import random
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests import hostile_pdf as hp

# Small corpus documents (mutating the 158-page books would make every run slow; the hostile constructs
# cover size).
PDF_SOURCES = (
    "reference/lovisa-stadskanslicentralen-2025-2027-sv.pdf",
    "editions/lovisa-stadskanslicentralen-2024-2026-sv.pdf",
    "real/fi_lapua_lautakuntien_talousarviot_2025_kh_2024-11-04.pdf",
    "real/se_simrishamn_kfn_budgetskrivelse_investeringar_2027-2031.pdf",
)
TEXT_SOURCES = (
    "reference/lovisa-stadskanslicentralen-2025-2027-sv.txt",
    "reference/loviisa-kaupunginkansliakeskus-2025-2027-fi.txt",
)
MiB = 1 << 20


@dataclass(frozen=True)
class FuzzFile:
    path: Path
    recipe: str
    heavy: bool  # expected to cost up to the budget (slow or memory-hungry by design)


Maker = Callable[[random.Random, dict[str, bytes]], bytes]


def _text(sources: dict[str, bytes], rng: random.Random) -> bytes:
    return sources[rng.choice(TEXT_SOURCES)]


def _pdf(sources: dict[str, bytes], rng: random.Random) -> bytes:
    return sources[rng.choice(PDF_SOURCES)]


def _stream_spans(data: bytes) -> list[tuple[int, int]]:
    return [(m.end(), data.find(b"endstream", m.end())) for m in re.finditer(rb"(?<!end)stream\r?\n", data)
            if data.find(b"endstream", m.end()) > m.end()]


# --- mutations of corpus files --------------------------------------------------------------------------

def flip_bytes(rng: random.Random, sources: dict[str, bytes]) -> bytes:
    data = bytearray(_pdf(sources, rng) if rng.random() < 0.85 else _text(sources, rng))
    for _ in range(rng.choice((1, 2, 5, 20, 100))):
        data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    return bytes(data)


def truncate(rng: random.Random, sources: dict[str, bytes]) -> bytes:
    data = _pdf(sources, rng)
    return data[:rng.randrange(1, len(data))]


def cut_range(rng: random.Random, sources: dict[str, bytes]) -> bytes:
    data = _pdf(sources, rng)
    start = rng.randrange(len(data))
    return data[:start] + data[start + rng.choice((1, 16, 946, 5000, 20000)):]


def double_range(rng: random.Random, sources: dict[str, bytes]) -> bytes:
    data = _pdf(sources, rng)
    start = rng.randrange(len(data))
    end = min(len(data), start + rng.choice((16, 1000, 10000)))
    return data[:end] + data[start:end] + data[end:]


def broken_xref(rng: random.Random, sources: dict[str, bytes]) -> bytes:
    data = _pdf(sources, rng)
    choice = rng.randrange(3)
    if choice == 0:  # startxref points elsewhere
        return re.sub(rb"startxref\s+\d+", b"startxref\n%d" % rng.randrange(len(data) * 2), data)
    if choice == 1:  # offsets of the table scrambled
        return re.sub(rb"\d{10} 00000 n", lambda m: b"%010d 00000 n" % rng.randrange(len(data)), data)
    return data.replace(b"xref", b"xre\x00", 1).replace(b"/XRef", b"/XReX", 1)


def garbage_stream(rng: random.Random, sources: dict[str, bytes]) -> bytes:
    data = bytearray(_pdf(sources, rng))
    spans = _stream_spans(bytes(data))
    for start, end in rng.sample(spans, min(len(spans), rng.choice((1, 3)))):
        data[start:end] = rng.randbytes(end - start)
    return bytes(data)


def wrong_length(rng: random.Random, sources: dict[str, bytes]) -> bytes:
    data = _pdf(sources, rng)
    return re.sub(rb"/Length (\d+)", lambda m: b"/Length %d" % (int(m.group(1)) * rng.choice((0, 2, 1000)) + 1),
                  data, count=rng.choice((1, 5, 1000)))


def flipped_digits_text(rng: random.Random, sources: dict[str, bytes]) -> bytes:
    """A text export whose figures got long runs of digits, stray TABs and odd characters."""
    lines = _text(sources, rng).decode("utf-8").split("\n")
    for _ in range(20):
        index = rng.randrange(len(lines))
        lines[index] = re.sub(r"\d+", lambda m: m.group(0) * rng.choice((1, 5, 30)), lines[index])
        lines[rng.randrange(len(lines))] += rng.choice(("\t", "\t\t\t", "\u202e", "\x00", "\ufeff", "\udcff"))
    return "\n".join(lines).encode("utf-8", "surrogateescape")


MUTATIONS: dict[str, Maker] = {
    "flip": flip_bytes, "truncate": truncate, "cut": cut_range, "double": double_range, "xref": broken_xref,
    "garbage-stream": garbage_stream, "length": wrong_length, "text-digits": flipped_digits_text,
}


# --- hostile constructs -----------------------------------------------------------------------------------

def _box_pdf(box: bytes) -> Maker:
    return lambda rng, sources: hp.page_pdf([hp.text_content(hp.SAMPLE_LINES)], media_box=box)


def _all_boxes(rng: random.Random, sources: dict[str, bytes]) -> bytes:
    data = _pdf(sources, rng)
    return re.sub(rb"/MediaBox\s*\[[^\]]*\]", b"/MediaBox [0 0 10000000 10000000]", data)


def _bomb(size: int, extra: bytes = b"") -> Maker:
    def make(rng: random.Random, sources: dict[str, bytes]) -> bytes:
        payload = hp.zeros_deflated(size)
        return hp.page_pdf([hp.text_content(hp.SAMPLE_LINES)], extra_objects=[hp.deflated_stream(payload, extra)],
                           page_extra=b"/Thumb 6 0 R ")
    return make


def _content_bomb(size: int) -> Maker:
    def make(rng: random.Random, sources: dict[str, bytes]) -> bytes:
        objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>", hp.FONT,
                   b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R "
                   b"/Resources << /Font << /F1 3 0 R >> >> >>", hp.deflated_stream(hp.zeros_deflated(size))]
        return hp.build_pdf(objects)
    return make


def _operators(unit: bytes, size: int) -> Maker:
    def make(rng: random.Random, sources: dict[str, bytes]) -> bytes:
        objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>", hp.FONT,
                   b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R "
                   b"/Resources << /Font << /F1 3 0 R >> >> >>", hp.deflated_stream(hp.repeated_deflated(unit, size))]
        return hp.build_pdf(objects)
    return make


def _polyglot_zip(rng: random.Random, sources: dict[str, bytes]) -> bytes:
    return _pdf(sources, rng) + b"PK\x03\x04" + rng.randbytes(2000) + b"PK\x05\x06" + bytes(18)


def _html_first(rng: random.Random, sources: dict[str, bytes]) -> bytes:
    return b"<html><body><script>alert(1)</script>\n" + _pdf(sources, rng)


def _jpeg_first(rng: random.Random, sources: dict[str, bytes]) -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + rng.randbytes(5000) + _pdf(sources, rng)


def _text_lines(make_line: Callable[[int], str], count: int) -> Maker:
    return lambda rng, sources: ("Stadskanslicentralen\n" + "".join(make_line(i) + "\n" for i in range(count))).encode()


HOSTILE: dict[str, tuple[Maker, bool]] = {
    "bomb-300MiB": (_bomb(300 * MiB), False),
    "bomb-2GiB": (_bomb(2048 * MiB), False),
    "bomb-objstm": (_bomb(400 * MiB, b" /Type /ObjStm /N 1 /First 0"), False),
    "bomb-content-300MiB": (_content_bomb(300 * MiB), False),
    "zeros-content-200MiB": (_content_bomb(200 * MiB), True),
    "ops-drawing-100MiB": (_operators(b"10 10 m 20 20 l S\n", 100 * MiB), True),
    "ops-text-50MiB": (_operators(b"BT /F1 9 Tf 10 10 Td (xy) Tj ET\n", 50 * MiB), True),
    "zeros-tail-200MB": (lambda rng, sources: _pdf(sources, rng) + bytes(200_000_000), True),
    "mediabox-huge": (_box_pdf(b"[0 0 10000000 10000000]"), False),
    "mediabox-all-pages-huge": (_all_boxes, False),
    "mediabox-negative": (_box_pdf(b"[0 0 -595 -842]"), False),
    "mediabox-empty": (_box_pdf(b"[0 0 0 0]"), False),
    "mediabox-three-numbers": (_box_pdf(b"[0 0 595]"), False),
    "mediabox-strings": (_box_pdf(b"[(a) (b) /c 1e400]"), False),
    "mediabox-loop": (lambda rng, sources: hp.loop_media_box(), False),
    "pagetree-self": (lambda rng, sources: hp.page_tree_loop(0), False),
    "pagetree-cycle": (lambda rng, sources: hp.page_tree_loop(1), False),
    "pages-empty-5000": (lambda rng, sources: hp.many_empty_pages(5000), False),
    "pages-empty-20000": (lambda rng, sources: hp.many_empty_pages(20000), True),
    "nesting-array-100000": (lambda rng, sources: hp.deep_nesting(100_000, "array"), False),
    "nesting-dict-50000": (lambda rng, sources: hp.deep_nesting(50_000, "dict"), False),
    "nesting-q-100000": (lambda rng, sources: hp.deep_nesting(100_000, "q"), False),
    "encrypted-user-password": (lambda rng, sources: hp.encrypted_pdf_bytes(), False),
    "encrypted-no-user-password": (lambda rng, sources: hp.encrypted_pdf_bytes(user_password=b""), False),
    "tounicode-surrogates": (lambda rng, sources: hp.tounicode_surrogates(), False),
    "polyglot-zip": (_polyglot_zip, False),
    "polyglot-html-first": (_html_first, False),
    "polyglot-jpeg-first": (_jpeg_first, False),
    "not-pdf-random": (lambda rng, sources: rng.randbytes(50_000), False),
    "not-pdf-plan-text": (lambda rng, sources: _text(sources, rng), False),
    "not-pdf-zip": (lambda rng, sources: b"PK\x03\x04" + rng.randbytes(3000), False),
    "not-pdf-gzip": (lambda rng, sources: b"\x1f\x8b\x08\x00" + zlib.compress(_pdf(sources, rng)), False),
    "not-pdf-empty": (lambda rng, sources: b"", False),
    "not-pdf-header-only": (lambda rng, sources: b"%PDF-1.7\n", False),
    "not-pdf-eof-only": (lambda rng, sources: b"%PDF-1.7\n%%EOF\n", False),
    "text-million-tabs": (lambda rng, sources: b"Stadskanslicentralen\n" + b"\t" * 1_000_000 + b"\n", False),
    "text-500000-rows": (_text_lines(lambda i: f"Rad {i}\t{i}\t{i + 1}\t{i + 2}", 500_000), False),
    "text-long-line": (lambda rng, sources: b"Stadskanslicentralen " * 200_000 + b"\n", False),
    "text-latin1": (lambda rng, sources: _text(sources, rng).decode("utf-8").encode("latin-1", "replace"), False),
    "text-nul-after-head": (lambda rng, sources: _text(sources, rng)[:5000] + b"\x00" * 100 + _text(sources, rng),
                            False),
    "text-cr-only": (lambda rng, sources: _text(sources, rng).replace(b"\n", b"\r"), False),
    "text-huge-digits": (lambda rng, sources: re.sub(rb"\d[\d ]{2,}\d", b"9" * 40, _text(sources, rng)), False),
}


def suffix_of(recipe: str) -> str:
    return ".txt" if recipe.startswith("text-") else ".pdf"


def load_sources(corpus: Path) -> dict[str, bytes]:
    return {name: (corpus / name).read_bytes() for name in (*PDF_SOURCES, *TEXT_SOURCES)}


def recipes(count: int, seed: int, heavy: bool = True) -> list[str]:
    """The recipe of each of count files: every hostile construct once (heavy ones only when asked), then
    mutations chosen by seed."""
    chosen = [name for name, (_, is_heavy) in HOSTILE.items() if heavy or not is_heavy][:count]
    rng = random.Random(f"recipes:{seed}")
    while len(chosen) < count:
        chosen.append(rng.choice(sorted(MUTATIONS)))
    return chosen


def generate(out_dir: Path, corpus: Path, seed: int, count: int, heavy: bool = True) -> list[FuzzFile]:
    """Write the fuzz files to out_dir; the same arguments always give the same files."""
    out_dir.mkdir(parents=True, exist_ok=True)
    sources = load_sources(corpus)
    files = []
    for index, recipe in enumerate(recipes(count, seed, heavy)):
        rng = random.Random(f"{seed}:{index}:{recipe}")
        maker, is_heavy = HOSTILE.get(recipe) or (MUTATIONS[recipe], False)
        path = out_dir / f"{index:04d}-{recipe}{suffix_of(recipe)}"
        path.write_bytes(maker(rng, sources))
        files.append(FuzzFile(path, recipe, is_heavy))
    return files

