"""Goal lists: goals printed as blocks of text rather than as a table -> goal drafts.

Two shapes, both read from the IR's blocks in order (a list goes on over pages):
- Block tables: a heading row printed as one line whose first column holds the goal and whose other
  columns hold only drawn marks ('Verksamhetsmål  Bedömning', 'Aktivitet  Status  Färdiggrad').
  Each paragraph below is a goal (its marks are the status and the progress bar); 'Kommentar:' gives
  the goal above its outcome; a bold line repeating a goal read before groups the goals under it as
  their parent. The table ends at a heading that is none of these.
- Numbered goals: '1. <goal>' followed by indicator lines ('Mittarit ja tavoitetaso:' and lines
  'indicator: target', or bullets of that form) and an outcome paragraph ('Toteutuminen: ...'). A
  numbered item is a goal when goal labels, indicator lines or bullets follow it, or when it stands
  under a heading that names a goal level ('Kaupunginhallitukseen nähden sitova toiminnallinen
  tavoite:'). The goal goes on, indented deeper than its number, until the next numbered item, text
  back at the list's margin, or a heading after its outcome.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extractors.goals.columns import GOAL_TEXT_KEYS, MARK_KEYS, column_key, leading_label, level_of, split_header
from extractors.goals.drafts import GoalDraft, Indicator, set_level
from extractors.goals.status import dash_after_status, marks_in
from extractors.goals.tables import Context, earlier_goal
from extractors.layout import is_theme_heading, join_wrapped
from extractors.patterns import LIST_BULLET, NUMBERED_ITEM
from models import Block, PlanDocument

HEADING_SIZE = 1.15
"""A numbered line set this much larger than the body text is a heading, not a goal."""
INDENT_SLACK = 4.0  # points: numbered goals of one list start within this of each other
MAX_INDICATOR_HEAD = 14  # words before the colon of an 'indicator: target' line
OUTCOME_KEYS = frozenset({"outcome", "status"})
INDICATOR_LABEL_KEYS = frozenset({"indicator", "indicator_target", "target"})
LABEL_KEYS = OUTCOME_KEYS | INDICATOR_LABEL_KEYS


@dataclass
class _BlockTable:
    label: str
    level_label: str


@dataclass
class _Numbered:
    draft: GoalDraft
    x0: float
    part: str = "goal"  # goal, indicators, outcome
    indicator_mode: str = "pairs"  # pairs: 'indicator: target' lines; target: lines are targets
    outcomes: list[tuple[int, list[str]]] = field(default_factory=list)
    """Outcome paragraphs, each with the number of indicators read before its label."""
    bullet_x0: float | None = None
    """Where the indicator bullets stand (a bullet there after an outcome starts the next indicator)."""

    @property
    def outcome(self) -> list[str]:
        return self.outcomes[-1][1] if self.outcomes else []

    def open_outcome(self) -> None:
        self.outcomes.append((len(self.draft.indicators), []))


def _goes_on(text: str, block_text: str) -> bool:
    """Whether a block goes on with the sentence `text` left open: `text` ends in no stop ('.', '!', '?', ':',
    ';') and the block starts with a lower-case letter ('... budjetissa pysyminen ei' / 'ole toteutunut.',
    Kauhava tilinpäätös 2024 pp. 102-103); a capital or a bullet starts an item or paragraph of its own."""
    first = LIST_BULLET.sub("", block_text.strip())
    return bool(text) and not text.rstrip().endswith((".", "!", "?", ":", ";")) and first == block_text.strip() \
        and (first[:1].islower() or (first[:1].isdigit() and NUMBERED_ITEM.match(first) is None))


def _wraps_on(text: str, line: str) -> bool:
    """Whether the next printed line of a block goes on with `text` as one paragraph wrapped: it starts no item
    (no bullet or dash: '− Tarkastuslautakunta on ...', Kauhava p. 76), and `text` ends in no stop or the line
    starts in lower case ('... on toteutunut. Kiinteistöjä' / 'on huollettu ...', p. 102). A closed sentence
    before a capital may be a paragraph of its own and keeps its line break."""
    if LIST_BULLET.match(line) or not line.strip():
        return False
    return not text.rstrip().endswith((".", "!", "?", ":", ";")) or line.strip()[:1].islower()


def _lines(block: Block) -> list[str]:
    return block.lines or [block.text]


def _paragraphs(lines: list[str]) -> list[str]:
    """Printed lines as paragraphs: a line starting with a bullet or dash starts one of its own ('− Lakisääteinen
    ... toteutui.' / '− Tilikauden 2023 ...', Kauhava tilinpäätös 2024 p. 76); other lines wrap on."""
    groups: list[list[str]] = []
    for line in lines:
        if not groups or LIST_BULLET.match(line):
            groups.append([])
        groups[-1].append(line)
    return [text for group in groups if (text := join_wrapped(group))]


def _starts_indicator(raw: str, previous: str | None) -> bool:
    """A printed line starts a new indicator: a bullet, a line 'Head: ...' with a short head, or a line
    starting with a capital after a line that ended a sentence; other lines continue the one above."""
    line = LIST_BULLET.sub("", raw).strip()
    if previous is None or LIST_BULLET.match(raw):
        return True
    head = line.split(":", 1)[0] if ":" in line else ""
    if head and len(head.split()) <= MAX_INDICATOR_HEAD and line[:1].isupper():
        return True
    return previous.rstrip().endswith((".", ";")) and line[:1].isupper()


def _indicator(item: str, page: int | None) -> Indicator:
    head, sep, rest = item.partition(":")
    if sep and len(head.split()) <= MAX_INDICATOR_HEAD:
        # 'indicator:' ending its line: the target follows on the next line
        return Indicator(values={"indicator": head.strip(), "target": rest.strip()}, page=page)
    return Indicator(values={"indicator": item.strip()}, page=page)


class ListReader:
    """Feed blocks in document order; `drafts` collects the goals. `feed` says whether the block was
    part of a goal list (such blocks are no section headings)."""

    def __init__(self, doc: PlanDocument, body_size: float = 0.0) -> None:
        self.doc = doc
        self.body_size = body_size
        self.language = doc.language
        self.drafts: list[GoalDraft] = []
        self.table: _BlockTable | None = None
        self.numbered: _Numbered | None = None
        self.current: GoalDraft | None = None
        self.pending: str | None = None
        self.parent: GoalDraft | None = None
        self.level_label: str | None = None

    # -- shared --------------------------------------------------------------------------------
    def _draft(self, text: str, block: Block, context: Context, level_label: str | None) -> GoalDraft:
        draft = GoalDraft(values={"goal": text}, unit_name=context.unit_name, section=list(context.section),
                          theme_number=context.theme_number, theme_title=context.theme_title,
                          page=block.prov.page, line=block.prov.line, bbox=block.prov.bbox, parent=self.parent,
                          item_index=context.item_index)
        set_level(draft, level_label, self.language)
        self.drafts.append(draft)
        self.current = draft
        return draft

    def close(self) -> None:
        self._close_numbered()
        self.table = None
        self.current = None
        self.pending = None
        self.parent = None

    def end_section(self) -> None:
        """A heading that is no goal label: the list (and its level) ends."""
        self.close()
        self.level_label = None

    # -- dispatch ------------------------------------------------------------------------------
    def feed(self, block: Block, context: Context) -> bool:
        text = block.text.strip()
        parts = split_header(text, self.language) if block.kind in ("heading", "title") else ()
        if len(parts) >= 2 and parts[0].key in GOAL_TEXT_KEYS and all(p.key in MARK_KEYS for p in parts[1:]):
            self.close()
            self.table = _BlockTable(label=parts[0].label, level_label=parts[0].label)
            return True
        if self.table is not None:
            return self._table_block(block, context)
        return self._list_block(block, context)

    # -- block tables --------------------------------------------------------------------------
    def _table_block(self, block: Block, context: Context) -> bool:
        assert self.table is not None
        text = block.text.strip()
        label = leading_label(text, self.language)
        if label is not None and label[0] in OUTCOME_KEYS and self.current is not None:
            if label[2]:
                self.current.values[label[0]] = label[2]
            else:
                self.pending = label[0]
            return True
        if self.pending is not None and self.current is not None and block.kind != "title":
            self.current.values[self.pending] = text
            self.pending = None
            return True
        if block.bold and block.kind in ("heading", "title"):
            parent = earlier_goal(self.drafts, text)
            if parent is not None:
                self.parent = parent
                return True
            self.close()
            return False
        if block.kind in ("paragraph", "heading", "list_item"):
            draft = self._draft(text, block, context, self.table.level_label)
            draft.marks = marks_in(self.doc, block.prov.page, block.prov.bbox)
            return True
        self.close()
        return False

    # -- numbered goals ------------------------------------------------------------------------
    def _list_block(self, block: Block, context: Context) -> bool:
        text = block.text.strip()
        numbered = NUMBERED_ITEM.match(_lines(block)[0].strip())
        if numbered and (is_theme_heading(text) or (block.font_size or 0.0) > HEADING_SIZE * self.body_size):
            numbered = None  # a numbered heading ('1. LIVSKRAFTIG STAD', '8. Käyttötalous' set large)
        x0 = block.prov.bbox.x0 if block.prov.bbox else 0.0
        if numbered and (self.numbered is None or abs(x0 - self.numbered.x0) <= INDENT_SLACK):
            self._close_numbered()
            return self._start_numbered(block, context, x0)
        if self.numbered is not None and x0 <= self.numbered.x0 + INDENT_SLACK:
            self._close_numbered()  # text back at the list's margin: the goal ended
        if self.numbered is not None:
            return self._numbered_block(block)
        return False

    def level_heading(self, text: str) -> None:
        """A heading that names a goal level ('Kaupunginhallitukseen nähden sitova toiminnallinen tavoite:'):
        the numbered goals under it are of that level."""
        if level_of(text.rstrip(":"), self.language) is not None:
            self.level_label = text.rstrip(":").strip()

    def _start_numbered(self, block: Block, context: Context, x0: float) -> bool:
        lines = _lines(block)
        first = NUMBERED_ITEM.match(lines[0].strip())
        assert first is not None
        title_lines = [first.group("text")]
        rest: list[str] = []
        for line in lines[1:]:
            (rest if rest or leading_label(line, self.language) else title_lines).append(line)
        draft = self._draft(join_wrapped(title_lines), block, context, self.level_label)
        self.numbered = _Numbered(draft=draft, x0=x0)
        for line in rest:
            self._numbered_text(line, block)
        return True

    def _numbered_block(self, block: Block) -> bool:
        assert self.numbered is not None
        if block.kind in ("heading", "title") and block.bold and leading_label(block.text, self.language) is None \
                and self.numbered.part == "outcome":
            return False
        state = self.numbered
        x0 = block.prov.bbox.x0 if block.prov.bbox else None
        if state.part == "outcome" and LIST_BULLET.match(block.text) and x0 is not None and \
                state.bullet_x0 is not None and abs(x0 - state.bullet_x0) <= INDENT_SLACK and \
                _starts_indicator(block.text, None) and ":" in block.text:
            state.part = "indicators"  # indicator, outcome, indicator, outcome: each its own outcome
        elif state.part == "outcome" and leading_label(block.text, self.language) is None:
            paragraphs = _paragraphs(_lines(block))
            if state.outcome and paragraphs and _goes_on(state.outcome[-1], paragraphs[0]):
                # over a page break, or a block the layout began inside a sentence ('... kokouksessaan' /
                # '29.5.2024. Tilinpäätöksen ...', Kauhava p. 76)
                state.outcome[-1] = join_wrapped([state.outcome[-1], paragraphs.pop(0)])
            state.outcome.extend(paragraphs)
            return True
        if state.part != "outcome" and LIST_BULLET.match(block.text) and state.bullet_x0 is None:
            state.bullet_x0 = x0
        lines = _lines(block)
        for index, line in enumerate(lines):
            self._numbered_text(line, block)
            if self.numbered.part == "outcome" and index + 1 < len(lines):
                outcome, rest = self.numbered.outcome, lines[index + 1:]
                paragraphs = _paragraphs(rest)
                if outcome and line.strip().endswith(outcome[-1]) and _wraps_on(outcome[-1], rest[0]) \
                        and dash_after_status([outcome[-1], rest[0]], self.language) is None:
                    outcome[-1] = join_wrapped([outcome[-1], paragraphs.pop(0)])  # the label's line wraps on
                outcome.extend(paragraphs)
                break
        return True

    def _numbered_text(self, line: str, block: Block) -> None:
        assert self.numbered is not None
        state = self.numbered
        label = leading_label(LIST_BULLET.sub("", line), self.language)
        if label is None and block.bold and (key := column_key(line.strip(), self.language)) in LABEL_KEYS:
            label = (key, line.strip(), "")  # a label set in bold without a colon ('Mittarit ja tavoitetaso')
        if label is not None and label[0] in INDICATOR_LABEL_KEYS and state.part != "outcome":
            state.part = "indicators"
            state.indicator_mode = "target" if label[0] == "target" else "pairs"
            if label[2]:
                self._indicator_line(label[2], block)
            return
        if label is not None and label[0] in OUTCOME_KEYS:
            state.part = "outcome"
            state.open_outcome()
            if label[2]:
                state.outcome.append(label[2])
            return
        if state.part == "outcome":
            state.outcome.append(line.strip())
        elif state.part == "indicators" or LIST_BULLET.match(line) or ":" in line:
            state.part = "indicators"
            self._indicator_line(line, block)
        else:
            draft = state.draft
            draft.values["goal"] = join_wrapped([draft.values.get("goal", ""), line])

    def _indicator_line(self, raw: str, block: Block) -> None:
        assert self.numbered is not None
        draft = self.numbered.draft
        previous = None
        if draft.indicators:
            last = draft.indicators[-1].values
            previous = last.get("target") or last.get("indicator")
            if "target" in last and not last["target"]:
                previous = "continued"  # an 'indicator:' line waits for its target on the next line
        if not _starts_indicator(raw, previous):
            last = draft.indicators[-1].values
            key = "target" if "target" in last else "indicator"
            last[key] = join_wrapped([last[key], raw.strip()]) if last[key] else raw.strip()
            if key == "indicator" and ":" in raw:
                # the colon closing a wrapped indicator on its second line ('... tehokas hyödyntäminen yhteis- /
                # työssä 3. sektorin kanssa: haetaan valtionavustuksia ...', Kauhava p. 102): the rest is its target
                last.update(_indicator(last["indicator"], block.prov.page).values)
            return
        indicator = _indicator(LIST_BULLET.sub("", raw).strip(), block.prov.page)
        if self.numbered.indicator_mode == "target" and "target" not in indicator.values:
            indicator.values = {"target": indicator.values["indicator"]}
        draft.indicators.append(indicator)

    def _close_numbered(self) -> None:
        state = self.numbered
        if state is None:
            return
        draft = state.draft
        counts = [count for count, _ in state.outcomes]
        if len(counts) > 1 and all(a < b for a, b in zip([0, *counts], counts, strict=False)):
            for (start, (end, lines)) in zip([0, *counts], state.outcomes, strict=False):
                for indicator in draft.indicators[start:end]:
                    indicator.values["outcome"] = "\n".join(t for t in lines if t)
        elif state.outcomes:
            draft.values["outcome"] = "\n".join(t for _, lines in state.outcomes for t in lines if t)
        confirmed = bool(state.outcomes or draft.indicators or self.level_label)
        if not confirmed:
            self.drafts.remove(draft)
        self.numbered = None
        self.current = None
