"""Error types shared by the stages (below extractors.pipeline, which wires them, so nothing imports the wiring)."""


class UnreadableInput(Exception):
    """The file cannot be read as a plan document at all (not a PDF or plan text, empty, encrypted, refused)."""
