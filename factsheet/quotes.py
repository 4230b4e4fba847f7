"""Quotes: finding a quoted passage in an archived document, and explaining a near miss.

Owns: the folding under which a quote matches its document (typographic quotes → plain ones,
runs of white space → one space), `find_quote`, and `near_miss`, which aligns a quote that does
not occur against the document and says which words differ ("the document has 'deaths, and'
where the quote has 'deaths and'"). Imports nothing of ours.

The alignment is rapidfuzz's `partial_ratio_alignment` (C++; the best-matching window of the
document in well under a millisecond for a 76,000-character transcript), then difflib over the
words of that window only, which is small.
"""

from __future__ import annotations

import difflib
import re

from rapidfuzz import fuzz

_FOLD = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                       "\u00a0": " "})
_TOKEN = re.compile(r"\w+|[^\w\s]")
MIN_SCORE = 60  # below this the "closest passage" is noise, not a near miss
MAX_DIFFERENCES = 3


def normalise(text: str) -> tuple[str, list[int]]:
    """Fold typographic quotes and white-space runs → (folded text, original index of each char)."""
    out: list[str] = []
    index: list[int] = []
    for position, char in enumerate(text.translate(_FOLD)):
        if char.isspace():
            if out and out[-1] == " ":
                continue
            char = " "
        out.append(char)
        index.append(position)
    return "".join(out), index


def find_quote(quote: str, document: str | tuple[str, list[int]]) -> tuple[int, int] | None:
    """(start, end) of the quote's first occurrence in the document, compared folded.

    `document` may be given already folded (`normalise(text)`), as a source quoted by many facts is.
    """
    folded_quote = normalise(quote)[0].strip()
    folded_doc, index = normalise(document) if isinstance(document, str) else document
    at = folded_doc.find(folded_quote) if folded_quote else -1
    if at < 0:
        return None
    return index[at], index[at + len(folded_quote) - 1] + 1


def _shown(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def near_miss(quote: str, document: str, folded: tuple[str, list[int]] | None = None) -> str:
    """A hint for a quote that does not occur: the closest passage and the words that differ,
    as the original document writes them (so curly quotes show); "" when nothing is close."""
    folded_doc, index = folded or normalise(document)
    folded_quote = normalise(quote)[0].strip()
    if not folded_quote or not folded_doc:
        return ""
    found = fuzz.partial_ratio_alignment(folded_quote, folded_doc)
    if found is None or found.score < MIN_SCORE:
        return ""
    # Widen the window to whole words, so a difference at its edge is seen in full.
    start, end = found.dest_start, found.dest_end
    while start > 0 and not folded_doc[start - 1].isspace():
        start -= 1
    while end < len(folded_doc) and not folded_doc[end].isspace():
        end += 1
    window = folded_doc[start:end]
    doc_tokens = [(m.group(), m.start() + start, m.end() + start) for m in _TOKEN.finditer(window)]
    quote_tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(folded_quote)]
    matcher = difflib.SequenceMatcher(None, [t[0].casefold() for t in doc_tokens],
                                      [t[0].casefold() for t in quote_tokens], autojunk=False)
    opcodes = matcher.get_opcodes()
    # Document words beyond either end of the quote are where it starts or stops, not a miss.
    while opcodes and opcodes[0][0] == "delete":
        opcodes.pop(0)
    while opcodes and opcodes[-1][0] == "delete":
        opcodes.pop()
    if not opcodes:
        return ""
    first, last = doc_tokens[opcodes[0][1]], doc_tokens[opcodes[-1][2] - 1]
    passage = document[index[first[1]]:index[last[2] - 1] + 1]
    said = [_difference(op, doc_tokens, quote_tokens, document, index, folded_quote)
            for op in opcodes if op[0] != "equal"]
    hint = f"closest passage in the document: \"{_shown(passage)}\""
    if not said:
        return hint
    if len(said) > MAX_DIFFERENCES:
        said = said[:MAX_DIFFERENCES] + [f"and {len(said) - MAX_DIFFERENCES} more differences"]
    return "; ".join(said) + f" ({hint})"


def _difference(opcode, doc_tokens, quote_tokens, document: str, index: list[int],
                quote: str) -> str:
    """One run of differing words, with a word of context on each side, as each text has it."""
    _, d1, d2, q1, q2 = opcode
    d1, d2 = max(d1 - 1, 0), min(d2 + 1, len(doc_tokens))
    q1, q2 = max(q1 - 1, 0), min(q2 + 1, len(quote_tokens))
    in_document = document[index[doc_tokens[d1][1]]:index[doc_tokens[d2 - 1][2] - 1] + 1]
    in_quote = quote[quote_tokens[q1][1]:quote_tokens[q2 - 1][2]] if q2 > q1 else ""
    note = " (curly quotes)" if re.search("[\u2018\u2019\u201c\u201d]", in_document) else ""
    return f"document has \"{_shown(in_document, 60)}\"{note}; quote has \"{_shown(in_quote, 60)}\""
