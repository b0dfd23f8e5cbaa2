"""The exported SDL is the schema the code builds."""

from __future__ import annotations

from schema.root import SDL_PATH, sdl


def test_exported_sdl_matches_the_code() -> None:
    assert SDL_PATH.read_text(encoding="utf-8") == sdl(), (
        "schema/schema.graphql is out of date; run `greenmine export-schema`"
    )


def test_the_design_names_are_in_the_schema() -> None:
    text = sdl()
    for name in (
        "departments: [Department!]!",
        "department(code: String!): Department!",
        "removalConditions: [RemovalCondition!]!",
        "jointMeeting: JointMeeting!",
        "rules: [Rule!]!",
    ):
        assert name in text
