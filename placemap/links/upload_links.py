"""The saved-upload key of a link (``?upload=<share id>``). Pure."""

from __future__ import annotations

from collections.abc import Mapping

from placemap.links.params import first_value, shown

# One shareable key: a saved upload's share id (``?upload=<id>``).
UPLOAD = "upload"


def parse_upload_id(params: Mapping[str, object]) -> tuple[str | None, list[str]]:
    """The saved upload a link asks for (``?upload=<id>``), validated, with notes.

    Example
    -------
    >>> parse_upload_id({"upload": "../etc"})
    (None, ['"\\\\.\\\\./etc" is not a saved dataset\\'s link id.'])
    """
    from placemap.storage.tables import valid_share_id

    raw = first_value(params.get(UPLOAD))
    if not raw:
        return None, []
    if valid_share_id(raw):
        return raw, []
    return None, [f'"{shown(raw)}" is not a saved dataset\'s link id.']
