"""Readability of plan text for readers at language level B1 (issue "Writing the plan", item 6).

Pure functions, no database: Markdown in, numbers and plain-text sentences out.

- `analyse(markdown)` gives one section's Flesch–Douma score, sentences (long ones marked) and
  jargon with plain alternatives.
- `highlight(markdown)` gives the same sentences grouped per paragraph, heading or list item, for a
  template that wraps the long ones in `<mark>`.
- `figures(markdown)` gives what a list of sections needs of one section (score, verdict, counts
  and jargon, no sentences), cached per text: the plan page shows it for every section on every
  view, and texts rarely change between views.
- `summarise({key: markdown})` gives the plan-level view for the client council and for
  compliance rule 25 ("sections scoring above the readability target (B1) are flagged").
- `load_jargon()` reads the word list in `data/jargon.yaml`, which non-programmers maintain.

Markdown is parsed like `samenplan.core.markdown` does (CommonMark with tables), except that raw
HTML is recognised so it can be left out: it is no prose to measure, and leaving it out means no
tag from the input ever comes back from here. Text handed back is plain text that a template
autoescapes like any other user input (an escaped "&lt;b&gt;" in the Markdown comes back as the
characters "<b>"); never mark it safe.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt

# Flesch–Douma ≥ 60 is read as "plain language, roughly B1". Flesch's reading-ease scale (1948)
# calls 60–70 "plain English"; W.H. Douma (1960) kept that scale when he fitted the constants to
# Dutch, and Dutch plain-language practice commonly takes 60 as the lower bound for text that
# B1 readers manage. That is a convention, not a law: B1 is a CEFR level defined by what a reader
# can do, and the formula only sees sentence and word length. The Kwaliteitskader asks for a plan
# the client council understands, not for a score; the score is a prompt to look again.
TARGET_SCORE = 60.0
# B1 writing guides advise short sentences, about 10–15 words on average and rarely above 20.
MAX_AVERAGE_SENTENCE_LENGTH = 15.0
LONG_SENTENCE_WORDS = 20  # a sentence with more words than this is "too long"
# Below 50 Flesch-type tables speak of "difficult" (higher-education level) text.
DIFFICULT_SCORE = 50.0

# Douma's constants for Dutch. textstat has the same ones under set_lang("nl"), but its own
# sentence counter ignores sentences of two words or fewer and knows no Dutch abbreviations, so the
# formula is computed here from our own counts: the score, the average and the long sentences then
# describe the same sentences.
DOUMA_BASE = 206.835
DOUMA_SENTENCE_LENGTH = 0.93
DOUMA_SYLLABLES_PER_WORD = 77.0

JARGON_FILE = Path(__file__).resolve().parent / "data" / "jargon.yaml"


@dataclass(frozen=True)
class JargonEntry:
    term: str
    alternative: str
    variants: tuple[str, ...] = ()


@dataclass(frozen=True)
class JargonHit:
    term: str  # as in the word list, e.g. "Wlz"
    alternative: str
    count: int  # occurrences in the text, variants included


@dataclass(frozen=True)
class Sentence:
    text: str
    words: int
    too_long: bool


def _verdict(score: float | None, meets_target: bool) -> str:
    if score is None:
        return _("Nog geen tekst")
    if meets_target:
        return _("Goed te lezen (B1)")
    if score >= DIFFICULT_SCORE:
        return _("Wat moeilijk")
    return _("Moeilijk")


@dataclass(frozen=True)
class Readability:
    score: float | None  # Flesch–Douma, 1 decimal; None when there are no words
    words: int
    sentences: list[Sentence]
    average_sentence_length: float  # words per sentence, 1 decimal; 0.0 without text
    jargon: list[JargonHit]  # in order of first occurrence
    # Jargon alone does not miss the target: a plan for the care office sometimes needs a term
    # such as "Wlz", and explaining it once is enough. Jargon is listed so the writer can check.
    meets_target: bool

    @property
    def long_sentences(self) -> list[Sentence]:
        return [sentence for sentence in self.sentences if sentence.too_long]

    @property
    def label(self) -> str:
        return _verdict(self.score, self.meets_target)


@dataclass(frozen=True)
class PlanReadability:
    score: float | None  # over all text of the plan together, not an average of section scores
    sections_below_target: list[str]  # keys of the sections that miss the target, in plan order
    jargon: list[JargonHit]  # merged over sections, counts summed, in order of first occurrence
    average_sentence_length: float

    @property
    def meets_target(self) -> bool:
        return _meets_target(self.score, self.average_sentence_length)

    @property
    def label(self) -> str:
        return _verdict(self.score, self.meets_target)


class JargonListError(ValueError):
    """The jargon word list cannot be used; the message names the file and the entry."""


# --- Markdown to plain text -------------------------------------------------------------------

# Tables are parsed so their cells do not end up in the running text as "| a | b |" lines.
# html=True only makes raw HTML recognisable, so it can be dropped instead of counted as words.
_MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable("table")
_RAW_TEXT_TAG = re.compile(r"<\s*(/?)\s*(script|style)\b", re.IGNORECASE)
_BARE_URL = re.compile(r"(?:\bhttps?://|\bwww\.)[^\s<>]*[^\s<>.,;:!?)\]'\"]", re.IGNORECASE)
# The lookbehinds and possessive quantifiers (++) keep these linear: the analysis runs on every
# pause in typing, on up to 60,000 characters, and a pattern that backtracks would let one long
# run of dots or letters hold a worker for seconds.
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]++@[\w-]++(?:\.[\w-]++)++")
_SPACES = re.compile(r"\s+")
_SPACE_BEFORE_PUNCTUATION = re.compile(r" ([.,;:!?])(?=\s|$)")


@dataclass(frozen=True)
class _Block:
    text: str
    prose: bool  # False for table cells: counted for jargon, not for the score


def _inline_text(children: Iterable) -> str:
    parts: list[str] = []
    skip_until: str | None = None  # closing token type that ends a skipped stretch
    in_raw_text_tag = False
    for token in children:
        if skip_until is not None:
            if token.type == skip_until:
                skip_until = None
            continue
        if token.type == "html_inline":
            # Text between <script> and </script> is never read by anyone.
            if match := _RAW_TEXT_TAG.match(token.content):
                in_raw_text_tag = not match.group(1)
            continue
        if in_raw_text_tag:
            continue
        if token.type == "link_open" and token.markup == "autolink":
            skip_until = "link_close"  # the text of <https://…> is the URL itself
        elif token.type == "text":
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        # Images (alt text), inline code and link targets are not prose: skipped.
    text = "".join(parts)
    text = _SPACES.sub(" ", _EMAIL.sub(" ", _BARE_URL.sub(" ", text)))
    # "Mail ons op ." once the address is gone.
    return _SPACE_BEFORE_PUNCTUATION.sub(r"\1", text).strip()


def _blocks(markdown_text: str) -> list[_Block]:
    """Each paragraph, heading, list item and table cell, as plain text."""
    # NFC, so "ï" typed as "i" plus a diaeresis matches the word list too.
    source = unicodedata.normalize("NFC", markdown_text or "")
    blocks = []
    table_depth = 0
    for token in _MARKDOWN.parse(source):
        if token.type == "table_open":
            table_depth += 1
        elif token.type == "table_close":
            table_depth -= 1
        elif token.type == "inline" and (text := _inline_text(token.children or [])):
            blocks.append(_Block(text=text, prose=table_depth == 0))
        # code_block, fence and html_block carry no inline children and are skipped.
    return blocks


# --- Sentences and words ----------------------------------------------------------------------

# A sentence ends at . ! ? or … (and any closing quote or bracket) before a space or the end.
# "3.5", "2,5" and "14.30" never end one, because no space follows the full stop.
_SENTENCE_END = re.compile(r"(?<![.!?…])(?:[.!?…]++)[\"'”’)\]]*+(?=\s|$)")
# A word: letters and digits, joined by hyphens or apostrophes ("PDCA-cyclus", "zzp'ers") or, in
# numbers, by a decimal comma, full stop or colon ("2,5", "14.30").
_WORD = re.compile(r"[^\W_]+(?:(?:[-'’]|(?<=\d)[.,:](?=\d))[^\W_]+)*")

# Abbreviations after which a full stop does not end the sentence.
ABBREVIATIONS = frozenset(
    """
    a.s. a.u.b. afd. art. b.v. bijv. blz. bv. c.q. ca. d.w.z. dhr. dr. drs. e.a. e.d. e.v. enz.
    etc. evt. excl. gem. hfdst. i.o.m. i.p.v. i.s.m. i.v.m. incl. ing. ir. jl. m.b.t. m.i.v.
    m.u.v. max. mevr. min. mr. mw. n.a.v. n.v.t. nr. nrs. o.a. o.b.v. o.l.v. p.m. par. prof.
    resp. st. t.a.v. t.b.v. t.o.v. t.z.t. tel. vgl. vs. z.o.z. z.s.m. zgn.
    """.split()
)
# These often close a sentence too ("… koken, wandelen enz. Daarna …"): split when a capital follows.
SENTENCE_FINAL_ABBREVIATIONS = frozenset("e.a. e.d. e.v. enz. etc. jl. a.s. min.".split())
_INITIAL = re.compile(r"^[A-Z]\.$")  # "J. de Vries"


def _is_abbreviation(last_word: str, following: str) -> bool:
    """Whether the full stop ending `last_word` belongs to an abbreviation or an initial."""
    last_word = last_word.lstrip("([\"'“‘").rstrip("\"'”’)]")
    if last_word.lower() in SENTENCE_FINAL_ABBREVIATIONS:
        return not following.lstrip(" \"'“‘(")[:1].isupper()
    return last_word.lower() in ABBREVIATIONS or bool(_INITIAL.match(last_word))


def _split_sentences(text: str) -> list[str]:
    """Sentences of one block of text, in which whitespace is already single spaces."""
    sentences = []
    start = 0
    for end in _SENTENCE_END.finditer(text):
        if end.group().rstrip("\"'”’)]") == ".":
            # Only the word before the full stop and the next few characters are looked at, so
            # this stays linear however long the text is.
            space = text.rfind(" ", start, end.start())
            last_word = text[space + 1 if space >= 0 else start : end.end()]
            if _is_abbreviation(last_word, text[end.end() : end.end() + 8]):
                continue
        sentences.append(text[start : end.end()].strip())
        start = end.end()
    sentences.append(text[start:].strip())
    return [sentence for sentence in sentences if sentence]


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


@functools.cache
def _textstat():
    # Imported on first use: textstat imports nltk, which costs about a second at start-up.
    import textstat

    return textstat


# Longer than any real word: hyphenating it would only cost time (pyphen is slow on a run of
# thousands of letters), so its syllables are estimated from its vowel groups.
MAX_HYPHENATED_WORD_LENGTH = 60
_VOWEL_GROUPS = re.compile(r"[aeiouyàáâäèéêëìíîïòóôöùúûü]+", re.IGNORECASE)


@functools.lru_cache(maxsize=16384)
def _word_syllables(word: str) -> int:
    # Cached per word: a section repeats its words, and while someone types almost all of them
    # were counted at the previous pause. Words are short, so the cache stays small.
    if len(word) > MAX_HYPHENATED_WORD_LENGTH:
        return max(1, len(_VOWEL_GROUPS.findall(word)))
    textstat = _textstat()
    # set_lang is global state in textstat. Set it on every call: under "en" textstat would try to
    # download nltk's cmudict, and pyphen's bundled nl_NL dictionary needs no network.
    textstat.set_lang("nl")
    # Hyphenated compounds are counted per part ("e-mail" is e + mail); apostrophes are dropped
    # ("auto's" is au-to's).
    return textstat.syllable_count(word.replace("'", "").replace("’", "").replace("-", " "))


def _syllables(sentence: str) -> int:
    return sum(_word_syllables(word) for word in _words(sentence))


def _sentence(text: str) -> Sentence | None:
    words = len(_words(text))
    if not words:
        return None  # punctuation or a stray symbol on its own is no sentence
    return Sentence(text=text, words=words, too_long=words > LONG_SENTENCE_WORDS)


def _passages(blocks: Iterable[_Block]) -> list[list[Sentence]]:
    passages = []
    for block in blocks:
        if block.prose:
            sentences = [s for text in _split_sentences(block.text) if (s := _sentence(text))]
            if sentences:
                passages.append(sentences)
    return passages


# --- The score --------------------------------------------------------------------------------


def flesch_douma(*, words: int, sentences: int, syllables: int) -> float | None:
    """206.835 − 0.93 × words per sentence − 77 × syllables per word, not clamped."""
    if not words or not sentences:
        return None
    return (
        DOUMA_BASE
        - DOUMA_SENTENCE_LENGTH * (words / sentences)
        - DOUMA_SYLLABLES_PER_WORD * (syllables / words)
    )


@dataclass(frozen=True)
class _Counts:
    sentences: int
    words: int
    syllables: int

    def __add__(self, other: _Counts) -> _Counts:
        return _Counts(self.sentences + other.sentences, self.words + other.words, self.syllables + other.syllables)


def _count(sentences: Sequence[Sentence]) -> _Counts:
    return _Counts(sentences=len(sentences), words=sum(sentence.words for sentence in sentences),
                   syllables=sum(_syllables(sentence.text) for sentence in sentences))


def _measure(counts: _Counts) -> tuple[float | None, float]:
    """Score and average sentence length, both rounded to one decimal."""
    score = flesch_douma(words=counts.words, sentences=counts.sentences, syllables=counts.syllables)
    if score is None:
        return None, 0.0
    return round(score, 1), round(counts.words / counts.sentences, 1)


def _meets_target(score: float | None, average_sentence_length: float) -> bool:
    # Compared after rounding, so a section shown as "60.0" is never told it misses 60.
    if score is None:
        return True
    return score >= TARGET_SCORE and average_sentence_length <= MAX_AVERAGE_SENTENCE_LENGTH


# --- Jargon -----------------------------------------------------------------------------------

# Jargon is matched on whole words: a text is cut into runs of letters and digits, and a spelling
# of one, two or more runs is looked up at each run. "mic" in "dynamiek" is no hit because
# "dynamiek" is one run; "Wlz-indicatie" is two runs, so it counts as Wlz (and as indicatie).
_RUN = re.compile(r"\w+")
_OUTER_PUNCTUATION = re.compile(r"^\W+|\W+$")


def _jargon_key(spelling: str) -> str:
    # "t.b.v." is looked up as "t.b.v": the closing full stop is not part of any run.
    spelling = " ".join(spelling.split()).replace("’", "'")
    return _OUTER_PUNCTUATION.sub("", spelling)


_ENTRY_KEYS = {"term", "alternative", "variants"}


def _entry_error(path: Path, number: int, line: int | None, term: object, problem: str) -> str:
    where = f"{path.name}, line {line}" if line else path.name
    name = f", {term!r}" if isinstance(term, str) and term else ""
    return f"{where} (entry {number}{name}): {problem} [{path}]"


def _non_empty_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _parse_entry(raw: object, *, path: Path, number: int, line: int | None) -> JargonEntry:
    term = raw.get("term") if isinstance(raw, dict) else None

    def fail(problem: str) -> JargonListError:
        return JargonListError(_entry_error(path, number, line, term, problem))

    if not isinstance(raw, dict):
        raise fail("an entry needs 'term' and 'alternative', e.g. '- term: Wlz'")
    if unknown := sorted(set(map(str, raw)) - _ENTRY_KEYS):
        raise fail(f"unknown key(s) {', '.join(unknown)}; allowed are term, alternative, variants")
    for key in ("term", "alternative"):
        value = raw.get(key)
        if value is None or value == "":
            raise fail(f"'{key}' is missing or empty")
        if not _non_empty_text(value):
            # YAML reads NO, ON or 2024 as a yes/no or a number, not as text.
            raise fail(f"'{key}' must be text; put it in quotes, e.g. {key}: \"NO\"")
    variants = raw.get("variants") or []
    if not isinstance(variants, list) or not all(_non_empty_text(v) for v in variants):
        raise fail("'variants' must be a list of texts in quotes, e.g. [\"WLZ\", \"wlz-zorg\"]")
    return JargonEntry(
        term=term.strip(),
        alternative=" ".join(raw["alternative"].split()),
        variants=tuple(v.strip() for v in variants),
    )


def _entry_lines(text: str) -> list[int | None]:
    # safe_load forgets where entries are; the composed node tree still knows their line.
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    if isinstance(node, yaml.SequenceNode):
        return [item.start_mark.line + 1 for item in node.value]
    return []


@functools.cache
def _read_jargon(path: Path) -> tuple[JargonEntry, ...]:
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        lines = _entry_lines(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"{path.name}, line {mark.line + 1}, column {mark.column + 1}" if mark else path.name
        problem = f"not valid YAML ({error.problem}); check quotes and colons"
        raise JargonListError(f"{where}: {problem} [{path}]") from error
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise JargonListError(f"{path}: cannot read the jargon list: {error}") from error
    if not isinstance(data, list):
        raise JargonListError(f"{path}: the jargon list must be a list of entries ('- term: …')")
    entries = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(data, start=1):
        line = lines[number - 1] if number <= len(lines) else None
        entry = _parse_entry(raw, path=path, number=number, line=line)
        for spelling in (entry.term, *entry.variants):
            key = _jargon_key(spelling)
            if not key:
                problem = f"{spelling!r} has no letters or digits"
            elif key in seen:
                problem = f"{spelling!r} is already listed in entry {seen[key]}"
            else:
                seen[key] = number
                continue
            raise JargonListError(_entry_error(path, number, line, entry.term, problem))
        entries.append(entry)
    return tuple(entries)


def load_jargon(path: Path = JARGON_FILE) -> list[JargonEntry]:
    """The word list, read once per process; raises JargonListError naming file and entry."""
    return list(_read_jargon(Path(path)))


@dataclass(frozen=True)
class _JargonIndex:
    exact: dict[str, int]  # spellings with a capital ("ZZP", "Wlz"): only in exactly that case
    folded: dict[str, int]  # all-lowercase spellings ("borgen"): also "Borgen" at a sentence start
    longest: int  # the most runs in one spelling
    phrase_starts: frozenset[str]  # first runs, lowercased, of spellings of more than one run


@functools.lru_cache(maxsize=8)
def _jargon_index(entries: tuple[JargonEntry, ...]) -> _JargonIndex:
    exact: dict[str, int] = {}
    folded: dict[str, int] = {}
    phrase_starts: set[str] = set()
    for index, entry in enumerate(entries):
        for spelling in (entry.term, *entry.variants):
            key = _jargon_key(spelling)
            if key == key.lower():
                folded.setdefault(key, index)
            else:
                exact.setdefault(key, index)
            if len(runs := _RUN.findall(key)) > 1:
                phrase_starts.add(runs[0].lower())
    longest = max((len(_RUN.findall(key)) for key in [*exact, *folded]), default=1)
    return _JargonIndex(exact=exact, folded=folded, longest=longest, phrase_starts=frozenset(phrase_starts))


def _jargon_in(text: str, index: _JargonIndex) -> Iterator[int]:
    """The entry index of every jargon hit in `text`, in order."""
    runs = list(_RUN.finditer(text))
    position = 0
    while position < len(runs):
        # Longest spelling first, so "zzp'ers" (freelancers) wins over the ZZP inside it. Longer
        # spellings are only tried where one can start, which keeps this fast on long texts.
        is_phrase_start = runs[position].group().lower() in index.phrase_starts
        longest = min(index.longest, len(runs) - position) if is_phrase_start else 1
        for length in range(longest, 0, -1):
            candidate = text[runs[position].start() : runs[position + length - 1].end()]
            key = " ".join(candidate.split()).replace("’", "'")
            found = index.exact.get(key, index.folded.get(key.lower()))
            if found is not None:
                yield found
                position += length
                break
        else:
            position += 1


def _find_jargon(texts: Iterable[str], entries: Sequence[JargonEntry]) -> list[JargonHit]:
    entries = tuple(entries)
    index = _jargon_index(entries)
    counts: dict[int, int] = {}  # dicts keep insertion order: first occurrence first
    for text in texts:  # per block, so a phrase never runs on from a heading into the next line
        for found in _jargon_in(text, index):
            counts[found] = counts.get(found, 0) + 1
    return [
        JargonHit(term=entries[found].term, alternative=entries[found].alternative, count=count)
        for found, count in counts.items()
    ]


def _merge_jargon(hit_lists: Iterable[Sequence[JargonHit]]) -> list[JargonHit]:
    totals: dict[str, JargonHit] = {}
    for hits in hit_lists:
        for hit in hits:
            if known := totals.get(hit.term):
                hit = JargonHit(term=hit.term, alternative=hit.alternative, count=known.count + hit.count)
            totals[hit.term] = hit
    return list(totals.values())


# --- Public functions -------------------------------------------------------------------------


def _analyse(markdown_text: str, jargon: Sequence[JargonEntry] | None) -> tuple[Readability, _Counts]:
    blocks = _blocks(markdown_text)
    sentences = [sentence for passage in _passages(blocks) for sentence in passage]
    counts = _count(sentences)
    score, average = _measure(counts)
    entries = load_jargon() if jargon is None else jargon
    result = Readability(
        score=score,
        words=counts.words,
        sentences=sentences,
        average_sentence_length=average,
        jargon=_find_jargon((block.text for block in blocks), entries),
        meets_target=_meets_target(score, average),
    )
    return result, counts


def analyse(markdown_text: str, *, jargon: Sequence[JargonEntry] | None = None) -> Readability:
    """Readability of one section's Markdown; `jargon` replaces the word list (for tests)."""
    return _analyse(markdown_text, jargon)[0]


@dataclass(frozen=True)
class SectionFigures:
    """`analyse` without the sentences: what a list of sections and the plan summary need."""

    score: float | None
    average_sentence_length: float
    meets_target: bool
    jargon: tuple[JargonHit, ...]
    counts: _Counts  # summed over sections for the score of the plan as a whole

    @property
    def label(self) -> str:
        return _verdict(self.score, self.meets_target)


@functools.lru_cache(maxsize=512)
def figures(markdown_text: str) -> SectionFigures:
    """The figures of one section's Markdown, with the word list of `load_jargon`.

    Cached on the text: the plan page shows every section's figures on every view, and between two
    views at most a few texts change. An entry is the text and a few numbers, not the sentences.
    The word list is read once per process anyway, so no entry outlives a change to it."""
    result, counts = _analyse(markdown_text, None)
    return SectionFigures(score=result.score, average_sentence_length=result.average_sentence_length,
                          meets_target=result.meets_target, jargon=tuple(result.jargon), counts=counts)


def highlight(markdown_text: str) -> list[list[Sentence]]:
    """The plain text as passages (paragraph, heading or list item), each a list of sentences.

    A template shows the long ones marked, with the text autoescaped as always:

        {% for passage in passages %}<p>{% for sentence in passage %}
          {% if sentence.too_long %}<mark>{{ sentence.text }}</mark>{% else %}{{ sentence.text }}{% endif %}
        {% endfor %}</p>{% endfor %}

    Tables, code and raw HTML are left out, as they are left out of the score.
    """
    return _passages(_blocks(markdown_text))


def summarise(sections: dict[str, str]) -> PlanReadability:
    """Plan-level readability for the client council and compliance rule 25; key -> Markdown."""
    results = {key: figures(text) for key, text in sections.items()}
    # Each section is parsed on its own, so an unclosed code fence cannot swallow the next one. The
    # score is over the sentences of all sections together: their counts summed.
    score, average = _measure(sum((result.counts for result in results.values()), _Counts(0, 0, 0)))
    return PlanReadability(
        score=score,
        sections_below_target=[key for key, result in results.items() if not result.meets_target],
        jargon=_merge_jargon(result.jargon for result in results.values()),
        average_sentence_length=average,
    )
