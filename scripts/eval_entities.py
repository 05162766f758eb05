"""Entity consolidation against the team-written gold (scripts/data/entities_gold, issue 20).

Ingests a split's documents into a temporary store through the CLI as a process
(`muragat ingest`), reads `muragat entities --json --mentions --why`, aligns predicted mentions
to gold mentions by character overlap and prints, per label:
- mention detection: exact-span and overlap precision/recall;
- pairwise merge precision/recall/F1 over the gold mention pairs of a label (a pair is merged
  when both mentions are found and lie in one predicted entity; a gold mention not found is a
  predicted singleton), and B-cubed over the same mentions;
- the worst merge errors: predicted entities holding several gold clusters, gold clusters
  spread over several predicted entities.
Pronouns (`ол`) are in the gold but outside these scores (no coreference step yet).

    .venv/bin/python scripts/eval_entities.py --split dev
    .venv/bin/python scripts/eval_entities.py --split dev --missed ORGANISATION  # what NER lost
    .venv/bin/python scripts/eval_entities.py --split heldout --json
"""

from __future__ import annotations

import argparse
import itertools
import json
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "scripts" / "data" / "entities_gold"
CLI = ROOT / ".venv" / "bin" / "muragat"
SCORED = ("PERSON", "ORGANISATION", "GPE")
Mention = tuple[str, int, int]  # (document stem, start, end)


def load_gold(split: str) -> tuple[list[Path], dict[Mention, tuple[str, str]]]:
    """Text files of the split and gold mention -> (label, cluster), pronouns left out."""
    texts = sorted((GOLD / split).glob("doc*.txt"))
    if not texts:
        sys.exit(f"no documents in {GOLD / split}")
    gold: dict[Mention, tuple[str, str]] = {}
    for path in texts:
        data = json.loads(path.with_suffix(".json").read_text("utf-8"))
        for m in data["mentions"]:
            if not m.get("pronoun"):
                gold[(path.stem, m["start"], m["end"])] = (m["label"], m["cluster"])
    return texts, gold


def _cli(*args: str) -> str:
    done = subprocess.run([str(CLI), *args], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"muragat {args[0]} failed ({done.returncode}):\n{done.stderr}")
    return done.stdout


def run_cli(texts: list[Path], db: Path) -> list[dict]:
    report = json.loads(_cli("ingest", *map(str, texts), "--db", str(db), "--no-progress",
                             "--json").splitlines()[-1])
    if report["failed"]:
        sys.exit(f"muragat ingest failed on {report['failed']} documents: {report['failures']}")
    out = _cli("entities", "--db", str(db), "--json", "--mentions", "--why")
    return json.loads(out)["entities"]


def predicted(entities: list[dict]) -> dict[Mention, tuple[str, str, str]]:
    """Predicted mention -> (label, entity id, base form)."""
    out: dict[Mention, tuple[str, str, str]] = {}
    for e in entities:
        for at in e.get("at", []):
            out[(Path(at["document"]).stem, at["start"], at["end"])] = (e["type"], e["id"],
                                                                         at["name"])
    return out


def align(gold: dict[Mention, tuple[str, str]], pred: dict[Mention, tuple[str, str, str]]
          ) -> dict[Mention, Mention]:
    """Gold mention -> the predicted mention overlapping it most (each used once)."""
    pairs = []
    by_doc: dict[str, list[Mention]] = defaultdict(list)
    for p in pred:
        by_doc[p[0]].append(p)
    for g in gold:
        for p in by_doc[g[0]]:
            overlap = min(g[2], p[2]) - max(g[1], p[1])
            if overlap > 0:
                pairs.append((-overlap, gold[g][0] != pred[p][0], g, p))
    out: dict[Mention, Mention] = {}
    used: set[Mention] = set()
    for _, _, g, p in sorted(pairs):
        if g not in out and p not in used:
            out[g] = p
            used.add(p)
    return out


def scores(label: str, gold: dict[Mention, tuple[str, str]],
           pred: dict[Mention, tuple[str, str, str]], link: dict[Mention, Mention]
           ) -> dict[str, float | int]:
    mine = [g for g, (lab, _) in gold.items() if lab == label]
    theirs = [p for p, (lab, _, _) in pred.items() if lab == label]
    found = [g for g in mine if g in link]
    exact = sum(1 for g in mine if g in pred and pred[g][0] == label)
    linked_pred = {link[g] for g in found}
    entity = {g: pred[link[g]][1] if g in link else f"unfound:{g}" for g in mine}
    both = merged = same = same_found = 0
    for a, b in itertools.combinations(mine, 2):
        g_same = gold[a][1] == gold[b][1]
        p_same = entity[a] == entity[b]
        same += g_same
        same_found += g_same and a in link and b in link
        merged += p_same
        both += g_same and p_same
    p = both / merged if merged else 1.0
    r = both / same if same else 1.0
    r_found = both / same_found if same_found else 1.0
    # B-cubed over the gold mentions of this label
    bp = br = 0.0
    for g in mine:
        g_cluster = {x for x in mine if gold[x][1] == gold[g][1]}
        p_cluster = {x for x in mine if entity[x] == entity[g]}
        common = len(g_cluster & p_cluster)
        bp += common / len(p_cluster)
        br += common / len(g_cluster)
    n = len(mine) or 1
    b3p, b3r = bp / n, br / n
    return {
        "gold_mentions": len(mine), "gold_clusters": len({gold[g][1] for g in mine}),
        "pred_mentions": len(theirs),
        "exact_p": exact / len(theirs) if theirs else 0.0, "exact_r": exact / n,
        "overlap_p": len([x for x in theirs if x in linked_pred]) / len(theirs) if theirs else 0.0,
        "overlap_r": len(found) / n,
        "pair_p": p, "pair_r": r, "pair_f1": 2 * p * r / (p + r) if p + r else 0.0,
        "pair_r_found": r_found, "gold_pairs": same, "pred_pairs": merged,
        "b3_p": b3p, "b3_r": b3r, "b3_f1": 2 * b3p * b3r / (b3p + b3r) if b3p + b3r else 0.0,
    }


def merge_errors(gold: dict[Mention, tuple[str, str]], pred: dict[Mention, tuple[str, str, str]],
                 link: dict[Mention, Mention], limit: int) -> list[str]:
    """False merges (one entity, several gold clusters) and splits (one cluster, several
    entities), the ones costing most pairs first."""
    by_entity: dict[str, Counter[str]] = defaultdict(Counter)
    by_cluster: dict[str, Counter[str]] = defaultdict(Counter)
    names: dict[str, Counter[str]] = defaultdict(Counter)
    for g, p in link.items():
        label, cluster = gold[g]
        if label not in SCORED:
            continue
        ident = pred[p][1]
        by_entity[ident][cluster] += 1
        by_cluster[cluster][ident] += 1
        names[ident][pred[p][2]] += 1
    for g, (label, cluster) in gold.items():
        if label in SCORED and g not in link:
            by_cluster[cluster]["(not found)"] += 1
    rows: list[tuple[int, str]] = []
    for ident, clusters in by_entity.items():
        if len(clusters) > 1:
            cost = sum(a * b for a, b in itertools.combinations(clusters.values(), 2))
            rows.append((cost, f"merge  {ident}  {dict(clusters)}  names={dict(names[ident])}"))
    for cluster, idents in by_cluster.items():
        if len(idents) > 1:
            cost = sum(a * b for a, b in itertools.combinations(idents.values(), 2))
            rows.append((cost, f"split  {cluster}  {dict(idents)}"))
    return [f"{cost:4d}  {text}" for cost, text in sorted(rows, key=lambda r: -r[0])[:limit]]


def boundary_errors(texts: list[Path], gold: dict[Mention, tuple[str, str]],
                    pred: dict[Mention, tuple[str, str, str]], link: dict[Mention, Mention]
                    ) -> list[str]:
    """PERSON mentions found with a wrong span: a word in front, or the name clipped."""
    text = {p.stem: p.read_text("utf-8") for p in texts}
    out = []
    for g, p in sorted(link.items()):
        if gold[g][0] == "PERSON" and g != p:
            out.append(f"{g[0]}  gold «{text[g[0]][g[1]:g[2]]}»  found «{text[p[0]][p[1]:p[2]]}»")
    return out


def missed(texts: list[Path], gold: dict[Mention, tuple[str, str]],
           pred: dict[Mention, tuple[str, str, str]], link: dict[Mention, Mention],
           label: str) -> list[str]:
    """Gold mentions of `label` not found, or found under another label: what NER lost."""
    text = {p.stem: p.read_text("utf-8") for p in texts}
    out = []
    for g, (lab, cluster) in sorted(gold.items()):
        if lab != label:
            continue
        p = link.get(g)
        if p is None:
            out.append(f"{g[0]}  {cluster:<16} «{text[g[0]][g[1]:g[2]]}»  not found")
        elif pred[p][0] != label:
            out.append(f"{g[0]}  {cluster:<16} «{text[g[0]][g[1]:g[2]]}»  found as {pred[p][0]} "
                       f"«{text[p[0]][p[1]:p[2]]}»")
    return out


def subjects(gold: dict[Mention, tuple[str, str]], pred: dict[Mention, tuple[str, str, str]],
             link: dict[Mention, Mention]) -> list[tuple[str, str, int, int, int]]:
    """Per document, its subject (the person with most gold mentions there): (document,
    cluster, mentions, found, predicted entities holding the found ones) — the issue's bar
    is one entity per subject."""
    out = []
    for doc in sorted({g[0] for g in gold}):
        people = Counter(c for g, (lab, c) in gold.items() if g[0] == doc and lab == "PERSON")
        if not people:
            continue
        cluster, n = people.most_common(1)[0]
        mine = [g for g, (lab, c) in gold.items() if g[0] == doc and c == cluster]
        found = [g for g in mine if g in link]
        out.append((doc, cluster, n, len(found), len({pred[link[g]][1] for g in found})))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parts = sorted((p.name for p in GOLD.iterdir() if p.is_dir() and any(p.glob("*.ann"))),
                   key=lambda name: (name != "dev", len(name), name))
    ap.add_argument("--split", default="dev", choices=[*parts, "all"])
    ap.add_argument("--json", action="store_true", help="print the scores as JSON")
    ap.add_argument("--errors", type=int, default=15, help="worst merge errors shown")
    ap.add_argument("--missed", default="", choices=["", *SCORED],
                    help="also list this label's gold mentions not found or found as another label")
    args = ap.parse_args()
    splits = parts if args.split == "all" else [args.split]
    texts: list[Path] = []
    gold: dict[Mention, tuple[str, str]] = {}
    for split in splits:
        t, g = load_gold(split)
        texts += t
        gold.update(g)
    with tempfile.TemporaryDirectory() as tmp:
        entities = run_cli(texts, Path(tmp) / "eval.db")
    pred = predicted(entities)
    link = align(gold, pred)
    table = {label: scores(label, gold, pred, link) for label in SCORED}
    if args.json:
        print(json.dumps({"split": args.split, "documents": len(texts), "scores": table,
                          "subjects": subjects(gold, pred, link)}, indent=1))
        return 0
    print(f"split {args.split}: {len(texts)} documents, {len(gold)} gold mentions "
          "(pronouns left out)")
    print("pair*: pairwise merge over all gold mention pairs of a label (a mention not found is "
          "a singleton); R|fnd: pair recall over pairs whose two mentions were both found")
    print(f"{'label':<13} {'gold':>5} {'clus':>5} {'pred':>5}  {'exactP':>6} {'exactR':>6} "
          f"{'ovlpP':>6} {'ovlpR':>6}  {'pairP':>6} {'pairR':>6} {'pairF1':>6} {'R|fnd':>6}  "
          f"{'b3P':>6} {'b3R':>6} {'b3F1':>6}")
    for label, s in table.items():
        print(f"{label:<13} {s['gold_mentions']:>5} {s['gold_clusters']:>5} "
              f"{s['pred_mentions']:>5}  {s['exact_p']:6.3f} {s['exact_r']:6.3f} "
              f"{s['overlap_p']:6.3f} {s['overlap_r']:6.3f}  {s['pair_p']:6.3f} "
              f"{s['pair_r']:6.3f} {s['pair_f1']:6.3f} {s['pair_r_found']:6.3f}  "
              f"{s['b3_p']:6.3f} {s['b3_r']:6.3f} "
              f"{s['b3_f1']:6.3f}")
    print("\nworst merge errors (cost in pairs):")
    for row in merge_errors(gold, pred, link, args.errors):
        print("  " + row)
    rows = subjects(gold, pred, link)
    whole = sum(1 for r in rows if r[4] == 1)
    print(f"\ndocument subjects held by one entity: {whole}/{len(rows)}")
    for doc, cluster, n, found, ents in rows:
        print(f"  {doc}  {cluster:<16} {n:3d} mentions, {found:3d} found, {ents} entities")
    bad = boundary_errors(texts, gold, pred, link)
    print(f"\nPERSON span errors: {len(bad)}")
    for row in bad[: args.errors]:
        print("  " + row)
    if args.missed:
        lost = missed(texts, gold, pred, link, args.missed)
        print(f"\n{args.missed} mentions not found or found as another label: {len(lost)}")
        for row in lost:
            print("  " + row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
