"""Readable plain text from an e-mail's HTML body (stdlib ``html.parser``; nothing is fetched)."""

from __future__ import annotations

import re
from html.parser import HTMLParser


class _TextParser(HTMLParser):
    _BLOCK = frozenset(
        "address article aside blockquote dd div dl dt fieldset figure footer form h1 h2 h3 h4 "
        "h5 h6 header hr main nav ol p pre section table tr ul".split()
    )
    _SKIP = frozenset({"script", "style", "head", "title", "template", "noscript"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0
        self.pre = 0
        self.links: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag in self._SKIP:
            self.skip += 1
        elif tag == "body":
            self.skip = 0  # a <head> left open does not hide the body
        elif tag == "br":
            self.out.append("\n")
        elif tag == "li":
            self.out.append("\n• ")
        elif tag in self._BLOCK:
            self.out.append("\n")
            self.pre += tag == "pre"
        elif tag in ("td", "th"):
            self.out.append("  ")
        elif tag == "img" and attr.get("alt"):
            self.out.append(f"[image: {attr['alt']}]")
        elif tag == "a":
            self.links.append(attr.get("href"))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in ("br", "img", "hr"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in self._BLOCK:
            self.out.append("\n")
            self.pre = max(0, self.pre - (tag == "pre"))
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href and href.startswith(("http:", "https:", "mailto:")):
                self.out.append(f" <{href.removeprefix('mailto:')}>")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.out.append(data if self.pre else re.sub(r"\s+", " ", data))


def html_text(html: str) -> str:
    """Readable plain text from HTML (blocks on their own lines, list bullets, link addresses)."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    lines = (line.strip() for line in "".join(parser.out).split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
