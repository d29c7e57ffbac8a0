"""`digis seed-demo`, `digis create-admin`, `digis users ...`."""

from __future__ import annotations

from typing import Any

import click
from tortoise import timezone
from tortoise.transactions import in_transaction

from backend.accounts import passwords, sessions
from backend.accounts.models import RefreshToken, User
from backend.accounts.roles import Role
from backend.cli.runner import (
    Finding,
    UsageProblem,
    emit,
    json_option,
    load_settings_or_exit,
    run_with_db,
)
from backend.demo.seed import DEMO_PASSWORD, seed_demo
from backend.payments.models import Purchase
from backend.wallet import ledger
from backend.wallet.models import Entry

# Stored instead of a hash by `--lock-password`: argon2 rejects it, so no password matches
# until a reset link sent to the account's own email sets a new one.
LOCKED_PASSWORD = "!locked"  # noqa: S105 - a marker, not a secret


@click.command("seed-demo")
def seed_demo_command() -> None:
    """Create the demo creators and fan (development only; idempotent; exit 1 in
    production)."""
    if load_settings_or_exit().is_production:
        raise Finding("refusing to seed demo accounts in production")
    users = run_with_db(seed_demo)
    click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for user in users:
        click.echo(f"  {user.role.value:<8} {user.email:<24} @{user.handle}")


@click.command("create-admin")
@click.argument("email")
@click.option("--handle", required=True)
@click.option("--display-name", default="Administrator", show_default=True)
@click.password_option(help="Asked for when not given (10-128 characters).")
def create_admin(email: str, handle: str, display_name: str, password: str) -> None:
    """Create an admin account, or make an existing account an admin."""
    email, handle = email.strip().lower(), handle.strip().lower()
    problem = passwords.policy_problem(password, email=email, handle=handle)
    if problem:
        raise UsageProblem(f"password {problem}")

    async def create() -> str:
        user = await User.get_or_none(email=email)
        if user is not None:
            user.role = Role.ADMIN
            await user.save(update_fields=["role", "updated_at"])
            return f"{email} is now an admin"
        if await User.exists(handle=handle):
            raise UsageProblem(f"the handle {handle} is taken")
        await User.create(
            email=email,
            handle=handle,
            display_name=display_name,
            role=Role.ADMIN,
            password_hash=await passwords.hash_password(password),
        )
        return f"admin {email} created"

    click.echo(run_with_db(create))


@click.group()
def users() -> None:
    """User accounts."""


async def _user(email: str) -> User:
    user = await User.get_or_none(email=email.strip().lower())
    if user is None:
        raise UsageProblem(f"no account with email {email}")
    return user


@users.command("show")
@click.argument("email")
@click.option("--entries", default=10, show_default=True, type=click.IntRange(0, 1000))
@json_option
def show(email: str, entries: int, as_json: bool) -> None:
    """An account: role, sessions, token balance, latest ledger entries and purchases."""

    async def describe() -> dict[str, Any]:
        user = await _user(email)
        now = timezone.now()
        active = (
            await RefreshToken.filter(
                user_id=user.id, revoked_at__isnull=True, rotated_at__isnull=True
            )
            .filter(expires_at__gt=now)
            .count()
        )
        latest = (
            await Entry.filter(wallet__owner_id=user.id).order_by("-id").limit(entries)
            if entries
            else []
        )
        purchases = await Purchase.filter(user_id=user.id).order_by("-created_at").limit(10)
        return {
            "id": str(user.id),
            "email": user.email,
            "handle": user.handle,
            "role": user.role.value,
            "created_at": user.created_at.isoformat(),
            "password_locked": user.password_hash == LOCKED_PASSWORD,
            "sessions_valid_after": _iso(user.sessions_valid_after),
            "active_sessions": active,
            "balance": await ledger.balance_of(user.id),
            "entries": [
                {
                    "id": e.id,
                    "kind": e.kind.value,
                    "amount": e.amount,
                    "description": e.description,
                    "reference": e.reference,
                    "created_at": e.created_at.isoformat(),
                }
                for e in latest
            ],
            "purchases": [
                {
                    "id": str(p.id),
                    "status": p.status.value,
                    "tokens": p.tokens,
                    "amount_cents": p.amount_cents,
                    "currency": p.currency,
                    "payment_intent_id": p.payment_intent_id,
                    "tokens_refunded": p.tokens_refunded,
                    "dispute_state": p.dispute_state.value if p.dispute_state else None,
                    "tokens_disputed": p.tokens_disputed,
                    "created_at": p.created_at.isoformat(),
                }
                for p in purchases
            ],
        }

    emit(run_with_db(describe), as_json=as_json, human=_account_text)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _account_text(a: dict[str, Any]) -> str:
    lines = [
        f"{a['email']} @{a['handle']} ({a['role']}), id {a['id']}, since {a['created_at']}",
        f"sessions: {a['active_sessions']} active"
        + (f", all before {a['sessions_valid_after']} revoked" if a["sessions_valid_after"] else "")
        + ("; password locked" if a["password_locked"] else ""),
        f"balance: {a['balance']} tokens",
    ]
    lines += [
        f"  entry {e['id']:>6} {e['created_at'][:19]} {e['kind']:<12} {e['amount']:>+7}  "
        f"{e['description']}"
        for e in a["entries"]
    ]
    lines += [
        f"  purchase {p['id']} {p['created_at'][:19]} {p['status']:<18} {p['tokens']} tokens"
        + (f", dispute {p['dispute_state']}" if p["dispute_state"] else "")
        for p in a["purchases"]
    ]
    return "\n".join(lines)


@users.command("revoke-sessions")
@click.argument("email")
@click.option(
    "--lock-password",
    is_flag=True,
    help="Also make the current password useless: only a reset link sent to the "
    "account's email sets a new one.",
)
@json_option
def revoke_sessions(email: str, lock_password: bool, as_json: bool) -> None:
    """Sign a user out everywhere: every refresh family and every access token."""

    async def revoke() -> int:
        user = await _user(email)
        async with in_transaction():
            if lock_password:
                user.password_hash = LOCKED_PASSWORD
                await user.save(update_fields=["password_hash", "updated_at"])
            return await sessions.revoke_all(user.id)

    revoked = run_with_db(revoke)
    emit(
        {
            "email": email.strip().lower(),
            "revoked_refresh_tokens": revoked,
            "password_locked": lock_password,
        },
        as_json=as_json,
        human=lambda d: (
            f"{d['email']}: every session revoked ({revoked} refresh token(s))"
            + ("; password locked (a reset link sets a new one)" if lock_password else "")
        ),
    )
