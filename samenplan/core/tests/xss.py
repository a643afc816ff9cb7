"""Finds active content in HTML: what a browser would run, not what it would show as text."""

from html.parser import HTMLParser

DANGEROUS_TAGS = {"script", "svg", "iframe", "object", "embed", "math", "base"}


class _ActiveContent(HTMLParser):
    def __init__(self, allowed_scripts):
        super().__init__()
        self.found: list[str] = []
        self.allowed_scripts = allowed_scripts

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and attributes.get("src") in self.allowed_scripts:
            return
        if tag in DANGEROUS_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag}[{name}]")
            if name in {"href", "src", "action", "formaction"} and (value or "").strip().lower().startswith(
                    ("javascript:", "data:text/html", "vbscript:")):
                self.found.append(f"{tag}[{name}={value}]")


def active_content(html: str, allowed_scripts=("/static/vendor/htmx-2.0.11.min.js",)) -> list[str]:
    parser = _ActiveContent(set(allowed_scripts))
    parser.feed(html)
    return parser.found
