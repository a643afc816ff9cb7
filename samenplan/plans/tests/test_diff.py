"""Side-by-side diff of two plan versions: per section, texts rendered as Markdown block by block,
words marked, nothing from the text ever becomes active markup. Snapshots are built by hand in the
shape of plans.snapshot (no database)."""

import copy
from html.parser import HTMLParser

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString

from samenplan.core.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS
from samenplan.core.tests.xss import active_content
from samenplan.plans.diff import SectionDiff, diff_snapshots, diff_text


def staffing_row(location_id, name, level3="12.00"):
    row = {f"level{n}_fte": "1.00" for n in range(1, 6)}
    row.update({f"level{n}_headcount": 2 for n in range(1, 6)})
    row.update({
        "level3_fte": level3, "other_care_fte": "2.00", "treatment_fte": "0.50", "other_care_headcount": 3,
        "treatment_headcount": 1, "trainees": 2, "volunteers": 10, "location_id": location_id, "location": name,
        "inflow": 1, "outflow": 1, "sickness_rate": "5.00",
    })
    return row


def action(action_id, title, **changes):
    return {
        "id": action_id, "title": title, "goal": "Minder vallen.", "measurable_result": "20% minder valincidenten.",
        "theme_key": "veiligheid", "owner": "Teamleider", "due_quarter": "2027-Q2", "status": "planned",
        "source": "own", "source_note": "", "carried_over_from": None, **changes,
    }


def make_snapshot():
    return {
        "schema": 1,
        "plan": {"id": 1, "year": 2027, "organisation": {"id": 1, "name": "Zorggroep De Linde", "kvk_number": ""},
                 "framework": {"id": 1, "key": "kk", "name": "Kwaliteitskader", "version": "2017", "rules": {}}},
        "sections": [
            {"key": "profiel", "kind": "organisation_profile", "title": "Profiel van de organisatie", "group": "",
             "required": True, "body": ""},
            {"key": "personeel", "kind": "staffing", "title": "Personeelssamenstelling", "group": "",
             "required": True, "body": ""},
            {"key": "wonen", "kind": "theme", "title": "Wonen en welzijn", "group": "Kwaliteit", "required": True,
             "body": "Bewoners kiezen zelf hun dagritme.\n\nWe eten samen aan tafel.\nDe tuin is open."},
            {"key": "veiligheid", "kind": "theme", "title": "Veiligheid", "group": "Kwaliteit", "required": True,
             "body": "We letten op vallen.\n\nElke maand een valanalyse."},
            {"key": "verbeterparagrafen", "kind": "improvement_paragraphs", "title": "Verbeterparagrafen",
             "group": "", "required": True, "body": ""},
            {"key": "begroting", "kind": "text", "title": "Begroting", "group": "", "required": False,
             "body": "Het budget staat in bijlage 1."},
        ],
        "organisation_profile": {"target_groups": ["psychogeriatrie"], "care_types": ["vpt"],
                                 "care_intensity": {"VV5": 40}, "text": "Wij werken in de regio."},
        "staffing": {"reference_date": "2027-01-01", "note": "", "totals": {},
                     "rows": [staffing_row(1, "De Linde"), staffing_row(2, "Het Wilgenhof")]},
        "locations": [],
        "improvement_paragraphs": [
            {"location_id": 1, "location": "De Linde", "body": "Wij werken aan valpreventie.",
             "actions": [action(10, "Valtraining"), action(11, "Beweegmaatje")]},
            {"location_id": 2, "location": "Het Wilgenhof", "body": "", "actions": [action(20, "Tuinproject")]},
        ],
    }


def by_key(diffs: list[SectionDiff]) -> dict[str, SectionDiff]:
    return {diff.key: diff for diff in diffs}


def changes(diff: SectionDiff) -> list[str]:
    return [line.change for line in diff.lines]


class Markup(HTMLParser):
    """Tags and attributes in a piece of HTML; escaped text does not count."""

    def __init__(self):
        super().__init__()
        self.tags, self.attributes = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [name for name, _value in attrs]


def markup(html: str) -> Markup:
    parser = Markup()
    parser.feed(html)
    parser.close()
    return parser


# Words and lines ---------------------------------------------------------------------------------

def test_a_changed_line_marks_removed_and_added_words():
    [line] = diff_text("We eten samen aan tafel.", "We eten elke dag samen aan een grote tafel.")
    assert line.change == "changed"
    assert line.old == "<p>We eten samen aan tafel.</p>"
    assert line.new.count("<ins") == 2
    assert '<ins class="diff-ins"><span class="visually-hidden">toegevoegd: </span>elke dag</ins> samen' in line.new
    assert "<ins" in line.new and "een grote</ins> tafel." in line.new
    assert "<del" not in line.new


def test_a_removed_word_is_marked_on_the_old_side_only():
    [line] = diff_text("De tuin is altijd open.", "De tuin is open.")
    assert line.change == "changed"
    assert line.old == ('<p>De tuin is <del class="diff-del"><span class="visually-hidden">verwijderd: </span>altijd'
                        "</del> open.</p>")
    assert line.new == "<p>De tuin is open.</p>"


def test_a_replaced_word_is_removed_on_one_side_and_added_on_the_other():
    [line] = diff_text("We meten 12 keer.", "We meten 14 keer.")
    assert "verwijderd: </span>12</del>" in line.old
    assert "toegevoegd: </span>14</ins>" in line.new


def test_added_and_removed_paragraphs():
    lines = diff_text("Eerste.\n\nTweede.\n\nDerde.", "Eerste.\n\nNieuw ertussen.\n\nDerde.\n\nVierde.")
    assert [line.change for line in lines] == ["same", "changed", "same", "added"]
    lines = diff_text("Eerste.\n\nTweede.\n\nDerde.", "Eerste.\n\nDerde.")
    assert [line.change for line in lines] == ["same", "removed", "same"]
    removed = lines[1]
    assert removed.new == "" and "Tweede." in removed.old
    assert removed.old == ('<del class="diff-del diff-block"><span class="visually-hidden">verwijderd: </span>'
                           "<p>Tweede.</p></del>")


def test_lines_of_one_paragraph_are_one_row():
    """A soft line break does not split a paragraph on the page, so neither does it in the diff."""
    [line] = diff_text("We eten samen.\nDe tuin is open.", "We eten samen.\nDe tuin is dicht.")
    assert line.change == "changed"
    assert line.old.startswith("<p>We eten samen.\nDe tuin is ") and "dicht</ins>" in line.new


def test_an_inserted_paragraph_does_not_pair_with_an_unrelated_one():
    old = "Bewoners kiezen zelf hun dagritme en hun eten."
    new = "Een heel nieuwe alinea.\n\nBewoners kiezen zelf hun dagritme en hun drinken."
    lines = diff_text(old, new)
    assert [line.change for line in lines] == ["added", "changed"]
    assert "drinken" in lines[1].new and "eten" in lines[1].old


def test_lines_are_safe_strings():
    [line] = diff_text("a", "b")
    assert isinstance(line.old, SafeString) and isinstance(line.new, SafeString)


# Sections ----------------------------------------------------------------------------------------

def test_identical_snapshots_have_no_changes():
    diffs = diff_snapshots(make_snapshot(), make_snapshot())
    assert [d.key for d in diffs] == ["profile", "staffing", "wonen", "veiligheid", "paragraph-1", "paragraph-2",
                                      "begroting"]
    assert all(diff.changed is False for diff in diffs)
    assert all(line.change == "same" for diff in diffs for line in diff.lines)
    assert by_key(diffs)["wonen"].lines[0].old == "<p>Bewoners kiezen zelf hun dagritme.</p>"  # kept, to fold away


def test_a_change_in_one_section_leaves_the_others_unchanged():
    new = make_snapshot()
    new["sections"][3]["body"] = "We letten goed op vallen.\n\nElke maand een valanalyse."
    diffs = by_key(diff_snapshots(make_snapshot(), new))
    assert diffs["veiligheid"].changed is True
    assert changes(diffs["veiligheid"]) == ["changed", "same"]
    assert [key for key, diff in diffs.items() if diff.changed] == ["veiligheid"]


def test_an_added_section_and_a_removed_section():
    old, new = make_snapshot(), make_snapshot()
    del new["sections"][5]  # begroting
    new["sections"].insert(3, {"key": "familie", "kind": "theme", "title": "Familie en naasten", "group": "",
                               "required": False, "body": "Naasten zijn welkom.\n\nZe eten mee."})
    diffs = diff_snapshots(old, new)
    keys = [diff.key for diff in diffs]
    assert keys.index("wonen") < keys.index("familie") < keys.index("veiligheid")
    assert keys[-1] == "begroting"  # after its predecessor in the old version
    added, removed = by_key(diffs)["familie"], by_key(diffs)["begroting"]
    assert added.changed is True and set(changes(added)) == {"added"}
    assert added.title == "Familie en naasten"
    assert any("Naasten zijn welkom." in line.new for line in added.lines)
    assert all(line.old == "" for line in added.lines)
    assert removed.changed is True and set(changes(removed)) == {"removed"}
    assert any("Het budget staat in bijlage 1." in line.old for line in removed.lines)


def test_a_renamed_section_shows_its_old_and_new_title():
    new = make_snapshot()
    new["sections"][2]["title"] = "Wonen en welbevinden"
    diff = by_key(diff_snapshots(make_snapshot(), new))["wonen"]
    assert diff.title == "Wonen en welbevinden"
    assert diff.changed is True
    assert "Titel: Wonen en" in diff.lines[0].old and "welzijn</del>" in diff.lines[0].old


def test_sections_follow_the_order_of_the_new_version():
    new = make_snapshot()
    new["sections"][2], new["sections"][3] = new["sections"][3], new["sections"][2]
    diffs = diff_snapshots(make_snapshot(), new)
    keys = [diff.key for diff in diffs]
    assert keys.index("veiligheid") < keys.index("wonen")
    assert not any(diff.changed for diff in diffs)  # moved, not changed


# Profile, staffing, improvement paragraphs ---------------------------------------------------------

def test_profile_changes_use_readable_labels():
    new = make_snapshot()
    new["organisation_profile"]["target_groups"].append("korsakov")
    new["organisation_profile"]["care_intensity"]["VV5"] = 42
    diff = by_key(diff_snapshots(make_snapshot(), new))["profile"]
    assert diff.title == "Profiel van de organisatie"
    added = [line for line in diff.lines if line.change == "added"]
    assert len(added) == 1 and "Doelgroepen: Mensen met het syndroom van Korsakov" in added[0].new
    [changed] = [line for line in diff.lines if line.change == "changed"]
    assert changed.old.startswith("Zorgzwaarte VV5 – Beschermd wonen met intensieve dementiezorg: ")
    assert "40</del>" in changed.old and "42</ins>" in changed.new


def test_a_changed_staffing_figure_is_one_line_with_its_location_and_label():
    new = make_snapshot()
    new["staffing"]["rows"][1] = staffing_row(2, "Het Wilgenhof", level3="14.50")
    diff = by_key(diff_snapshots(make_snapshot(), new))["staffing"]
    assert diff.changed is True
    [line] = [line for line in diff.lines if line.change == "changed" and "Wilgenhof" in line.old]
    assert line.old.startswith("Het Wilgenhof · Niveau 3 fte: ")
    assert "12,00</del>" in line.old and "14,50</ins>" in line.new
    same = [line for line in diff.lines if line.change == "same"]
    assert any(line.old.startswith("De Linde: zorgpersoneel") for line in same)  # unchanged row: one line


def test_an_added_location_row_and_a_new_reference_date():
    new = make_snapshot()
    new["staffing"]["rows"].append(staffing_row(3, "De Es"))
    new["staffing"]["reference_date"] = "2027-02-01"
    diff = by_key(diff_snapshots(make_snapshot(), new))["staffing"]
    assert diff.lines[0].change == "changed"
    assert "Peildatum: 1 " in diff.lines[0].old and "januari</del>" in diff.lines[0].old
    added = [line for line in diff.lines if line.change == "added"]
    assert len(added) == 1 and "De Es: zorgpersoneel" in added[0].new


def test_action_changes_appear_as_lines():
    new = make_snapshot()
    actions = new["improvement_paragraphs"][0]["actions"]
    actions[0]["status"] = "done"
    actions[0]["goal"] = "Veel minder vallen."
    del actions[1]
    actions.append(action(12, "Nachtrondes"))
    diffs = by_key(diff_snapshots(make_snapshot(), new))
    diff = diffs["paragraph-1"]
    assert diff.title == "Verbeterparagraaf De Linde"
    assert changes(diff) == ["same", "changed", "changed", "removed", "added"]
    status, goal, removed, added = diff.lines[1:]
    assert "Valtraining" in status.old and "Gepland</del>" in status.old and "Klaar</ins>" in status.new
    assert "Valtraining · Doel: " in goal.old and "Veel minder</ins> vallen." in goal.new
    assert "Beweegmaatje" in removed.old and "Nachtrondes · Trekker: Teamleider" in added.new
    assert diffs["paragraph-2"].changed is False


def test_a_paragraph_for_a_new_location_is_wholly_added():
    new = make_snapshot()
    new["improvement_paragraphs"].append({"location_id": 3, "location": "De Es", "body": "Nieuwe locatie.",
                                          "actions": [action(30, "Kennismaken")]})
    diffs = diff_snapshots(make_snapshot(), new)
    diff = by_key(diffs)["paragraph-3"]
    assert changes(diff) == ["added", "added"]
    assert [d.key for d in diffs].index("paragraph-3") == [d.key for d in diffs].index("paragraph-2") + 1


# Nothing from the text becomes markup ------------------------------------------------------------

XSS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>",
       '<a href="javascript:alert(1)">x</a>', "[x](javascript:alert(1))"]


def test_markup_in_texts_is_escaped_never_a_tag():
    old, new = make_snapshot(), make_snapshot()
    new["sections"][2]["body"] = "\n".join(XSS) + "\nBewoners kiezen <b>zelf</b> hun dagritme."
    new["sections"][2]["title"] = "<script>alert('titel')</script>"
    new["improvement_paragraphs"][0]["actions"][0]["title"] = XSS[1]
    new["improvement_paragraphs"][0]["actions"][0]["owner"] = XSS[2]
    new["staffing"]["rows"][0]["location"] = XSS[0]
    new["organisation_profile"]["text"] = XSS[1]
    diffs = diff_snapshots(old, new)
    for diff in diffs:
        for line in diff.lines:
            for side in (line.old, line.new):
                parsed = markup(side)
                # Only what the Markdown allow-list lets through, plus the diff's own marks.
                assert set(parsed.tags) <= ALLOWED_TAGS | {"del", "ins", "span"}, side
                assert not {"a", "img", "svg", "script", "b"} & set(parsed.tags), side
                assert set(parsed.attributes) <= {"class"}, side
                assert active_content(side) == [], side
    wonen = by_key(diffs)["wonen"]
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in line.new for line in wonen.lines)

    html = render_to_string("plans/includes/diff.html",
                            {"diffs": diffs, "old_label": "Versie 1", "new_label": "Versie 2"})
    parsed = markup(html)
    assert not {"script", "img", "svg", "a"} & set(parsed.tags)
    assert not [name for name in parsed.attributes if name.startswith("on")]
    assert "&lt;script&gt;alert(&#x27;titel&#x27;)&lt;/script&gt;" in html
    assert active_content(html) == []


MARKDOWN_XSS = [
    ("Een [link](https://example.org/) hier.", "Een [link](javascript:alert(1)) hier."),
    ("**Vet** en *schuin*.", "**Vet <script>alert(1)</script>** en *schuin <img src=x onerror=alert(1)>*."),
    ("[veilig](https://example.org/)", '[veilig](https://example.org/"onmouseover="alert(1))'),
    ("- een\n- twee", "- een\n- <svg onload=alert(1)>\n- [x](vbscript:msgbox(1))"),
    ("| a | b |\n|---|---|\n| 1 | 2 |", "| a | b |\n|---|---|\n| <b onclick=alert(1)>1</b> | `<script>` |"),
    ("Tekst.", "![plaatje](https://example.org/x.png) en <iframe src=https://example.org></iframe>"),
    ("Tekst met [ref].", "Tekst met [ref].\n\n[ref]: javascript:alert(1)"),
]


def test_markdown_in_a_changed_text_never_becomes_active_content():
    """Word marks are put into rendered Markdown: whatever the text held, the result is inert."""
    for old_body, new_body in MARKDOWN_XSS:
        for old, new in ((old_body, new_body), (new_body, old_body), ("", new_body), (new_body, "")):
            for line in diff_text(old, new):
                for side in (line.old, line.new):
                    parsed = markup(side)
                    assert active_content(side) == [], side
                    assert set(parsed.tags) <= ALLOWED_TAGS | {"del", "ins", "span"}, side
                    allowed = {name for names in ALLOWED_ATTRIBUTES.values() for name in names} | {"class", "rel"}
                    assert set(parsed.attributes) <= allowed, side
                    assert "<script" not in side and "<img" not in side and "<iframe" not in side, side
    [line] = diff_text(*MARKDOWN_XSS[1])
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in line.new  # shown as text, marked as added


# Markdown is rendered on both sides ------------------------------------------------------------------

def test_markdown_is_rendered_on_both_sides_not_shown_raw():
    [line] = diff_text("De tuin is **open** voor iedereen.", "De tuin is **altijd open** voor iedereen.")
    assert line.change == "changed"
    assert "**" not in line.old and "**" not in line.new
    assert line.old == "<p>De tuin is <strong>open</strong> voor iedereen.</p>"
    assert line.new == ('<p>De tuin is <strong><ins class="diff-ins"><span class="visually-hidden">toegevoegd: '
                        "</span>altijd</ins> open</strong> voor iedereen.</p>")


def test_unchanged_markdown_is_rendered_too():
    [line] = diff_text("Zie [ons verslag](https://example.org/verslag).", "Zie [ons verslag](https://example.org/verslag).")
    assert line.change == "same"
    assert line.old == line.new
    assert '<a href="https://example.org/verslag" rel="noopener noreferrer nofollow">ons verslag</a>' in line.new


def test_a_word_that_only_became_bold_counts_as_changed():
    [line] = diff_text("Wij letten op vallen.", "Wij letten **goed** op vallen.")
    assert "toegevoegd: </span>goed</ins></strong>" in line.new
    [line] = diff_text("Wij letten op vallen.", "Wij letten op **vallen**.")
    assert line.change == "changed"
    assert "<del" in line.old and "vallen</del>" in line.old  # the plain word went …
    assert "<strong><ins" in line.new and "vallen</ins></strong>" in line.new  # … the bold one came


def test_a_link_to_another_address_counts_as_changed():
    [line] = diff_text("Zie [het verslag](https://example.org/oud).", "Zie [het verslag](https://example.org/nieuw).")
    assert line.change == "changed"
    assert 'href="https://example.org/oud"' in line.old and 'href="https://example.org/nieuw"' in line.new
    assert "het verslag</del></a>" in line.old and "het verslag</ins></a>" in line.new


def test_an_added_list_item_is_marked_inside_the_rendered_list():
    [line] = diff_text("- koken\n- wandelen", "- koken\n- tuinieren\n- wandelen")
    assert line.change == "changed"
    assert line.old == "<ul>\n<li>koken</li>\n<li>wandelen</li>\n</ul>"
    assert '<li><ins class="diff-ins"><span class="visually-hidden">toegevoegd: </span>tuinieren</ins></li>' in line.new
    assert markup(line.new).tags.count("li") == 3


def test_an_added_block_is_rendered_and_marked_whole_in_words():
    lines = diff_text("Eerste.", "Eerste.\n\n## Nieuw kopje\n\n| Wat | Wanneer |\n|---|---|\n| Koken | dinsdag |")
    assert [line.change for line in lines] == ["same", "added", "added"]
    heading, table = lines[1].new, lines[2].new
    assert heading.startswith('<ins class="diff-ins diff-block"><span class="visually-hidden">toegevoegd: </span>')
    assert "<h3>Nieuw kopje</h3>" in heading  # one level down, as on the pages
    assert "<table>" in table and "<td>Koken</td>" in table and table.endswith("</ins>")
    assert lines[1].old == "" and lines[2].old == ""


def test_a_run_of_changes_across_a_tag_is_announced_once():
    [line] = diff_text("Wij koken.", "Wij koken *elke dag* samen.")
    # "elke dag" (in <em>) and "samen" are one change: the spoken prefix comes once.
    assert line.new.count("toegevoegd:") == 1
    assert line.new.count("<ins") == 2


def test_a_references_link_keeps_working_in_its_own_block():
    [line] = diff_text("Zie [verslag][1].\n\n[1]: https://example.org/v", "Zie het [verslag][1].\n\n[1]: https://example.org/v")
    assert '<a href="https://example.org/v"' in line.new and "[1]" not in line.new


def test_the_removed_section_shows_its_text_rendered():
    old, new = make_snapshot(), make_snapshot()
    old["sections"][5]["body"] = "Het budget staat in **bijlage 1**."
    del new["sections"][5]
    removed = by_key(diff_snapshots(old, new))["begroting"]
    assert any("<strong>bijlage 1</strong>" in line.old for line in removed.lines)
    assert not any("**" in line.old for line in removed.lines)


def test_figures_and_dates_follow_the_language():
    new = make_snapshot()
    new["staffing"]["rows"][1] = staffing_row(2, "Het Wilgenhof", level3="1234.50")
    new["staffing"]["reference_date"] = "2027-12-31"
    with translation.override("en"):
        diff = by_key(diff_snapshots(make_snapshot(), new))["staffing"]
    flat = " ".join(line.new for line in diff.lines)
    assert "1,234.50</ins>" in flat and "December" in flat
    diff = by_key(diff_snapshots(make_snapshot(), new))["staffing"]
    flat = " ".join(line.new for line in diff.lines)
    assert "1.234,50</ins>" in flat and "december</ins>" in flat and "31</ins>" in flat


# The template --------------------------------------------------------------------------------------

def render(diffs, **context):
    return render_to_string("plans/includes/diff.html",
                            {"diffs": diffs, "old_label": "Versie 1", "new_label": "Versie 2", **context})


def test_the_table_names_each_change_in_words():
    new = make_snapshot()
    new["sections"][2]["body"] = "Bewoners kiezen zelf hun dagritme.\n\nWe eten samen aan een tafel.\nDe tuin is open.\n\nNieuw."
    new["sections"][3]["body"] = "Elke maand een valanalyse."
    html = render(diff_snapshots(make_snapshot(), new))
    assert '<th scope="col">Versie 1</th>' in html and '<th scope="col">Versie 2</th>' in html
    assert '<td class="diff-marker">gewijzigd</td>' in html
    assert '<td class="diff-marker">toegevoegd</td>' in html
    assert '<td class="diff-marker">verwijderd</td>' in html
    assert '<span class="visually-hidden">toegevoegd: </span>een</ins>' in html
    assert '<span class="visually-hidden">verwijderd: </span><p>We letten op vallen.</p></del>' in html
    assert "<caption" in html


def test_unchanged_sections_fold_away():
    html = render(diff_snapshots(make_snapshot(), make_snapshot()))
    assert html.count('<details class="diff-unchanged">') == 7
    assert html.count("Geen wijzigingen") == 7
    assert '<td class="diff-marker">gewijzigd</td>' not in html


def test_a_changed_section_is_not_folded():
    new = copy.deepcopy(make_snapshot())
    new["sections"][5]["body"] = "Het budget staat in bijlage 2."
    html = render(diff_snapshots(make_snapshot(), new), heading_level=3)
    begroting = html.split('id="diff-begroting"', 1)[1]
    assert "<details" not in begroting
    assert '<h3 id="diff-begroting">Begroting</h3>' in html


def test_empty_snapshots_compare_without_errors():
    assert diff_snapshots({}, {}) == []
    diffs = diff_snapshots({}, make_snapshot())
    assert diffs and all(diff.changed for diff in diffs)
