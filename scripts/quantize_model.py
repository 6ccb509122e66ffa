#!/usr/bin/env python3
"""Writes a quantized variant of a model folder's onnx/model.onnx (or of each CLIP tower).

    .cache/venv/bin/python scripts/quantize_model.py DIR --mode dynamic-int8|fp16
        [--recipe recommended|ort-default] [--per-channel | --no-per-channel] [--reduce-range]
        [--fuse] [--keep-outliers K] [--keep-fp32 NODE ...]

dynamic-int8 writes DIR/onnx/model_quantized.onnx with ONNX Runtime's dynamic quantization
(int8 weights, activations quantized at run time). The recipe starts from --recipe:
`recommended` (scripts/quantize_onnx.py RECOMMENDED, chosen by measurement, see
docs/quantization.md) or `ort-default` (quantize_dynamic's defaults); the other flags change
it. fp16 writes DIR/onnx/model_fp16.onnx (float16 weights and arithmetic, float32 inputs and
outputs). The recipe is recorded in the file's metadata (swift-embed.quantization). The file
is written under a temporary name and renamed when complete. A CLIP folder in the split layout
(onnx/text_model.onnx, onnx/vision_model.onnx, no onnx/model.onnx) gets
onnx/text_model_quantized.onnx and onnx/vision_model_quantized.onnx (int8 only), and with
--check-images DIR the check images of scripts/convert_clip.py drawn into DIR. `embed quantize` runs this
script, then compares the variant with the fp32 model (quality, retrieval, speed).
"""
import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import quantize_onnx  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a model folder with onnx/model.onnx")
    parser.add_argument("--mode", choices=["dynamic-int8", "fp16"], required=True)
    parser.add_argument("--recipe", choices=["recommended", "ort-default"], default="recommended")
    parser.add_argument("--per-channel", dest="per_channel", action="store_true", default=None,
                        help="one weight scale per output channel")
    parser.add_argument("--no-per-channel", dest="per_channel", action="store_false", help="one scale per weight matrix")
    parser.add_argument("--reduce-range", action="store_true", help="7-bit weights (CPUs without VNNI)")
    parser.add_argument("--fuse", action="store_true",
                        help="fuse the graph first (ONNX Runtime's transformer optimizer) and quantize the fused attention")
    parser.add_argument("--keep-outliers", type=int, default=0, metavar="K",
                        help="keep in fp32 the K MatMuls whose input activations have the widest range (calibrated on 64 texts)")
    parser.add_argument("--keep-fp32", nargs="*", default=[], metavar="NODE", help="node names to keep in fp32")
    parser.add_argument("--check-images", metavar="DIR", help="CLIP towers: draw the check images into DIR")
    return parser.parse_args()


def recipe_from(args):
    if args.mode == "fp16":
        return dict(quantize_onnx.FP16)
    recipe = dict(quantize_onnx.RECOMMENDED if args.recipe == "recommended" else quantize_onnx.ORT_DEFAULT)
    if args.per_channel is not None:
        recipe["per_channel"] = args.per_channel
    if args.reduce_range:
        recipe["reduce_range"] = True
    if args.fuse:
        recipe["optimize"] = True
        recipe["op_types"] = ["MatMul", "Attention"]
    if args.keep_outliers:
        recipe["keep_outliers"] = args.keep_outliers
        recipe["op_types"] = ["MatMul"]
    if args.keep_fp32:
        recipe["keep_fp32"] = list(args.keep_fp32)
    return recipe


def write_variant(folder, source, target, recipe):
    """Quantizes `source` into `target` (a temporary name, then rename), the recipe in its metadata."""
    import onnx

    tmp = quantize_onnx.tmp_name(target)
    print(f"==> {target.relative_to(folder)}: {quantize_onnx.describe(recipe)}", flush=True)
    try:
        quantize_onnx.quantize(source, tmp, recipe)
        model = onnx.load(str(tmp))
        entry = model.metadata_props.add()
        entry.key, entry.value = "swift-embed.quantization", quantize_onnx.describe(recipe)
        onnx.save(model, str(tmp))
    except Exception as error:  # noqa: BLE001 - any failure ends with its message
        tmp.unlink(missing_ok=True)
        print(f"error: quantizing {source}: {type(error).__name__}: {error}", file=sys.stderr)
        sys.exit(1)
    os.replace(tmp, target)
    print(f"==> wrote {target} ({target.stat().st_size / 1e6:.1f} MB, fp32 {source.stat().st_size / 1e6:.1f} MB)",
          flush=True)


def main():
    args = parse_args()
    recipe = recipe_from(args)
    onnx_dir = args.folder / "onnx"
    towers = [onnx_dir / f"{tower}_model.onnx" for tower in ("text", "vision")]
    towers = [path for path in towers if path.is_file()]
    if towers and not (onnx_dir / "model.onnx").is_file():
        # A CLIP folder in the split layout: each tower gets its _quantized file.
        if args.mode == "fp16":
            print("error: fp16 CLIP towers are not supported (the engine feeds pixel_values as float32)", file=sys.stderr)
            sys.exit(1)
        if args.check_images:
            import convert_clip

            Path(args.check_images).mkdir(parents=True, exist_ok=True)
            convert_clip.check_images(Path(args.check_images))
        for source in towers:
            write_variant(args.folder, source, source.with_name(source.stem + "_quantized.onnx"), recipe)
        return
    source = onnx_dir / "model.onnx"
    if not source.is_file():
        print(f"error: {source} not found: the folder needs an fp32 onnx/model.onnx or CLIP towers "
              f"(onnx/text_model.onnx, onnx/vision_model.onnx; embed convert writes them)", file=sys.stderr)
        sys.exit(1)
    write_variant(args.folder, source, source.with_name(quantize_onnx.output_name(recipe)), recipe)


if __name__ == "__main__":
    main()
