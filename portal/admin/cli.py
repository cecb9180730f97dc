"""`flask users create|disable|enable|list`: account management from the command line."""
from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from ..content import permissions as perm
from ..content.models import User
from ..extensions import db
from . import accounts

users_cli = AppGroup("users", help="Manage editor accounts.")


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt="Repeat password")


@users_cli.command("create")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(perm.ROLES), help="editor, publisher, enforcement, admin or complaints")
@click.option("--org", default="newsroom", show_default=True, type=click.Choice(perm.ORGS))
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
@click.option("--must-change/--no-must-change", default=True, show_default=True,
              help="Make the user choose their own password at the first login.")
def create_command(email: str, role: str, org: str, password_stdin: bool, must_change: bool) -> None:
    """Create an account (prompts for the password, hidden and confirmed).

    Publishers, enforcement officers and admins set up two-factor login at their first login.
    """
    password = _read_password(password_stdin)
    try:
        user = accounts.create_user(None, email, role, org, password, label="cli", must_change=must_change)
        db.session.commit()
    except accounts.AccountError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from None
    click.echo(f"created {user.email} ({user.role}, {user.org})")


def _user(email: str) -> User:
    user = accounts.find_user(email)
    if user is None:
        raise click.ClickException(f"no account {email}")
    return user


@users_cli.command("disable")
@click.argument("email")
def disable_command(email: str) -> None:
    """Stop an account from logging in (its history stays)."""
    user = _user(email)
    accounts.set_active(None, user, False, label="cli")
    db.session.commit()
    click.echo(f"disabled {user.email}")


@users_cli.command("enable")
@click.argument("email")
def enable_command(email: str) -> None:
    """Let a disabled account log in again."""
    user = _user(email)
    accounts.set_active(None, user, True, label="cli")
    db.session.commit()
    click.echo(f"enabled {user.email}")


@users_cli.command("reset-password")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
def reset_password_command(email: str, password_stdin: bool) -> None:
    """Set a temporary password (changed at the next login); ends the account's sessions."""
    user = _user(email)
    try:
        accounts.set_password(None, user, _read_password(password_stdin), label="cli")
        db.session.commit()
    except accounts.AccountError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from None
    click.echo(f"password reset for {user.email}; it must be changed at the next login")


@users_cli.command("reset-2fa")
@click.argument("email")
def reset_2fa_command(email: str) -> None:
    """Remove the account's authenticator and recovery codes (it enrols again at the next login)."""
    user = _user(email)
    accounts.reset_second_factor(None, user, label="cli")
    db.session.commit()
    click.echo(f"two-factor login reset for {user.email}")


@users_cli.command("list")
def list_command() -> None:
    """List accounts: e-mail, role, organisation, whether active."""
    for user in db.session.execute(db.select(User).order_by(User.email)).scalars():
        state = "active" if user.active else "disabled"
        second = "2fa" if user.totp_secret else "no-2fa"
        click.echo(f"{user.email}\t{user.role}\t{user.org}\t{state}\t{second}")


media_cli = AppGroup("media", help="Uploaded images.")


@media_cli.command("prune")
@click.option("--older-than-hours", default=24, show_default=True, type=click.IntRange(min=1))
@click.option("--dry-run", is_flag=True, help="Only list what would be removed.")
def prune_command(older_than_hours: int, dry_run: bool) -> None:
    """Remove uploads that no item or revision uses (e.g. uploaded, then never saved)."""
    from datetime import timedelta

    from ..content.images import prune

    removed = prune(timedelta(hours=older_than_hours), dry_run=dry_run)
    for name in removed:
        click.echo(("would remove " if dry_run else "removed ") + name)
    click.echo(f"{len(removed)} upload folder(s) {'to remove' if dry_run else 'removed'}")
