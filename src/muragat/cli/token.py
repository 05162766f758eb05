"""`muragat token create|list|revoke`: the tokens a team server (`serve --writable`) accepts."""

from __future__ import annotations

import click

from muragat.cli.store import db_option
from muragat.errors import EXIT_OK, InputError
from muragat.i18n import t
from muragat.store import default_url, open_store
from muragat.store.tokens import ROLES, create_token, list_tokens, revoke_token


@click.group("token", help=t(
    "Топ серверінің токендері: `serve --writable` жазуды тек write/admin токенімен "
    "(Authorization: Bearer ...) қабылдайды. Қоймада токеннің SHA-256 хэші ғана сақталады.",
    "Tokens of a team server: `serve --writable` accepts writes only with a write/admin token "
    "(Authorization: Bearer ...). The store keeps only each token's SHA-256 hash."))
def token() -> None:
    """A group: the subcommands do the work."""


@token.command("create", help=t("Жаңа токен жасау: ол бір рет қана көрсетіледі.",
                                "Create a token: it is printed once, never again."))
@click.option("--role", type=click.Choice(ROLES), required=True,
              help=t("read: тек оқу; write: құжат қосу; admin: бәрі.",
                     "read: reading only; write: adding documents; admin: everything."))
@click.option("--name", default=None, help=t("Токен аты (әдепкі: рөл мен кездейсоқ жұрнақ).",
                                             "Token name (default: the role and a random tail)."))
@db_option
def create(role: str, name: str | None, db: str | None) -> int:
    with open_store(db or default_url()) as store:
        secret, info = create_token(store, role, name)
    click.echo(t(f"токен '{info.name}' ({info.role}) жасалды; оны сақтап қойыңыз, ол қайта "
                 "көрсетілмейді (браузерде: сервердің /login бетіне қойыңыз):",
                 f"token '{info.name}' ({info.role}) created; keep it, it is not shown again "
                 "(in a browser: paste it at the server's /login page):"), err=True)
    click.echo(secret)
    return EXIT_OK


@token.command("list", help=t("Токендер: аты, рөлі, жасалған уақыты (құпиясыз).",
                              "Tokens: name, role, creation time (never the secret)."))
@db_option
def list_command(db: str | None) -> int:
    with open_store(db or default_url(), readonly=True) as store:
        tokens = list_tokens(store)
    if not tokens:
        click.echo(t("токен жоқ (muragat token create --role write)",
                     "no tokens (muragat token create --role write)"), err=True)
    for info in tokens:
        click.echo(f"{info.name}\t{info.role}\t{info.created}")
    return EXIT_OK


@token.command("revoke", help=t("Токенді жою: онымен енді жазуға болмайды.",
                                "Revoke a token: it is refused from now on."))
@click.argument("name")
@db_option
def revoke(name: str, db: str | None) -> int:
    with open_store(db or default_url()) as store:
        if not revoke_token(store, name):
            raise InputError(t(f"мұндай токен жоқ: {name}", f"no such token: {name}"))
    click.echo(t(f"токен '{name}' жойылды", f"token '{name}' revoked"), err=True)
    return EXIT_OK


COMMANDS = [token]
