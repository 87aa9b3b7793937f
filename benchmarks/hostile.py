"""The hostile inputs of the hostile-files issue, one at a time beside a good document: time and peak memory.

    .venv/bin/python benchmarks/hostile.py [--only NAME ...] [--deadline 300] [--time-budget 120]
                                           [--memory-budget 2048] [--plandata PATH] [--json out.json]

Each input (made by tests/fuzz_files.py and tests/hostile_pdf.py, deterministic) goes into a fresh folder
with a copy of the reference PDF, and `plandata ingest FOLDER` runs on it in a fresh process whose process
tree is sampled for memory (killed at --deadline). Printed per input: its size, the exit status, wall
seconds, the largest process of the tree (MB), the hostile file's status and message, and whether the good
document was written as it is alone (its status and number of finance figures).

--plandata runs another checkout's `plandata` (a "before" measurement); the budget options are then not
passed (an older plandata has none), and the datasets are read with this checkout's readers, which read
the older one-file layout too.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from tests import fuzz_files as ff  # noqa: E402
from tests.fuzz_runner import REFERENCE_PDF, good_copy, run_command  # noqa: E402

EDITION_PDF = "editions/lovisa-stadskanslicentralen-2024-2026-sv.pdf"
MiB = 1 << 20


def _content_streams(data: bytes) -> list[tuple[int, int]]:
    """(start, end) of the deflated streams that show text, largest first."""
    import zlib

    found = []
    for start, end in ff._stream_spans(data):
        try:
            inflated = zlib.decompressobj().decompress(data[start:end])
        except zlib.error:
            continue
        if b"BT" in inflated and (b"Tj" in inflated or b"TJ" in inflated):
            found.append((start, end))
    return sorted(found, key=lambda span: span[0] - span[1])


def cut_content(corpus: Path) -> bytes:
    """The reference PDF with 946 bytes cut out of the middle of its largest text stream."""
    data = (corpus / REFERENCE_PDF).read_bytes()
    start, end = _content_streams(data)[0]
    middle = (start + end) // 2
    return data[:middle] + data[middle + 946:]


def flipped_content(corpus: Path) -> bytes:
    """The 2024 edition with two bytes flipped in its largest text stream."""
    data = bytearray((corpus / EDITION_PDF).read_bytes())
    start, end = _content_streams(bytes(data))[0]
    for offset in (start + (end - start) // 3, start + 2 * (end - start) // 3):
        data[offset] ^= 0x5A
    return bytes(data)


def boxes(corpus: Path, box: bytes, count: int | None) -> bytes:
    """The reference PDF with its first count page boxes (all when None) replaced by box."""
    data = (corpus / REFERENCE_PDF).read_bytes()
    return re.sub(rb"/MediaBox\s*\[[^\]]*\]", b"/MediaBox " + box, data, count=count or 0)


def _recipe(name: str) -> Callable[[Path], bytes]:
    maker = ff.HOSTILE[name][0]
    return lambda corpus: maker(random.Random(name), ff.load_sources(corpus))


# name -> (file name, maker); in the order of the issue
INPUTS: dict[str, tuple[bytes, Callable[[Path], bytes]]] = {
    "drawing-ops-300MiB": (b"drawing.pdf", lambda c: ff._operators(b"10 10 m 20 20 l S\n", 300 * MiB)(
        random.Random(0), {})),
    "drawing-ops-100MiB": (b"drawing.pdf", _recipe("ops-drawing-100MiB")),
    "text-ops-50MiB": (b"text-ops.pdf", _recipe("ops-text-50MiB")),
    "mediabox-reference-loop": (b"loop.pdf", _recipe("mediabox-loop")),
    "zero-tail-200MB": (b"zeros.pdf", lambda c: (c / REFERENCE_PDF).read_bytes() + bytes(200_000_000)),
    "inflation-bomb-2GiB": (b"bomb.pdf", _recipe("bomb-2GiB")),
    "latin1-file-name": (b"budget-\xe4ndrad.pdf", lambda c: (c / REFERENCE_PDF).read_bytes() + b"%latin1\n"),
    "digit-runs-text": (b"digits.txt", _recipe("text-huge-digits")),
    "cut-946-bytes": (b"cut.pdf", cut_content),
    "two-flipped-bytes": (b"flipped.pdf", flipped_content),
    "page-boxes-10M": (b"boxes.pdf", lambda c: boxes(c, b"[0 0 10000000 10000000]", None)),
    "page-box-3-numbers": (b"box3.pdf", lambda c: boxes(c, b"[0 0 595]", 1)),
    "text-500000-rows": (b"rows.txt", _recipe("text-500000-rows")),
    "text-million-tabs": (b"tabs.txt", _recipe("text-million-tabs")),
}


def measure(name: str, work: Path, corpus: Path, command: list[str], deadline: float) -> dict[str, object]:
    from extractors.source import source_text
    from extractors.writers import read_dataset

    file_name, make = INPUTS[name]
    folder, out_dir = work / f"{name}-in", work / f"{name}-out"
    folder.mkdir(parents=True)
    hostile = folder / os.fsdecode(file_name)
    hostile.write_bytes(make(corpus))
    good = good_copy(corpus, folder, name)
    code, output, seconds, peak = run_command([*command, str(folder), "--out", str(out_dir)], deadline)
    result: dict[str, object] = {"input": name, "bytes": hostile.stat().st_size, "exit": code,
                                 "seconds": round(seconds, 1), "peak_mb": peak,
                                 "traceback": "Traceback" in output}
    try:
        documents = read_dataset(out_dir, "documents")
        finance = read_dataset(out_dir, "finance")
    except Exception as exc:  # noqa: BLE001 - a run killed at the deadline may have written nothing
        result["datasets"] = f"unreadable: {exc}"
        return result
    for role, path in (("hostile", hostile), ("good", good)):
        rows = documents[documents["source_path"].str.endswith("/" + source_text(path.name))]
        if rows.empty:
            result[role] = "not written"
            continue
        row = rows.iloc[0]
        figures = int((finance["document_id"] == row["document_id"]).sum())
        result[role] = f"{row['status']}, {figures} figures" + (f": {row['message'][:160]}" if role == "hostile"
                                                                 and row["message"] else "")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", default=None, choices=sorted(INPUTS))
    parser.add_argument("--deadline", type=float, default=300.0, help="seconds before a run is killed")
    parser.add_argument("--time-budget", type=float, default=120.0)
    parser.add_argument("--memory-budget", type=int, default=2048)
    parser.add_argument("--plandata", type=Path, default=None, help="another checkout's plandata (no budget options)")
    parser.add_argument("--corpus", type=Path, default=REPO_ROOT.parent / "shared" / "corpus")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()

    if args.plandata:
        command = [str(args.plandata), "ingest"]
    else:
        executable = shutil.which("plandata", path=str(Path(sys.executable).parent)) or "plandata"
        command = [executable, "ingest", "--time-budget", str(args.time_budget), "--memory-budget",
                   str(args.memory_budget)]
    work = Path(tempfile.mkdtemp(prefix="plandata-hostile-"))
    results = []
    try:
        for name in args.only or list(INPUTS):
            result = measure(name, work, args.corpus, command, args.deadline)
            results.append(result)
            print(f"{name:24} {result['bytes'] / MiB:8.1f} MiB  exit {result['exit']!s:4}  {result['seconds']:6.1f} s"
                  f"  peak {result['peak_mb']:5} MB  traceback {'yes' if result['traceback'] else 'no'}", flush=True)
            for role in ("hostile", "good", "datasets"):
                if role in result:
                    print(f"    {role}: {result[role]}", flush=True)
            shutil.rmtree(work / f"{name}-in", ignore_errors=True)
            shutil.rmtree(work / f"{name}-out", ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
