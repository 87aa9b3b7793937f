"""Flow runs the archivist can find: run names after what a run ingests, and tags for what it found.

Names are set when a run starts (Prefect's `flow_run_name` callables, reading the run's parameters);
tags that are known only after extraction (municipality, plan years, status) are added to the run at
its end through the Prefect client (`update_flow_run(tags=...)` replaces the tags, so the run's own tags
are kept). In the UI, filter flow runs by tag (`municipality:Lovisa`, `plan:2025-2027`, `status:partial`,
`document:<first 12 characters of the document_id>`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from prefect.client.orchestration import SyncPrefectClient, get_client
from prefect.context import FlowRunContext
from prefect.runtime import flow_run

MAX_TAGS = 60  # a large archive names many municipalities; the UI shows tags on every run
_log = logging.getLogger(__name__)


def heartbeats_wanted() -> bool:
    """Whether the flows run now should send Prefect's flow run heartbeats: yes when a setting asks for them
    (PREFECT_FLOWS_HEARTBEAT_FREQUENCY, or a profile) or when they report to a server other than PREFECT_HOME's
    shared temporary one (flows.shared_server: a user's server may run Prefect's automation that marks a flow run
    without heartbeats as crashed); no for the commands' own server, which no automation watches."""
    from prefect.settings import get_current_settings

    from flows.server_start import prefect_home
    from flows.shared_state import read_state

    settings = get_current_settings()
    if "heartbeat_frequency" in settings.flows.model_fields_set:
        return True
    own = (read_state(prefect_home()) or {}).get("url")
    return own is None or str(settings.api.url) != own


@contextmanager
def without_flow_heartbeats() -> Iterator[None]:
    """Run the flows of the block without Prefect's flow run heartbeats, unless they are wanted (heartbeats_wanted):
    `plandata ingest` and `archive` run in the foreground, where their exit tells of a crash, and the heartbeat thread
    sleeps in whole seconds, so that the end of every flow run waited for it up to a second (measured: 0.58 s at the
    end of an `archive` of the corpus, once per file of an `ingest`). Other settings are the current ones."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    if heartbeats_wanted():
        yield
        return
    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield


def _parameter(name: str) -> str:
    return str(flow_run.parameters.get(name, ""))


def document_run_name() -> str:
    """`ingest_document`: the file's name."""
    return Path(_parameter("path")).name or "document"


def archive_run_name() -> str:
    """`archive_batch`: the folder's name and the number of files under it."""
    from flows.ingest import expand_paths

    folder = Path(_parameter("folder"))
    try:
        count = len(expand_paths([folder]))
    except FileNotFoundError:
        count = 0
    return f"{folder.name or folder} ({count} file{'s' if count != 1 else ''})"


def watch_run_name() -> str:
    """`watch_inbox`: the inbox's name (the number of files taken is added when the pass ends)."""
    inbox = Path(_parameter("inbox"))
    return f"inbox {inbox.name or inbox}"


def extract_task_run_name(parameters: dict[str, Any]) -> str:
    """The extraction task of a batch: the file's name."""
    return f"extract {Path(str(parameters.get('path', ''))).name}"


def document_tags(row: dict[str, Any]) -> list[str]:
    """Tags of one document: municipality, plan period, budget year, status and a short document id."""
    tags = [f"status:{row['status']}"]
    if row.get("municipality"):
        tags.append(f"municipality:{row['municipality']}")
    start, end = row.get("plan_start_year"), row.get("plan_end_year")
    if start and end:
        tags.append(f"plan:{start}-{end}")
    if row.get("budget_year"):
        tags.append(f"budget:{row['budget_year']}")
    if row.get("document_id"):
        tags.append(f"document:{str(row['document_id'])[:12]}")
    return tags


def catalog_tags(out_dir: str | Path, document_ids: Iterable[str]) -> list[str]:
    """The tags of the given documents as written in the catalog (without per-document ids)."""
    tags: set[str] = set()
    from extractors.writers import read_document_rows  # not in the Dask workers, which only name their task runs

    for row in read_document_rows(Path(out_dir), "documents", document_ids):
        tags.update(tag for tag in document_tags(row) if not tag.startswith("document:"))
    return sorted(tags)


def tag_run(tags: Iterable[str], name: str | None = None) -> None:
    """Add tags to the current flow run (and rename it when name is given); outside a flow run, nothing.

    A failure to reach the API is logged, never raised: the data is written by then.
    """
    context = FlowRunContext.get()
    if context is None or context.flow_run is None:
        return
    current = list(context.flow_run.tags or [])
    merged = current + [tag for tag in dict.fromkeys(tags) if tag not in current]
    try:
        if isinstance(context.client, SyncPrefectClient):
            context.client.update_flow_run(context.flow_run.id, tags=merged[:MAX_TAGS], name=name)
        else:
            with get_client(sync_client=True) as client:
                client.update_flow_run(context.flow_run.id, tags=merged[:MAX_TAGS], name=name)
    except Exception as exc:  # noqa: BLE001  (tags are a convenience; the run's work is done)
        _log.warning("could not tag flow run %s: %s", context.flow_run.id, exc)
        return
    context.flow_run.tags = merged[:MAX_TAGS]
    if name:
        context.flow_run.name = name
