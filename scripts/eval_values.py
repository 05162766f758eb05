"""Evaluate the values and cite layers.

1. the hand-written value suite (tests/data/value_cases.tsv): pass rate;
2. the acceptance sample (../shared/samples/000_*.txt) against the hand-written gold in
   tests/data/sample_{values,cite,bib}_gold.tsv: values with the exact normalized value,
   citations (ref + pages), the body/footer split, bibliography entries and citation links.

Run: .venv/bin/python scripts/eval_values.py [--json] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

import muragat.cite
import muragat.text
import muragat.values
from muragat.model import Document
from muragat.values.cases import check, load_cases

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"
SAMPLE = "samples/000_5736a8e420be0dde.txt"


def shared_dir() -> Path | None:
    for c in (os.environ.get("MURAGAT_SHARED"), REPO.parent / "shared"):
        if c and Path(c, "samples").is_dir():
            return Path(c)
    return None


def rows(name: str) -> list[list[str]]:
    out = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            out.append((line.split("\t") + [""] * 6)[:6])
    return out


def suite(verbose: bool) -> dict[str, Any]:
    cases = load_cases(DATA / "value_cases.tsv")
    failures = [(c.text, p) for c in cases if (p := check(c)) is not None]
    if verbose:
        for text, problem in failures:
            print(f"  FAIL suite: {text!r}: {problem}")
    return {"cases": len(cases), "passed": len(cases) - len(failures)}


def analyse(text: str) -> Document:
    doc = muragat.text.annotate(Document(text=text))
    doc = muragat.values.annotate(doc)
    return muragat.cite.annotate(doc)


def line_starts(text: str) -> list[int]:
    starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            starts.append(i + 1)
    return starts


def sample_values(doc: Document, verbose: bool) -> dict[str, Any]:
    text, ls = doc.text, line_starts(doc.text)
    preds = doc.spans_of("value")
    found, used = 0, set()
    for line, surface, label, raw, mod, _ in rows("sample_values_gold.tsv"):
        surface = surface.replace("\\n", "\n")
        m = re.compile(rf"(?<!\w){re.escape(surface)}(?!\w)").search(text, ls[int(line) - 1])
        a = m.start() if m else -1
        value = json.loads(raw)
        ok = next(
            (
                k
                for k, s in enumerate(preds)
                if s.start == a
                and s.end == a + len(surface)
                and s.label == label
                and s.attrs.get("value") == value
                and (s.attrs.get("mod") or "") == mod
                and not s.attrs.get("uncertain")
            ),
            None,
        )
        if ok is None:
            if verbose:
                near = [
                    (s.label, text[s.start : s.end], s.attrs)
                    for s in preds
                    if abs(s.start - a) < 30
                ]
                print(f"  MISS value line {line}: {surface!r} {label} {raw} {mod} | got {near}")
        else:
            found += 1
            used.add(ok)
    extra = [
        (text[s.start : s.end], s.label, s.attrs) for k, s in enumerate(preds) if k not in used
    ]
    if verbose:
        for e in extra:
            print(f"  EXTRA value: {e}")
    gold = len(rows("sample_values_gold.tsv"))
    return {"gold": gold, "correct": found, "predicted": len(preds), "extra": len(extra)}


def sample_cite(doc: Document, verbose: bool) -> dict[str, Any]:
    text = doc.text
    cites = doc.spans_of("citation")
    got = {(text[c.start : c.end], c.attrs["ref"], c.attrs["pages"]) for c in cites}
    gold = rows("sample_cite_gold.tsv")
    correct = 0
    for _, surface, ref, pages, *_ in gold:
        if (surface, int(ref), pages or None) in got:
            correct += 1
        elif verbose:
            print(f"  MISS citation {surface} ref={ref} pages={pages!r}")
    # body / footer split: the body ends right after `салтанат құрды.`
    want_end = text.index("салтанат құрды.") + len("салтанат құрды.")
    body = next((s for s in doc.spans_of("section") if s.label == "BODY"), None)
    footer_parts = {s.label: text[s.start : s.end] for s in doc.spans_of("footer")}
    entries = doc.spans_of("bibliography")
    bib_gold = rows("sample_bib_gold.tsv")
    bib_ok = 0
    for number, starts, source, issue, pages, _ in bib_gold:
        e = next((e for e in entries if text[e.start : e.end].startswith(starts)), None)
        ok = (
            e is not None
            and e.attrs.get("number") == int(number)
            and (
                (e.attrs.get("source") or "") == source
                and (e.attrs.get("issue") or "") == issue
                and (e.attrs.get("pages") or "") == pages
            )
        )
        bib_ok += ok
        if not ok and verbose:
            print(f"  MISS entry {number} {starts!r}: {e.attrs if e else None}")
    by_start = {e.start: e.attrs.get("number") for e in entries}
    linkable = [c for c in cites if c.attrs["ref"] in {int(r[0]) for r in bib_gold}]
    linked = sum(by_start.get(c.attrs.get("entry_start")) == c.attrs["ref"] for c in linkable)
    return {
        "citations_gold": len(gold),
        "citations_correct": correct,
        "citations_predicted": len(cites),
        "body_end_ok": bool(body and body.end == want_end),
        "author": footer_parts.get("AUTHOR"),
        "degree": footer_parts.get("DEGREE"),
        "city": footer_parts.get("CITY"),
        "entries_gold": len(bib_gold),
        "entries_correct": bib_ok,
        "entries_found": len(entries),
        "links_possible": len(linkable),
        "links_correct": linked,
    }


def sample_values_with_ner(text: str, verbose: bool) -> dict[str, Any]:
    """The sample's gold values on the user's path (text, ner, values, cite): one span per
    entity, NER's boundaries, the value attached (muragat.values.valued). A gold value counts
    when a span holding exactly that value (and mod) overlaps its surface."""
    import muragat.ner

    doc = muragat.cite.annotate(muragat.values.annotate(muragat.ner.annotate(
        muragat.text.annotate(Document(text=text)))))
    spans, ls = muragat.values.valued(doc), line_starts(text)
    found = exact = 0
    for line, surface, label, raw, mod, _ in rows("sample_values_gold.tsv"):
        surface = surface.replace("\\n", "\n")
        m = re.compile(rf"(?<!\w){re.escape(surface)}(?!\w)").search(text, ls[int(line) - 1])
        a, b = (m.start(), m.end()) if m else (-1, -1)
        hit = next((s for s in spans if s.start < b and a < s.end
                    and s.attrs.get("value") == json.loads(raw)
                    and (s.attrs.get("mod") or "") == mod), None)
        found += hit is not None
        exact += hit is not None and (hit.start, hit.end) == (a, b)
        if hit is None and verbose:
            print(f"  MISS value with NER line {line}: {surface!r} {label} {raw}")
    return {"gold": len(rows("sample_values_gold.tsv")), "correct": found, "same_span": exact,
            "value_layer_left": len(doc.spans_of("value"))}


KAZNERD_LABELS = ("DATE", "CARDINAL", "ORDINAL", "MONEY", "QUANTITY", "PERCENTAGE")


def kaznerd(path: Path) -> dict[str, Any]:
    """Span overlap with KazNERD's value labels (a different convention: its DATE also covers
    durations and relative dates such as `бүгін`, `3 жыл`, which get no ISO value here)."""
    from muragat.values import parse

    stats: dict[str, list[int]] = {lab: [0, 0, 0, 0] for lab in KAZNERD_LABELS}
    sent: list[tuple[str, str]] = []
    lines = path.read_text(encoding="utf-8").splitlines() + [""]
    for line in lines:
        if line.strip():
            word, _, tag = line.rpartition(" ")
            sent.append((word, tag))
            continue
        if not sent:
            continue
        text, ents, cur = "", [], None
        for word, tag in sent:
            a = len(text) + (1 if text else 0)
            text = f"{text} {word}" if text else word
            if tag.startswith("B-"):
                cur = [tag[2:], a, len(text)]
                ents.append(cur)
            elif tag.startswith("I-") and cur and cur[0] == tag[2:]:
                cur[2] = len(text)
            else:
                cur = None
        sent = []
        ents = [e for e in ents if e[0] in stats]
        pred = parse(text)
        for lab, a, b in ents:
            stats[lab][0] += 1
            stats[lab][1] += any(p.label == lab and p.start < b and a < p.end for p in pred)
        for p in pred:
            if p.label in stats:
                stats[p.label][2] += 1
                stats[p.label][3] += any(
                    e[0] == p.label and e[1] < p.end and p.start < e[2] for e in ents
                )
    return {
        lab: {
            "gold": g,
            "recall": round(tp / max(g, 1), 3),
            "predicted": pr,
            "precision": round(ptp / max(pr, 1), 3),
        }
        for lab, (g, tp, pr, ptp) in stats.items()
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--verbose", "-v", action="store_true")
    ap.add_argument(
        "--kaznerd", action="store_true", help="also span overlap on KazNERD valid (../shared/data)"
    )
    args = ap.parse_args()
    result: dict[str, Any] = {"suite": suite(args.verbose)}
    shared = shared_dir()
    if shared is not None:
        doc = analyse((shared / SAMPLE).read_text(encoding="utf-8"))
        result["sample_values"] = sample_values(doc, args.verbose)
        result["sample_values_ner"] = sample_values_with_ner(doc.text, args.verbose)
        result["sample_cite"] = sample_cite(doc, args.verbose)
        kz = shared / "data" / "kaznerd" / "IOB2_valid.txt"
        if args.kaznerd and kz.is_file():
            result["kaznerd_valid"] = kaznerd(kz)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    s = result["suite"]
    print(f"{'measure':44} {'result':>14}")
    print(
        f"{'value suite (value_cases.tsv) passed':44} {s['passed']:>5}/{s['cases']:<4} {100 * s['passed'] / s['cases']:5.1f} %"
    )
    if "sample_values" in result:
        v, c = result["sample_values"], result["sample_cite"]
        print(
            f"{'sample values exact (gold)':44} {v['correct']:>5}/{v['gold']:<4} {100 * v['correct'] / v['gold']:5.1f} %"
        )
        print(f"{'sample value spans not in gold':44} {v['extra']:>5}")
        w = result["sample_values_ner"]
        print(f"{'sample values attached to NER spans (+ner)':44} {w['correct']:>5}/{w['gold']:<4} "
              f"{100 * w['correct'] / w['gold']:5.1f} %  ({w['same_span']} on the gold's span)")
        print(
            f"{'sample citations ref+pages':44} {c['citations_correct']:>5}/{c['citations_gold']:<4}  (predicted {c['citations_predicted']})"
        )
        print(f"{'body/footer split after `құрды.`':44} {'yes' if c['body_end_ok'] else 'NO':>5}")
        print(
            f"{'footer author / degree / city':44} {c['author']!r} / {c['degree']!r} / {c['city']!r}"
        )
        print(
            f"{'bibliography entries right (gold)':44} {c['entries_correct']:>5}/{c['entries_gold']:<4}  (found {c['entries_found']})"
        )
        print(
            f"{'citations linked to their surviving entry':44} {c['links_correct']:>5}/{c['links_possible']:<4}"
        )
        if "kaznerd_valid" in result:
            print("KazNERD valid, span overlap per label (its DATE includes durations):")
            for lab, r in result["kaznerd_valid"].items():
                print(
                    f"  {lab:12} gold {r['gold']:5}  recall {r['recall']:.3f}  "
                    f"predicted {r['predicted']:5}  precision {r['precision']:.3f}"
                )
    else:
        print("(../shared not found: sample scores skipped; set MURAGAT_SHARED)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
