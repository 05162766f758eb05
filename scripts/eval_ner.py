"""Evaluate Kazakh NER.

    .venv/bin/python scripts/eval_ner.py            # 5-fold CV on ../shared/data/kaznerd (trains 5 models)
    .venv/bin/python scripts/eval_ner.py --domain   # shipped model on scripts/data/ner_domain_*.txt (own gold)
    .venv/bin/python scripts/eval_ner.py --sample   # print the entities found in the sample article
    .venv/bin/python scripts/eval_ner.py --cli --cache build/ner-cv   # the same CV folds through
        `muragat analyze FOLD.bio --from bio --to bio` as a process, each fold's models selected
        by $MURAGAT_NER_MODELS (the CV run with --cache trains and keeps them), printed file scored
    .venv/bin/python scripts/eval_ner.py --sample-gold [--verbose]   # the sample's entities through
        `muragat analyze --to json` against the team gold scripts/data/sample_ner_gold.tsv
    options: --jobs 2 (members x folds in parallel), --folds 5, --no-rules, --json, --dump DIR (fold
    predictions), --cache DIR (keep the fold models; a rerun with the same members reuses them)

Scores are entity-level exact match with conlleval's rules (muragat.ner.score).
Each CV fold learns its own word clusters from its training part only.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from train_ner import REPO, folds, load_all, shared_dir

from muragat.ner.rules import apply_rules
from muragat.ner.score import Scores, score
from muragat.ner.spans import repair, vote
from muragat.ner.training import read_iob

DOMAIN_GLOB = "ner_domain_*.txt"


def run_member(args: tuple[int, int, int, str]) -> tuple[int, int, list[list[str]], float]:
    """Train ensemble member m on the folds other than k (or reuse it from `cache`) and tag fold k
    with it alone (IOB2). Each fold learns its own word clusters from its training part."""
    import pycrfsuite

    from muragat.ner.tagger import NER
    from muragat.ner.training import (
        MEMBERS,
        build_clusters,
        train_member,
        use_clusters,
        write_clusters,
    )

    k, m, nfolds, cache = args
    sents = load_all()
    test_idx = set(folds(len(sents), nfolds)[k])
    train = [s for i, s in enumerate(sents) if i not in test_idx]
    test = [s for i, s in enumerate(sents) if i in test_idx]
    t0 = time.time()
    clusters = build_clusters([w for w, _ in train])
    use_clusters(clusters)
    _, flags, encoding = MEMBERS[m]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(cache) / f"fold{k}-of-{nfolds}" if cache else Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        if cache and not (out / "clusters.tsv").exists():  # the CLI loads the fold's own clusters
            write_clusters(clusters, out / "clusters.tsv.part")
            (out / "clusters.tsv.part").rename(out / "clusters.tsv")
        model = out / member_file(m)
        if not model.exists():
            train_member(train, out, (model.name + ".part", flags, encoding))
            (out / (model.name + ".part")).rename(model)
        crf = pycrfsuite.Tagger()
        crf.open(str(model))
        tagger = NER([crf], model, [encoding == "bioes"])  # the shipped tagger, one member
        tagger.rules = False
        pred = [tagger(words) for words, _ in test]
    return k, m, pred, time.time() - t0


def member_file(m: int) -> str:
    """The cached file of member m: its identity (labels, features, training parameters)."""
    from muragat.ner.training import C1, C2, ITERATIONS, MEMBERS

    _, flags, encoding = MEMBERS[m]
    return f"{encoding}-{'+'.join(flags)}-c1={C1}-c2={C2}-it={ITERATIONS}.crfsuite"


def fold_result(test: list, members: list[list[list[str]]], rules: bool, dump: str, k: int
                ) -> tuple[Scores, Scores]:
    """Vote the members' labels of fold k, apply the post-rules; scores with and without them."""
    bare = [vote(list(seqs)) for seqs in zip(*members, strict=True)]
    pred = [repair(apply_rules(w, lab)) for (w, _), lab in zip(test, bare, strict=True)] if rules else bare
    if dump:  # word, gold, each member, vote, final: lets votes and rules be re-scored without retraining
        lines = ["\n".join(" ".join(row) for row in zip(words, gold, *(m[i] for m in members), bl, pl, strict=True)) + "\n"
                 for i, ((words, gold), bl, pl) in enumerate(zip(test, bare, pred, strict=True))]
        Path(dump).mkdir(parents=True, exist_ok=True)
        (Path(dump) / f"fold{k}.txt").write_text("\n".join(lines), encoding="utf-8")
    gold = [lab for _, lab in test]
    return score(gold, pred), score(gold, bare)


def print_scores(title: str, sc: Scores, all_classes: bool = False) -> dict:
    """The micro scores and a per-class table (with `all_classes`, every KazNERD class, also
    one the data or the output lacks)."""
    from muragat.ner import LABELS

    p, r, f = sc.micro()
    print(f"\n{title}\n  micro  P {p:6.2f}  R {r:6.2f}  F1 {f:6.2f}")
    print(f"  {'class':<14}{'P':>7}{'R':>7}{'F1':>7}{'gold':>7}{'pred':>7}")
    table = sc.per_class()
    if all_classes:
        table = {c: table.get(c, (0.0, 0.0, 0.0, 0)) for c in sorted(set(LABELS) | set(table))}
    for cls, (cp, cr, cf, n) in table.items():
        print(f"  {cls:<14}{cp:7.2f}{cr:7.2f}{cf:7.2f}{n:7d}{sc.pred[cls]:7d}")
    return {"micro": {"p": p, "r": r, "f1": f}, "classes": {c: v[2] for c, v in table.items()}}


def cross_validate(nfolds: int, jobs: int, rules: bool, dump: str = "", cache: str = "") -> dict:
    from muragat.ner.training import MEMBERS

    preds: dict[int, dict[int, list[list[str]]]] = {k: {} for k in range(nfolds)}
    alone: dict[int, Scores] = {}  # each member without the vote and the rules
    sents = load_all()
    agree = [0, 0]  # tokens in sentences where the first majority of members agree, all tokens
    total: Scores | None = None
    bare_total: Scores | None = None
    tasks = [(k, m, nfolds, cache) for k in range(nfolds) for m in range(len(MEMBERS))]
    with ProcessPoolExecutor(max_workers=jobs) as ex:  # one task per (fold, member): no idle core
        for k, m, pred, secs in ex.map(run_member, tasks):
            preds[k][m] = pred
            test = [sents[i] for i in folds(len(sents), nfolds)[k]]
            sc_m = score([lab for _, lab in test], pred)
            alone[m] = sc_m if m not in alone else alone[m] + sc_m
            print(f"fold {k} member {m} ({MEMBERS[m][0]}): {secs:.0f} s", flush=True)
            if len(preds[k]) == len(MEMBERS):
                # where the first majority of members agree, the shipped tagger stops there
                firsts = [preds[k][i] for i in range(len(MEMBERS) // 2 + 1)]
                agree[0] += sum(len(seqs[0]) for seqs in zip(*firsts, strict=True)
                                if seqs.count(seqs[0]) == len(seqs))
                agree[1] += sum(len(x) for x in firsts[0])
                sc, bare = fold_result(test, [preds[k][i] for i in range(len(MEMBERS))], rules, dump, k)
                print(f"fold {k}: F1 {sc.micro()[2]:.2f} (model alone {bare.micro()[2]:.2f})", flush=True)
                total = sc if total is None else total + sc
                bare_total = bare if bare_total is None else bare_total + bare
    assert total is not None and bare_total is not None
    for m, sc_m in sorted(alone.items()):
        print(f"member {m} ({MEMBERS[m][0]}, {MEMBERS[m][2]}) alone: micro F1 {sc_m.micro()[2]:.2f}")
    if agree[1]:
        print(f"the first {len(MEMBERS) // 2 + 1} members agree on sentences holding "
              f"{100 * agree[0] / agree[1]:.1f} % of the tokens (the tagger stops there)")
    print(f"\nmodel alone, without the post-rules: micro F1 {bare_total.micro()[2]:.2f}")
    return print_scores(f"{nfolds}-fold CV, KazNERD valid + test_a (rules {'on' if rules else 'off'})", total)


# -- through the CLI: what a user runs ----------------------------------------------------
def cli_command() -> list[str]:
    """The installed `muragat` command beside this interpreter (the repo's venv)."""
    exe = Path(sys.executable).with_name("muragat")
    if not exe.exists():
        sys.exit(f"the muragat command is not installed beside {sys.executable}")
    return [str(exe)]


def fold_models(cache: str, k: int, nfolds: int) -> Path:
    """Fold k's trained folder as $MURAGAT_NER_MODELS reads it: the cached members, their
    ensemble.json and the fold's own clusters (trains what is missing, one process)."""
    from muragat.ner.training import MEMBERS

    folder = Path(cache) / f"fold{k}-of-{nfolds}"
    missing = [m for m in range(len(MEMBERS)) if not (folder / member_file(m)).exists()]
    for m in missing:
        print(f"fold {k}: training member {m} (not in {folder})", flush=True)
        run_member((k, m, nfolds, cache))
    desc = {"members": [{"file": member_file(m), "features": list(f), "labels": e}
                        for m, (_, f, e) in enumerate(MEMBERS)], "vote": "entity majority"}
    (folder / "ensemble.json").write_text(json.dumps(desc, indent=1) + "\n", encoding="utf-8")
    return folder


def write_bio(sents: list, path: Path) -> None:
    """Held-out sentences as CoNLL-2002 `token` lines (labels stripped: nothing to peek at)."""
    path.write_text("".join("\n".join(words) + "\n\n" for words, _ in sents), encoding="utf-8")


def read_printed_bio(raw: str, test: list, where: str) -> list[list[str]]:
    """The labels of the BIO the CLI printed, checked token by token against the input."""
    out: list[list[str]] = []
    for block in raw.strip("\n").split("\n\n"):
        rows = [line.rsplit(" ", 1) for line in block.split("\n") if line.strip()]
        out.append([lab for _, lab in rows])
        words = test[len(out) - 1][0] if len(out) <= len(test) else None
        if words != [w for w, _ in rows]:
            sys.exit(f"{where}: sentence {len(out)} came back with other tokens")
    if len(out) != len(test):
        sys.exit(f"{where}: {len(out)} sentences came back, {len(test)} went in")
    return out


def cli_cv(nfolds: int, cache: str, layers: str, dump: str, first: int = 0) -> dict:
    """Five-fold CV through `muragat analyze FOLD.bio --from bio --to bio` as a process, each
    fold tagged by its own models ($MURAGAT_NER_MODELS), the printed file scored."""
    import os
    import subprocess

    sents = load_all()
    work = Path(dump or tempfile.mkdtemp(prefix="ner-cli-"))
    work.mkdir(parents=True, exist_ok=True)
    total: Scores | None = None
    chosen = folds(len(sents), nfolds)[: first or None]
    for k, idx in enumerate(chosen):
        test = [sents[i] for i in idx]
        models = fold_models(cache, k, nfolds)
        bio = work / f"fold{k}.bio"
        write_bio(test, bio)
        cmd = [*cli_command(), "analyze", str(bio), "--from", "bio", "--to", "bio"]
        if layers:
            cmd += ["--layers", layers]
        t0 = time.time()
        run = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8",
                             env={**os.environ, "MURAGAT_NER_MODELS": str(models)})
        if run.returncode != 0:
            sys.exit(f"fold {k}: {' '.join(cmd)} exited {run.returncode}: {run.stderr[-2000:]}")
        (work / f"fold{k}.out.bio").write_text(run.stdout, encoding="utf-8")
        pred = read_printed_bio(run.stdout, test, f"fold {k}")
        sc = score([lab for _, lab in test], pred)
        print(f"fold {k}: {len(test)} sentences through the CLI in {time.time() - t0:.0f} s, "
              f"micro F1 {sc.micro()[2]:.2f}", flush=True)
        total = sc if total is None else total + sc
    assert total is not None
    where = f"layers {layers}" if layers else "default layers"
    if len(chosen) < nfolds:
        where += f"; folds 0-{len(chosen) - 1} only"
    return print_scores(f"{nfolds}-fold CV through `muragat analyze --from bio --to bio` "
                        f"({where}; files in {work})", total, all_classes=True)


SAMPLE_GOLD = REPO / "scripts" / "data" / "sample_ner_gold.tsv"


def sample_gold(verbose: bool) -> dict:
    """The sample article through `muragat analyze FILE --to json` (the shipped model, every
    layer) against the team gold of its first lines (scripts/data/sample_ner_gold.tsv):
    entity-level exact match (class, start, end), numeric classes included."""
    import subprocess
    from collections import Counter

    path = shared_dir() / "samples" / "000_5736a8e420be0dde.txt"
    if not path.exists():
        sys.exit(f"sample not found: {path}")
    text = path.read_text(encoding="utf-8")
    rows = [line.split("\t") for line in SAMPLE_GOLD.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    gold = {(lab, int(a), int(b)) for _, a, b, lab, _ in rows}
    last_line = max(int(r[0]) for r in rows)
    limit = sum(len(x) for x in text.splitlines(keepends=True)[:last_line])  # gold's region
    run = subprocess.run([*cli_command(), "analyze", str(path), "--to", "json"],
                         capture_output=True, text=True, encoding="utf-8")
    if run.returncode != 0:
        sys.exit(f"muragat analyze {path} exited {run.returncode}: {run.stderr[-2000:]}")
    spans = json.loads(run.stdout)["spans"]
    pred = {(s["label"], s["start"], s["end"]) for s in spans
            if s["layer"] == "ner" and s["start"] < limit}
    sc = Scores(Counter(c for c, _, _ in gold & pred), Counter(c for c, _, _ in pred),
                Counter(c for c, _, _ in gold))
    out = print_scores(f"sample article, lines 1-{last_line}: `muragat analyze --to json` against "
                       f"{SAMPLE_GOLD.name} ({len(gold)} entities)", sc)
    if verbose:
        for lab, a, b in sorted(gold - pred, key=lambda x: x[1]):
            print(f"  miss  {lab:<13} {text[a:b]!r}")
        for lab, a, b in sorted(pred - gold, key=lambda x: x[1]):
            print(f"  extra {lab:<13} {text[a:b]!r}")
    return out


def domain() -> dict:
    from muragat import ner

    files = sorted((REPO / "scripts" / "data").glob(DOMAIN_GLOB))
    gold_sents = [s for f in files for s in read_iob(f)]
    pred = ner.tag([w for w, _ in gold_sents])
    sc = score([lab for _, lab in gold_sents], pred)
    out = print_scores(f"domain text ({len(gold_sents)} sentences, {', '.join(f.name for f in files)})", sc)
    for (words, gold), p in zip(gold_sents, pred, strict=True):
        if gold != p:
            diff = [f"{w}/{g}>{q}" for w, g, q in zip(words, gold, p, strict=True) if g != q]
            print("  miss:", " ".join(diff))
    return out


def sample() -> None:
    from muragat import ner, pipeline

    path = shared_dir() / "samples" / "000_5736a8e420be0dde.txt"
    if not path.exists():
        sys.exit(f"sample not found: {path}")
    doc = pipeline.analyze(path.read_text(encoding="utf-8"), ("text",))
    doc = ner.annotate(doc)
    for s in doc.spans_of("ner"):
        print(f"{s.label:<14} {doc.text[s.start:s.end]!r:<45} -> {s.attrs['lemma']}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--domain", action="store_true")
    ap.add_argument("--sample", action="store_true")
    ap.add_argument("--sample-gold", action="store_true",
                    help="score the sample through the CLI against scripts/data/sample_ner_gold.tsv")
    ap.add_argument("--cli", action="store_true",
                    help="CV through `muragat analyze --from bio --to bio` with each fold's models "
                         "(from --cache, default build/ner-cv; trains what is missing)")
    ap.add_argument("--layers", default="", help="--cli: the layers the CLI runs (default: its own)")
    ap.add_argument("--first", type=int, default=0, help="--cli: only the first N folds")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--no-rules", action="store_true")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--dump", default="", help="CV: write fold predictions into this folder")
    ap.add_argument("--cache", default="", help="CV: keep fold models in this folder and reuse them")
    args = ap.parse_args()
    if args.sample:
        sample()
        return
    if args.cli:
        result = cli_cv(args.folds, args.cache or "build/ner-cv", args.layers, args.dump, args.first)
    elif args.sample_gold:
        result = sample_gold(args.verbose)
    elif args.domain:
        result = domain()
    else:
        result = cross_validate(args.folds, args.jobs, not args.no_rules, args.dump, args.cache)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
