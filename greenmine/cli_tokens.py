"""Commands for API tokens: create, list, revoke."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from graph.engine import Engine
from greenmine.cli_app import err, fail, out, token_app, with_engine


@token_app.command("create")
def token_create(
    department: Annotated[str, typer.Option(help="Department code, e.g. water_resources.")],
    role: Annotated[str, typer.Option(help="officer, admin or analyst.")],
    user: Annotated[str, typer.Option(help="Who the token is for.")],
    days: Annotated[int, typer.Option(help="Days until it expires.")] = 365,
) -> None:
    """Create a token and print it once (only its hash is stored)."""
    from resolvers.auth import Role, issue_token

    try:
        chosen = Role(role)
    except ValueError:
        fail(f"--role {role!r} is not one of officer, admin, analyst")

    async def work(engine: Engine) -> str:
        issued = await issue_token(engine, user=user, role=chosen, department=department, days=days)
        return issued.token

    token = with_engine(work)
    err.print(f"token for {user} ({role}, {department}); it is shown only once:")
    print(token)


@token_app.command("list")
def token_list() -> None:
    """List tokens (ids, never secrets)."""
    from graph import tokens

    records = with_engine(tokens.all_tokens)
    table = Table("id", "user", "role", "department", "created", "expires", "revoked")
    for t in records:
        table.add_row(
            t.id, t.user, t.role, t.department, t.created_at, t.expires_at or "", t.revoked_at or ""
        )
    out.print(table)


@token_app.command("revoke")
def token_revoke(token_id: Annotated[str, typer.Argument(help="The token id.")]) -> None:
    """Revoke a token; it stops working at once."""
    from resolvers.auth import revoke_token

    async def work(engine: Engine) -> str:
        return (await revoke_token(engine, token_id)).id

    out.print(f"revoked {with_engine(work)}")
