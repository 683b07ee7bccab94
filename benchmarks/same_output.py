"""Does a speed change leave extraction exactly as it was? Snapshot and compare.

    .venv/bin/python benchmarks/same_output.py save  /tmp/before.jsonl     # on the old code
    .venv/bin/python benchmarks/same_output.py check /tmp/before.jsonl     # on the new code

Extracts a fixed set of articles — the shared dev set (``../shared/eval/dev`` when it is there),
``eval/own``, ``examples/`` and the first ``--n`` articles of the benchmark's generated corpus (both
languages) — and writes one line of extraction JSON (the contract, ``kg extract --format json``) per
article; ``check`` extracts them again and prints every article whose extraction differs, with the
first differing keys, exiting 1 if any does. A pure optimisation must print "identical".

This is a development tool: nothing in kg depends on it.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def inputs(n: int) -> list[str]:
    from bench import corpus_name, generate_corpus  # noqa: E402  (benchmarks/bench.py)
    import tempfile

    out: list[str] = []
    for folder in (ROOT.parent / "shared" / "eval" / "dev", ROOT / "eval" / "own", ROOT / "examples"):
        if folder.is_dir():
            out += sorted(str(p) for p in folder.iterdir() if p.suffix in (".txt", ".html", ".md"))
    if n:
        corpus = generate_corpus(max(n, 1000), Path(tempfile.gettempdir()) / "kg-bench" / corpus_name(max(n, 1000)))
        out += sorted(str(p) for p in corpus.glob("*.txt"))[:n]
    return out


def extract_all(paths: list[str]) -> dict[str, dict]:
    from kg.io.readers import ReadError, iter_articles
    from kg.pipeline import Extractor

    ex = Extractor()
    arts, names = [], []
    for path in paths:
        for item in iter_articles([path]):
            if isinstance(item, ReadError):
                continue
            arts.append(item)
            names.append(Path(path).name)
    out = {}
    for name, extraction in zip(names, ex.extract_many(arts)):
        doc = json.loads(extraction.to_json())
        doc.pop("extractor", None)   # the fingerprint changes with every code change
        doc.get("article", {}).pop("extractor", None)
        out[name] = _portable(doc)
    return out


def _portable(doc: dict) -> dict:
    """The article's source path without its folder: a snapshot taken in one checkout compares with
    a run in another."""
    art = doc.get("article") or {}
    if art.get("source"):
        art["source"] = Path(art["source"]).name
    return doc


def _diff(a, b, path="") -> list[str]:
    if type(a) is not type(b):
        return [f"{path}: {a!r} -> {b!r}"]
    if isinstance(a, dict):
        out = []
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                out.append(f"{path}.{k}: {'missing' if k not in a else a[k]!r} -> {'missing' if k not in b else b[k]!r}")
            else:
                out += _diff(a[k], b[k], f"{path}.{k}")
        return out
    if isinstance(a, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} items -> {len(b)} items"]
        out = []
        for i, (x, y) in enumerate(zip(a, b)):
            out += _diff(x, y, f"{path}[{i}]")
        return out
    return [] if a == b else [f"{path}: {a!r} -> {b!r}"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=("save", "check"))
    ap.add_argument("file")
    ap.add_argument("--n", type=int, default=200, help="generated benchmark articles to include")
    args = ap.parse_args()
    got = extract_all(inputs(args.n))
    if args.mode == "save":
        with open(args.file, "w", encoding="utf-8") as f:
            for name, doc in got.items():
                f.write(json.dumps({"name": name, "extraction": doc}, ensure_ascii=False, sort_keys=True) + "\n")
        print(f"saved {len(got)} extractions to {args.file}")
        return 0
    want = {}
    for line in open(args.file, encoding="utf-8"):
        row = json.loads(line)
        want[row["name"]] = _portable(row["extraction"])
    bad = 0
    for name in sorted(set(want) | set(got)):
        if name not in got or name not in want:
            print(f"{name}: only in {'the snapshot' if name in want else 'this run'}")
            bad += 1
            continue
        d = _diff(want[name], got[name])
        if d:
            bad += 1
            print(f"{name}: {len(d)} difference(s)")
            for line in d[:5]:
                print(f"    {line}")
    if bad:
        print(f"{bad} of {len(want)} extraction(s) differ")
        return 1
    print(f"identical ({len(got)} extractions)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
