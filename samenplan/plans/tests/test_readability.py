"""Readability (B1): Flesch–Douma per section, long sentences, jargon, and the plan summary.

Pure functions: no database needed.
"""

import socket
import time
import unicodedata

import pytest
from django.template import Context, Template
from django.utils import translation

from samenplan.plans import readability
from samenplan.plans.readability import (
    JargonEntry,
    JargonHit,
    JargonListError,
    Sentence,
    analyse,
    flesch_douma,
    highlight,
    load_jargon,
    summarise,
)

# 15 words, 2 sentences, 26 syllables (zorg-me-de-wer-kers, be-wo-ners, fa-mi-lie, …).
PLAIN = "De zorgmedewerkers werken in vaste teams. Zo kennen zij de bewoners en hun familie goed."
# One sentence of 32 words, as policy text is often written.
POLICY = (
    "In het kader van de implementatie van het kwaliteitskader verpleeghuiszorg zal de organisatie "
    "in samenwerking met de cliëntenraad en de verpleegkundige adviesraad de multidisciplinaire "
    "samenwerking rondom de zorgleefplannen verder optimaliseren en borgen."
)


@pytest.fixture(autouse=True)
def dutch():
    with translation.override("nl"):
        yield


def sentence_texts(markdown_text):
    return [sentence.text for sentence in analyse(markdown_text).sentences]


# --- The score ---------------------------------------------------------------------------------


def test_a_short_plain_pair_of_sentences_reads_at_b1():
    result = analyse(PLAIN)
    assert 60 <= result.score <= 70
    assert result.score == 66.4
    assert result.words == 15
    assert result.average_sentence_length == 7.5
    assert result.long_sentences == []
    assert result.meets_target is True
    assert result.label == "Goed te lezen (B1)"


def test_a_typical_policy_sentence_scores_low_and_is_too_long():
    result = analyse(POLICY)
    assert result.score < 30
    assert result.average_sentence_length == 32.0
    assert result.long_sentences == [Sentence(text=POLICY, words=32, too_long=True)]
    assert result.meets_target is False
    assert result.label == "Moeilijk"


def test_the_score_is_flesch_douma_computed_from_our_own_counts():
    # 206.835 − 0.93 × 15/2 − 77 × 26/15 = 66.393…
    assert flesch_douma(words=15, sentences=2, syllables=26) == pytest.approx(66.3933, abs=1e-4)
    assert analyse(PLAIN).score == 66.4


def test_textstat_gives_the_same_score_where_it_counts_sentences_as_we_do():
    """textstat's Dutch Flesch–Douma agrees when no abbreviation or two-word sentence is involved."""
    import textstat

    textstat.set_lang("nl")
    for text in (PLAIN, POLICY):
        assert analyse(text).score == round(textstat.flesch_reading_ease(text), 1)


def test_scores_are_reported_as_they_are_not_clamped():
    assert analyse("De kat zit op de mat.").score == 124.3  # 206.835 − 0.93 × 6 − 77 × 6/6
    assert analyse(POLICY).score < 0


def test_splitting_a_long_sentence_raises_the_score():
    long = (
        "De bewoners eten elke dag samen in de huiskamer en de medewerkers vragen hun familie "
        "of zij ook graag willen komen."
    )
    split = (
        "De bewoners eten elke dag samen in de huiskamer. De medewerkers vragen hun familie "
        "of zij ook graag willen komen."
    )
    assert analyse(long).long_sentences != []
    assert analyse(split).long_sentences == []
    assert analyse(split).score > analyse(long).score
    assert analyse(split).average_sentence_length < analyse(long).average_sentence_length


def test_readable_words_in_long_sentences_are_somewhat_difficult():
    # Short words, but on average more than fifteen words a sentence.
    text = (
        "Wij gaan elke dag met de mensen naar buiten als het mooi weer is en dat vindt bijna "
        "iedereen fijn. Wie niet mee kan of wil, mag in het huis blijven en krijgt daar koffie "
        "en thee."
    )
    result = analyse(text)
    assert result.score >= readability.TARGET_SCORE
    assert result.average_sentence_length > readability.MAX_AVERAGE_SENTENCE_LENGTH
    assert result.meets_target is False
    assert result.label == "Wat moeilijk"


def test_the_analysis_needs_no_network(monkeypatch):
    """textstat only goes online for English; pyphen's Dutch dictionary is bundled."""

    def refuse(*args, **kwargs):
        raise AssertionError("the readability analysis tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    result = analyse("Deze zin over de tuinkamer is nog nooit eerder geteld.")
    assert result.score is not None


@pytest.mark.parametrize(
    "text",
    ["." * 60000, "a" * 60000, "bijv. " * 10000, "a-" * 30000, "1.1" * 20000],
    ids=["dots", "one long word", "abbreviations", "hyphens", "numbers"],
)
def test_long_odd_input_is_analysed_in_linear_time(text):
    """The analysis runs while someone types; with backtracking patterns these took 5–50 s."""
    started = time.perf_counter()
    analyse(text)
    assert time.perf_counter() - started < 3


# --- Sentences and words -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Wij doen bijv. samen boodschappen met de bewoners.",
        "Er is o.a. een tuin, d.w.z. een plek om te zitten.",
        "Dhr. J. de Vries en mevr. Jansen komen t.o.v. vorig jaar vaker.",
        "Het gaat om ca. 2,5 fte en nr. 3 op de lijst.",
        "Het budget stijgt met 3.5 procent.",
        "De koffie staat om 14.30 uur klaar.",
        "Wij zorgen voor eten, drinken, zorg enz. voor alle bewoners.",
    ],
)
def test_abbreviations_decimals_and_times_do_not_end_a_sentence(text):
    assert sentence_texts(text) == [text]


def test_a_sentence_ends_after_enz_when_a_capital_follows():
    text = "Wij koken, wandelen enz. Daarna drinken we koffie."
    assert sentence_texts(text) == ["Wij koken, wandelen enz.", "Daarna drinken we koffie."]


def test_question_and_exclamation_marks_end_sentences():
    assert sentence_texts("Wat vindt u? Zeg het ons! Dan weten we het.") == [
        "Wat vindt u?",
        "Zeg het ons!",
        "Dan weten we het.",
    ]


def test_words_keep_compounds_and_numbers_whole():
    result = analyse("De PDCA-cyclus kost 2,5 uur per cliënt's dossier.")
    assert result.words == 8


def test_markdown_headings_and_list_items_are_sentences():
    markdown_text = "# Ons plan\n\nDit jaar doen we twee dingen:\n\n- samen eten\n- vaker wandelen\n"
    assert sentence_texts(markdown_text) == [
        "Ons plan",
        "Dit jaar doen we twee dingen:",
        "samen eten",
        "vaker wandelen",
    ]


def test_emphasis_is_read_as_plain_text():
    assert sentence_texts("Wij eten **samen** in de _huiskamer_.") == ["Wij eten samen in de huiskamer."]


def test_link_urls_code_and_images_are_ignored():
    markdown_text = (
        "Lees [ons verslag](https://example.org/verslag.pdf) op de website. "
        "Of kijk op <https://example.org> en www.example.org of mail info@example.org.\n\n"
        "![foto van de tuin](tuin.jpg)\n\n"
        "```\nprint('geen tekst')\n```\n"
    )
    texts = sentence_texts(markdown_text)
    assert texts == ["Lees ons verslag op de website.", "Of kijk op en of mail."]
    assert analyse(markdown_text).words == 12


def test_table_cells_count_for_jargon_but_not_for_the_score():
    markdown_text = "Onze bewoners.\n\n| Groep | Aantal |\n|---|---|\n| ZZP 5 | 12 |\n"
    result = analyse(markdown_text)
    assert [sentence.text for sentence in result.sentences] == ["Onze bewoners."]
    assert [hit.term for hit in result.jargon] == ["ZZP"]


# --- Jargon ------------------------------------------------------------------------------------


def test_jargon_is_listed_with_counts_and_plain_alternatives_in_order_of_appearance():
    text = (
        "De ZZP bepaalt hoeveel zorg iemand krijgt. Wij implementeren een nieuwe werkwijze "
        "voor de Wlz. Na de implementatie kijken we of de ZZP klopt."
    )
    hits = analyse(text).jargon
    assert [(hit.term, hit.count) for hit in hits] == [("ZZP", 2), ("implementeren", 2), ("Wlz", 1)]
    assert hits[1].alternative == "invoeren"
    assert hits[2].alternative.startswith("Wet langdurige zorg")


@pytest.mark.parametrize(
    "text",
    [
        "De dynamiek in de groep is goed.",  # "mic" inside a word
        "De Wlzzorg is geen woord.",  # "Wlz" inside a word
        "Zij zei: so what, en ging verder.",  # "so" is not the SO
        "Een microfoon en een mimespeler.",  # MIC and MIM in lowercase words
        "De zorgkantoren en de indicatoren.",  # no list word at all
    ],
)
def test_letters_inside_other_words_are_no_jargon(text):
    assert analyse(text).jargon == []


def test_abbreviations_match_in_hyphenated_words_and_words_at_a_sentence_start():
    hits = analyse("De Wlz-indicatie is rond. Borgen doen we in het zorgleefplan.").jargon
    assert [(hit.term, hit.count) for hit in hits] == [
        ("Wlz", 1),
        ("indicatie", 1),
        ("borgen", 1),
        ("zorgleefplan", 1),
    ]


def test_the_longest_spelling_wins_where_entries_overlap():
    hits = analyse("Wij werken met vijf zzp'ers en twee ZZP'ers, naast de ZZP.").jargon
    assert [(hit.term, hit.count) for hit in hits] == [("zzp'er", 2), ("ZZP", 1)]


def test_phrases_of_several_words_are_found():
    hits = analyse("Op het gebied van palliatieve  zorg werken we samen.").jargon
    assert [hit.term for hit in hits] == ["op het gebied van", "palliatieve zorg"]


def test_a_word_typed_with_a_separate_diaeresis_is_still_found():
    decomposed = unicodedata.normalize("NFD", "Het plan is geïmplementeerd.")
    assert [hit.term for hit in analyse(decomposed).jargon] == ["implementeren"]


def test_jargon_alone_does_not_miss_the_target():
    result = analyse("De Wlz betaalt de zorg. Wij leggen dat uit aan de raad.")
    assert [hit.term for hit in result.jargon] == ["Wlz"]
    assert result.meets_target is True


def test_a_custom_word_list_can_be_passed():
    entries = [JargonEntry(term="huiskamer", alternative="woonkamer")]
    hits = analyse("De huiskamer is gezellig.", jargon=entries).jargon
    assert hits == [JargonHit(term="huiskamer", alternative="woonkamer", count=1)]


# --- Empty text --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "markdown_text", ["", "   \n\n ", "```\nalleen code\n```", "---", "[](https://x.nl)"]
)
def test_without_text_there_is_no_score_and_nothing_to_improve(markdown_text):
    result = analyse(markdown_text)
    assert result.score is None
    assert result.words == 0
    assert result.sentences == []
    assert result.average_sentence_length == 0.0
    assert result.meets_target is True
    assert result.label == "Nog geen tekst"


# --- Plan summary ------------------------------------------------------------------------------


def test_summarise_lists_sections_below_target_and_merges_jargon():
    sections = {
        "visie": PLAIN + " De ZZP is bekend.",
        "personeel": POLICY + " De ZZP telt mee.",
        "leeg": "",
        "wonen": "Elke bewoner heeft een eigen kamer. De Wlz betaalt de zorg.",
    }
    summary = summarise(sections)
    assert summary.sections_below_target == ["personeel"]
    assert [(hit.term, hit.count) for hit in summary.jargon] == [
        ("ZZP", 2),
        ("implementeren", 1),
        ("kwaliteitskader", 1),
        ("multidisciplinair", 1),
        ("zorgleefplan", 1),
        ("optimaliseren", 1),
        ("borgen", 1),
        ("Wlz", 1),
    ]


def test_the_plan_score_is_over_all_text_together_not_an_average_of_sections():
    summary = summarise({"a": PLAIN, "b": POLICY})
    together = analyse(PLAIN + "\n\n" + POLICY)
    assert summary.score == together.score
    assert summary.average_sentence_length == together.average_sentence_length
    assert summary.score != round((analyse(PLAIN).score + analyse(POLICY).score) / 2, 1)
    assert summary.meets_target is False


@pytest.mark.parametrize("markdown_text", [PLAIN, POLICY, PLAIN + " De ZZP en de Wlz.", "", "# Kop\n\n- een\n- twee"])
def test_the_figures_of_a_section_are_those_of_its_analysis(markdown_text):
    figures, result = readability.figures(markdown_text), analyse(markdown_text)
    assert (figures.score, figures.average_sentence_length, figures.meets_target, figures.label) == (
        result.score, result.average_sentence_length, result.meets_target, result.label)
    assert list(figures.jargon) == result.jargon
    assert (figures.counts.sentences, figures.counts.words) == (len(result.sentences), result.words)
    assert readability.figures(markdown_text) is figures  # cached on the text


def test_an_empty_plan_has_no_score():
    summary = summarise({"visie": "", "wonen": " "})
    assert summary.score is None
    assert summary.sections_below_target == []
    assert summary.jargon == []
    assert summary.label == "Nog geen tekst"


# --- The word list -----------------------------------------------------------------------------


def test_the_word_list_has_a_plain_alternative_for_every_entry():
    entries = load_jargon()
    assert len(entries) >= 40
    assert all(entry.alternative.strip() for entry in entries)
    terms = {entry.term for entry in entries}
    assert {"ZZP", "VPT", "Wlz", "MIC", "MIM", "implementeren", "borgen"} <= terms


def write_list(tmp_path, text):
    path = tmp_path / "woorden.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_entry_without_an_alternative_is_refused_naming_the_file_and_the_entry(tmp_path):
    path = write_list(
        tmp_path,
        '- term: "Wlz"\n  alternative: "Wet langdurige zorg"\n\n- term: "ZZP"\n  variants: ["ZZP\'s"]\n',
    )
    with pytest.raises(JargonListError) as refused:
        load_jargon(path)
    message = str(refused.value)
    assert "woorden.yaml, line 4 (entry 2, 'ZZP')" in message
    assert "'alternative' is missing or empty" in message
    assert str(path) in message


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('- term: "Wlz"\n  alternatief: "wet"\n', "unknown key(s) alternatief"),
        ("- term: NO\n  alternative: nee\n", "'term' must be text; put it in quotes"),
        ('- term: "Wlz"\n  alternative: "wet"\n  variants: "WLZ"\n', "'variants' must be a list"),
        ('- "Wlz"\n', "an entry needs 'term' and 'alternative'"),
        (
            '- term: "Wlz"\n  alternative: "wet"\n- term: "WLZ"\n  alternative: "wet"\n  variants: ["Wlz"]\n',
            "'Wlz' is already listed in entry 1",
        ),
        ('- term: "..."\n  alternative: "niets"\n', "has no letters or digits"),
    ],
)
def test_other_mistakes_in_the_word_list_are_named(tmp_path, text, problem):
    with pytest.raises(JargonListError, match="woorden.yaml") as refused:
        load_jargon(write_list(tmp_path, text))
    assert problem in str(refused.value)


@pytest.mark.parametrize("text", ["- term: [unclosed\n", "term: Wlz\n"])
def test_a_file_that_is_no_list_of_entries_is_refused(tmp_path, text):
    with pytest.raises(JargonListError, match="woorden.yaml"):
        load_jargon(write_list(tmp_path, text))


# --- Plain text only ---------------------------------------------------------------------------


def all_returned_text(markdown_text):
    result = analyse(markdown_text)
    texts = [sentence.text for sentence in result.sentences]
    texts += [sentence.text for passage in highlight(markdown_text) for sentence in passage]
    texts += [hit.term for hit in result.jargon] + [hit.alternative for hit in result.jargon]
    return texts


def test_raw_html_and_script_are_dropped_from_the_text():
    markdown_text = (
        "<script>alert('blok')</script>\n\n"
        "Wij eten <script>alert('zin')</script>samen. <b>Vet</b> en <img src=x onerror=alert(1)> klaar.\n\n"
        "<div onclick=\"alert(2)\">\nin een blok\n</div>\n"
    )
    texts = all_returned_text(markdown_text)
    assert texts
    assert not [text for text in texts if "<" in text or ">" in text or "alert" in text]
    assert sentence_texts(markdown_text) == ["Wij eten samen.", "Vet en klaar."]


def test_an_escaped_tag_stays_literal_text_and_is_escaped_when_shown():
    """&lt;script&gt; is what the author wants to show; the template escapes it like any text."""
    passages = highlight("Schrijf nooit &lt;script&gt; in het plan.")
    assert passages[0][0].text == "Schrijf nooit <script> in het plan."
    template = Template("{% for s in passage %}{{ s.text }}{% endfor %}")
    html = template.render(Context({"passage": passages[0]}))
    assert html == "Schrijf nooit &lt;script&gt; in het plan."


def test_highlight_groups_sentences_per_passage_and_marks_the_long_ones():
    markdown_text = "# Wonen\n\n" + PLAIN + " " + POLICY + "\n\n- samen eten\n"
    passages = highlight(markdown_text)
    assert [[sentence.too_long for sentence in passage] for passage in passages] == [
        [False],
        [False, False, True],
        [False],
    ]
    template = Template(
        "{% for passage in passages %}<p>{% for sentence in passage %}"
        "{% if sentence.too_long %}<mark>{{ sentence.text }}</mark>{% else %}{{ sentence.text }}{% endif %} "
        "{% endfor %}</p>{% endfor %}"
    )
    html = template.render(Context({"passages": passages}))
    assert html.count("<mark>") == 1
    assert f"<mark>{POLICY}</mark>" in html
