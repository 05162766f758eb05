"""`muragat ingest | search | entities | show | export`: the knowledge store on the command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from muragat import pipeline
from muragat.errors import (
    EXIT_FAILURE,
    EXIT_OK,
    EXIT_STORE,
    InputError,
    MuragatError,
    StoreError,
)
from muragat.i18n import t
from muragat.store import default_url, open_store

DB_HELP = t("Қойма: SQLite файлы (әдепкі muragat.db немесе MURAGAT_DB) не postgresql:// URL.",
            "Store: an SQLite file (default muragat.db or MURAGAT_DB) or a postgresql:// URL.")


def db_option(f):  # type: ignore[no-untyped-def]
    return click.option("--db", default=None, metavar="PATH|URL", help=DB_HELP)(f)


def engine_options(f):  # type: ignore[no-untyped-def]
    """--workers / --engine / --ray-address, shared by `ingest` and `batch`."""
    f = click.option("--ray-address", default=None, metavar="ADDRESS", help=t(
        "Бар Ray кластері (auto, ray://host:10001); жоқ болса, осы машинада іске қосылады.",
        "An existing Ray cluster (auto, ray://host:10001); without it Ray starts here."))(f)
    f = click.option("--engine", type=click.Choice(["local", "ray"]), default="local",
                     show_default=True, help=t(
        "Параллель талдау: осы машинаның процестері (local) не Ray.",
        "Parallel analysis: this machine's processes (local) or Ray."))(f)
    return click.option("--workers", type=click.IntRange(1, 1024), default=1, show_default=True,
                        help=t("Талдаушы процестер саны.", "Number of analysing workers."))(f)


def _echo_json(value: object) -> None:
    click.echo(json.dumps(value, ensure_ascii=False))


# -- ingest ----------------------------------------------------------------------------
def _is_layer(name: str) -> bool:
    return name in pipeline.KNOWN_LAYERS


@click.command("ingest", help=t(
    "Файлдар мен қалталарды (.txt, .md, .jsonl, .parquet) талдап, қоймаға сақтау. "
    "Қайта іске қосу қауіпсіз: сақталған мәтін қайталанбайды.",
    "Analyse files and folders (.txt, .md, .jsonl, .parquet) and keep them in the store. "
    "Safe to rerun: a stored text is never stored twice."))
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
@click.option("--layers", default=",".join(pipeline.DEFAULT_LAYERS), show_default=True,
              help=t("Қай қабаттар іске қосылады, үтір арқылы.", "Layers to run, comma-separated."))
@click.option("--text-field", default="text", show_default=True,
              help=t(".jsonl/.parquet ішіндегі мәтін өрісі.", "Text field of .jsonl/.parquet rows."))
@click.option("--progress/--no-progress", default=True,
              help=t("Прогресс жолағы.", "Progress bar."))
@click.option("--json", "as_json", is_flag=True, help=t("Есепті JSON түрінде.", "Report as JSON."))
@click.option("--max-mb", default=32, show_default=True, type=click.IntRange(1, 4096),
              help=t("Бір файлдың ең үлкен өлшемі, МБ.", "Largest input file, in MB."))
@click.option("--time-limit", default=600.0, show_default=True, type=click.FloatRange(0),
              metavar="SECONDS",
              help=t("Бір құжатты талдаудың ең ұзақ уақыты, с (0 — шексіз); асса, құжат "
                     "өткізіледі.", "Longest analysis of one document, in seconds (0: none); "
                     "past it the document is reported and skipped."))
@click.option("--strict", is_flag=True,
              help=t("UTF-8 емес байттары бар файлды түзетпей, қабылдамау.",
                     "Refuse files with bytes that are not UTF-8 instead of repairing them."))
@engine_options
def ingest(paths: tuple[Path, ...], db: str | None, layers: str, text_field: str,
           progress: bool, as_json: bool, max_mb: int, time_limit: float, strict: bool,
           workers: int, engine: str, ray_address: str | None) -> int:
    from muragat import io
    from muragat.batch import ingest as run_ingest

    names = layer_names(layers)
    show = progress and sys.stderr.isatty()
    limit = time_limit or None
    with open_store(db or default_url()) as store, io.decoding(strict, _echo_warning), \
            io.max_input_bytes(max_mb * 1024 * 1024):
        if workers == 1 and engine == "local":
            report = run_ingest(store, paths, names, text_field, show, time_limit=limit,
                                on_failure=_echo_failure)
        else:
            from muragat.batch import ingest_parallel, make_engine

            with make_engine(engine, workers, ray_address) as runner:
                report = ingest_parallel(store, paths, runner, names, text_field, progress=show,
                                         time_limit=limit, on_failure=_echo_failure)
    print_report(report, as_json, failures_shown=True)
    return EXIT_FAILURE if report.failures else EXIT_OK


def _echo_failure(f) -> None:  # type: ignore[no-untyped-def]
    """Each failure as it happens (tqdm.write keeps a progress bar intact)."""
    from tqdm import tqdm

    tqdm.write(t("оқылмады: ", "could not read: ") + f"{f.source}: {f.reason}", file=sys.stderr)


def _echo_warning(message: str) -> None:
    from tqdm import tqdm

    tqdm.write(t("ескерту: ", "warning: ") + message, file=sys.stderr)


def layer_names(layers: str) -> tuple[str, ...]:
    names = tuple(x for x in layers.split(",") if x)
    unknown = [x for x in names if not _is_layer(x)]
    if unknown:
        raise click.BadParameter(", ".join(unknown), param_hint="--layers")
    return names


def print_report(report, as_json: bool, failures_shown: bool = False  # type: ignore[no-untyped-def]
                 ) -> None:
    if as_json:
        _echo_json(report.to_dict())
    else:
        for f in [] if failures_shown else report.failures:
            click.echo(t("оқылмады: ", "could not read: ") + f"{f.source}: {f.reason}", err=True)
        click.echo(t(
            f"қосылды {report.added}, бұрыннан бар {report.skipped}, қате {len(report.failures)}"
            f" — {report.seconds:.1f} с, {report.docs_per_second:.1f} құжат/с",
            f"added {report.added}, already stored {report.skipped}, failed "
            f"{len(report.failures)} — {report.seconds:.1f} s, {report.docs_per_second:.1f} docs/s"),
            err=True)


# -- search ----------------------------------------------------------------------------
def _print_result(result, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    if as_json:
        _echo_json(result.to_dict())
        return
    click.echo(t(f"{result.total} сөйлем табылды", f"{result.total} sentences found"))
    for h in result.hits:
        click.echo(f"[{h.document}:{h.start}-{h.end}] {h.snippet}")
    for name, counts in result.facets.items():
        if counts:
            shown = ", ".join(f"{k} {v}" for k, v in list(counts.items())[:12])
            click.echo(f"  {t({'type': 'түрі', 'year': 'жылы'}.get(name, name), name)}: {shown}")


def _print_documents(result, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    if as_json:
        _echo_json(result.to_dict())
        return
    click.echo(t(f"{result.total} құжат табылды", f"{result.total} documents found"))
    for d in result.documents:
        click.echo(f"[{d.document}] {d.title or d.source or ''}  ({d.score:.2f})")
        if d.best is not None:
            click.echo(f"    [{d.best.start}-{d.best.end}] {d.best.snippet}")


@click.command("search", help=t(
    "Қоймадан лемма бойынша іздеу: сөздің кез келген тұлғасы табылады. "
    '"Ойыл ауданы" — тіркес, =Тоғжановтың — дәл тұлға. Операторлар (бас әріппен): '
    "-сөз немесе NOT сөз — алып тастау, a AND b — екеуі де, a OR b — бірі, +сөз — міндетті, "
    "NEAR(a b) немесе a NEAR/5 b — 10 (5) сөз ішінде, (…) — топтау; JSON-дағы "
    '"reading" сұранымның қалай оқылғанын айтады.',
    'Search the store by lemma: any form of a word is found. "Ойыл ауданы" is a phrase, '
    "=Тоғжановтың an exact form. Operators (upper-case): -word or NOT word excludes, "
    "a AND b needs both, a OR b either, +word is required, NEAR(a b) or a NEAR/5 b: within "
    '10 (5) words, (…) groups; the JSON\'s "reading" says how the query was read.'))
@click.argument("query", required=False)
@db_option
@click.option("--type", "types", multiple=True, metavar="TYPE",
              help=t("Тек осы түрдегі атауы бар сөйлемдер (PERSON, LOCATION…).",
                     "Only sentences naming an entity of this type (PERSON, LOCATION…)."))
@click.option("--year", type=int, default=None,
              help=t("Тек осы жылы аталған сөйлемдер.", "Only sentences that mention this year."))
@click.option("--limit", type=click.IntRange(0, 10000), default=10, show_default=True,
              help=t("Ең көп нәтиже.", "Most hits shown."))
@click.option("--offset", type=click.IntRange(0), default=0, help=t("Өткізу.", "Hits skipped."))
@click.option("--json", "as_json", is_flag=True, help=t("JSON шығыс.", "JSON output."))
@click.option("--batch", type=click.Path(path_type=Path, allow_dash=True), default=None,
              help=t("`id<TAB>сұраным` жолдары бар файл.", "A file of `id<TAB>query` lines."))
@click.option("--trec", is_flag=True, help=t("--batch үшін TREC run файлы.",
                                             "With --batch: write a TREC run file."))
@click.option("--prefix/--no-prefix", default=True,
              help=t("Тұлға басы бойынша қосымша сәйкестік.",
                     "Also match surface forms by prefix (a fallback for unknown words)."))
@click.option("--documents", is_flag=True,
              help=t("Сөйлемдерді емес, құжаттарды рейтингпен (әрқайсысының ең жақсы сөйлемі).",
                     "Rank documents, not sentences (each with its best sentence)."))
def search(query: str | None, db: str | None, types: tuple[str, ...], year: int | None,
           limit: int, offset: int, as_json: bool, batch: Path | None, trec: bool,
           prefix: bool, documents: bool) -> int:
    from muragat import search as s
    from muragat.io import batch_queries

    if (query is None) == (batch is None):
        raise InputError(t("сұраным НЕМЕСЕ --batch керек", "give a QUERY or --batch FILE"))
    options = {"types": types, "year": year, "limit": limit, "offset": offset, "prefix": prefix}
    with open_store(db or default_url(), readonly=True) as store, store.reading():
        if batch is None:
            assert query is not None
            if documents:
                _print_documents(s.search_documents(store, query, **options), as_json)
            else:
                _print_result(s.search(store, query, **options), as_json)
            return EXIT_OK
        code = EXIT_OK
        for item in batch_queries(batch):  # every line is its own unit (see _answer_error)
            if item.error is not None:
                code = max(code, _answer_error(item.line, item.qid, item.error, trec))
                continue
            assert item.qid is not None and item.query is not None
            try:
                answers = list(s.search_batch(store, [(item.qid, item.query)], documents,
                                              facets=not trec, **options))
            except StoreError as exc:  # this query could not run; the next ones may
                code = max(code, EXIT_STORE, _answer_error(item.line, item.qid, exc, trec))
                continue
            for qid, result in answers:
                if isinstance(result, InputError):
                    code = max(code, _answer_error(item.line, qid, result, trec))
                elif trec:
                    for line in s.trec_lines(qid, result):
                        click.echo(line)
                else:
                    _echo_json({"id": qid, **result.to_dict()})
        return code


def _answer_error(line: int, qid: str | None, error: Exception, trec: bool) -> int:
    """A batch line that cannot be answered: in JSON, its answer is `{"id", "line", "error"}`
    (`id` null when the line has none) and the exit code stays 0, since every line got an
    answer; a TREC run has no place for it, so it goes to standard error and the exit code
    is 1 (some queries failed)."""
    if trec:
        click.echo(f"{qid or '-'} ({t('жол', 'line')} {line}): {error}", err=True)
        return EXIT_FAILURE
    _echo_json({"id": qid, "line": line, "error": str(error)})
    return EXIT_OK


# -- entities, show, export ------------------------------------------------------------
@click.group("entities", invoke_without_command=True, help=t(
    "Атаулы нысандар: септеулер, инициалдар мен құжаттар бойынша біріктірілген, аталу саны. "
    "Түзетулер (merge, split, rename, relabel, edits) талдаудан бөлек сақталады.",
    "Named entities consolidated across inflections, initials and documents, with counts. "
    "Corrections (merge, split, rename, relabel, edits) are kept apart from the analysis."))
@click.pass_context
@db_option
@click.option("--type", "types", multiple=True, metavar="TYPE",
              help=t("Тек осы түрлер.", "Only these types."))
@click.option("--limit", type=click.IntRange(0), default=0,
              help=t("Ең көп жол (0 — бәрі).", "Most rows (0: all)."))
@click.option("--json", "as_json", is_flag=True, help=t("JSON шығыс.", "JSON output."))
@click.option("--why", is_flag=True, help=t(
    "Әр атау нысанға неге қосылғанын көрсету.", "Show why each name joined its entity."))
@click.option("--mentions", "with_mentions", is_flag=True, help=t(
    "JSON: әр аталудың құжаты мен орны (start, end).",
    "JSON: each mention's document and offsets (start, end)."))
def entities(ctx: click.Context, db: str | None, types: tuple[str, ...], limit: int,
             as_json: bool, why: bool = False, with_mentions: bool = False) -> int:
    if ctx.invoked_subcommand is not None:  # `entities merge …`: the subcommand does the work
        ctx.ensure_object(dict)["db"] = db  # `entities --db X merge …` means that store
        return EXIT_OK
    from muragat.search.edits import apply_edits
    from muragat.search.entities import consolidate

    with open_store(db or default_url(), readonly=True) as store, store.reading():
        wanted = tuple(x.upper() for x in types)
        edits = store.entity_edits()  # with edits, every type: a relabel moves names across
        groups = store.mention_groups(() if edits else wanted)
        found = apply_edits(consolidate(groups), edits, groups)
        places = _mention_places(store, found) if with_mentions and as_json else {}
    found = [e for e in found if not wanted or e.label in wanted]
    total = len(found)  # all of them: `--limit` only shortens the list shown
    if limit:
        found = found[:limit]
    if as_json:
        rows = [e.to_dict(why=why) for e in found]
        for row in rows if with_mentions else ():
            row["at"] = places.get(str(row["id"]), [])
        _echo_json({"total": total, "entities": rows})
    else:
        for e in found:
            forms = ", ".join(list(e.names)[:5])
            kind = f" ({e.place_type})" if e.place_type else ""
            click.echo(f"{e.mentions:6d}  {e.label:<14} {e.name}{kind}  [{forms}]")
            for name, reason in e.reasons.items() if why else ():
                click.echo(f"{'':8}{name}: {reason}")
    return EXIT_OK


def _mention_places(store, found) -> dict[str, list[dict[str, object]]]:  # type: ignore[no-untyped-def]
    """Entity id -> its mentions' document source, offsets and base form (`--mentions`)."""
    from muragat.store.rows import mention_name

    owner: dict[tuple[int, str], dict[str, str]] = {}  # (document, name) -> {label: id}
    for e in found:
        for doc, name in e.members:
            owner.setdefault((doc, name), {})[e.label] = e.id
    out: dict[str, list[dict[str, object]]] = {}
    for doc_id in sorted({doc for doc, _ in owner}):
        document = store.get_document(doc_id)
        info = store.doc_info(doc_id)
        source = info.source if info is not None and info.source else str(doc_id)
        for span in document.spans:
            if span.layer != "ner":
                continue
            name = mention_name(document, span.start, span.end, span.attrs, document.tokens)
            held = owner.get((doc_id, name), {})
            # consolidation may move a mention to another label (a person tagged as a place)
            ident = held.get(span.label) or (next(iter(held.values())) if len(held) == 1 else None)
            if ident is not None:
                out.setdefault(ident, []).append({"document": source, "start": span.start,
                                                  "end": span.end, "name": name})
    return out


@click.command("show", help=t("Қоймадағы құжатты аннотацияларымен көрсету (id, хэш не жол).",
                              "Print a stored document with its annotations (id, hash or path)."))
@click.argument("doc")
@db_option
@click.option("--json", "as_json", is_flag=True, help=t("JSON шығыс.", "JSON output."))
def show(doc: str, db: str | None, as_json: bool) -> int:
    from muragat.formats import to_text

    with open_store(db or default_url(), readonly=True) as store, store.reading():
        doc_id = store.resolve(doc)
        document = store.get_document(doc_id)
        info = store.doc_info(doc_id)
        digest = [info.hash] if info is not None else []
        tags, notes = store.document_tags(digest), store.document_notes(digest)
    if as_json:
        click.echo(document.to_json())
        return EXIT_OK
    if info is not None:
        click.echo(f"# {doc_id}  {info.source or ''}  {info.hash[:12]}")
        if tags.get(info.hash):  # what people added (muragat tag / star / note)
            click.echo("# " + t("тегтер: ", "tags: ") + ", ".join(tags[info.hash]))
        for n in notes:
            click.echo(f"# {t('жазба', 'note')} {n.id} ({n.author or '-'}): {n.text}")
    click.echo(to_text(document), nl=False)
    return EXIT_OK


@click.command("export", help=t("Қойманы не құжаттарды экспорттау: jsonl, conllu, tei.",
                                "Export the store or some documents: jsonl, conllu, tei."))
@click.argument("docs", nargs=-1)
@db_option
@click.option("--to", "fmt", type=click.Choice(["jsonl", "conllu", "tei"]), default="jsonl",
              show_default=True, help=t("Шығыс пішімі.", "Output format."))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help=t("Шығыс файлы.", "Output file."))
def export(docs: tuple[str, ...], db: str | None, fmt: str, output: Path | None) -> int:
    from muragat.export import export as run_export

    with open_store(db or default_url(), readonly=True) as store, store.reading():
        ids = [store.resolve(d) for d in docs] or None
        if output is None:
            run_export(store, fmt, ids, sys.stdout)
        else:
            try:
                fh = output.open("w", encoding="utf-8")
            except OSError as exc:
                raise MuragatError(t(f"{output}: жазу мүмкін емес: {exc.strerror}",
                                     f"{output}: cannot write: {exc.strerror}")) from None
            with fh:
                run_export(store, fmt, ids, fh)
    return EXIT_OK


@click.command("check", help=t(
    "Қойманы толық тексеру: SQLite integrity_check, схема, әр құжатты оқып шешу. "
    "Бүлінген қойма — шығу коды 4.",
    "Check the whole store: SQLite integrity_check, the schema, and every stored document "
    "read back and decoded. A damaged store exits with 4."))
@db_option
@click.option("--json", "as_json", is_flag=True, help=t("JSON шығыс.", "JSON output."))
def check(db: str | None, as_json: bool) -> int:
    from muragat.store.base import CHECK_SHOWN

    with open_store(db or default_url(), readonly=True) as store, store.reading():
        read, problems = store.check()
    if as_json:
        _echo_json({"ok": not problems, "documents": read, "problems": problems})
    elif problems:
        for p in problems[:CHECK_SHOWN]:
            click.echo(t("ақау: ", "problem: ") + p, err=True)
        if len(problems) > CHECK_SHOWN:
            click.echo(t(f"… тағы {len(problems) - CHECK_SHOWN}",
                         f"… {len(problems) - CHECK_SHOWN} more"), err=True)
        click.echo(t(f"қойма бүлінген: {len(problems)} ақау, {read} құжат оқылды",
                     f"the store is damaged: {len(problems)} problem(s), {read} documents read"),
                   err=True)
    else:
        click.echo(t(f"қойма дұрыс: {read} құжат тексерілді",
                     f"the store is sound: {read} documents checked"))
    return EXIT_STORE if problems else EXIT_OK


COMMANDS = [ingest, search, entities, show, export, check]
