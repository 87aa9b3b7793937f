"""Hand-built hostile PDFs for the fuzz corpus and the tests: no PDF writer among the dependencies can write
broken structure on purpose, so these are written object by object (PDF 1.7 reference, chapter 7).
"""

from __future__ import annotations

import hashlib
import re
import struct
import zlib

_RC4_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")
A4 = b"[0 0 595 842]"
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def build_pdf(objects: list[bytes], root: int = 1, trailer_extra: bytes = b"", header: bytes = b"%PDF-1.4\n") -> bytes:
    """A PDF with the given objects (numbered from 1) and a correct cross-reference table."""
    out = bytearray(header + b"%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_offset = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\n" % (len(objects) + 1, root, trailer_extra)
    out += b"startxref\n%d\n%%%%EOF\n" % xref_offset
    return bytes(out)


def stream(data: bytes, extra: bytes = b"", compress: bool = False) -> bytes:
    if compress:
        data = zlib.compress(data, 9)
        extra += b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def text_content(lines: list[str], size: int = 11) -> bytes:
    """A content stream showing lines of text (WinAnsi) from the top of an A4 page."""
    out = [b"BT /F1 %d Tf 60 780 Td %d TL" % (size, size + 3)]
    for line in lines:
        escaped = line.encode("cp1252", "replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
        out.append(b"(" + escaped + b") Tj T*")
    out.append(b"ET")
    return b"\n".join(out)


def page_pdf(contents: list[bytes], media_box: bytes = A4, compress: bool = True, page_extra: bytes = b"",
             extra_objects: list[bytes] | None = None) -> bytes:
    """Pages with the given content streams, one font; objects: catalog, pages, font, then page/content pairs."""
    count = len(contents)
    kids = b" ".join(b"%d 0 R" % (4 + 2 * index) for index in range(count))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count), FONT]
    for index, content in enumerate(contents):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox %s /Contents %d 0 R /Resources << /Font << /F1 3 0 R "
                       b">> >> %s>>" % (media_box, 5 + 2 * index, page_extra))
        objects.append(stream(content, compress=compress))
    return build_pdf(objects + list(extra_objects or []))


def zeros_deflated(size: int) -> bytes:
    """size zero bytes, deflated (a decompression bomb's payload) without holding them in memory."""
    compressor = zlib.compressobj(9)
    block = bytes(min(size, 16 << 20))
    out, left = [], size
    while left > 0:
        out.append(compressor.compress(block[:min(left, len(block))]))
        left -= len(block)
    out.append(compressor.flush())
    return b"".join(out)


def repeated_deflated(unit: bytes, size: int) -> bytes:
    """unit repeated to about size bytes, deflated."""
    compressor = zlib.compressobj(9)
    block = unit * max(1, (4 << 20) // len(unit))
    out, left = [], size
    while left > 0:
        out.append(compressor.compress(block))
        left -= len(block)
    out.append(compressor.flush())
    return b"".join(out)


def deflated_stream(payload: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d /Filter /FlateDecode%s >>\nstream\n" % (len(payload), extra) + payload + b"\nendstream"


def _rc4(key: bytes, data: bytes) -> bytes:
    state = list(range(256))
    j = 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) % 256
        state[i], state[j] = state[j], state[i]
    i = j = 0
    out = bytearray()
    for byte in data:
        i = (i + 1) % 256
        j = (j + state[i]) % 256
        state[i], state[j] = state[j], state[i]
        out.append(byte ^ state[(state[i] + state[j]) % 256])
    return bytes(out)


def encrypted_pdf_bytes(user_password: bytes = b"secret", owner_password: bytes = b"owner",
                        text: bytes = b"Stadskanslicentralen") -> bytes:
    """A valid one-page PDF encrypted with the standard security handler, revision 2 (RC4, 40-bit key), as in
    the PDF 1.4 reference, algorithms 3.2-3.4. With a user password pdfminer and PDFium refuse it without
    the password; with an empty one (b"") any reader opens it.
    """

    def padded(password: bytes) -> bytes:
        return (password + _RC4_PAD)[:32]

    permissions = struct.pack("<i", -4)
    file_id = hashlib.md5(b"plandata password test").digest()
    owner_entry = _rc4(hashlib.md5(padded(owner_password)).digest()[:5], padded(user_password))
    key = hashlib.md5(padded(user_password) + owner_entry + permissions + file_id).digest()[:5]
    user_entry = _rc4(key, _RC4_PAD)

    def encrypt(object_number: int, data: bytes) -> bytes:
        object_key = hashlib.md5(key + object_number.to_bytes(3, "little") + b"\x00\x00").digest()[:10]
        return _rc4(object_key, data)

    content = encrypt(4, b"BT /F1 24 Tf 72 720 Td (" + text + b") Tj ET")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>"
        ),
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -4 >>"
        % (owner_entry.hex().encode(), user_entry.hex().encode()),
    ]
    ids = b"/Encrypt 6 0 R /ID [<%s> <%s>] " % (file_id.hex().encode(), file_id.hex().encode())
    return build_pdf(objects, trailer_extra=ids)


SAMPLE_LINES = ["Stadskanslicentralen", "Ekonomi", "Verksamhetens intäkter 1 200 1 300 1 400",
                "Verksamhetens kostnader -5 400 -5 500 -5 600"]


def loop_media_box() -> bytes:
    """A page whose MediaBox is an indirect reference that refers to itself through another object."""
    return page_pdf([text_content(SAMPLE_LINES)], media_box=b"6 0 R", extra_objects=[b"7 0 R", b"6 0 R"])


def page_tree_loop(kind: int) -> bytes:
    """A page tree that loops: a Pages node among its own kids, or two Pages nodes holding each other."""
    content = stream(text_content(SAMPLE_LINES))
    page = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>")
    if kind == 0:
        pages = b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>"
        return build_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", pages, page, content, FONT])
    return build_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [6 0 R] /Count 1 >>", page,
                      content, FONT, b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 3 0 R] /Count 2 >>"])


def many_empty_pages(count: int) -> bytes:
    """count pages, one with text, the others empty, all sharing one empty content stream."""
    kids = b" ".join(b"%d 0 R" % (6 + index) for index in range(count))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count), FONT,
               stream(text_content(SAMPLE_LINES)), stream(b"")]
    for index in range(count):
        contents = 4 if index == 0 else 5
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                       b"/Resources << /Font << /F1 3 0 R >> >> >>" % contents)
    return build_pdf(objects)


def deep_nesting(depth: int, kind: str) -> bytes:
    """An object nested depth levels deep (arrays or dictionaries), referenced from the page, or inside content."""
    if kind == "array":
        nested = b"[" * depth + b"1" + b"]" * depth
        return page_pdf([text_content(SAMPLE_LINES)], page_extra=b"/Nested " + nested + b" ")
    if kind == "dict":
        nested = b"<< /A " * depth + b"1" + b" >>" * depth
        return page_pdf([text_content(SAMPLE_LINES)], page_extra=b"/Nested " + nested + b" ")
    return page_pdf([b"q " * depth + text_content(SAMPLE_LINES) + b" Q" * depth])


def tounicode_surrogates() -> bytes:
    """A font whose ToUnicode map sends every code to a lone surrogate (D800) or a noncharacter (FFFF)."""
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Bad def "
            b"1 begincodespacerange <00> <FF> endcodespacerange 2 beginbfrange <20> <7E> <D800> "
            b"<80> <FF> <FFFF> endbfrange endcmap CMapName currentdict /CMap defineresource pop end end")
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>", font,
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R "
               b"/Resources << /Font << /F1 3 0 R >> >> >>", stream(text_content(SAMPLE_LINES)), stream(cmap)]
    return build_pdf(objects)


def incremental_update(data: bytes, number: int, body: bytes) -> bytes:
    """The PDF with object `number` given a new body (say a `stream(...)`) by an incremental update (ISO 32000-1
    7.5.6): the new object, a cross-reference section for it and a trailer pointing back to the last one. The
    original bytes stay as they are, so every reader sees the new object in place of the old."""
    found = re.findall(rb"trailer\s*<<(.*?)>>\s*startxref\s*(\d+)", data, re.S)
    assert found, "a PDF with a classic trailer"
    trailer, previous = found[-1]
    trailer = re.sub(rb"/Prev\s+\d+", b"", trailer)
    out = bytearray(data if data.endswith(b"\n") else data + b"\n")
    offset = len(out)
    out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n%d 1\n%010d 00000 n \n" % (number, offset)
    out += b"trailer\n<<" + trailer + b" /Prev " + previous + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def stream_data(data: bytes, number: int) -> bytes:
    """The decoded data of the deflated stream object `number` (the first object with that number)."""
    header = re.search(rb"(?<![0-9])%d 0 obj" % number, data)
    assert header is not None
    start = re.compile(rb"stream\r?\n").search(data, header.end())
    assert start is not None
    return zlib.decompressobj().decompress(data[start.end():data.index(b"endstream", start.end())])
