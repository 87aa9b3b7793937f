"""kill -9 trials of `plandata archive`: nothing lost, nothing duplicated, and the next run completes the rest.

    .venv/bin/python benchmarks/kill.py [--trials 20] [--seed 1] [--workers 2] [--corpus ../shared/corpus]

An uninterrupted archive of a folder of corpus documents gives the expected datasets. Each trial starts the
same archive into a fresh output folder and sends SIGKILL to the `plandata` process: half of the trials at a
random moment of the run, half while a document's commit is under way (its journal exists), after a random
number of documents committed. Right after the kill
(what it left behind is then stopped too) the datasets must be readable with every document either absent
or equal to its rows in the uninterrupted run (none half-written, none twice); then a re-run must give
datasets equal to the uninterrupted ones. Prints one line per trial and the totals; exit status 1 on any
loss, duplicate or difference.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

import pandas as pd  # noqa: E402

from extractors.writers import DATASETS, read_dataset  # noqa: E402

DOCUMENTS = (
    "reference/lovisa-stadskanslicentralen-2025-2027-sv.pdf",
    "reference/lovisa-stadskanslicentralen-2025-2027-sv.txt",
    "reference/loviisa-kaupunginkansliakeskus-2025-2027-fi.txt",
    "editions/lovisa-stadskanslicentralen-2024-2026-sv.pdf",
    "editions/lovisa-stadskanslicentralen-2024-2026-sv.txt",
    "real/fi_lapua_lautakuntien_talousarviot_2025_kh_2024-11-04.pdf",
    "real/se_simrishamn_kfn_budgetskrivelse_investeringar_2027-2031.pdf",
    "real/fi_lapua_ymparistolautakunta_poytakirja_2022-01-25.pdf",
)
JOURNAL = Path("datasets") / "_journal.json"


def committing_a_document(out_dir: Path, after: int) -> bool:
    """Whether a commit of a document's rows is under way, with at least `after` documents committed before it."""
    try:
        text = (out_dir / JOURNAL).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    if '"documents/' not in text or "00-schema" in text:
        return False
    committed = sum(1 for entry in os.scandir(out_dir / "datasets" / "documents") if entry.name[0] not in "0.")
    return committed >= after


def command(folder: Path, out_dir: Path, workers: int) -> list[str]:
    return [str(Path(sys.executable).parent / "plandata"), "archive", str(folder), "--out", str(out_dir),
            "--workers", str(workers)]


def start(folder: Path, out_dir: Path, workers: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(command(folder, out_dir, workers), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            stdin=subprocess.DEVNULL, start_new_session=True)


def kill_tree(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the plandata process alone (as kill -9 would), then what it leaves behind (workers, servers)."""
    process.send_signal(signal.SIGKILL)
    process.wait()
    time.sleep(2)
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except OSError:
        pass


def datasets(out_dir: Path) -> dict[str, pd.DataFrame]:
    return {name: read_dataset(out_dir, name) for name in DATASETS}


def check_partial(out_dir: Path, expected: dict[str, pd.DataFrame]) -> tuple[int, list[str]]:
    """(documents committed, problems): every committed document must hold exactly its expected rows."""
    found = datasets(out_dir)
    problems: list[str] = []
    ids = list(found["documents"]["document_id"])
    if len(ids) != len(set(ids)):
        problems.append("a document is listed twice")
    for name, frame in found.items():
        stray = set(frame["document_id"]) - set(ids)
        if stray:
            problems.append(f"{name}: rows of {len(stray)} document(s) not in documents")
        for document_id in set(ids):
            mine = frame[frame["document_id"] == document_id].reset_index(drop=True)
            theirs = expected[name][expected[name]["document_id"] == document_id].reset_index(drop=True)
            if name == "documents" and mine["status"].iloc[0] == "failed":
                continue  # a document failed by the kill (its worker died) is retried by the next run
            try:
                pd.testing.assert_frame_equal(mine, theirs)
            except AssertionError:
                problems.append(f"{name}: document {document_id[:12]} differs from the uninterrupted run")
    return len(ids), problems


def equal(left: dict[str, pd.DataFrame], right: dict[str, pd.DataFrame]) -> list[str]:
    problems = []
    for name in left:
        try:
            pd.testing.assert_frame_equal(left[name], right[name])
        except AssertionError as exc:
            problems.append(f"{name}: {str(exc).splitlines()[0]}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--corpus", type=Path, default=REPO_ROOT.parent / "shared" / "corpus")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="plandata-kill-"))
    folder = work / "archive"
    for name in DOCUMENTS:
        (folder / Path(name).parent).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(args.corpus / name, folder / name)

    started = time.monotonic()
    clean = subprocess.run(command(folder, work / "clean", args.workers), capture_output=True, check=False)
    duration = time.monotonic() - started
    if clean.returncode != 0:
        print(clean.stdout.decode()[-3000:], clean.stderr.decode()[-3000:])
        return 1
    expected = datasets(work / "clean")
    print(f"uninterrupted archive of {len(DOCUMENTS)} documents: {duration:.0f} s, "
          f"{len(expected['documents'])} documents, {len(expected['finance'])} finance rows", flush=True)

    failures = 0
    for trial in range(args.trials):
        out_dir = work / f"trial-{trial:02d}"
        during_commit = trial % 2 == 1
        process = start(folder, out_dir, args.workers)
        began = time.monotonic()
        moment = rng.uniform(0.05, 1.0) * duration
        after = rng.randrange(len(DOCUMENTS) - 1)
        while process.poll() is None:
            elapsed = time.monotonic() - began
            if (during_commit and committing_a_document(out_dir, after)) or (not during_commit and elapsed >= moment):
                break
            if during_commit and elapsed > duration * 2:
                break
            time.sleep(0.001 if during_commit else 0.05)
        when = time.monotonic() - began
        finished_before = process.poll() is not None
        in_commit = (out_dir / JOURNAL).exists()
        kill_tree(process)
        committed, problems = check_partial(out_dir, expected) if (out_dir / "datasets").is_dir() else (0, [])
        rerun = subprocess.run(command(folder, out_dir, args.workers), capture_output=True, check=False)
        problems += [f"re-run exit {rerun.returncode}"] if rerun.returncode != 0 else []
        problems += equal(datasets(out_dir), expected)
        leftovers = [p.name for p in (out_dir / "datasets").rglob("*") if p.name.endswith(".tmp")]
        problems += [f"left behind: {leftovers}"] if leftovers else []
        failures += bool(problems)
        how = "finished before the kill" if finished_before else (
            f"in the commit of a document, after {after}" if in_commit and during_commit else
            "in a commit" if in_commit else "between commits")
        print(f"trial {trial:2d}: killed at {when:5.1f} s ({how}); {committed} documents committed; "
              f"re-run {'equal to the uninterrupted run' if not problems else 'PROBLEMS: ' + '; '.join(problems)}",
              flush=True)
        shutil.rmtree(out_dir, ignore_errors=True)
    print(f"{args.trials} kill -9 trials: {args.trials - failures} without loss, duplicate or difference; "
          f"{failures} with problems")
    shutil.rmtree(work, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
