"""Who is using this session, and what they may write (UI-only: imports Streamlit).

Sign-in is Streamlit's own OpenID Connect login (``st.login`` / ``st.user`` / ``st.logout``),
switched on by an ``[auth]`` section in Streamlit secrets; roles come from the
``[placemap.roles]`` lists (``placemap.community.roles``). Without ``[auth]`` nothing changes for
people: everyone may save as before, and the facilitator passcode unlocks moderation.
See ``docs/sign-in.md``.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from placemap.community import roles
from placemap.community.roles import Actor, Role
from placemap.ui import state


def _secrets() -> dict:
    try:
        return dict(st.secrets)
    except Exception:  # noqa: BLE001 - no secrets.toml (or an unreadable one) means no sign-in configured
        return {}


def sign_in_configured() -> bool:
    """Whether the deployment configures sign-in (an ``[auth]`` section in Streamlit secrets)."""
    return bool(_secrets().get("auth"))


def roles_config() -> tuple[roles.RolesConfig, str | None]:
    """The ``[placemap.roles]`` lists, and a plain-words problem if they are invalid (then nobody is listed)."""
    section = _secrets().get("placemap")
    listed = section.get("roles") if isinstance(section, Mapping) else None
    try:
        return roles.parse_roles(dict(listed) if isinstance(listed, Mapping) else listed), None
    except roles.RolesError as exc:
        return roles.RolesConfig(), str(exc)


def _user() -> dict:
    try:
        return st.user.to_dict()
    except Exception:  # noqa: BLE001 - outside a run or an unconfigured provider: nobody is signed in
        return {}


def current_actor() -> Actor:
    """The ``Actor`` of this session: the signed-in person, the passcode holder, or an anonymous session."""
    configured = sign_in_configured()
    if configured:
        user = _user()
        if user.get("is_logged_in"):
            email = str(user.get("email") or "")
            config, _problem = roles_config()
            if email and user.get("email_verified", True) is not False:
                return roles.signed_in_actor(email, config)
            # No (verified) address: the person is known to the provider but cannot be matched to a list.
            who = str(user.get("sub") or "unknown")
            return Actor(f"user:{who}", who, Role.VIEWER, signed_in=True)
    from placemap.ui.workshop_controls import participant_id

    holder = st.session_state.get(state.WS_FACILITATOR) is not None
    return roles.anonymous_actor(participant_id(), configured, passcode_holder=holder)


def sign_in_control() -> None:
    """The sidebar's Sign in / Sign out control (nothing when sign-in is not configured)."""
    if not sign_in_configured():
        return
    config_problem = roles_config()[1]
    if config_problem:
        st.sidebar.error(f"Roles are misconfigured, so nobody can write: {config_problem}")
    actor = current_actor()
    if actor.signed_in:
        st.sidebar.caption(f"Signed in as **{_escape(actor.label)}** ({actor.role.label}).")
        if st.sidebar.button("Sign out", key="access.sign_out", icon=":material/logout:"):
            st.logout()
    else:
        st.sidebar.caption("Viewing is open to all. Sign in to record or save shared data.")
        if st.sidebar.button("Sign in", key="access.sign_in", icon=":material/login:"):
            st.login()


def _escape(text: str) -> str:
    from placemap.data.prepare import escape_markdown

    return escape_markdown(text)


def moderator_grant(key_suffix: str = ""):
    """A ``Facilitator`` if this session may moderate, else ``None``.

    With sign-in configured, moderators are the signed-in people listed as moderators (the
    passcode box is not shown); without it, the facilitator passcode panel decides as before.
    """
    from placemap.community.workshop import Facilitator
    from placemap.ui.workshop_controls import facilitator_panel

    if not sign_in_configured():
        return facilitator_panel(key_suffix)
    if current_actor().role >= Role.MODERATOR:
        return Facilitator(_checked=True)
    st.caption("Moderation is for moderators: sign in with an address listed as a moderator.")
    return None


def refusal(actor: Actor, action: str, **kwargs) -> str | None:
    """Why ``actor`` may not do ``action`` (plain words for ``st.info``), or ``None`` if they may."""
    try:
        roles.require(actor, action, **kwargs)
    except roles.PermissionDenied as exc:
        return str(exc)
    return None


def changes_expander(db, actor: Actor, kinds: tuple[str, ...] | None = None) -> None:
    """For moderators: a "Changes" expander listing who changed shared data and when (nothing for others)."""
    from placemap.storage import audit
    from placemap.storage.store import StoreError

    if db is None or not roles.can(actor.role, "see_changes"):
        return
    with st.expander("Changes (who changed shared data, and when; moderators only)"):
        try:
            table = audit.list_changes(db, kinds=kinds)
        except StoreError as exc:
            st.warning(_escape(str(exc)))
            return
        if table.empty:
            st.caption("No changes recorded yet.")
        else:
            st.dataframe(table, hide_index=True, width="stretch")
