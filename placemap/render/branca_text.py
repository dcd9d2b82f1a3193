"""Rendered map pieces kept as text: branca compiles every piece of a rendered map as a template.

When folium renders a map, each element's header, HTML and script are rendered from its own
template and then wrapped in a new ``branca.element.Element(text)``, whose constructor compiles
that text, already rendered, as a Jinja template, only to render it back to the same text once.
On a profile page that is a quarter of the script's run (py-spy: ``Element.__init__``). Jinja has
nothing to do for a text without template syntax, so ``install()`` makes branca build such a text
as ``LiteralTemplate``, which returns it as Jinja would (one trailing newline dropped, line endings
made ``\\n``). A text with ``{{``, ``{%`` or ``{#`` is compiled as before. Written here because
neither branca nor folium has a setting for it; ``tests/test_branca_text.py`` checks that whole
rendered maps are the same with and without it.
"""

from __future__ import annotations

import jinja2

_MARKERS = ("{{", "{%", "{#")


class LiteralTemplate:
    """A template that is only text: ``render`` gives what ``jinja2.Template(text).render()`` would."""

    def __init__(self, text: str):
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        self._text = text[:-1] if text.endswith("\n") else text

    def render(self, *args, **kwargs) -> str:
        return self._text


def template(source: str):
    """``LiteralTemplate`` for a text without template syntax, else ``jinja2.Template``.

    Example
    -------
    >>> template("L.marker([1, 2]);\\n").render(this=None)
    'L.marker([1, 2]);'
    >>> template("{{ this }}").render(this="x")
    'x'
    """
    if isinstance(source, str) and not any(marker in source for marker in _MARKERS):
        return LiteralTemplate(source)
    return jinja2.Template(source)


def install() -> None:
    """Make branca build its elements' templates with ``template`` (once; idempotent)."""
    import branca.element

    branca.element.Template = template
