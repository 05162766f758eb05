"""Evaluate the text layer: sentence boundaries on the acceptance sample, sentences and tokens
on UD Kazakh-KTB.

Usage: .venv/bin/python scripts/eval_text.py [--json] [--errors N]
Needs ../shared (or MURAGAT_SHARED). Gold for the sample: scripts/data/sample_text_gold.json
(hand-made). KTB text: the ``# text`` lines of kk_ktb-dev.conllu, consecutive sentences of one
document (sent_id prefix before the first ``:``) joined with a space into one paragraph; gold
tokens are the surface tokens (a multiword token such as ``12-13 Баласыз`` counts once); ours
are too: two word tokens marked as one multiword token (``misc["mwt"]``) count once.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from muragat.text import segment
from muragat.text.tokenizer import surface_tokens

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "scripts" / "data" / "sample_text_gold.json"


def shared_dir() -> Path:
    for c in (os.environ.get("MURAGAT_SHARED"), REPO.parent / "shared"):
        if c and Path(c, "samples").is_dir():
            return Path(c)
    sys.exit("../shared not found (set MURAGAT_SHARED)")


def _line_spans(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def eval_sample(shared: Path, show: int) -> dict:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    text = (shared / gold["sample"]).read_text(encoding="utf-8")
    lines = _line_spans(text)
    last = lines[gold["body_last_line"] - 1]
    body_end = text.index(gold["body_end_marker"], *last) + len(gold["body_end_marker"])
    gold_ends = []
    for first, lastl in gold["body_sentences"]:
        gold_ends.append(_strip(text, lines[first - 1][0], lines[lastl - 1][1])[1])
    gold_ends[-1] = body_end
    seg = segment(text)
    pred_ends = [s.end for s in seg.sentences if s.end <= body_end]
    missing = sorted(set(gold_ends) - set(pred_ends))
    extra = sorted(set(pred_ends) - set(gold_ends))
    gold_par = {_strip(text, *lines[n - 1])[0] for n in gold["paragraph_start_lines"]}
    pred_par = {p.start for p in seg.paragraphs if p.start < body_end}
    wrong = [("missing split", p) for p in missing] + [("wrong split", p) for p in extra]
    for kind, p in wrong[:show]:
        line_no = text.count("\n", 0, p) + 1
        ctx = (text[max(0, p - 40) : p] + " ‖ " + text[p : p + 40]).replace("\n", "⏎")
        print(f"  {kind} at line {line_no}: …{ctx}…")
    return {
        "layout": seg.mode,
        "body_sentences_gold": len(gold_ends),
        "body_sentences_found": len(pred_ends),
        "wrong_boundaries": len(wrong),
        "missing_splits": len(missing),
        "wrong_splits": len(extra),
        "footer_separated": body_end in pred_ends,
        "paragraphs_gold": len(gold_par),
        "paragraphs_found": len(pred_par),
        "paragraphs_correct": len(gold_par & pred_par),
        "paragraphs_total_in_file": len(seg.paragraphs),
    }


def read_ktb(path: Path) -> list[tuple[str, str, list[str]]]:
    """(doc id, sentence text, surface tokens) in file order."""
    out: list[tuple[str, str, list[str]]] = []
    sid = text = ""
    toks: list[str] = []
    until = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# sent_id"):
            sid = line.split("=", 1)[1].strip()
        elif line.startswith("# text"):
            text, toks, until = line.split("=", 1)[1].strip(), [], 0
        elif line and line[0].isdigit():
            cols = line.split("\t")
            if "-" in cols[0]:
                a, b = cols[0].split("-")
                until = int(b)
                toks.append(cols[1])
            elif "." not in cols[0] and int(cols[0]) > until:
                toks.append(cols[1])
        elif not line and text:
            out.append((sid.split(":")[0], text, toks))
            text = ""
    if text:
        out.append((sid.split(":")[0], text, toks))
    return out


def _prf(gold: set, pred: set) -> dict:
    tp = len(gold & pred)
    p = tp / len(pred) if pred else 0.0
    r = tp / len(gold) if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"gold": len(gold), "found": len(pred), "correct": tp, "P": p, "R": r, "F1": f}


def eval_ktb(shared: Path, show: int) -> dict:
    rows = read_ktb(shared / "data" / "ud-kazakh-ktb" / "kk_ktb-dev.conllu")
    docs: dict[str, list[tuple[str, list[str]]]] = {}
    for doc, text, toks in rows:
        docs.setdefault(doc, []).append((text, toks))
    gold_s: set = set()
    pred_s: set = set()
    gold_t: set = set()
    pred_t: set = set()
    shown = 0
    for doc, sents in docs.items():
        text, pos = "", 0
        for i, (stext, toks) in enumerate(sents):
            if i:
                text += " "
            start = len(text)
            text += stext
            gold_s.add((doc, start, len(text)))
            pos = start
            for t in toks:
                j = text.index(t, pos)
                gold_t.add((doc, j, j + len(t)))
                pos = j + len(t)
        seg = segment(text)
        pred_s.update((doc, s.start, s.end) for s in seg.sentences)
        # multiword tokens (``болған емес``, misc["mwt"]) count once, as in the gold
        pred_t.update((doc, a, b) for a, b in surface_tokens(seg.tokens))
        if shown < show:
            gs = {(a, b) for d, a, b in gold_s if d == doc}
            for s in seg.sentences:
                if (s.start, s.end) not in gs and shown < show:
                    shown += 1
                    print(f"  KTB sentence not in gold ({doc}): {text[s.start : s.end][:150]!r}")
    return {
        "sentences": _prf(gold_s, pred_s),
        "tokens": _prf(gold_t, pred_t),
        "documents": len(docs),
    }


def _detokenize(tokens: list[str]) -> str:
    """Approximate running text from KazNERD tokens (no spaces before , . ! ? etc.)."""
    out: list[str] = []
    for i, t in enumerate(tokens):
        if i and t not in NO_SPACE_BEFORE and out[-1] not in ("«", "(", "["):
            out.append(" ")
        out.append(t)
    return "".join(out)


NO_SPACE_BEFORE = {".", ",", "!", "?", ":", ";", "»", ")", "]", "%", "...", "?!", "!!"}


def eval_kaznerd(shared: Path, per_paragraph: int = 10) -> dict:
    """Sentence P/R/F1 on KazNERD validation sentences, detokenized and joined ten at a time
    into paragraphs (a check on other text than KTB; the detokenization is approximate)."""
    path = shared / "data" / "kaznerd" / "IOB2_valid.txt"
    sents: list[str] = []
    cur: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            cur.append(line.split()[0])
        elif cur:
            sents.append(_detokenize(cur))
            cur = []
    if cur:
        sents.append(_detokenize(cur))
    gold: set = set()
    pred: set = set()
    for k in range(0, len(sents), per_paragraph):
        group = sents[k : k + per_paragraph]
        text = " ".join(group)
        pos = 0
        for s in group:
            gold.add((k, pos, pos + len(s)))
            pos += len(s) + 1
        pred.update((k, r.start, r.end) for r in segment(text).sentences)
    return _prf(gold, pred)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--errors", type=int, default=20, help="how many errors to print")
    args = ap.parse_args()
    shared = shared_dir()
    sample = eval_sample(shared, args.errors)
    ktb = eval_ktb(shared, args.errors if args.errors > 20 else 0)
    kaznerd = eval_kaznerd(shared)
    if args.json:
        out = {"sample": sample, "ktb": ktb, "kaznerd_sentences": kaznerd}
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return
    print("Sample article (000_5736a8e420be0dde.txt), body lines 1-78")
    print(f"  layout detected              {sample['layout']}")
    print(
        f"  body sentences gold / found  {sample['body_sentences_gold']} / {sample['body_sentences_found']}"
    )
    print(
        f"  wrong sentence boundaries    {sample['wrong_boundaries']}"
        f"  (missing splits {sample['missing_splits']}, wrong splits {sample['wrong_splits']})"
    )
    print(
        f"  footer split from last body sentence: {'yes' if sample['footer_separated'] else 'NO'}"
    )
    print(
        f"  paragraphs gold / found / correct   {sample['paragraphs_gold']} / "
        f"{sample['paragraphs_found']} / {sample['paragraphs_correct']}"
        f"  (whole file: {sample['paragraphs_total_in_file']})"
    )
    print(f"\nUD Kazakh-KTB kk_ktb-dev ({ktb['documents']} documents joined into paragraphs)")
    print("  | unit      |  gold | found | correct |      P |      R |     F1 |")
    print("  |-----------|------:|------:|--------:|-------:|-------:|-------:|")
    for name in ("sentences", "tokens"):
        m = ktb[name]
        print(
            f"  | {name:<9} | {m['gold']:5} | {m['found']:5} | {m['correct']:7} | "
            f"{m['P']:.4f} | {m['R']:.4f} | {m['F1']:.4f} |"
        )
    m = kaznerd
    print("\nKazNERD IOB2_valid, detokenized, 10 sentences per paragraph (sentences only)")
    print(
        f"  sentences gold {m['gold']}, found {m['found']}, correct {m['correct']}: "
        f"P {m['P']:.4f}  R {m['R']:.4f}  F1 {m['F1']:.4f}"
    )


if __name__ == "__main__":
    main()
