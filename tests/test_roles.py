"""Roles and the table of who may write what (pure: no Streamlit)."""

from __future__ import annotations

import pytest

from placemap.community import roles
from placemap.community.roles import ACTIONS, Actor, Role

CONFIG = roles.parse_roles(
    {"editors": ["@Council.gov.uk", "partner@charity.org.uk"], "moderators": ["Mo@council.gov.uk"]}
)
EDITOR_ACTIONS = {
    "write_initiative",
    "save_upload",
    "save_intervention",
    "save_plan",
    "create_workshop",
    "edit_boundary",
    "save_drawn_area",
}
MODERATOR_ACTIONS = {
    "add_priority",
    "hide_note",
    "delete_note",
    "delete_initiative",
    "delete_any_upload",
    "export_hidden_notes",
    "see_changes",
}


def test_addresses_and_domains_match_whatever_their_case():
    assert roles.role_for("ED@COUNCIL.GOV.UK", CONFIG) is Role.EDITOR
    assert roles.role_for("partner@Charity.org.uk", CONFIG) is Role.EDITOR
    assert roles.role_for("mo@council.gov.uk", CONFIG) is Role.MODERATOR


def test_a_domain_entry_does_not_cover_lookalike_or_sub_domains():
    assert roles.role_for("eve@evilcouncil.gov.uk", CONFIG) is Role.VIEWER
    assert roles.role_for("eve@council.gov.uk.evil.example", CONFIG) is Role.VIEWER
    assert roles.role_for("eve@sub.council.gov.uk", CONFIG) is Role.VIEWER


def test_unlisted_missing_or_malformed_addresses_only_view():
    for email in ("someone@else.org", None, "", "not an address", "@council.gov.uk", "a@council.gov.uk@x.org"):
        assert roles.role_for(email, CONFIG) is Role.VIEWER, email


def test_a_moderator_listing_wins_over_an_editor_listing():
    both = roles.parse_roles({"editors": ["a@x.org"], "moderators": ["a@x.org"]})
    assert roles.role_for("a@x.org", both) is Role.MODERATOR


@pytest.mark.parametrize(
    "section, message",
    [
        ({"editors": "a@x.org"}, "must be a list"),
        ({"editors": ["council.gov.uk"]}, "neither an e-mail address"),
        ({"moderators": ["a b@x.org"]}, "neither an e-mail address"),
        ({"moderators": [3]}, "neither an e-mail address"),
        ({"editor": ["a@x.org"]}, "unknown key"),
        (["a@x.org"], "must be a table"),
    ],
)
def test_a_misconfigured_roles_table_is_refused_in_plain_words(section, message):
    with pytest.raises(roles.RolesError, match=message):
        roles.parse_roles(section)


def test_no_roles_table_lists_nobody():
    assert roles.parse_roles(None) == roles.RolesConfig()
    assert roles.role_for("ed@council.gov.uk", roles.parse_roles(None)) is Role.VIEWER


@pytest.mark.parametrize("action", sorted(EDITOR_ACTIONS))
def test_editor_actions_need_at_least_an_editor(action):
    assert [roles.can(r, action) for r in Role] == [False, True, True]


@pytest.mark.parametrize("action", sorted(MODERATOR_ACTIONS))
def test_moderator_actions_need_a_moderator(action):
    assert [roles.can(r, action) for r in Role] == [False, False, True]


def test_every_action_is_in_one_of_the_tested_groups():
    assert set(ACTIONS) == EDITOR_ACTIONS | MODERATOR_ACTIONS | roles.WORKSHOP_ACTIONS | {"delete_upload"}


@pytest.mark.parametrize("action", sorted(roles.WORKSHOP_ACTIONS))
def test_anyone_takes_part_in_a_workshop_that_allows_it_and_only_moderators_otherwise(action):
    assert all(roles.can(r, action, workshop_allows=True) for r in Role)
    assert [roles.can(r, action, workshop_allows=False) for r in Role] == [False, False, True]


def test_an_editor_deletes_only_their_own_upload_and_a_moderator_any():
    me, other = "user:ed@council.gov.uk", "user:x@council.gov.uk"
    assert roles.can(Role.EDITOR, "delete_upload", owner=me, actor_id=me)
    assert not roles.can(Role.EDITOR, "delete_upload", owner=other, actor_id=me)
    assert not roles.can(Role.EDITOR, "delete_upload", owner=None, actor_id=me)  # saved before owners were kept
    assert not roles.can(Role.VIEWER, "delete_upload", owner=me, actor_id=me)
    assert roles.can(Role.MODERATOR, "delete_upload", owner=None, actor_id="user:mo@council.gov.uk")


def test_an_unknown_action_is_an_error_not_a_silent_yes_or_no():
    with pytest.raises(KeyError):
        roles.can(Role.MODERATOR, "delete_evrything")


def test_without_sign_in_everyone_saves_as_before_and_the_passcode_holder_moderates():
    anyone = roles.anonymous_actor("abc", sign_in_configured=False)
    holder = roles.anonymous_actor("abc", sign_in_configured=False, passcode_holder=True)
    assert (anyone.role, anyone.label, anyone.id) == (Role.EDITOR, "anonymous session", "session:abc")
    assert (holder.role, holder.label, holder.id) == (Role.MODERATOR, "passcode holder", "session:abc")


def test_with_sign_in_a_session_that_has_not_signed_in_only_views_even_with_the_passcode():
    assert roles.anonymous_actor("abc", sign_in_configured=True).role is Role.VIEWER
    assert roles.anonymous_actor("abc", sign_in_configured=True, passcode_holder=True).role is Role.VIEWER


def test_a_signed_in_actor_is_named_by_their_lower_cased_address():
    actor = roles.signed_in_actor(" Ed@Council.gov.uk ", CONFIG)
    assert actor == Actor("user:ed@council.gov.uk", "ed@council.gov.uk", Role.EDITOR, signed_in=True)


def test_a_refusal_says_which_role_is_needed():
    viewer = roles.signed_in_actor("eve@else.org", CONFIG)
    with pytest.raises(roles.PermissionDenied, match="needs the editor role; you are signed in as a viewer"):
        roles.require(viewer, "save_upload")
    with pytest.raises(roles.PermissionDenied, match="sign in first"):
        roles.require(roles.anonymous_actor("s", True), "hide_note")
    editor = roles.signed_in_actor("ed@council.gov.uk", CONFIG)
    with pytest.raises(roles.PermissionDenied, match="Only the person who saved it, or a moderator"):
        roles.require(editor, "delete_upload", owner="user:other@council.gov.uk")
    roles.require(editor, "delete_upload", owner=editor.id)  # no exception: their own
