"""Pure stage functions of plandata: source file -> PlanDocument -> records. No orchestration here."""

import hashlib
from pathlib import Path

__version__ = "0.2.0"


def _lexicon_digest() -> str:
    """Lexicons are data that change results: their content is part of the pipeline version, so a
    lexicon fix re-runs documents that were ingested before it."""
    digest = hashlib.sha256()
    for path in sorted((Path(__file__).parent / "lexicons").rglob("*.yml")):
        digest.update(path.relative_to(Path(__file__).parent).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


PIPELINE_VERSION = f"{__version__}+lex.{_lexicon_digest()}"
