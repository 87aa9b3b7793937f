"""Pure stage functions of plandata: source file -> PlanDocument -> records. No orchestration here."""

PIPELINE_VERSION = "0.1.0"
