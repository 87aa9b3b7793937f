"""Export stage: the datasets -> open-standard packages (extractors.export.fdp: OpenSpending Fiscal Data Package)."""
