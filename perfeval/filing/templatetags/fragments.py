"""``{% fragment key %}…{% endfragment %}``: a piece of a page rendered once per key in Django's cache (shared by
every process and server). The keys name a report version and rule pack (``filing.checked.version_key``), so
what is cached never goes stale; the templates of this release are part of every key, so a deploy never serves
a fragment rendered by the templates before it."""

import hashlib
from functools import cache as once

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe

from perfeval import caching

register = template.Library()

TIMEOUT = 7 * 24 * 60 * 60


@once
def templates_digest() -> str:
    """Every template of the project as it is in this release (read once per process)."""
    digest = hashlib.sha256()
    for folder in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted(folder.rglob("*.html")):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _stored_key(key: str, encoded: bool) -> str:
    """Where the HTML under ``key`` is kept, as text or as UTF-8 bytes, for the templates of this release."""
    return f"{key}:{'utf-8:' if encoded else ''}{templates_digest()}"


def cached_html(key: str, render, *, encoded: bool = False):
    """The HTML cached under ``key`` (with the templates' digest), or ``render()`` kept there; ``encoded``: as
    UTF-8 bytes, for a page that puts it into its response as it is (a large report's page spent a millisecond
    encoding its document on every request)."""
    key = _stored_key(key, encoded)
    html = caching.read(key)
    if html is None:
        html = render().encode() if encoded else render()
        caching.keep(key, html, TIMEOUT)
    return html if encoded else mark_safe(html)


def peek_encoded(key: str) -> bytes | None:
    """The HTML cached under ``key`` as UTF-8 bytes (kept so beside the text after the first read), or None: a
    view that finds it puts it into its response as it is (``splice``), so that the page costs nothing more
    however long it is."""
    encoded_key = _stored_key(key, encoded=True)
    html = caching.read(encoded_key)
    if html is None:
        text = caching.read(_stored_key(key, encoded=False))
        if text is None:
            return None
        html = text.encode()
        caching.keep(encoded_key, html, TIMEOUT)
    return html


# Where a template puts a piece that the view then puts into the response's bytes (``splice``).
PLACE = mark_safe("<!-- perfeval:place -->")


def splice(response, html: bytes, place: str = PLACE):
    """Put ``html`` into the response where its template put ``place``: through the template's nested blocks a
    long piece was copied at every level, and encoded once more at the end."""
    before, after = response.content.split(place.encode(), 1)
    response.content = b"".join((before, html, after))
    return response


def peek(key: str) -> str | None:
    """The HTML cached under ``key``, or None: a view that finds it builds none of what the piece shows, and
    hands it to the template as ``preloaded_fragment`` (key, HTML), so that the page shows what it read even
    if the cache drops the entry in between."""
    html = caching.read(_stored_key(key, encoded=False))
    return None if html is None else mark_safe(html)


# Stands for the CSRF token in a piece cached with ``csrf``: each response puts its own token there.
CSRF_PLACE = "perfeval-csrf-token-of-this-response"
CSRF_PLACE_BYTES = CSRF_PLACE.encode()


class FragmentNode(template.Node):
    def __init__(self, nodelist, key, csrf):
        self.nodelist, self.key, self.csrf = nodelist, key, csrf

    def render(self, context):
        key = self.key.resolve(context)
        if not key:
            return self.nodelist.render(context)
        preloaded = context.get("preloaded_fragment")
        if preloaded is not None and preloaded[0] == key:
            html = preloaded[1]
        else:
            html = cached_html(key, lambda: self._render_for_cache(context))
        if self.csrf:
            html = mark_safe(html.replace(CSRF_PLACE, str(context.get("csrf_token", ""))))
        return html

    def _render_for_cache(self, context):
        if not self.csrf:
            return self.nodelist.render(context)
        with context.push(csrf_token=CSRF_PLACE):
            return self.nodelist.render(context)


@register.tag
def fragment(parser, token):
    """The view gives a key only where the piece is the same for everyone who gets that key (the edit tabs: for
    forms showing what is saved, editable or not); no key renders every time (a form bound to a POST or a
    暂存). ``{% fragment key csrf %}``: the piece has forms; it is cached with a stand-in for the CSRF token,
    and each response puts its own there."""
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    bits = token.split_contents()
    if len(bits) not in (2, 3) or bits[2:] not in ([], ["csrf"]):
        raise template.TemplateSyntaxError("fragment takes the key, and csrf when the piece has forms")
    return FragmentNode(nodelist, parser.compile_filter(bits[1]), csrf=len(bits) == 3)
