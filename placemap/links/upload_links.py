"""The saved-upload key of a link (``?upload=<share id>``). Pure."""

from __future__ import annotations

from collections.abc import Mapping

from placemap.links.params import share_id_value

# One shareable key: a saved upload's share id (``?upload=<id>``).
UPLOAD = "upload"


def parse_upload_id(params: Mapping[str, object]) -> tuple[str | None, list[str]]:
    """The saved upload a link asks for (``?upload=<id>``), validated, with notes.

    Example
    -------
    >>> parse_upload_id({"upload": "../etc"})
    (None, ['"\\\\.\\\\./etc" is not a saved dataset\\'s link id.'])
    """
    return share_id_value(params, UPLOAD, "is not a saved dataset's link id.")
