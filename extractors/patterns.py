"""Language-neutral regular expressions of the extractors, compiled once and used by name."""

from __future__ import annotations

import re

# Printed numbers are read by the number grammar (extractors/numbers.py); this is only its fast path
# for the commonest form, an integer with optional minus and space-separated thousands ('-1 887 887').
PLAIN_INTEGER = re.compile(r"^-?(?:[1-9]\d{0,2}(?: \d{3})+|[1-9]\d{0,14}|0)$")
YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
# A year on either side of a comma ('2027,2028'): years listed, not a number with four decimals.
YEAR_LIST = re.compile(r"^(?:19|20)\d{2}$")
# A code printed in a row's label cells, digits with one inner hyphen and no figure ('0208850-1', a Finnish
# business ID under 'Y-tunnus': Kauhava statement 2024 p. 145): text of a label column, not a figure.
CODE_WORD = re.compile(r"\d{4,}-\d{1,3}")
# A money figure printed in euros and cents with grouped thousands ('107 653,80', '-10 046 500,00'): how
# a financial statement's notes print their euros (extractors.finance.is_statement_note).
EUROS_AND_CENTS = re.compile(r"^[-\u2212\u2013]?\d{1,3}(?:[ \u00a0\u202f]\d{3})*,\d{2}$")
THEME_HEADING = re.compile(r"^(?P<number>\d{1,2})[.)]\s*(?P<title>\S.*)$")
BULLET = re.compile(r"^(?:[-\u2022\u2013\u25aa\u25cf\uf0b7\uf0a7*·]\s*|\(cid:\d+\)\s*|(?P<number>\d{1,2})[.)]\s*)"
                    r"(?P<text>\S.*)$")
# A print footer naming the file it was printed from ('2025 ÅRSBOKSLUT 2026-02-01.DOCX SID 1 (36)'): no title.
FILE_NAME = re.compile(r"\.(?:docx?|odt|rtf|pdf|xlsx?|pptx?)\b", re.IGNORECASE)
PAGE_NUMBER = re.compile(r"^(?:-\s*)?\d{1,4}(?:\s*-)?$|^(?:sivu|sida|s\.)\s*\d{1,4}(?:\s*\(\d+\))?$", re.IGNORECASE)
DIGITS = re.compile(r"\d")
ITALIC_TAG = re.compile(r"</?i>")
ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
EMAIL = re.compile(r"\S+@\S+")
# Comparison across editions (extractors.link): words, numbers inside running text, slug characters.
WORD = re.compile(r"[^\W\d_]+")
NUMBER_IN_TEXT = re.compile(r"(?<![\w.,])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d])|(?<![\w.,])\d+(?:[.,]\d+)?(?!\d)")
NOT_SLUG = re.compile(r"[^a-z0-9]+")
# A worked calculation in a cell (extractors.numbers.worked_result): one signed amount among words, in
# the cleaned text (minus forms as '-', one space between thousands groups): '86 500', '-90 000'.
SIGNED_AMOUNT_IN_TEXT = re.compile(r"(?<![\w.,])-? ?(?:\d{1,3}(?:[ .]\d{3})+|\d+)(?:,\d+)?(?![\d.,]?\d)")
NOT_WORD_OR_SPACE = re.compile(r"[^\w\s]")
# Report word diff: a word with its trailing spaces (joining the tokens gives the text back).
DIFF_TOKEN = re.compile(r"\S+\s*|\s+")
# Finance labels (extractors.lexicon readings): footnote stars and list numbers around a label
# ("** Toimintakate", "3. Muut saamiset", "Vuosikate *"), a word broken by a hyphen ("tava-rat",
# "Poik- keama"; not "Maa- ja" nor "-kulut"), and a year printed as part of a date ("31.12.2024").
LABEL_MARKERS = re.compile(r"^(?:\*+\s*|\d{1,2}[.)]\s*(?=[^\d\s.]))|\s*\*+$")
# Stars around a heading cell ('**Projekt - Reinvesteringar **': bold marks of the text it was written in).
STARS_AROUND = re.compile(r"^\*+\s*|\s*\*+$")
BROKEN_WORD = re.compile(r"(?<=[a-zåäö])-\s?(?=[a-zåäö])(?!ja\b|tai\b|och\b|eller\b|sekä\b|samt\b)")
# A word a wrapped heading cell broke at a line end ('Toteu- tuma', 'TA:n muu- tokset', 'Budget- avvikelse'):
# a letter, a hyphen and one space before a lower-case letter, never a suspended hyphen before a
# conjunction ('talous- ja velkaohjelma') nor a hyphen with no space ('TP-ennuste', 'Netto-investoinnit').
HEADING_BROKEN_WORD = re.compile(r"(?<=[a-zåäö])- (?=[a-zåäö])(?!(?:ja|tai|eli|sekä|och|eller|samt)\b)")
# A figure cell holding words only ('Ej aktuellt', 'årligen, löpande'): words of two or more letters of
# the Finnish and Swedish alphabets, separated by spaces and punctuation (extractors.finance_headings.is_words).
WORDS_CELL = re.compile(r"[A-Za-zÅÄÖåäöÉéÜü]{2,}(?:[\s,.;:/()-]+[A-Za-zÅÄÖåäöÉéÜü]{2,})*[.)]?")
# The subset tag PDF producers put before an embedded font's name ('ABCDEF+Wingdings-Regular').
FONT_SUBSET_TAG = re.compile(r"^[A-Z]{6}\+", re.IGNORECASE)
DATE_YEAR = re.compile(r"\d{1,2}\.\s?\d{1,2}\.\s?((?:19|20)\d{2})(?!\d)")
# The period a column heading names before its scale ("2024 1 000 €", "1.1.-31.12.2024 1 000 €",
# "TA 2024-2025 tkr"): a year, a date, a range of them (extractors.scales reads the scale without it).
HEADING_PERIOD = re.compile(r"(?<![\d.,])(?:\d{1,2}\.\s?\d{1,2}\.\s?(?:(?:19|20)\d{2})?\s?[-\u2013]\s?)?"
                            r"(?:\d{1,2}\.\s?\d{1,2}\.\s?)?(?:19|20)\d{2}(?:\s?[-\u2013/]\s?(?:19|20)?\d{2})?(?![\d.,]?\d)")
# Goals (extractors.goals): a leading label with a colon ('Toteutuminen: ...', 'Kommentar:'), a printed
# percentage or share ('80 %', '0,8'), an 'indicator: target' line.
LEADING_LABEL = re.compile(r"^\s*(?P<label>[^:]{2,80}?)\s*:\s*(?P<rest>.*)$", re.DOTALL)
CLAUSE_END = re.compile(r"[.,;:]\s|[.;:]$|,")
SENTENCE_END = re.compile(r"(?<=[^\d][.!?])\s+(?![a-zåäöü])")
"""The gap after a sentence: not after an ordinal ('3. sektorin') nor before a lower-case word ('mm. uimahalli').
Used to read a goal status from the sentence that names an indicator."""
BREAK_HYPHEN = re.compile(r"(?<=\w)-\s*(?=[a-zåäöü])")
"""A hyphen that may break a word at a line end ('avus-' / 'tusten', 'avus-tusten'), an orthographic one,
or a suspended one ('Kasvatus- ja').
Removed only to compare words, never in what is kept."""
LINE_ENDS_SENTENCE = re.compile(r"[^\d\s][.!?][\"\u201d\u2019]?(?:\s*\([^()]*\))?$")
"""A text that ends a sentence, maybe followed by a parenthesis ('... tasapainossa. (koko kaupungin tavoite)'),
not an ordinal ('3.'): what a line must end in before a line break that opens a new item of a cell."""
LINE_OPENS_ITEM = re.compile(r"^[A-ZÅÄÖÜÉ0-9\u2022\u25aa\u25cf\uf0b7\uf0a7]")
"""A line that may open a new item: a capital, a digit or a bullet glyph (not a minus: '-raportoinnin')."""
PERCENT = re.compile(r"^\s*(?P<value>\d{1,3}(?:[.,]\d+)?)\s*%\s*$")
# A numbered goal ('1. Palveleva liikenneverkko', '2) ...'): one or two digits, a dot or parenthesis, a word.
NUMBERED_ITEM = re.compile(r"^(?P<number>\d{1,2})[.)]\s+(?P<text>[^\W\d].*)$", re.DOTALL)
# A heading's number: '8.', '8.1', '8.1.2' (depth = parts) or a Roman numeral ('II TOTEUTUMISVERTAILU', depth 0);
# a focus-area heading numbered without a dot ('08 Hållbart samhällsbyggande').
HEADING_NUMBER = re.compile(r"^(?P<number>\d{1,2}(?:\.\d{1,2})*)\.?\s+\S")
ROMAN_HEADING = re.compile(r"^(?P<roman>[IVX]{1,5})\.?\s+\S")
# A table of contents' entry: dot leaders, maybe a page number, at the end ('5 Muut eriytetyt laskelmat.......153').
CONTENTS_ENTRY = re.compile(r"(?:\.\s?){4,}\s*\d{0,4}\s*$")
FOCUS_HEADING = re.compile(r"^(?P<number>\d{1,2})\s+(?P<title>[^\W\d].*)$")
# Bullets that start an item inside a goal list (minus and en dash too, as outcome lists print them).
LIST_BULLET = re.compile(r"^\s*[-\u2212\u2013\u2022\u00b7\u25aa\u25cf\uf0b7\uf0a7*]\s+")
# OCR words (extractors.pdf.hocr): table borders read as characters, letters that reach the capital
# height (the rest stand at x-height), the digit groups of one printed amount, dashes read for a minus.
OCR_BORDER_ARTIFACT = re.compile(r"[|\[\]¦_]+")
OCR_ACCENTED_CAPITAL = re.compile(r"[ÅÄÖÉÜ]")
OCR_HAS_ASCENDER = re.compile(r"[A-ZÅÄÖÜÉ0-9bdfhkltåäöüé()/!?%&#@]")
OCR_NUMBER_HEAD = re.compile(r"\(?[-\u2212\u2013\u2014]?\d{1,3}(?: \d{3})*")
OCR_NUMBER_GROUP = re.compile(r"\d{3}(?:[.,]\d+)?\)?")
OCR_LEADING_DASH = re.compile(r"^[\u2014\u2013\u2212](?=\d)")
OCR_BULLET = re.compile(r"[«»•·°*▪■●◦¢©®]{1,2}")
OCR_RUN_ON_HEAD = re.compile(r"(-?)(\d{4,6})((?: \d{3})+)")
OCR_DASHED_GROUPS = re.compile(r"(-?\d{1,3})((?:[-\u2013'`\u00b4]\d{3})+)")
OCR_DIGITS_WORD = re.compile(r"\(?[-\u2212\u2013]?\d+(?: \d{3})*\)?")
OCR_STRAY_LEAD = re.compile(r"[-\u2013\u2014'\u2018\u2019\"`\u00b4,.:;]+(?=[^\W\d_])")
OCR_GROUP_DASH = re.compile(r"[-\u2013'`\u00b4]")
OCR_BORDER_AFTER_AMOUNT = re.compile(r"^(-?\d{1,3}(?: \d{3})*|-?\d+)[)|\]!]$")
# Export (extractors.export): an ISO 4217 currency code.
CURRENCY_CODE = re.compile(r"[A-Z]{3}")
CELL_QUANTITY = re.compile(r"(?<![\w.,])(?P<cmp>[<>]=?|[≤≥])?\s*(?P<low>\d+(?:,\d+)?)"
                           r"(?:\s*[-–]\s*(?P<high>\d+(?:,\d+)?))?(?![\w.,]\d)")
"""A number or a range in a target cell, with a comparator sign before it ('>5', '2-4', '0,5')."""
CELL_QUANTITY_ALONE = re.compile(r"(?P<cmp>[<>]=?|[≤≥])?\s*(?P<low>[+-]?\d{1,3}(?: \d{3})+|[+-]?\d+(?:,\d+)?)"
                                 r"(?:\s*[-–]\s*(?P<high>\d{1,3}(?: \d{3})+|\d+(?:,\d+)?))?\s*(?P<percent>%)?"
                                 r"\.?(?:\s*\((?P<aside>[^()]*)\))?")
"""A target cell that is one quantity alone, matched whole: '>10', '< 600', '6–8', '3–4', '11,0 %', '+1 000
(ilman kaupungin ylimääräistä vastiketta)', '50 (3 900)' (a remark or a second figure in brackets after it)."""
DIGIT_BEFORE_LETTER = re.compile(r"(?<=\d)(?=[^\W\d_])")
"""A number printed against its unit ('1kpl/v'): a space goes between them."""
CELL_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
"""A year in a target cell ('Uudet tulokset 2024'): printing a year only is printing no target value."""

# PDF content-stream tokens (ISO 32000-1 7.2: white-space, delimiters, regular characters), for the syntax
# check of extractors.pdf.syntax; a literal string is matched by its opening parenthesis (nesting is
# counted there); a run of numbers (with the white-space between them) is one token, for speed. Every
# byte starts one of these tokens.
_PDF_REGULAR = rb"[^\x00\t\n\x0c\r %()<>\[\]{}/]"
PDF_CONTENT_TOKEN = re.compile(
    rb"(?P<space>[\x00\t\n\x0c\r ]+)|(?P<comment>%[^\r\n]*)|(?P<string>\()|(?P<dict_open><<)|(?P<dict_close>>>)"
    rb"|(?P<hex><[^<>]*>)|(?P<hex_open><)|(?P<array_open>\[)|(?P<array_close>\])"
    rb"|(?P<numbers>(?:[+-]?(?:\d+\.?\d*|\.\d+)(?!" + _PDF_REGULAR + rb")[\x00\t\n\x0c\r ]*)+)"
    rb"|(?P<name>/" + _PDF_REGULAR + rb"*)"
    rb"|(?P<word>" + _PDF_REGULAR + rb"+)|(?P<stray>[(){}>])")
PDF_FLAT_STRING = re.compile(rb"\((?:[^()\\]++|\\.)*+\)", re.S)  # a literal string without nested parentheses
PDF_HEX_DIGITS = re.compile(rb"[0-9A-Fa-f\x00\t\n\x0c\r ]*")
PDF_INLINE_IMAGE_END = re.compile(rb"[\x00\t\n\x0c\r ]EI(?=[\x00\t\n\x0c\r ]|\Z)")

# A content stream every token of which is well formed, with each operator known and given at least its
# operands (the common case, matched whole in C): extractors.pdf.syntax lexes token by token only what this
# does not match. Its language is a subset of what that lexer finds without a problem: operands are numbers,
# names, keywords, literal strings (one level of nested parentheses), hex strings, flat arrays and
# dictionaries; no inline images, no BX/EX sections, no unknown operators. Operators are grouped by the
# operands they take (extractors.pdf.syntax.OPERATORS; a variable count with 0).
_PDF_SPACE = rb"(?:[\x00\t\n\x0c\r ]++|%[^\r\n]*+)*+"
_PDF_STRING = rb"\((?:[^()\\]++|\\.|\((?:[^()\\]++|\\.)*+\))*+\)"
_PDF_SIMPLE = (rb"(?:[+-]?(?:\d++\.?\d*+|\.\d++)(?!" + _PDF_REGULAR + rb")|/" + _PDF_REGULAR + rb"*+|" + _PDF_STRING
               + rb"|<[0-9A-Fa-f\x00\t\n\x0c\r ]*+>|(?:true|false|null)(?!" + _PDF_REGULAR + rb"))")
_PDF_ARRAY = rb"\[" + _PDF_SPACE + rb"(?:" + _PDF_SIMPLE + _PDF_SPACE + rb")*+\]"
_PDF_DICT = rb"<<" + _PDF_SPACE + rb"(?:(?:" + _PDF_SIMPLE + rb"|" + _PDF_ARRAY + rb")" + _PDF_SPACE + rb")*+>>"
_PDF_OPERAND = rb"(?:" + _PDF_SIMPLE + rb"|" + _PDF_ARRAY + rb"|" + _PDF_DICT + rb")" + _PDF_SPACE
_PDF_OPERATORS_BY_OPERANDS = {
    0: rb"b\*|B\*|BT|EMC|ET|EX|BX|f\*|[bBfFhnqQsSW]|W\*|T\*|SCN|scn|SC|sc",
    1: rb"BMC|CS|cs|Do|G|g|gs|i|j|J|MP|M|ri|sh|Tc|Tj|TJ|TL|Tr|Ts|Tw|Tz|w|'",
    2: rb"BDC|DP|d0|d|Td|TD|Tf|l|m",
    3: rb"RG|rg|\"",
    4: rb"K|k|re|v|y",
    6: rb"cm|c|d1|Tm",
}


def _pdf_statement() -> bytes:
    """Operands then an operator given at least its operands, in one pass: after k operands, an operator
    taking at most k, or one more operand. Every operator starts with a letter, ' or ": the lookahead before the
    operators' alternatives passes over them at once where an operand follows (a number, mostly), which made the
    corpus's 861 content streams match in 0.45 s instead of 0.54 s, with the same result for each."""
    taking = {count: rb"|".join(ops for c, ops in _PDF_OPERATORS_BY_OPERANDS.items() if c <= count)
              for count in range(7)}
    end = rb"(?!" + _PDF_REGULAR + rb")"
    operator = rb"(?=[A-Za-z'\"])"
    pattern = rb"(?:" + _PDF_OPERAND + rb")*+" + operator + rb"(?:" + taking[6] + rb")" + end
    for count in range(5, -1, -1):
        pattern = rb"(?:" + operator + rb"(?:" + taking[count] + rb")" + end + rb"|" + _PDF_OPERAND + pattern + rb")"
    return pattern


PDF_CLEAN_CONTENT = re.compile(_PDF_SPACE + rb"(?:" + _pdf_statement() + _PDF_SPACE + rb")*+(?:" + _PDF_OPERAND
                               + rb")*+")

# PDF bytes the load boundary reads before any PDF library does (extractors.guard): stream lengths and
# filters, page, image and object-stream objects, object headers, the trailer, encryption.
PDF_LENGTH = re.compile(rb"/Length\s+(\d+)\b(?!\s+\d+\s+R)")
PDF_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z0-9])")
PDF_IMAGE = re.compile(rb"/Subtype\s*/Image")
PDF_OBJECT_STREAM = re.compile(rb"/Type\s*/ObjStm")
PDF_FIRST_FILTER_FLATE = re.compile(rb"/Filter\s*\[?\s*/(?:FlateDecode|Fl)(?![A-Za-z])")
PDF_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF", re.S)
PDF_OBJECT_HEADER = re.compile(rb"(\d+)\s+\d+\s+obj\b")
PDF_OBJ = re.compile(rb"obj\b")
PDF_HEADER_BEFORE = re.compile(rb"(?<![0-9])(\d+)\s+\d+\s+obj\Z")
PDF_ENCRYPT = re.compile(rb"/Encrypt\s+(?:\d+\s+\d+\s+R|<<)")
# A stream that is not page content: a typed object, a font program, a function, an image or a form.
PDF_NOT_CONTENT = re.compile(rb"/(?:Type|Subtype|Length[123]|FunctionType|ShadingType|PatternType|Width|BBox|N"
                          rb"|DecodeParms|DP|F|FFilter)(?![A-Za-z0-9])")
PDF_INDIRECT_LENGTH = re.compile(rb"/Length\s+(\d+)\s+(\d+)\s+R")
PDF_NUMBER_OBJECT = re.compile(rb"(?<![0-9])(\d+)\s+(\d+)\s+obj\s*(\d+)\s*endobj")
PDF_FILTER = re.compile(rb"/Filter(?![A-Za-z0-9])")
PDF_ONLY_FLATE = re.compile(rb"/Filter\s*(?:/FlateDecode|\[\s*/FlateDecode\s*\])(?![A-Za-z0-9])")
