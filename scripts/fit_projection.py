#!/usr/bin/env python3
"""Fits a fusion projection (server.fusion_projection, embed encode --fusion-projection) from vectors.

    python scripts/fit_projection.py pca   --text T --image I --fusion concat|mean [--weight 0.5] --out DIM --output p.safetensors
    python scripts/fit_projection.py lstsq --text T --image I --fusion concat|mean [--weight 0.5] --target Y --output p.safetensors [--ridge 1e-3]
    python scripts/fit_projection.py check [--embed .build/debug/embed --model Tests/Fixtures/clip/tiny]

T and I are the items' text and image vectors, paired line by line, and Y their targets: one
vector per line as a JSON array (what `embed encode` prints: `embed encode --model clip --input
texts.txt` and `embed encode --model clip --images --input paths.txt`), or .npy files [n, d].
The projection's input is built exactly as swift-embed's Fusion builds it before projecting:
both vectors L2-normalised, then concatenated (`concat`) or `weight * text + (1 - weight) *
image` (`mean`), not normalised again (so the output of `--fuse` without a projection, which is
normalised, is not the input). The file holds what Fusion reads: `weight` float32 [out, in]
(PyTorch's nn.Linear layout) and `bias` float32 [out]; x becomes weight @ x + bias, then is
normalised.

What each mode learns, honestly:
  pca    the `--out` directions of largest variance of the fused vectors (centred): a smaller
         vector that keeps as much of their spread as a linear map can. It knows nothing about
         what is relevant to a search; it only compresses. The variance kept is printed.
  lstsq  the linear map (with bias, optional ridge) that sends each fused vector closest, in
         squared error, to its paired target vector (e.g. the vector a trained 768-d model or
         a service you replace gives for the same item). It can only be as good as the pairs
         and as a linear map can be; 20% of the pairs are held out and the mean and minimum
         cosine between the projected and the target vectors on them are printed.
Neither is trained end to end on a retrieval objective (no labels, no contrastive loss).

`check` runs the script's own test: lstsq recovers a known random map from synthetic pairs
(max abs error <= 1e-4, held-out cosine >= 0.9999), pca keeps >= 0.99 of the variance of data
with that many dominant directions, and, with --embed, the PCA projection fitted on the tiny
CLIP's concatenated vectors is used by `embed encode --fuse concat --fusion-projection` (each
output vector has --out values and norm 1 within 1e-5). Exit status 1 on any failure.
"""
import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from safetensors.numpy import save_file

ROOT = Path(__file__).resolve().parent.parent


def read_vectors(path):
    if str(path).endswith(".npy"):
        vectors = np.load(path)
    else:
        with open(path, encoding="utf-8") as handle:
            vectors = np.array([json.loads(line) for line in handle if line.strip()], dtype=np.float64)
    if vectors.ndim != 2 or len(vectors) == 0:
        raise SystemExit(f"{path}: expected one vector per line (or an [n, d] .npy), got shape {vectors.shape}")
    return vectors.astype(np.float64)


def fusion_inputs(text, image, fusion, weight):
    if text.shape != image.shape:
        raise SystemExit(f"text vectors {text.shape} and image vectors {image.shape} must pair up line by line")
    t = text / np.linalg.norm(text, axis=1, keepdims=True)
    i = image / np.linalg.norm(image, axis=1, keepdims=True)
    return np.hstack([t, i]) if fusion == "concat" else weight * t + (1 - weight) * i


def fit_pca(x, out):
    if not 1 <= out <= min(x.shape):
        raise SystemExit(f"--out must be between 1 and {min(x.shape)} (vectors: {x.shape[0]} of {x.shape[1]} values)")
    mean = x.mean(axis=0)
    _, singular, vt = np.linalg.svd(x - mean, full_matrices=False)
    weight = vt[:out]
    kept = float((singular[:out] ** 2).sum() / (singular ** 2).sum())
    return weight, -weight @ mean, kept


def fit_lstsq(x, y, ridge):
    if len(x) != len(y):
        raise SystemExit(f"{len(x)} fused vectors but {len(y)} targets: they are paired line by line")
    design = np.hstack([x, np.ones((len(x), 1))])
    gram = design.T @ design + ridge * np.eye(design.shape[1])
    solution = np.linalg.solve(gram, design.T @ y)
    return solution[:-1].T, solution[-1]


def cosines(a, b):
    return (a * b).sum(axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def save(path, weight, bias):
    save_file({"weight": weight.astype(np.float32), "bias": bias.astype(np.float32)}, str(path))
    print(f"wrote {path}: weight [{weight.shape[0]}, {weight.shape[1]}], bias [{bias.shape[0]}]")


def lstsq_with_holdout(x, y, ridge, seed=0):
    order = np.random.default_rng(seed).permutation(len(x))
    held = order[: max(1, len(x) // 5)]
    train = order[len(held):] if len(x) > 1 else order
    weight, bias = fit_lstsq(x[train], y[train], ridge)
    held_cos = cosines(x[held] @ weight.T + bias, y[held])
    weight, bias = fit_lstsq(x, y, ridge)  # the file uses every pair
    return weight, bias, held_cos


def check(args):
    failures = []
    rng = np.random.default_rng(7)
    x = rng.normal(size=(400, 24))
    true_w, true_b = rng.normal(size=(12, 24)), rng.normal(size=12)
    weight, bias, held = lstsq_with_holdout(x, x @ true_w.T + true_b, ridge=0.0)
    error = max(np.abs(weight - true_w).max(), np.abs(bias - true_b).max())
    print(f"lstsq on exact pairs: max abs error {error:.2e} (<= 1e-4), held-out min cosine {held.min():.6f} (>= 0.9999)")
    if error > 1e-4 or held.min() < 0.9999:
        failures.append("lstsq did not recover the map")
    low = rng.normal(size=(400, 3)) @ rng.normal(size=(3, 24)) + 0.01 * rng.normal(size=(400, 24))
    _, _, kept = fit_pca(low, 3)
    print(f"pca, 3 dominant directions: variance kept {kept:.4f} (>= 0.99)")
    if kept < 0.99:
        failures.append("pca kept too little variance")
    if args.embed:
        failures += check_with_embed(args)
    print("check: " + ("FAILED: " + "; ".join(failures) if failures else "passed"))
    return 1 if failures else 0


def check_with_embed(args):
    images = sorted(str(p) for p in (ROOT / "Tests/Fixtures/clip/images").glob("*.png"))[:8]
    texts = [f"a picture number {i}" for i in range(len(images))]
    with tempfile.TemporaryDirectory() as folder:
        def encode(extra):
            result = subprocess.run([args.embed, "encode", "--model", args.model] + extra, check=True, capture_output=True, text=True)
            return np.array([json.loads(line) for line in result.stdout.splitlines() if line.strip()], dtype=np.float64)
        text_vectors = encode(texts)
        image_vectors = encode([item for path in images for item in ("--image", path)])
        x = fusion_inputs(text_vectors, image_vectors, "concat", 0.5)
        out = min(4, len(x) - 1)
        pairs = Path(folder) / "pairs.jsonl"
        pairs.write_text("".join(json.dumps({"text": t, "image": i}) + "\n" for t, i in zip(texts, images)))
        base = [args.embed, "encode", "--model", args.model, "--fuse", "concat", "--jsonl", "--input", str(pairs)]
        weight, bias, kept = fit_pca(x, out)
        projection = Path(folder) / "p.safetensors"
        save(projection, weight, bias)
        projected = subprocess.run(base + ["--fusion-projection", str(projection)], check=True, capture_output=True, text=True)
        y = np.array([json.loads(line) for line in projected.stdout.splitlines() if line.strip()])
    norms = np.linalg.norm(y, axis=1)
    print(f"embed encode with the PCA projection: {y.shape[0]} vectors of {y.shape[1]} values (expected {out}), "
          f"norms {norms.min():.6f}..{norms.max():.6f} (1 within 1e-5); PCA kept {kept:.4f} of the variance")
    # swift-embed normalises after the projection: compare directions with the same arithmetic here.
    expected = x @ weight.T + bias
    agreement = cosines(y, expected).min()
    print(f"  against the same projection in numpy: min cosine {agreement:.7f} (>= 0.99999)")
    ok = y.shape == (len(images), out) and np.all(np.abs(norms - 1) <= 1e-5) and agreement >= 0.99999
    return [] if ok else ["embed encode did not apply the fitted projection as expected"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["pca", "lstsq", "check"])
    parser.add_argument("--text", help="the items' text vectors (JSON lines or .npy)")
    parser.add_argument("--image", help="the items' image vectors, paired with --text line by line")
    parser.add_argument("--fusion", choices=["concat", "mean"], help="the fusion the projection follows (server.fusion)")
    parser.add_argument("--weight", type=float, default=0.5, help="mean: the text's share (server.fusion_weight)")
    parser.add_argument("--target", help="lstsq: the paired target vectors")
    parser.add_argument("--out", type=int, help="pca: the output dimension")
    parser.add_argument("--ridge", type=float, default=1e-3, help="lstsq: ridge penalty (0: plain least squares)")
    parser.add_argument("--output", help="the .safetensors file to write")
    parser.add_argument("--embed", help="check: also run this embed binary end to end")
    parser.add_argument("--model", default=str(ROOT / "Tests/Fixtures/clip/tiny"), help="check: a CLIP folder")
    args = parser.parse_args()
    if args.mode == "check":
        return check(args)
    if not (args.text and args.image and args.fusion and args.output):
        parser.error("--text, --image, --fusion and --output are needed")
    x = fusion_inputs(read_vectors(args.text), read_vectors(args.image), args.fusion, args.weight)
    if args.mode == "pca":
        if args.out is None:
            parser.error("pca needs --out")
        weight, bias, kept = fit_pca(x, args.out)
        print(f"pca: {x.shape[0]} {args.fusion} inputs of {x.shape[1]} values -> {args.out}; variance kept {kept:.4f}")
    else:
        if not args.target:
            parser.error("lstsq needs --target")
        y = read_vectors(args.target)
        weight, bias, held = lstsq_with_holdout(x, y, args.ridge)
        print(f"lstsq: {x.shape[0]} pairs, {x.shape[1]} -> {y.shape[1]} values, ridge {args.ridge}; "
              f"held-out cosine mean {held.mean():.4f}, min {held.min():.4f}")
    save(args.output, weight, bias)
    return 0


if __name__ == "__main__":
    sys.exit(main())
