"""Markdown to safe HTML: markdown-it-py without raw HTML, then nh3 as the last word.

Used for every plan text in pages and in the PDF. Raw HTML in the input is shown as text, and
whatever the renderer produces passes an allow-list (no scripts, no event handlers, no
`javascript:` links, no SVG).
"""

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "h2", "h3", "h4", "blockquote", "a", "code", "pre",
    "table", "thead", "tbody", "tr", "th", "td", "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}


def render_markdown(text: str) -> SafeString:
    return _clean(_renderer.render(text or ""))


def render_markdown_blocks(text: str) -> list[SafeString]:
    """The text's top-level blocks (paragraph, list, table, heading, …), each rendered and cleaned
    exactly as render_markdown renders it: joined, they are the whole text. The text is parsed
    once, so a link to a reference defined elsewhere in the text still works. For the diff."""
    env: dict = {}
    tokens = _renderer.parse(text or "", env)
    blocks, current, depth = [], [], 0
    for token in tokens:
        current.append(token)
        depth += token.nesting
        if depth == 0:
            blocks.append(current)
            current = []
    return [_clean(_renderer.renderer.render(group, _renderer.options, env)) for group in blocks]


def sanitise(html: str, *, extra_tags=frozenset(), extra_attributes=None) -> SafeString:
    """The allow-list of render_markdown, with a few more tags for HTML built around rendered text
    (the diff's <del>/<ins>). The last word on anything that goes into a page as markup."""
    attributes = {**ALLOWED_ATTRIBUTES, **(extra_attributes or {})}
    clean = nh3.clean(
        html, tags=ALLOWED_TAGS | set(extra_tags), attributes=attributes, url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 — nh3 has just cleaned it


def _clean(html: str) -> SafeString:
    # Headings in a section start at h2: the section title is the page's h1/h2.
    for level in (6, 5, 4, 3, 2, 1):
        target = min(level + 1, 4)
        html = html.replace(f"<h{level}>", f"<h{target}>").replace(f"</h{level}>", f"</h{target}>")
    return sanitise(html)
