"""`muragat events`: the stored events (arrests, sentences, rehabilitations …) as a table,
CSV or JSON, filtered by type, person and years; read through the Store interface."""

from __future__ import annotations

import csv
import json
import re
import sys
from typing import Any

import click

from muragat.cli.store import db_option
from muragat.errors import EXIT_OK, InputError
from muragat.i18n import t
from muragat.store import default_url, open_store
from muragat.store.base import StoredSpan

_YEAR = re.compile(r"(\d{4})")
FIELDS = ("document", "sentence", "type", "date", "date_mod", "subject", "count", "term",
          "place", "actor", "legal_article", "trigger", "ref", "sentence_text")


def _year(date: Any) -> int | None:
    m = _YEAR.search(str(date or ""))
    return int(m.group(1)) if m else None


def _last_year(date: Any) -> int | None:
    years = _YEAR.findall(str(date or ""))
    return int(years[-1]) if years else None


def row(span: StoredSpan) -> dict[str, Any]:
    a = span.attrs
    out: dict[str, Any] = {"document": span.document, "sentence": span.sentence,
                           "type": span.label, "sentence_text": span.sentence_text.strip()}
    for key in FIELDS:
        if key not in out:
            out[key] = a.get(key)
    out["subject_inferred"] = bool(a.get("subject_inferred"))
    return out


def select(spans: list[StoredSpan], types: tuple[str, ...], person: str | None,
           year_from: int | None, year_to: int | None) -> list[dict[str, Any]]:
    """Event rows matching every filter, in date order (undated last), then document order."""
    wanted = {x.upper() for x in types}
    needle = person.casefold() if person else None
    rows = []
    for span in spans:
        if span.layer != "event" or (wanted and span.label not in wanted):
            continue
        r = row(span)
        if needle and needle not in str(r["subject"] or "").casefold():
            continue
        first, last = _year(r["date"]), _last_year(r["date"])
        if year_from is not None and (last is None or last < year_from):
            continue
        if year_to is not None and (first is None or first > year_to):
            continue
        rows.append(r)
    return sorted(rows, key=lambda r: (r["date"] is None, str(r["date"] or ""), r["document"],
                                       r["sentence"]))


def _table(rows: list[dict[str, Any]]) -> None:
    for r in rows:
        who = r["subject"] or "—"
        if r["subject_inferred"]:
            who += "*"
        extra = " ".join(f"{k}={r[k]}" for k in ("count", "term", "place", "actor",
                                                  "legal_article") if r[k] is not None)
        mod = f" ({r['date_mod']})" if r["date_mod"] else ""
        click.echo(f"{r['date'] or '?'}{mod}\t{r['type']}\t{who}\t{extra}\t"
                   f"[{r['document']}:{r['sentence']}]")


@click.command("events", help=t(
    "Қоймадағы оқиғалар (тұтқындау, сот үкімі, ақтау …): түрі, адамы, жылдары бойынша сүзіп, "
    "күні бойынша реттелген кесте, CSV не JSON.",
    "The stored events (arrests, sentences, rehabilitations …) filtered by type, person and "
    "years, in date order, as a table, CSV or JSON."))
@db_option
@click.option("--type", "types", multiple=True, metavar="TYPE",
              help=t("Оқиға түрі (қайталауға болады): ARRESTED, EXECUTED …",
                     "Event type (repeatable): ARRESTED, EXECUTED …"))
@click.option("--person", default=None, help=t("Адамның аты (бөлігі).", "A person's name (or part)."))
@click.option("--from", "year_from", type=int, default=None, metavar="YEAR",
              help=t("Осы жылдан бастап.", "From this year on."))
@click.option("--to", "year_to", type=int, default=None, metavar="YEAR",
              help=t("Осы жылға дейін.", "Up to this year."))
@click.option("--csv", "as_csv", is_flag=True, help=t("CSV шығыс.", "CSV output."))
@click.option("--json", "as_json", is_flag=True, help=t("JSON шығыс.", "JSON output."))
def events(db: str | None, types: tuple[str, ...], person: str | None, year_from: int | None,
           year_to: int | None, as_csv: bool, as_json: bool) -> int:
    if as_csv and as_json:
        raise InputError(t("--csv пен --json бірге берілмейді.", "--csv and --json exclude each other."))
    if year_from is not None and year_to is not None and year_from > year_to:
        raise InputError(t("--from жылы --to жылынан кейін.", "--from is after --to."))
    from muragat.facts import vocabulary

    known = {e.label for e in vocabulary()}
    unknown = sorted({x.upper() for x in types} - known)
    if unknown:
        raise InputError(t(f"Белгісіз оқиға түрі: {', '.join(unknown)}.",
                           f"Unknown event type: {', '.join(unknown)}.")
                         + " " + ", ".join(sorted(known)))
    with open_store(db or default_url(), readonly=True) as store, store.reading():
        rows = select(store.dated_spans(), types, person, year_from, year_to)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False))
    elif as_csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=[*FIELDS, "subject_inferred"])
        writer.writeheader()
        writer.writerows(rows)
    else:
        _table(rows)
    return EXIT_OK


COMMANDS = [events]
