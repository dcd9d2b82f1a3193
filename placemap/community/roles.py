"""Who may write shared data: roles, the configured lists of editors and moderators, and one table of actions.

Viewing is open to anyone with the link. Writing shared data needs a role:

- **viewer**: may look, and (where a workshop allows it) add notes, vote and score;
- **editor**: may also record initiatives, save uploads, interventions and drawn areas, edit drawn
  areas and start workshops;
- **moderator**: may also hide and delete anything, list priorities, and export hidden notes.

When the deployment configures sign-in (an ``[auth]`` section in Streamlit secrets), a person's
role comes from their e-mail address and the ``[placemap.roles]`` lists (an entry starting with
``@`` is a whole domain). Without sign-in, Placemap works as it always has: everybody may save
(role ``editor``), and whoever types the facilitator passcode acts as a moderator.

Pure Python: no Streamlit. ``placemap.ui.access`` reads the signed-in user and builds the ``Actor``.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


class Role(enum.IntEnum):
    """What a person may do; a higher role may do everything a lower one may."""

    VIEWER = 0
    EDITOR = 1
    MODERATOR = 2

    @property
    def label(self) -> str:
        """The role's name for people."""
        return self.name.lower()


class RolesError(ValueError):
    """The ``[placemap.roles]`` configuration is not valid (said in plain words)."""


class PermissionDenied(PermissionError):
    """Someone tried to do what their role does not allow."""


# Each action and the least role that may do it. Workshop participation is open to viewers only
# where the workshop allows it (``can(..., workshop_allows=...)``).
ACTIONS: dict[str, Role] = {
    "add_note": Role.VIEWER,
    "vote": Role.VIEWER,
    "score": Role.VIEWER,
    "write_initiative": Role.EDITOR,
    "save_upload": Role.EDITOR,
    "delete_upload": Role.EDITOR,  # and only one's own (``can(..., owner=..., actor_id=...)``)
    "save_intervention": Role.EDITOR,
    "save_plan": Role.EDITOR,
    "create_workshop": Role.EDITOR,
    "save_drawn_area": Role.EDITOR,
    "edit_boundary": Role.EDITOR,  # a saved drawn area's name or outline
    "add_priority": Role.MODERATOR,
    "hide_note": Role.MODERATOR,
    "delete_note": Role.MODERATOR,
    "delete_initiative": Role.MODERATOR,
    "delete_any_upload": Role.MODERATOR,
    "export_hidden_notes": Role.MODERATOR,
    "see_changes": Role.MODERATOR,
}
WORKSHOP_ACTIONS = frozenset({"add_note", "vote", "score"})
_OWNED = {"delete_upload"}

# A deliberately plain check: one "@", something on each side, a dot in the domain, no spaces.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DOMAIN = re.compile(r"^@[^@\s]+\.[^@\s]+$")
PASSCODE_HOLDER = "passcode holder"


@dataclass(frozen=True)
class RolesConfig:
    """The configured editors and moderators: exact addresses and ``@domain`` entries, lower-cased."""

    editors: frozenset[str] = frozenset()
    moderators: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Actor:
    """Who is acting: an id for ownership and the change log, a label for people, a role.

    ``id`` is ``"user:<email>"`` for a signed-in person, ``"session:<random id>"`` for a browser
    session without sign-in. ``label`` is what the change log shows (the e-mail address,
    "passcode holder" or "anonymous session").
    """

    id: str
    label: str
    role: Role
    signed_in: bool = False


def _entries(value: object, where: str) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise RolesError(f'{where} must be a list of e-mail addresses or @domains, e.g. ["a@council.gov.uk"].')
    out = set()
    for item in value:
        text = str(item).strip().lower() if isinstance(item, str) else None
        if not text or not (_EMAIL.match(text) or _DOMAIN.match(text)):
            raise RolesError(
                f"{where} has {item!r}, which is neither an e-mail address (name@council.gov.uk) "
                "nor a domain starting with @ (@council.gov.uk)."
            )
        out.add(text)
    return frozenset(out)


def parse_roles(section: Mapping[str, object] | None) -> RolesConfig:
    """The roles configuration from the ``[placemap.roles]`` table of secrets (``None`` means none).

    Raises
    ------
    RolesError
        If a list is not a list, or an entry is neither an address nor an ``@domain``.

    Example
    -------
    >>> cfg = parse_roles({"editors": ["@Council.gov.uk"], "moderators": ["Ann@council.gov.uk"]})
    >>> sorted(cfg.editors), sorted(cfg.moderators)
    (['@council.gov.uk'], ['ann@council.gov.uk'])
    """
    if section is None:
        return RolesConfig()
    if not isinstance(section, Mapping):
        raise RolesError("[placemap.roles] must be a table with the lists editors and moderators.")
    unknown = set(section) - {"editors", "moderators"}
    if unknown:
        raise RolesError(
            f"[placemap.roles] has unknown key(s) {', '.join(sorted(unknown))}: use editors and moderators."
        )
    return RolesConfig(
        _entries(section.get("editors"), "[placemap.roles] editors"),
        _entries(section.get("moderators"), "[placemap.roles] moderators"),
    )


def _listed(email: str, entries: frozenset[str]) -> bool:
    domain = "@" + email.rsplit("@", 1)[1]
    return email in entries or domain in entries


def role_for(email: str | None, config: RolesConfig) -> Role:
    """The role of a signed-in person with this e-mail address (``VIEWER`` if unlisted or no address).

    Matching ignores case; ``@council.gov.uk`` covers every address at that domain, not its
    subdomains. A moderator listing wins over an editor listing.

    Example
    -------
    >>> cfg = RolesConfig(editors=frozenset({"@council.gov.uk"}), moderators=frozenset({"ann@council.gov.uk"}))
    >>> role_for("Bob@Council.gov.uk", cfg).label, role_for("ann@council.gov.uk", cfg).label
    ('editor', 'moderator')
    >>> role_for("eve@evil.example", cfg).label
    'viewer'
    """
    text = (email or "").strip().lower()
    if not _EMAIL.match(text):
        return Role.VIEWER
    if _listed(text, config.moderators):
        return Role.MODERATOR
    if _listed(text, config.editors):
        return Role.EDITOR
    return Role.VIEWER


def can(
    role: Role,
    action: str,
    *,
    workshop_allows: bool = True,
    owner: str | None = None,
    actor_id: str | None = None,
) -> bool:
    """Whether ``role`` may do ``action``.

    ``workshop_allows`` says whether the workshop takes notes, votes and scores (viewers may then
    add them). For ``delete_upload``, ``owner`` is who saved the dataset and ``actor_id`` who asks:
    an editor deletes only their own, a moderator any.

    Raises
    ------
    KeyError
        For an action not in ``ACTIONS`` (a typo must not silently allow or refuse).

    Example
    -------
    >>> can(Role.VIEWER, "save_upload"), can(Role.EDITOR, "save_upload")
    (False, True)
    >>> can(Role.EDITOR, "delete_upload", owner="user:a@x.org", actor_id="user:b@x.org")
    False
    """
    least = ACTIONS[action]
    if action in WORKSHOP_ACTIONS and not workshop_allows:
        return role >= Role.MODERATOR
    if action in _OWNED:
        if role >= Role.MODERATOR:
            return True
        return role >= least and owner is not None and owner == actor_id
    return role >= least


def require(actor: Actor, action: str, **kwargs) -> None:
    """Raise ``PermissionDenied`` (with what role is needed) unless ``actor`` may do ``action``."""
    if can(actor.role, action, actor_id=actor.id, **kwargs):
        return
    needed = Role.MODERATOR if action in _OWNED else ACTIONS[action]
    if action in _OWNED and actor.role >= ACTIONS[action]:
        raise PermissionDenied("Only the person who saved it, or a moderator, can delete it.")
    raise PermissionDenied(
        f"This needs the {needed.label} role; you are signed in as a {actor.role.label}."
        if actor.signed_in
        else f"This needs the {needed.label} role: sign in first."
    )


def anonymous_actor(session_id: str, sign_in_configured: bool, passcode_holder: bool = False) -> Actor:
    """The actor of a browser session nobody signed in to.

    Without sign-in configured everybody may save as today (``EDITOR``) and the passcode holder
    moderates; with sign-in configured a session that has not signed in only views.

    Example
    -------
    >>> anonymous_actor("abc", sign_in_configured=False).role.label
    'editor'
    >>> anonymous_actor("abc", sign_in_configured=True).role.label
    'viewer'
    >>> anonymous_actor("abc", sign_in_configured=False, passcode_holder=True).label
    'passcode holder'
    """
    if passcode_holder and not sign_in_configured:
        return Actor(f"session:{session_id}", PASSCODE_HOLDER, Role.MODERATOR)
    return Actor(f"session:{session_id}", "anonymous session", Role.VIEWER if sign_in_configured else Role.EDITOR)


def signed_in_actor(email: str, config: RolesConfig) -> Actor:
    """The actor of a signed-in person (their address, lower-cased, is both id and label)."""
    text = email.strip().lower()
    return Actor(f"user:{text}", text, role_for(text, config), signed_in=True)
