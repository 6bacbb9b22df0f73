"""Seed bodies are untrusted Markdown: render them to HTML, then sanitise that HTML with nh3."""

import markdown
import nh3
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


def render_body(text: str) -> SafeString:
    """Markdown to sanitised HTML; links leave with rel="nofollow noopener noreferrer"."""
    if not text.strip():
        return mark_safe("")
    html = markdown.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
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
