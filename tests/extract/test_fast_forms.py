"""The faster forms of the cue patterns answer exactly as the patterns they stand in for.

`ends_*` read the text before a name backwards, and `AnyCase.lower` matches lower-cased text
case-sensitively; both must agree with the plain forward, case-insensitive patterns on every input.
"""

from __future__ import annotations

import itertools
import random
import re
from pathlib import Path

import pytest

from citecheck.extract.cues import TextIndex
from citecheck.extract.lexicon import AnyCase, load_lexicon, lowered_text
from citecheck.extract.outlets import fold_punctuation

PHRASES = """according to|the|a|an|said|says|in|on|published by|from|of|leak of|leaked|list of
|members of the|report|a study|spokesman for|spokeswoman of|analysts at|experts from|Reuters|The BBC's
|2015|Annual|Report's|in possession of|seen by|obtained by|reviewed by|told|per|via|source:|Sources:
|citing|quoting|the copy of which is in possession of|an interview with|documents|survey|released
|conducted by|commissioned|Xinhua|TASS|Ministry of State Security|writing in|wrote in|in the|on the
|published in|statement|ACCORDING TO|\u017faid|\u0131N|\u0130n|\u212a|press secretary of|a report by
|files from""".replace("\n", "").split("|")
GLUE = [" ", "  ", "\n", "(", '"', "", " \t", "'s ", ". ", ", ", "\u2019s "]


def _samples(count: int = 20000) -> list[str]:
    rng = random.Random(20261123)
    return [
        "".join(rng.choice(PHRASES) + rng.choice(GLUE) for _ in range(rng.randrange(1, 9)))
        for _ in range(count)
    ]


SAMPLES = _samples()

PAIRS = [
    ("leading_before", "ends_leading"),
    ("weak_leading_before", "ends_weak_leading"),
    ("self_before", "ends_self"),
    ("subject_before", "ends_subject"),
    ("spokes_before", "ends_spokes"),
    ("authorship_before", "ends_authorship"),
]


@pytest.mark.parametrize(("forward", "backward"), PAIRS)
def test_reversed_patterns_agree_with_forward_ones(forward: str, backward: str) -> None:
    lexicon = load_lexicon()
    forward_pattern: re.Pattern[str] = getattr(lexicon, forward)
    reversed_form = getattr(lexicon, backward)
    found = 0
    for before in SAMPLES:
        expected = forward_pattern.search(before) is not None
        found += expected
        if isinstance(reversed_form, AnyCase):
            assert (reversed_form.written.match(before[::-1]) is not None) == expected, before
            lowered = lowered_text(before)
            if lowered is not None:
                assert (reversed_form.lower.match(lowered[::-1]) is not None) == expected, before
        else:
            assert (reversed_form.match(before[::-1]) is not None) == expected, before
    assert found > 100  # the samples exercise the pattern, not only its misses


@pytest.mark.parametrize(
    "name",
    [
        "leading_before_any",
        "weak_leading_before_any",
        "reporting_after_any",
        "self_after_any",
        "any_reporting_verb_any",
    ],
)
def test_lower_cased_forms_find_the_same_spans(name: str) -> None:
    pattern: AnyCase = getattr(load_lexicon(), name)
    for text in SAMPLES + [sample[::-1] for sample in SAMPLES[:2000]]:
        lowered = lowered_text(text)
        if lowered is None:
            continue
        written = [m.span() for m in pattern.written.finditer(text)]
        assert [m.span() for m in pattern.lower.finditer(lowered)] == written, text


def test_lowered_text_refuses_letters_that_break_offsets_or_case_rules() -> None:
    assert lowered_text("Reuters SAID") == "reuters said"
    assert lowered_text("İstanbul") is None  # lower-cases to two characters
    assert lowered_text("ſaid") is None  # matches "s" case-insensitively, stays itself lower-cased
    assert lowered_text("ıt is") is None


def test_sentence_bounds_and_quotes_match_a_plain_scan() -> None:
    """Sentence stops are found once per document; a window sees only stops whose next sentence starts
    inside it, as a search of the window alone would."""
    stop = re.compile(r"[.!?](?=\s+[A-Z\"'\u201c(])|\n")
    rng = random.Random(7)
    pieces = [
        "Reuters said. ",
        "The end.",
        "  ",
        "\n",
        "Why? ",
        "(a) ",
        '"Quoted," he said. ',
        "x.Y ",
        "U.S. Army",
        "!",
    ]
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 30)))
        index = TextIndex(text)
        for start in range(len(text) + 1):
            end = min(len(text), start + rng.randrange(0, 12))
            line_start, line_end = index.line_bounds(start)
            window_start = max(line_start, start - 1000)
            sentence_start = window_start
            for match in stop.finditer(text, window_start, start):
                sentence_start = match.end()
            found = stop.search(text, end, min(line_end, end + 1000))
            expected = sentence_start, found.end() if found else min(line_end, end + 1000)
            assert index.sentence_bounds(start, end) == expected, (text, start, end)
            quotes = [
                m.span()
                for m in re.finditer(
                    r"\u201c[^\u201c\u201d]{0,2000}?\u201d|(?<![\w])\"[^\"\n]{0,1000}?\"(?![\w])", text
                )
            ]
            assert index.in_quotes(start, end) == any(s < start and end < e for s, e in quotes)


def test_outlet_matcher_placeholder_words_never_become_hits(extract) -> None:  # type: ignore[no-untyped-def]
    """The root children added for speed end in U+FFFF; text containing it still yields only real names."""
    text = "a\uffff e\uffff T\uffff According to Reuters,\uffff the BBC reported.\uffff"
    assert [(c.text, c.role.value) for c in extract(text)] == [("Reuters", "cited"), ("BBC", "cited")]


def test_vague_cores_are_the_endings_of_their_patterns() -> None:
    """A core must be a top-level tail of its pattern (not a branch of an alternation), so that every
    match of the pattern ends with a match of the core and skipping windows without one loses nothing."""
    from re import _parser  # the regex parser; its trees show whether the split is at the top level

    import yaml

    from citecheck.extract.lexicon import LEXICON_FILE

    entries = yaml.safe_load(LEXICON_FILE.read_text(encoding="utf-8"))["vague_patterns"]
    assert sum("core" in entry for entry in entries) >= 10
    for entry in entries:
        if "core" not in entry:
            continue
        pattern, core = entry["pattern"], entry["core"]
        assert pattern.endswith(core)
        whole, tail = _parser.parse(pattern).data, _parser.parse(core).data
        head = _parser.parse(pattern[: -len(core)]).data
        assert repr(list(whole)) == repr(list(head) + list(tail)), core


def _vague_reference(text: str) -> list[tuple[int, int]]:
    """find_vague() as it was before cores and lower-cased patterns: the same windows, every pattern
    run case-insensitively over each whole window."""
    from citecheck.extract.lexicon import scan
    from citecheck.extract.vague import _REACH, _automaton, _merge

    lexicon = load_lexicon()
    lowered = text.lower() if len(text.lower()) == len(text) else text
    windows: dict[int, list[tuple[int, int]]] = {}
    automaton, patterns = _automaton(lexicon)
    for word, start, end in scan(automaton, lowered):
        indexes = patterns[word]
        if (start > 0 and lowered[start - 1].isalnum()) or (end < len(lowered) and lowered[end].isalnum()):
            continue
        for index in indexes:
            window = (max(0, start - _REACH), min(len(text), end + _REACH))
            spans = windows.setdefault(index, [])
            if spans and window[0] <= spans[-1][1]:
                spans[-1] = (spans[-1][0], window[1])
            else:
                spans.append(window)
    found = []
    for index, spans in windows.items():
        for window_start, window_end in spans:
            for match in lexicon.vague[index].finditer(text, window_start, window_end):
                start, end = match.span()
                while start < end and text[start].isspace():
                    start += 1
                if end > start:
                    found.append((start, end))
    return _merge(found)


def test_vague_cores_and_lower_cased_patterns_find_what_the_plain_patterns_find() -> None:
    from citecheck.extract.vague import find_vague

    rng = random.Random(11)
    phrases = [
        "U.S. media revealed",
        "according to unnamed sources",
        "Some analysts say",
        "manyexperts say",
        "it  is reported that",
        "It was said that",
        "there were various rumours",
        "an overseas tipster said",
        "a senior US official confirmed",
        "various investigations into the leak revealed",
        "Chinese journalists",
        "people familiar with the matter",
        "reportedly",
        "rumours have it",
        "broke the news that",
        "netizens said",
        "the media",
        "sources",
        "officials close to the talks",
        "\u017fources say",
        "\u0130t is",
    ]
    glue = [" ", ". ", ", ", "\n", "  ", " the ", " and then ", "x" * 120, " " * 90]
    hits = 0
    for _ in range(600):
        text = "".join(rng.choice(phrases) + rng.choice(glue) for _ in range(rng.randrange(1, 10)))
        expected = _vague_reference(text)
        hits += len(expected)
        assert find_vague(text, load_lexicon()) == expected, text
    assert hits > 500


FRAGMENTS = [
    "Source: ",
    "\u201chttp://x.com/a\u2019b\u201d",
    "https://",
    "http://x.org/a(b)c",
    "www.",
    "WWW2.Example.COM",
    "mailto:a@b.com",
    "data:",
    "file:",
    "javascript:",
    "metadata:",
    "ftp://f",
    "example.com",
    "news.bbc.co.uk",
    "e.g.",
    "U.S.",
    "foo.py",
    "a@b.org",
    "Mr.Smith",
    "x_y.com",
    "café.fr",
    ".",
    ":",
    " ",
    "\n",
    "(",
    ")",
    '"',
    "four media organizations: ",
    "Media:  ",
    "outlets\n:",
    "newspapers :",
    "The Sunday Mall",
    "De Standard in Belgium",
    "Office of the Director",
    "McDonald",
    "ReUters",
    "Al-Jazeera's",
    "\t",
    ", ",
    "; ",
    "according to the ",
    " reported ",
    "The Australian",
    "1. ",
    "- ",
    "\u2022 ",
    "Sources:\n",
    "\u017f",
    "\u0130",
    "K\u212a",
    "w",
    "ww",
    "wwww.x.com",
    "http",
    "s:",
]


def _fragment_texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(FRAGMENTS) for _ in range(rng.randrange(1, 25))) for _ in range(count)]


def test_urls_found_only_at_possible_starts_are_all_urls() -> None:
    from citecheck.extract.urls import URL_PATTERN, _url_matches

    for text in _fragment_texts(3000, 1):
        expected = [m.span() for m in URL_PATTERN.finditer(text)]
        assert [m.span() for m in _url_matches(text)] == expected, text
        folded_lower = fold_punctuation(text).lower()
        if len(folded_lower) == len(text):
            assert [m.span() for m in _url_matches(text, folded_lower)] == expected, text


def test_domains_scanned_run_by_run_are_all_domains() -> None:
    from citecheck.extract.domains import _CANDIDATE, _candidates

    texts = _fragment_texts(3000, 2)
    texts += [text.replace(" ", "\u2014").replace("(", "\u2019") for text in _fragment_texts(1000, 22)]
    for text in texts:
        assert [m.span() for m in _candidates(text)] == [m.span() for m in _CANDIDATE.finditer(text)], text


def test_media_list_regions_match_a_scan_for_heads() -> None:
    lexicon = load_lexicon()
    for text in _fragment_texts(3000, 3):
        index = TextIndex(text)
        expected = [(m.end(), index.line_bounds(m.end())[1]) for m in lexicon.media_list_head.finditer(text)]
        assert index.media_list_regions(lexicon) == expected, text


def test_phrase_runs_give_the_phrases_of_a_whole_text_scan() -> None:
    from citecheck.extract.outlets import OutletMatcher, PhraseRuns

    for text in _fragment_texts(2000, 4):
        everywhere = OutletMatcher.phrases(text, 0, len(text))
        runs = PhraseRuns(text)
        assert runs.starting_in(0, len(text)) == everywhere, text
        ends = {end for _start, end in everywhere}
        for offset in range(len(text) + 1):
            assert runs.may_end_at(offset) or offset not in ends, (text, offset)
            _start, _end, phrases = runs.run(offset)
            assert set(phrases) <= set(everywhere)
            assert all(span in phrases for span in everywhere if span[0] <= offset <= span[1]), (text, offset)


def test_fuzzy_choices_left_out_by_length_or_characters_could_never_win(registry) -> None:  # type: ignore[no-untyped-def]
    from rapidfuzz import fuzz, process

    from citecheck.extract.outlets import FUZZY_CUTOFF, OutletMatcher, _more_bits_than, matcher_for

    assert _more_bits_than(0b1011, 2) and not _more_bits_than(0b1011, 3) and not _more_bits_than(0, 0)
    matcher = matcher_for(registry)
    rng = random.Random(5)
    names = [name for names in matcher._fuzzy_choices.values() for name in names]
    candidates = []
    for _ in range(3000):
        name = rng.choice(names)
        candidate = "".join(
            ch if rng.random() > 0.05 else rng.choice("aeiouAEIOU .x") for ch in name if rng.random() > 0.08
        )
        candidates.append(candidate + rng.choice(["", "s", "es", "x"]))
    for path in sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.txt")):
        text = fold_punctuation(path.read_text(encoding="utf-8"))
        candidates += [text[start:end] for start, end in OutletMatcher.phrases(text, 0, len(text))]
    found = 0
    for candidate in candidates:
        if len(candidate) < 6:
            continue
        every = matcher._fuzzy_choices.get(candidate[:1].lower(), [])
        full = process.extractOne(candidate, every, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        closest = matcher._closest_name(candidate)
        assert (closest is None) == (full is None)
        if full is not None:
            found += 1
            assert closest == (full[0], float(full[1]))
    assert found > 1000


def test_one_pass_finds_the_cue_words_and_triggers_two_passes_find() -> None:
    from citecheck.extract.cues import CuePositions, cue_word_hits
    from citecheck.extract.vague import _triggers

    lexicon = load_lexicon()
    rng = random.Random(6)
    words = [
        *lexicon.lead_words,
        *lexicon.follow_words,
        *lexicon.vague_triggers,
        "x",
        "1",
        "_",
        "-",
        "source:",
    ]
    for _ in range(1500):
        text = "".join(
            rng.choice(words) + rng.choice(["", " ", ".", "a", "\n", ":"])
            for _ in range(rng.randrange(1, 20))
        )
        lowered = text.lower()
        cue_hits, vague_hits = cue_word_hits(lowered, lexicon)
        assert sorted(cue_hits) == sorted(CuePositions._hits(lowered, lexicon)), (
            text
        )  # CuePositions keeps sets
        assert vague_hits == _triggers(text, lowered, lexicon), text  # in order: windows merge left to right


def test_ends_in_order_names_the_first_ending_test_that_passes() -> None:
    lexicon = load_lexicon()
    order = [
        lexicon.ends_self,
        lexicon.ends_subject,
        lexicon.ends_leading,
        lexicon.ends_spokes,
        lexicon.ends_weak_leading,
    ]
    for before in SAMPLES:
        backwards = before[::-1]
        passing = [number for number, test in enumerate(order, 1) if test.written.match(backwards)]
        match = lexicon.ends_in_order.written.match(backwards)
        assert (match.lastindex if match else 0) == (passing[0] if passing else 0), before


AFTER_PHRASES = [
    "'s",
    "\u2019s",
    " (CIA)",
    " (X)",
    " 2015",
    " Annual",
    " annual",
    " secret",
    " report",
    " Report",
    " reports",
    " said",
    " has",
    " also",
    " reported",
    " investigates",
    " exclusive",
    ",",
    " the",
    " a",
    " new",
    " document",
    " documents",
    " by",
    " x",
    " \u017faid",
    " K",
    " files",
    " Global Intelligence",
    " email",
    " op-ed",
    " report's",
    ", citing leaked documents,",
    ", the party's newspaper,",
    "  ",
    "\n",
    " of",
    " to",
]


def _after_samples(count: int = 20000) -> list[str]:
    rng = random.Random(8)
    return ["".join(rng.choice(AFTER_PHRASES) for _ in range(rng.randrange(1, 7))) for _ in range(count)]


def test_after_in_order_rules_out_only_what_fails() -> None:
    lexicon = load_lexicon()
    counts = [0, 0, 0, 0]
    for after in _after_samples():
        for form, subject in [("written", after), ("lower", lowered_text(after))]:
            if subject is None:
                continue
            match = getattr(lexicon.after_in_order, form).match(subject)
            first = match.lastindex if match else 0
            counts[first] += 1
            is_self = lexicon.self_after.match(after) is not None
            is_document = lexicon.document_after.match(after) is not None
            is_reporting = lexicon.reporting_after.match(after) is not None
            assert (first == 1) == is_self, after
            if not is_self:
                assert not is_document or first == 2, after  # the stand-in admits every document noun
                assert (first == 3) == (is_reporting and first != 2), after
                assert first != 0 or not (is_document or is_reporting), after
    assert min(counts) > 100


def test_authorship_stand_in_rules_out_only_what_fails() -> None:
    lexicon = load_lexicon()
    found = 0
    for before in SAMPLES:
        if lexicon.authorship_before.search(before):
            found += 1
            for form, subject in [("written", before), ("lower", lowered_text(before))]:
                if subject is not None:
                    assert getattr(lexicon.ends_in_order_or_authorship, form).match(subject[::-1]), before
    assert found > 100


def test_scan_finds_every_occurrence_by_end_and_longest_first() -> None:
    """What cue_word_hits() and find_vague() rely on: every occurrence, overlapping ones too, ordered as
    a left-to-right scan meets their ends (the longest first of those ending together), also in text
    with characters beyond ASCII and lone surrogates."""
    from ahocorasick_rs import AhoCorasick

    from citecheck.extract.lexicon import scan

    words = ["a", "ab", "abc", "b", "bc", "c", "ca", "\u00e9", "\u00e9a", "\u4e2d\u56fd", "\u56fd", "a c"]
    automaton = AhoCorasick(words)
    characters = ["a", "b", "c", " ", "\u00e9", "\u4e2d", "\u56fd", "\ud800", "\U0001f600"]
    rng = random.Random(8)
    for _ in range(3000):
        text = "".join(rng.choice(characters) for _ in range(rng.randrange(0, 30)))
        expected = [
            (index, start, start + len(word))
            for index, word in enumerate(words)
            for start in range(len(text))
            if text.startswith(word, start)
        ]
        expected.sort(key=lambda hit: (hit[2], hit[1]))
        assert scan(automaton, text) == expected, text


def test_quotes_and_sentence_stops_found_with_find_are_what_the_patterns_find() -> None:
    from citecheck.extract.cues import _STOPS, _STRAIGHT_QUOTED, _stops, _straight_quotes

    pieces = ['"', '"', "a", "B", "Z", " ", "\n", ".", "!", "?", "_", "1", "'", "(", "\u201c", "\u00a0", "\t"]
    pieces += ["\u2003", "\u00e9", "\u00c9", "\u0661", "x. Y", '"a"', '."', "\r\n"]
    rng = random.Random(9)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randrange(0, 40))) for _ in range(6000)]
    texts += ['"' + "x" * length + '"' for length in (999, 1000, 1001)]
    for text in texts:
        assert _straight_quotes(text) == [m.span() for m in _STRAIGHT_QUOTED.finditer(text)], text
        for mark, pattern in _STOPS:
            found: list[tuple[int, int]] = []
            _stops(text, mark, found)
            assert found == [m.span() for m in pattern.finditer(text)], (mark, text)


def _lexicon_word_samples(seed: int, count: int, lexicon_words: list[str], glue: list[str]) -> list[str]:
    rng = random.Random(seed)
    words = lexicon_words + ["Reuters", "the", "a", "an", "X", "Foreign Ministry", "x-y", "U.S.", "2015"]
    return [
        "".join(rng.choice(words) + rng.choice(glue) for _ in range(rng.randrange(1, 10)))
        for _ in range(count)
    ]


def _classify_windows() -> list[tuple[str, str]]:
    """The lower-cased text before and after every name matched in the example documents, as classify()
    cuts it (sentence and reach ignored: longer windows only hold more words)."""
    from citecheck.extract.outlets import matcher_for
    from citecheck.resolve.registry import load_registry

    matcher = matcher_for(load_registry())
    windows = []
    for path in sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.txt")):
        text = fold_punctuation(path.read_text(encoding="utf-8"))
        lowered = lowered_text(text)
        assert lowered is not None
        for hit in matcher.exact_hits(text):
            windows.append((lowered[max(0, hit.start - 120) : hit.start], lowered[hit.end : hit.end + 160]))
    return windows


def test_word_tests_rule_out_only_texts_the_patterns_cannot_match() -> None:
    """classify() skips ends_in_order_or_authorship and after_in_order where the word tests say they
    cannot match: the tests must never be wrong, and should rule out most texts that fail."""
    import yaml

    from citecheck.extract.lexicon import LEXICON_FILE

    lexicon = load_lexicon()
    data = yaml.safe_load(LEXICON_FILE.read_text(encoding="utf-8"))
    tests = lexicon.word_tests
    assert tests.usable
    ending, following = lexicon.ends_in_order_or_authorship.lower, lexicon.after_in_order.lower
    before_words = [
        *data["leading_phrases"],
        *data["leading_verbs"],
        *data["self_cues"]["before"],
        *data["subject_before"],
        *data["spokes_roles"],
        *data["document_nouns"][:10],
        *"for of at from by on in with to told members leaked possession".split(),
    ]
    after_words = [
        *data["reporting_verbs"],
        *data["auxiliaries"],
        *data["document_nouns"],
        *data["self_cues"]["after"],
        *"(CIA) (X) (abcdefghijklmn) Annual annual 2015 secret of to also".split(),
    ]
    glue = [" ", "  ", "\n", "(", '"', "", " \t", "'s ", ". ", ", ", "\u2019s ", "' ", ",", ":", "-", "["]
    glue.append("x")
    windows = _classify_windows()
    befores = SAMPLES + _lexicon_word_samples(12, 20000, before_words, glue) + [b for b, _ in windows]
    afters = (
        _after_samples()
        + [" " + text for text in _lexicon_word_samples(13, 20000, after_words, glue)]
        + _lexicon_word_samples(14, 5000, after_words, glue)
        + [a for _, a in windows]
        + [  # every way the document branch reaches its noun
            "".join(parts)
            for parts in itertools.product(
                ["", "'s", "\u2019", "'"],
                ["", " (CIA)", "(CIA)", " (X)"],
                ["", " annual", " new secret", " a b", " a b c"],
                [" report", " e-mail", " op-ed", " report's", " reports", " reportedly"],
                ["", " said", ".", "x", "-"],
            )
        ]
    )
    for name, texts, may_match, pattern, backwards in [
        ("before", befores, tests.before_may_match, ending, True),
        ("after", afters, tests.after_may_match, following, False),
    ]:
        matched = 0
        for text in texts:
            lowered = lowered_text(text)
            if lowered is None:
                continue
            found = pattern.match(lowered[::-1] if backwards else lowered) is not None
            matched += found
            assert may_match(lowered) or not found, (name, text)
        assert matched > 1000, name
    # Beside the names in real documents, the tests leave few texts to the patterns but those they match.
    for name, side, may_match, pattern, backwards in [
        ("before", 0, tests.before_may_match, ending, True),
        ("after", 1, tests.after_may_match, following, False),
    ]:
        texts = [window[side] for window in windows]
        left = [text for text in texts if may_match(text)]
        found = [text for text in texts if pattern.match(text[::-1] if backwards else text)]
        assert len(left) < 1.3 * len(found) + 0.05 * len(texts), (name, len(left), len(found), len(texts))


def test_literal_openings_start_every_match() -> None:
    from re import _parser  # the regex parser: what each alternative of a core really starts with

    from citecheck.extract.lexicon import literal_openings

    assert literal_openings("(?:ab|c[|]d|e\\|f)g") == ("c", "e", "ab")
    assert literal_openings("rumou?r|x") is None  # a top-level alternative
    assert literal_openings("rumou?rs") == ("rumo",)
    assert literal_openings("(?:a|b)?c") is None  # the group may match nothing
    assert literal_openings("(?:ab|\\bc)") is None
    assert literal_openings("(?:people\\s+x|people\\s+y|peoples)z") == ("people",)

    def literal_prefix(items: list) -> str:  # type: ignore[type-arg]
        prefix = ""
        for op, value in items:
            if op is not _parser.LITERAL:
                break
            prefix += chr(value)
        return prefix

    lexicon = load_lexicon()
    checked = 0
    for core, openings in zip(lexicon.vague_cores, lexicon.vague_core_openings, strict=True):
        if core is None or openings is None:
            continue
        items = _parser.parse(core.lower.pattern).data
        if items[0][0] is _parser.SUBPATTERN:
            items = items[0][1][3].data
        alternatives = items[0][1][1] if items[0][0] is _parser.BRANCH else [items]
        for alternative in alternatives:
            assert literal_prefix(list(alternative)).startswith(openings), (core.lower.pattern, openings)
            checked += 1
    assert checked > 40


def test_cores_tried_where_an_opening_stands_are_found_as_a_search_finds_them() -> None:
    from citecheck.extract.vague import _opens_a_match

    lexicon = load_lexicon()
    words = [*lexicon.vague_triggers, "sources said", "analysts say", "it is reported that", "x", "the"]
    words += ["western media reported", "unnamed sources", "people familiar with the matter", "rumours"]
    words += ["an official said", "several reports claims", "various investigations found", "netizens said"]
    words += ["broke the news that", "the latest rumour is", "it has been found", "have", "said", "rumor"]
    rng = random.Random(15)
    found = 0
    for _ in range(3000):
        glue = [" ", " ", " ", "", "  ", "\n", ", "]
        text = "".join(rng.choice(words) + rng.choice(glue) for _ in range(12))
        for core, openings in zip(lexicon.vague_cores, lexicon.vague_core_openings, strict=True):
            if core is None or openings is None:
                continue
            start = rng.randrange(len(text) // 2)
            end = rng.randrange(start, len(text) + 1)
            expected = core.lower.search(text, start, end) is not None
            found += expected
            assert _opens_a_match(core.lower, openings, text, start, end) == expected, text
    assert found > 1000


def test_word_scanner_finds_what_a_scan_of_the_text_finds() -> None:
    """Latin-1 text scanned as bytes, other text as str: the same hits, indexes and order either way."""
    from ahocorasick_rs import AhoCorasick, Implementation

    from citecheck.extract.lexicon import WordScanner, scan

    words = ["a", "ab", "abc", "\u4e2d\u56fd", "b", "bc", "\u00e9", "\u00e9a", "\u56fd", "a c", "\u2026x"]
    words.append("c")
    characters = ["a", "b", "c", " ", "\u00e9", "\u00ff", "\u4e2d", "\u56fd", "\u2026", "x", "\ud800"]
    characters.append("\U0001f600")
    rng = random.Random(18)
    for implementation in (Implementation.DFA, Implementation.ContiguousNFA):
        for order in (words, sorted(words), words[::-1]):
            scanner = WordScanner(order, implementation)
            automaton = AhoCorasick(order, implementation=implementation)
            for _ in range(800):
                pool = characters[:6] if rng.random() < 0.6 else characters
                text = "".join(rng.choice(pool) for _ in range(rng.randrange(0, 30)))
                assert scanner.scan(text) == scan(automaton, text), (order, text)
    assert WordScanner(["\u4e2d"], Implementation.DFA).scan("abc") == []
    latin_words = ["a", "ab", "abc", "b", "bc", "\u00e9", "\u00e9a", "a c", "c"]  # also other text as bytes
    scanner = WordScanner(latin_words, Implementation.DFA)
    automaton = AhoCorasick(latin_words, implementation=Implementation.DFA)
    assert scanner.replaceable and not WordScanner(["a?"], Implementation.DFA).replaceable
    for _ in range(3000):
        text = "".join(rng.choice(characters + ["?"]) for _ in range(rng.randrange(0, 30)))
        assert scanner.scan(text) == scan(automaton, text), text


def test_latin1_text_lowered_byte_by_byte_is_what_str_lower_gives() -> None:
    rng = random.Random(19)
    latin1 = [chr(code) for code in range(256)]
    assert lowered_text("".join(latin1)) == "".join(latin1).lower()
    for _ in range(3000):
        text = "".join(rng.choice(latin1) for _ in range(rng.randrange(0, 30)))
        assert lowered_text(text) == text.lower(), text
    for text in ["\u0130stanbul", "\u0131n", "\u017fource", "Stra\u00dfe \u2026", "A\u2019s", "\ud800A"]:
        lowered = text.lower()
        usable = len(lowered) == len(text) and "\u0131" not in text and "\u017f" not in text
        assert lowered_text(text) == (lowered if usable else None), text


def test_phrase_runs_bounds_found_character_by_character_are_those_of_the_patterns() -> None:
    from citecheck.extract.outlets import _CAPITAL_BEFORE, _PHRASE_RUN, _PHRASE_TAIL_CHARACTER, PhraseRuns

    characters = ["A", "Z", "z", " ", "\t", "\n", ".", "'", "&", "-", "_", ",", "\u00e9", "\u00c9", "\u0661"]
    characters += ["\u00a0", "5", "(", "\u2019", "\u00b2", "\u4e2d"]
    rng = random.Random(20)
    for _ in range(3000):
        text = "".join(rng.choice(characters) for _ in range(rng.randrange(0, 25)))
        backwards = text[::-1]
        runs = PhraseRuns(text)
        offsets = list(range(len(text) + 1))
        rng.shuffle(offsets)  # in any order, so runs found earlier answer later questions
        for offset in offsets:
            back = len(text) - offset
            start = offset - (_PHRASE_RUN.match(backwards, back).end() - back)  # type: ignore[union-attr]
            end = _PHRASE_RUN.match(text, offset).end()  # type: ignore[union-attr]
            assert runs.run(offset)[:2] == (start, end), (text, offset)
            may_end = _CAPITAL_BEFORE.match(backwards, back) is not None
            if offset < len(text) and _PHRASE_TAIL_CHARACTER.match(text, offset):
                may_end = False
            assert runs.may_end_at(offset) == may_end, (text, offset)


def test_media_list_regions_with_spaced_heads_match_a_scan_for_heads() -> None:
    lexicon = load_lexicon()
    pieces = ["media", "news", "outlets", "organizations", "broadcasters", "x", "(", "\u00e9", "_", ":"]
    spaces = ["", " ", "  ", "\n", " \t ", "\u00a0"]
    rng = random.Random(21)
    regions = 0
    for _ in range(8000):
        text = "".join(rng.choice(pieces) + rng.choice(spaces) for _ in range(rng.randrange(1, 9)))
        index = TextIndex(text)
        expected = [(m.end(), index.line_bounds(m.end())[1]) for m in lexicon.media_list_head.finditer(text)]
        regions += len(expected)
        assert index.media_list_regions(lexicon) == expected, text
    assert regions > 500


def test_dates_checked_without_datetime_are_those_datetime_takes() -> None:
    from datetime import date

    from citecheck.extract.dates import _valid
    from citecheck.models import CitedDate

    def reference(year: int | None, month: int, day: int | None) -> CitedDate | None:
        if not 1 <= month <= 12:
            return None
        if day is not None:
            try:
                date(year or 2000, month, day)
            except ValueError:
                return None
        return CitedDate(year, month, day)

    for year in [None, 1900, 1999, 2000, 2001, 2004, 2023, 2024, 2099, 2100]:
        for month in range(-1, 15):
            for day in [None, *range(-1, 34)]:
                made, expected = _valid(year, month, day), reference(year, month, day)
                assert made == expected, (year, month, day)
                if made is not None and expected is not None:
                    assert type(made) is CitedDate and made.iso() == expected.iso()


def test_phrases_found_from_a_place_at_rest_are_those_of_a_whole_text_scan() -> None:
    from citecheck.extract.outlets import _CONNECTORS, _PHRASE, OutletMatcher, PhraseRuns

    alternation = _PHRASE.pattern.split("(?:")[2].split("|[A-Z]")[0]
    assert _CONNECTORS == set(alternation.split("|"))  # the connectors are _PHRASE's own
    pieces = ["Office", "of", "the", "Director", "ofXyz", "said", "McDonald", "iPhone", "the", "des", "desX"]
    pieces += ["and", "&", "U.S.", "x-Ray", "van", "le", "Le", "AP", "Al", "reported", "office", "théâtre"]
    glue = [" ", "  ", "\t", ", ", "\n", "", "'s ", ". ", "-", "("]
    rng = random.Random(23)
    for _ in range(4000):
        text = "".join(rng.choice(pieces) + rng.choice(glue) for _ in range(rng.randrange(1, 12)))
        everywhere = OutletMatcher.phrases(text, 0, len(text))
        runs = PhraseRuns(text)
        for offset in range(len(text) + 1):
            starting = [span for span in everywhere if span[0] == offset]
            ending = [span for span in everywhere if span[1] == offset]
            assert runs.starting_at(offset) == starting and runs.ending_at(offset) == ending, (text, offset)


def test_item_lines_and_names_after_leads_read_by_hand_are_what_the_patterns_find() -> None:
    from citecheck.extract.citations import _ITEM_LINE, _item_lines
    from citecheck.extract.cues import _NAME_AFTER_LEAD, _name_after_lead

    pieces = ["\n", " ", "\t", "\u00a0", "\r", "1", "\u0663", "-", "*", "\u2022", "x", "the", "The", "a", "A"]
    pieces += ["an", "An", "X", "Reuters", "apple", "\u00c9", "[", "]"]
    rng = random.Random(24)
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 20)))
        index = TextIndex(text)
        expected = [match.start() for match in _ITEM_LINE.finditer("\n" + text)]
        assert _item_lines(text, index.line_starts) == expected, text
        for offset in range(len(text) + 1):
            match = _NAME_AFTER_LEAD.match(text, offset)
            assert _name_after_lead(text, offset) == (match.end() if match else -1), (text, offset)


def test_percent_runs_read_back_from_the_end_are_what_the_pattern_finds() -> None:
    from citecheck.extract.urls import _PERCENT_RUN_AT_END, _percent_run_at_end

    pieces = ["%E4", "%b8", "%9", "%", "%%", "a", "/", "\n", "%G1", "%0a", "-", "x%"]
    rng = random.Random(25)
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 12)))
        match = _PERCENT_RUN_AT_END.search(text)
        assert _percent_run_at_end(text) == (match.group() if match else None), text
