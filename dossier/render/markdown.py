"""Markdown (CommonMark, via markdown-it-py) to reportlab flowables.

Supported: paragraphs, headings, emphasis, bullet and ordered lists (nested), block quotes, links
(http, https and mailto only; any other target is printed as text), code, rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from markdown_it import MarkdownIt
from markdown_it.token import Token
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer
from reportlab.platypus.flowables import HRFlowable

from .styles import LINK_COLOR, RULE_COLOR, Styles

_SAFE_SCHEMES = ("http://", "https://", "mailto:")

_md = MarkdownIt("commonmark")


def xml(text: str) -> str:
    """Plain text made safe for a reportlab Paragraph."""
    return escape(text, {'"': "&quot;"})


def link(text_xml: str, href: str) -> str:
    return f'<a href="{xml(href)}" color="{LINK_COLOR.hexval()}">{text_xml}</a>'


def inline(text: str) -> str:
    """One line of inline Markdown (emphasis, links) as Paragraph markup."""
    tokens = _md.parseInline(text)
    return _inline(tokens[0].children or []) if tokens else ""


def _inline(children: Sequence[Token]) -> str:
    out: list[str] = []
    open_links: list[bool] = []
    for tok in children:
        kind = tok.type
        if kind == "text":
            out.append(xml(tok.content))
        elif kind == "softbreak":
            out.append(" ")
        elif kind == "hardbreak":
            out.append("<br/>")
        elif kind == "strong_open":
            out.append("<b>")
        elif kind == "strong_close":
            out.append("</b>")
        elif kind == "em_open":
            out.append("<i>")
        elif kind == "em_close":
            out.append("</i>")
        elif kind == "code_inline":
            out.append(f'<font face="DossierSans" size="9">{xml(tok.content)}</font>')
        elif kind == "link_open":
            href = str(tok.attrs.get("href", ""))
            safe = href.lower().startswith(_SAFE_SCHEMES)
            open_links.append(safe)
            if safe:
                out.append(f'<a href="{xml(href)}" color="{LINK_COLOR.hexval()}">')
        elif kind == "link_close":
            if open_links.pop():
                out.append("</a>")
        elif kind == "image":
            out.append(xml(tok.content or str(tok.attrs.get("alt", ""))))
        elif kind in ("html_inline", "html_block"):
            out.append(xml(tok.content))
        elif tok.content:
            out.append(xml(tok.content))
    return "".join(out)


@dataclass
class _List:
    ordered: bool
    counter: int


def blocks(
    text: str,
    styles: Styles,
    body_style: ParagraphStyle | None = None,
    transform: Callable[[str], str] = str,
) -> list[Flowable]:
    """Block Markdown as flowables; ``transform`` is applied to the source first (redaction)."""
    tokens = _md.parse(transform(text))
    base = body_style or styles.body
    out: list[Flowable] = []
    lists: list[_List] = []
    quote_depth = 0
    pending_bullet: str | None = None
    heading_style = {1: styles.h2, 2: styles.h2, 3: styles.h3}
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        kind = tok.type
        if kind == "heading_open":
            level = int(tok.tag[1:])
            out.append(
                Paragraph(
                    _inline(tokens[i + 1].children or []), heading_style.get(level, styles.h3)
                )
            )
            i += 3
            continue
        if kind == "paragraph_open":
            content = _inline(tokens[i + 1].children or [])
            indent = 7 * mm * len(lists) + 10 * mm * quote_depth
            style = styles.quote if quote_depth else base
            if indent or pending_bullet:
                style = _indented(style, indent, pending_bullet is not None)
            out.extend(paragraphs(content, style, pending_bullet))
            pending_bullet = None
            i += 3
            continue
        if kind in ("bullet_list_open", "ordered_list_open"):
            start = int(tok.attrs.get("start", 1) or 1)
            lists.append(_List(kind == "ordered_list_open", start))
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
            if not lists:
                out.append(Spacer(1, 3))
        elif kind == "list_item_open" and lists:
            current = lists[-1]
            pending_bullet = f"{current.counter}." if current.ordered else "•"
            current.counter += 1
        elif kind == "blockquote_open":
            quote_depth += 1
        elif kind == "blockquote_close":
            quote_depth -= 1
        elif kind in ("fence", "code_block", "html_block"):
            lines = tok.content.rstrip("\n").split("\n")
            out.append(Paragraph("<br/>".join(xml(line) for line in lines), styles.code))
        elif kind == "hr":
            out.append(HRFlowable(width="100%", thickness=0.5, color=RULE_COLOR, spaceAfter=6))
        i += 1
    return out


CHUNK = 3000
"""Characters of markup set as one Paragraph: reportlab's line breaking costs the square of a
paragraph's length, so a longer one is set as several (a line ends where one does)."""
WORD = 200
"""A run without whitespace longer than this is cut (at a line end) before reportlab sees it."""
_TAG = re.compile(r"<(/?)([a-zA-Z]+)[^>]*?(/?)>")


def _pieces(markup: str) -> list[str]:
    """``markup`` cut into pieces of about :data:`CHUNK` characters, at whitespace outside
    tags (or inside a run longer than :data:`WORD`, never inside a tag or an entity); tags open
    at a cut are closed before it and opened again after it."""
    out: list[str] = []
    opened: list[tuple[str, str]] = []  # (name, opening tag)
    start, run, i = 0, 0, 0
    prefix = ""
    while i < len(markup):
        ch = markup[i]
        if ch == "<":
            end = markup.find(">", i)
            end = len(markup) - 1 if end < 0 else end
            tag = _TAG.match(markup, i)
            if tag is not None and not tag.group(3):
                if tag.group(1):
                    if opened and opened[-1][0] == tag.group(2):
                        opened.pop()
                else:
                    opened.append((tag.group(2), tag.group(0)))
            i = end + 1
            continue
        if ch == "&":
            end = markup.find(";", i, i + 12)
            i = end + 1 if end > 0 else i + 1
            run += 1
            continue
        run = 0 if ch.isspace() else run + 1
        long_enough = i - start >= CHUNK and ch.isspace()
        if long_enough or run >= WORD:
            cut = i + 1
            closing = "".join(f"</{name}>" for name, _ in reversed(opened))
            out.append(prefix + markup[start:cut] + closing)
            prefix = "".join(tag for _, tag in opened)
            start, run = cut, 0
        i += 1
    out.append(prefix + markup[start:])
    return [piece for piece in out if piece.strip()] or [markup]


def paragraphs(markup: str, style: ParagraphStyle, bullet: str | None = None) -> list[Flowable]:
    """``markup`` as one Paragraph, or as several consecutive ones when it is long (see
    :data:`CHUNK`): typesetting stays linear in the length of the text."""
    pieces = _pieces(markup) if len(markup) > WORD else [markup]
    if len(pieces) == 1:
        return [Paragraph(markup, style, bulletText=bullet)]
    inner = ParagraphStyle(f"{style.name}-piece", parent=style, spaceBefore=0, spaceAfter=0)
    first = ParagraphStyle(f"{style.name}-first", parent=style, spaceAfter=0)
    last = ParagraphStyle(f"{style.name}-last", parent=style, spaceBefore=0)
    styles = [first, *[inner] * (len(pieces) - 2), last]
    return [
        Paragraph(piece, piece_style, bulletText=bullet if n == 0 else None)
        for n, (piece, piece_style) in enumerate(zip(pieces, styles, strict=True))
    ]


def _indented(style: ParagraphStyle, indent: float, bullet: bool) -> ParagraphStyle:
    left = style.leftIndent + indent + (6 * mm if bullet else 0)
    return ParagraphStyle(
        f"{style.name}-{left:.0f}",
        parent=style,
        leftIndent=left,
        bulletIndent=left - 6 * mm if bullet else 0,
        spaceAfter=3 if bullet else style.spaceAfter,
        alignment=0 if bullet else style.alignment,
    )
