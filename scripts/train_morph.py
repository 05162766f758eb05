"""Train the morphology disambiguator on the whole KTB file and ship it.

Writes src/muragat/morph/data/disambig.json.gz (perceptron weights, learned lemma-edit rules,
lexical-probability tables, the self-training tables counted over KazNERD's text as tagged
by first models, and the weights of the sentence-view UPOS CRF). Seeded and deterministic.

  .venv/bin/python scripts/train_morph.py [--conllu PATH] [--seed 13] [--epochs 10]
      [--no-self-train] [--no-sentence-view]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from eval_morph import shared_dir, unlabelled_text  # noqa: E402

from muragat import artifacts  # noqa: E402
from muragat.morph.conllu import read_conllu  # noqa: E402
from muragat.morph.train import train  # noqa: E402

OUT = ROOT / "src" / "muragat" / "morph" / "data" / "disambig.json.gz"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--conllu", type=Path)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--no-self-train", action="store_true",
                    help="do not learn from KazNERD's text (unlabelled)")
    ap.add_argument("--no-sentence-view", action="store_true",
                    help="no UPOS CRF over the whole sentence (its marginals are ranker features)")
    args = ap.parse_args()
    path = args.conllu or shared_dir() / "data" / "ud-kazakh-ktb" / "kk_ktb-dev.conllu"
    if not path.is_file():
        raise SystemExit(f"treebank not found: {path} (set MURAGAT_SHARED or pass --conllu)")
    sents = read_conllu(path)
    texts = None if args.no_self_train else unlabelled_text()
    model = train(sents, epochs=args.epochs, seed=args.seed, unlabelled=texts,
                  sentence_view=not args.no_sentence_view)
    source = "UD Kazakh-KTB (CC BY-SA 4.0)" + (
        "; self-training tables over KazNERD's text (CC BY 4.0)" if texts else "")
    data = {"source": source + ", trained by scripts/train_morph.py",
            "seed": args.seed, "epochs": args.epochs, "weights": model.weights,
            "rules": model.rules, "forms": model.forms, "lemmas": model.lemmas,
            "auto_forms": model.auto_forms, "auto_lemmas": model.auto_lemmas,
            "crf": model.crf.to_json() if model.crf is not None else None}
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    OUT.write_bytes(gzip.compress(raw.encode("utf-8"), compresslevel=9, mtime=0))
    artifacts.record("muragat.morph", [OUT.name])  # format, size, sha256 in data/MANIFEST.json
    print(f"{len(sents)} sentences, {len(model.weights)} weights, {len(model.rules)} rule keys "
          f"-> {OUT.relative_to(ROOT)} ({OUT.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
