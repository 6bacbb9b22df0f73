"""Seed bodies are untrusted Markdown: render them to HTML, then sanitise that HTML with nh3.

cmark-gfm (GitHub's C implementation of CommonMark, as PyPI renders READMEs with) turns a body
into HTML in about 0.02 ms, against 0.9 ms for Python-Markdown: the difference between an
uncached article page that keeps up with the site and one that does not (docs/PERFORMANCE.md).
"""

from urllib.parse import urlsplit

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options
from django.utils.safestring import SafeString, mark_safe

# What a news body needs, and nothing that runs code, loads from elsewhere or changes layout:
# no <img> (a tracking pixel from any host), no style, no class, no id.
ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "s", "del", "ins",
    "sub", "sup", "code", "pre", "kbd", "blockquote", "q", "cite", "abbr", "ul", "ol", "li", "dl",
    "dt", "dd", "a", "table", "thead", "tbody", "tr", "th", "td", "caption",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "ol": {"start"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
URL_SCHEMES = {"http", "https", "mailto"}
# GitHub's tables, ~~strikethrough~~ and bare-URL links. Raw HTML is passed through ("unsafe")
# because nh3 is what makes it safe: it drops a <script> with its content, where cmark's own
# "tagfilter" would leave the script's text on the page.
MARKDOWN_EXTENSIONS = ["table", "strikethrough", "autolink"]


def render_body(text: str) -> SafeString:
    """Markdown to sanitised HTML; links leave with rel="nofollow noopener noreferrer"."""
    if not text.strip():
        return mark_safe("")
    html = cmarkgfm.markdown_to_html_with_extensions(
        text, options=Options.CMARK_OPT_UNSAFE, extensions=MARKDOWN_EXTENSIONS
    )
    # The page's own <h1> is the headline, so body headings start one level lower.
    cleaned = nh3.clean(
        html.replace("<h1", "<h2").replace("</h1>", "</h2>"),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )
    return mark_safe(cleaned)  # nh3 output is safe by construction


def http_url(value: str) -> str:
    """The URL if it is http(s), else "": a link made from seed data (a related link, the
    source's own URL) never runs script. Reader templates (`http_only`) and the admin use it."""
    try:
        scheme = urlsplit(value or "").scheme.lower()
    except ValueError:
        return ""
    return value if scheme in ("http", "https") else ""
