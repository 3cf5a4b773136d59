"""Text plumbing: accent/case folding with offsets, tokens, paragraphs, sentences, clauses.

Everything here keeps offsets into the original text, so that every quote the extractor emits
is ``text[start:end]`` exactly.
"""

from __future__ import annotations

import bisect
import re
import unicodedata

_FOLD_CACHE: dict[str, str] = {}
_APOSTROPHES = {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'", "`": "'"}


def fold_char(c: str) -> str:
    """NFKD, drop combining marks, casefold (then again, for characters casefold decomposes)."""
    r = _FOLD_CACHE.get(c)
    if r is None:
        if c in _APOSTROPHES:
            r = "'"
        else:
            s = "".join(ch for ch in unicodedata.normalize("NFKD", c) if not unicodedata.combining(ch))
            s = s.casefold()
            r = "".join(ch for ch in unicodedata.normalize("NFKD", s) if not unicodedata.combining(ch))
        if len(_FOLD_CACHE) < 100_000:
            _FOLD_CACHE[c] = r
    return r


def fold(s: str) -> str:
    if s.isascii():
        return s.lower()
    return "".join(c.lower() if c < "\x80" else fold_char(c) for c in s)


_ASCII_UPPER = {c: c + 32 for c in range(65, 91)}
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def fold_with_map(text: str) -> tuple[str, list[int] | None]:
    """The folded text and, unless it is the identity, the original index of each folded char."""
    if text.isascii():
        return text.lower(), None
    table: dict[int, int | str] = dict(_ASCII_UPPER)
    same_length = True
    for c in set(text):
        if c >= "\x80":
            f = fold_char(c)
            table[ord(c)] = f
            if len(f) != 1:
                same_length = False
    folded = text.translate(table)
    if same_length:
        return folded, None
    idx: list[int] = []
    pos = 0
    for m in _NON_ASCII.finditer(text):
        i = m.start()
        if i > pos:
            idx.extend(range(pos, i))
        n = len(table[ord(text[i])])  # type: ignore[arg-type]
        if n:
            idx.extend([i] * n)
        pos = i + 1
    idx.extend(range(pos, len(text)))
    return folded, idx


TOKEN_RE = re.compile(r"\w+(?:[.\-]\w+)*|[^\w\s]")


def tokenize_folded(s: str) -> tuple[str, ...]:
    """Tokens of an already folded string (used for vocabulary entries)."""
    return tuple(m.group() for m in TOKEN_RE.finditer(s))


class Token:
    __slots__ = ("t", "start", "end", "word", "cap", "upper")

    def __init__(self, t: str, start: int, end: int, word: bool, cap: bool, upper: bool) -> None:
        self.t = t  # folded text
        self.start = start  # original offsets
        self.end = end
        self.word = word
        self.cap = cap  # first character is uppercase in the original
        self.upper = upper  # all letters uppercase in the original

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Token({self.t!r}@{self.start})"


def tokenize(text: str, folded: str | None = None, idx: list[int] | None = None) -> list[Token]:
    if folded is None:
        folded, idx = fold_with_map(text)
    toks: list[Token] = []
    for m in TOKEN_RE.finditer(folded):
        fs, fe = m.span()
        if idx is None:
            s, e = fs, fe
        else:
            s, e = idx[fs], idx[fe - 1] + 1
        t = m.group()
        first = text[s]
        word = t[0].isalnum() or t[0] == "_"
        cap = first.isupper()
        toks.append(Token(t, s, e, word, cap, cap and word and text[s:e].isupper()))
    return toks


# ----------------------------------------------------------------------------- segmentation

_BLANK_LINE = re.compile(r"\n[ \t\r\f\v\u00a0]*\n")
_LINE_BREAK = re.compile(r"\r\n|[\n\r\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85]")

TERMINAL = ".!?\u2026"
OPEN_QUOTES = "\u201c\u201e\u00ab\u2039"
CLOSE_QUOTES = "\u201d\u00bb\u203a"
STRAIGHT_QUOTE = '"'
ALL_QUOTES = OPEN_QUOTES + CLOSE_QUOTES + STRAIGHT_QUOTE + "\u201f"
CLOSERS = "\"'\u201d\u2019\u00bb\u203a)]"
BULLETS = "\u2022\u00b7\u25aa\u25e6\u2023\u2043\u25cf\u25a0*-\u2013\u2014>"

# abbreviations that never end a sentence
_ABBREV_NEVER = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "gen", "col", "lt", "sgt", "capt",
    "cmdr", "adm", "maj", "gov", "sen", "rep", "rev", "hon", "pres", "supt", "insp", "det", "cpl",
    "pvt", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "no", "nos", "vs", "v", "e.g", "i.e", "cf", "approx", "fig", "al", "ca", "est", "dept", "univ",
    "gov't", "messrs", "mme", "mlle", "ft", "ave", "blvd", "rd",
}
# abbreviations that end a sentence only when a typical sentence opener follows
_ABBREV_MAYBE = {
    "a.m", "p.m", "u.s", "u.k", "u.n", "e.u", "etc", "inc", "ltd", "co", "corp", "u.s.a", "d.c",
    "bros", "plc", "llc", "am", "pm",
}
SENTENCE_OPENERS = {
    "the", "a", "an", "he", "she", "it", "they", "we", "i", "in", "on", "at", "but", "and", "however",
    "this", "that", "there", "these", "those", "meanwhile", "his", "her", "their", "its", "our",
    "after", "before", "earlier", "later", "according", "police", "officials", "authorities",
    "also", "when", "while", "as", "if", "some", "many", "most", "one", "two", "three", "several",
}


class Sentence:
    __slots__ = ("start", "end", "para", "ti", "tj", "index")

    def __init__(self, start: int, end: int, para: int) -> None:
        self.start = start
        self.end = end
        self.para = para
        self.ti = 0  # token range, filled in by Doc
        self.tj = 0
        self.index = 0

    def __repr__(self) -> str:  # pragma: no cover
        return f"Sentence({self.start},{self.end},p{self.para})"


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Blocks separated by blank lines, as (start, end), whitespace-trimmed, non-empty."""
    out: list[tuple[int, int]] = []
    pos = 0
    for m in _BLANK_LINE.finditer(text):
        out.append((pos, m.start()))
        pos = m.end() - 1  # keep the second newline out of the block
    out.append((pos, len(text)))
    res = []
    for s, e in out:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            res.append((s, e))
    return res


def _lines(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """Lines of a block; a single line break is kept inside a sentence only when it is clearly
    a soft wrap (the line does not end a sentence and the next one starts in lowercase)."""
    spans: list[tuple[int, int]] = []
    pos = s
    for m in _LINE_BREAK.finditer(text, s, e):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, e))
    merged: list[list[int]] = []
    for a, b in spans:
        seg = text[a:b]
        if not seg.strip():
            continue
        if merged:
            prev = text[merged[-1][0]:merged[-1][1]].rstrip()
            nxt = seg.lstrip()
            if prev and nxt and prev[-1] not in TERMINAL + ":" + CLOSERS and nxt[0].islower():
                merged[-1][1] = b
                continue
        merged.append([a, b])
    return [(a, b) for a, b in merged]


def _quote_regions(text: str, s: int, e: int, max_len: int = 320) -> list[tuple[int, int]]:
    """Spans of quoted speech that close within ``max_len`` characters (sentence breaks inside
    them are not sentence breaks). Mis-oriented or unbalanced quote marks are tolerated."""
    regions: list[tuple[int, int]] = []
    open_at = -1
    for i in range(s, e):
        c = text[i]
        if c not in ALL_QUOTES:
            continue
        if open_at < 0:
            if c in CLOSE_QUOTES:
                continue
            open_at = i
            continue
        if c in OPEN_QUOTES and i - open_at > max_len:
            open_at = i  # the earlier mark was never closed
            continue
        if i - open_at <= max_len:
            regions.append((open_at, i + 1))
        open_at = -1
    return regions


def _prev_word(text: str, i: int, lo: int) -> str:
    """The word (letters, dots, apostrophes) that ends at index ``i`` (exclusive)."""
    j = i
    while j > lo and (text[j - 1].isalnum() or text[j - 1] in ".'\u2019"):
        j -= 1
    return text[j:i]


def split_sentences(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """Sentence spans inside one line/block span."""
    regions = _quote_regions(text, s, e)
    out: list[tuple[int, int]] = []
    start = s
    i = s
    n = e
    while i < n:
        c = text[i]
        if c in TERMINAL:
            j = i + 1
            while j < n and text[j] in TERMINAL:
                j += 1
            while j < n and text[j] in CLOSERS:
                j += 1
            if j >= n:
                break
            if not text[j].isspace():
                i = j
                continue
            k = j
            while k < n and text[k].isspace():
                k += 1
            if k >= n:
                break
            if inside_region(regions, j):
                i = k
                continue
            if not _is_boundary(text, i, k, s, n, c):
                i = k
                continue
            out.append((start, j))
            start = k
            i = k
            continue
        i += 1
    out.append((start, e))
    return [(a, b) for a, b in out if text[a:b].strip()]


def inside_region(regions: list[tuple[int, int]], pos: int) -> bool:
    for a, b in regions:
        if a < pos < b - 1:
            return True
    return False


def _is_boundary(text: str, i: int, k: int, lo: int, n: int, c: str) -> bool:
    nxt = text[k]
    # continuation: lowercase or punctuation after the stop (". , two military personnel")
    if nxt.islower() or nxt in ",;:)]}%(":
        return False
    if c == ".":
        word = _prev_word(text, i, lo).lower().replace("\u2019", "'")
        base = word.rstrip(".")
        if base in _ABBREV_NEVER:
            return False
        if (len(base) == 1 and base.isalpha()) or re.fullmatch(r"(?:[a-z]\.)+[a-z]", base):  # initials: "John F. Kennedy", "J.K. Dutt"
            return False
        if base in _ABBREV_MAYBE:
            m = re.match(r"[\w']+", text[k:k + 30])
            return bool(m and m.group().lower() in SENTENCE_OPENERS)
        if base.isdigit() and text[k:k + 1].isdigit():
            return False
    return True


def strip_span(text: str, a: int, b: int) -> tuple[int, int]:
    """Trim whitespace and leading bullets from a span."""
    while a < b and (text[a].isspace() or text[a] in BULLETS):
        # a bullet only at the very start of the span (not the dash of a number range)
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


class Doc:
    """A text with its tokens and sentence segmentation."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.folded, self.fmap = fold_with_map(text)
        self.tokens = tokenize(text, self.folded, self.fmap)
        self.tok_starts = [t.start for t in self.tokens]
        self.paras = paragraphs(text)
        self.sentences: list[Sentence] = []
        for p, (ps, pe) in enumerate(self.paras):
            for ls, le in _lines(text, ps, pe):
                for a, b in split_sentences(text, ls, le):
                    a, b = strip_span(text, a, b)
                    if b <= a:
                        continue
                    for ca, cb in _chunk(text, a, b):
                        self.sentences.append(Sentence(ca, cb, p))
        self._merge_fragments()
        for k, sent in enumerate(self.sentences):
            sent.index = k
            sent.ti, sent.tj = self.token_range(sent.start, sent.end)

    def span(self, fs: int, fe: int) -> tuple[int, int]:
        """Original offsets of a span of the folded text."""
        if self.fmap is None:
            return fs, fe
        if fe <= fs:
            o = self.fmap[fs] if fs < len(self.fmap) else len(self.text)
            return o, o
        return self.fmap[fs], self.fmap[fe - 1] + 1

    def token_range(self, a: int, b: int) -> tuple[int, int]:
        return bisect.bisect_left(self.tok_starts, a), bisect.bisect_left(self.tok_starts, b)

    def _merge_fragments(self) -> None:
        """Glue a short verbless figure fragment ("About 750 others.") to the sentence before it."""
        out: list[Sentence] = []
        for sent in self.sentences:
            if out and out[-1].para == sent.para:
                frag = self.text[sent.start:sent.end]
                words = re.findall(r"[^\W_]+", frag)
                if (
                    len(words) <= 4
                    and re.search(r"\d|\b(?:ten|twenty|hundred|thousand|dozens?|hundreds|thousands)\b", frag, re.I)
                    and re.search(r"\b(?:others?|more|people|of them|in all|in total)\b", frag, re.I)
                    and "\n" not in self.text[out[-1].end:sent.start]
                ):
                    out[-1].end = sent.end
                    continue
            out.append(sent)
        self.sentences = out


_MAX_SENT = 1500


def _chunk(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """Cut pathological run-on "sentences" into pieces of bounded length at whitespace."""
    if b - a <= _MAX_SENT:
        return [(a, b)]
    out = []
    pos = a
    while b - pos > _MAX_SENT:
        cut = text.rfind(" ", pos + _MAX_SENT // 2, pos + _MAX_SENT)
        if cut <= pos:
            cut = pos + _MAX_SENT
        out.append((pos, cut))
        pos = cut
        while pos < b and text[pos].isspace():
            pos += 1
    if pos < b:
        out.append((pos, b))
    return [(x, y) for x, y in out if y > x]
