#!/usr/bin/env python3
"""Makes a tiny randomly initialised model of each supported family, with PyTorch reference
vectors, for the Swift tests (Tests/Fixtures/families/<family>/).

    .cache/venv/bin/python scripts/make_family_models.py        (run by `make fixtures`)

Families: bert (BertModel, WordPiece), mpnet (MPNetModel, WordPiece with a RobertaProcessing
post-processor), distilbert (DistilBertModel: no token_type_ids input) and xlm-roberta
(XLMRobertaModel, a SentencePiece Unigram tokenizer with a Precompiled normalizer). Each model
has the real architecture at a tiny size (hidden size 32, 2 layers, 4 heads), random weights
(fixed seed) and a tokenizer trained here on scripts/data/reference_sentences.txt: WordPiece
with `tokenizers`, SentencePiece with `sentencepiece`, converted with transformers' own
XLMRobertaConverter (which writes the Precompiled normalizer, Metaspace and the template
post-processor exactly as for the real XLM-R).

Each family folder is what sentence-transformers saves (config.json, model.safetensors,
tokenizer.json, tokenizer_config.json, modules.json, 1_Pooling/config.json,
sentence_bert_config.json, config_sentence_transformers.json with prompts, 2_Normalize/) plus
onnx/model.onnx exported by scripts/onnx_export.py (checked against PyTorch to 1e-4) and
reference.json: the texts below and sentence-transformers' `encode` output for them.

The bert family also has variants/<name>/: the files sentence-transformers saves for the same
transformer with another pooling (every mode, several at once, prompts excluded from pooling),
prompts used by name, literally or by default, and Dense layers after pooling (weights in
model.safetensors). A test lays a variant's files over the family folder. reference.json holds
one result per (variant, encode arguments).
"""
import json
import os
import random
import shutil
import sys
import tempfile
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
sys.path.insert(0, str(Path(__file__).resolve().parent))

import onnx_export  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "Tests" / "Fixtures" / "families"
CORPUS = ROOT / "scripts" / "data" / "reference_sentences.txt"
SEED = 20240611
MAX_SEQ_LENGTH = 48
PROMPTS = {"query": "query: ", "passage": "passage: "}
TEXTS = [
    "Hello world!",
    "The quick brown fox jumps over the lazy dog.",
    "Ünïcödé café naïve résumé, Ελληνικά and Ångström.",
    "東京は日本の首都です。",
    "Пример текста на русском языке.",
    "مرحبا بالعالم",
    "I love pizza 🍕 and 👩‍👩‍👧 family time!",
    "Version 2.4.1 fixes CVE-2023-12345; see https://example.com/notes?id=42.",
    "",
    "   ",
    "x",
    "query: a text that already starts like a prompt",
    "Tabs\tand\nnewlines inside a text",
    "MIXED Case, punctuation!!! (really?) -- yes...",
    "A longer passage follows, written so that it is truncated: it has many more words than the "
    "maximum length of these tiny models allows, so only its beginning is embedded and the rest, "
    "including this last clause about the end of the passage, is cut away by the tokenizer.",
]
TINY = dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64, initializer_range=0.2)
# A larger initializer range than the default 0.02 makes a random model mix its tokens more, so that
# texts (and pooling modes) give clearly different vectors and a 0.9999 cosine check can fail.


def corpus_lines():
    return [line for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]


def wordpiece_vocab(work):
    from tokenizers import BertWordPieceTokenizer

    trainer = BertWordPieceTokenizer(lowercase=True)
    trainer.train_from_iterator(corpus_lines(), vocab_size=1200, min_frequency=1, show_progress=False)
    return trainer.get_vocab()


def bert_tokenizer(vocab, cls):
    return cls(vocab=dict(sorted(vocab.items(), key=lambda item: item[1])))


def mpnet_tokenizer(vocab):
    import transformers

    ordered = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
    for token, _ in sorted(vocab.items(), key=lambda item: item[1]):
        ordered.setdefault(token, len(ordered))
    ordered["<mask>"] = len(ordered)
    return transformers.MPNetTokenizerFast(vocab=ordered, unk_token="<unk>")


def xlmr_tokenizer(work):
    import sentencepiece as spm
    import transformers
    from tokenizers import AddedToken
    from transformers.convert_slow_tokenizer import XLMRobertaConverter

    prefix = str(work / "spm")
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(corpus_lines()), model_prefix=prefix, vocab_size=1000, model_type="unigram",
        character_coverage=0.995, num_threads=1, seed_sentencepiece_size=100000, minloglevel=2)

    class SlowTokenizer:
        """What XLMRobertaConverter reads from a slow (sentencepiece) XLM-R tokenizer."""
        vocab_file = prefix + ".model"

        @staticmethod
        def convert_tokens_to_ids(token):
            return {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}[token]

    backend = XLMRobertaConverter(SlowTokenizer()).converted()
    backend.add_special_tokens(
        [AddedToken(token, special=True, normalized=False) for token in ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]])
    return transformers.XLMRobertaTokenizerFast(tokenizer_object=backend)


def family_specs(work):
    import transformers

    vocab = wordpiece_vocab(work)
    return {
        "bert": (transformers.BertConfig(vocab_size=len(vocab), max_position_embeddings=64, **TINY),
                 transformers.BertModel, bert_tokenizer(vocab, transformers.BertTokenizerFast), "mean", True),
        "mpnet": (None, transformers.MPNetModel, mpnet_tokenizer(vocab), "mean", True),
        "distilbert": (transformers.DistilBertConfig(
            vocab_size=len(vocab), dim=32, n_layers=2, n_heads=4, hidden_dim=64, max_position_embeddings=64,
            initializer_range=0.2),
            transformers.DistilBertModel, bert_tokenizer(vocab, transformers.DistilBertTokenizerFast), "cls", False),
        "xlm-roberta": (None, transformers.XLMRobertaModel, xlmr_tokenizer(work), "mean", True),
    }


def config_for(name, tokenizer):
    import transformers

    if name == "mpnet":
        return transformers.MPNetConfig(vocab_size=len(tokenizer), max_position_embeddings=66, pad_token_id=1, **TINY)
    return transformers.XLMRobertaConfig(
        vocab_size=len(tokenizer), max_position_embeddings=66, type_vocab_size=1, pad_token_id=1, **TINY)


def sentence_transformer(hf_folder, pooling_mode, normalize, extra=(), include_prompt=True, prompts=None,
                         default_prompt_name=None):
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.base.modules.normalize import Normalize
    from sentence_transformers.base.modules.transformer import Transformer
    from sentence_transformers.sentence_transformer.modules import Pooling

    transformer = Transformer(str(hf_folder), max_seq_length=MAX_SEQ_LENGTH)
    modules = [transformer, Pooling(transformer.get_embedding_dimension(), pooling_mode, include_prompt=include_prompt)]
    modules += list(extra)
    if normalize:
        modules.append(Normalize())
    return SentenceTransformer(modules=modules, prompts=prompts if prompts is not None else dict(PROMPTS),
                               default_prompt_name=default_prompt_name, device="cpu")


def encode(model, **kwargs):
    import numpy as np

    vectors = model.encode(TEXTS, batch_size=4, convert_to_numpy=True, show_progress_bar=False, **kwargs)
    assert vectors.dtype == np.float32 and vectors.shape[0] == len(TEXTS)
    return [[float(x) for x in row] for row in vectors]


def result(variant, vectors, **kwargs):
    return {"variant": variant, "prompt_name": kwargs.get("prompt_name"), "prompt": kwargs.get("prompt"),
            "embeddings": vectors}


def clean_saved(folder):
    """Drops what sentence-transformers saves that the tests do not need (the model card)."""
    (folder / "README.md").unlink(missing_ok=True)


def export_onnx(folder):
    import transformers

    tokenizer = transformers.AutoTokenizer.from_pretrained(folder)
    names = onnx_export.input_names(onnx_export.load_model(folder), tokenizer)
    (folder / "onnx").mkdir(exist_ok=True)
    path = folder / "onnx" / "model.onnx"
    onnx_export.export(onnx_export.load_model(folder, "eager"), tokenizer, path, names)
    onnx_export.check_self_contained(path, names, quiet=True)
    diff = onnx_export.max_abs_diff(
        onnx_export.load_model(folder), tokenizer, path, [TEXTS[:8], TEXTS[8:]], names, max_length=MAX_SEQ_LENGTH)
    if not diff < 1e-4:
        sys.exit(f"error: {folder.name}: ONNX vs PyTorch max abs diff {diff:.3g} >= 1e-4")
    return names


def check_tokenizer(folder):
    """transformers (what sentence-transformers uses) and `tokenizers` on tokenizer.json agree."""
    import transformers
    from tokenizers import Tokenizer

    fast = transformers.AutoTokenizer.from_pretrained(folder)
    raw = Tokenizer.from_file(str(folder / "tokenizer.json"))
    for text in TEXTS:
        if fast(text)["input_ids"] != raw.encode(text).ids:
            sys.exit(f"error: {folder.name}: transformers and tokenizers disagree on {text!r}")


def bert_variants(folder, base):
    """(name, saved model, [encode kwargs]) for the bert family's variants."""
    from sentence_transformers.base.modules.dense import Dense
    import torch

    query = {"prompt_name": "query"}
    variants = []
    for mode in ["cls", "max", "mean_sqrt_len_tokens", "weightedmean", "lasttoken"]:
        variants.append((mode, sentence_transformer(folder, mode, False), [{}]))
    variants.append(("cls_mean", sentence_transformer(folder, ("cls", "mean"), False), [{}]))
    variants.append(("mean_cls", sentence_transformer(folder, ("mean", "cls"), False), [{}]))
    for mode in ["mean", "cls", "weightedmean", "lasttoken"]:
        variants.append((f"exclude_prompt_{mode}", sentence_transformer(folder, mode, mode == "mean", include_prompt=False),
                         [query, {"prompt": "Represent this: "}]))
    variants.append(("default_prompt", sentence_transformer(folder, "mean", True, default_prompt_name="passage"),
                     [{}, {"prompt_name": "query"}, {"prompt": ""}]))
    torch.manual_seed(SEED + 1)
    variants.append(("dense", sentence_transformer(folder, "mean", True, extra=[Dense(32, 16)]), [{}]))
    torch.manual_seed(SEED + 2)
    chain = [Dense(32, 24, bias=False, activation_function=torch.nn.Identity()),
             Dense(24, 24, activation_function=torch.nn.GELU(), use_residual=True),
             Dense(24, 20, activation_function=torch.nn.ReLU(), use_residual=True)]
    variants.append(("dense_chain", sentence_transformer(folder, "mean", True, extra=chain), [{}]))
    return variants


def save_variant(name, model, family_dir, work):
    """Saves the variant and keeps, under variants/<name>/, the files that differ from the family's."""
    saved = work / f"variant-{name}"
    model.save(str(saved))
    target = family_dir / "variants" / name
    target.mkdir(parents=True)
    for path in sorted(saved.rglob("*")):
        relative = path.relative_to(saved)
        if path.is_dir() or relative.parts[0] in ("onnx",) or path.name == "README.md":
            continue
        base = family_dir / relative
        if base.is_file() and base.read_bytes() == path.read_bytes():
            continue
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target / relative)
    return target


def legacy_pooling_variant(family_dir, folder):
    """cls + max written in the legacy boolean format (concatenated in the legacy order)."""
    from sentence_transformers import SentenceTransformer

    target = family_dir / "variants" / "legacy_cls_max"
    (target / "1_Pooling").mkdir(parents=True)
    modules = json.loads((family_dir / "modules.json").read_text())
    modules = [m for m in modules if not m["type"].endswith("Normalize")]
    (target / "modules.json").write_text(json.dumps(modules, indent=2) + "\n")
    (target / "1_Pooling" / "config.json").write_text(json.dumps({
        "word_embedding_dimension": 32, "pooling_mode_cls_token": True, "pooling_mode_mean_tokens": False,
        "pooling_mode_max_tokens": True, "pooling_mode_mean_sqrt_len_tokens": False}, indent=2) + "\n")
    assembled = folder.parent / "legacy-assembled"
    shutil.copytree(family_dir, assembled, ignore=shutil.ignore_patterns("variants", "onnx", "reference.json"))
    shutil.copytree(target, assembled, dirs_exist_ok=True)
    shutil.rmtree(assembled / "2_Normalize", ignore_errors=True)
    return SentenceTransformer(str(assembled), device="cpu")


def make_family(name, spec, work):
    import torch
    import transformers

    config, model_class, tokenizer, pooling, normalize = spec
    config = config or config_for(name, tokenizer)
    torch.manual_seed(SEED)
    hf_folder = work / f"hf-{name}"
    model_class(config).eval().save_pretrained(hf_folder)
    tokenizer.save_pretrained(hf_folder)

    family_dir = OUT / name
    shutil.rmtree(family_dir, ignore_errors=True)
    model = sentence_transformer(hf_folder, pooling, normalize)
    model.save(str(family_dir))
    clean_saved(family_dir)
    check_tokenizer(family_dir)
    names = export_onnx(family_dir)

    from sentence_transformers import SentenceTransformer

    reloaded = SentenceTransformer(str(family_dir), device="cpu")
    results = [result("default", encode(reloaded)), result("default", encode(reloaded, prompt_name="query"), prompt_name="query")]
    if name == "bert":
        for variant, variant_model, calls in bert_variants(family_dir, reloaded):
            save_variant(variant, variant_model, family_dir, work)
            for kwargs in calls:
                results.append(result(variant, encode(variant_model, **kwargs), **kwargs))
        results.append(result("legacy_cls_max", encode(legacy_pooling_variant(family_dir, hf_folder))))
    if name == "xlm-roberta":
        excluded = sentence_transformer(family_dir, "mean", True, include_prompt=False)
        save_variant("exclude_prompt_mean", excluded, family_dir, work)
        results.append(result("exclude_prompt_mean", encode(excluded, prompt_name="query"), prompt_name="query"))

    document = {
        "family": name, "architecture": type(reloaded[0].auto_model).__name__, "inputs": names,
        "max_seq_length": reloaded.max_seq_length, "texts": TEXTS, "results": results,
        "versions": {package: __import__(module).__version__ for package, module in
                     [("sentence-transformers", "sentence_transformers"), ("transformers", "transformers"),
                      ("torch", "torch")]},
    }
    (family_dir / "reference.json").write_text(json.dumps(document, ensure_ascii=False) + "\n", encoding="utf-8")
    report(name, family_dir, results)


def report(name, family_dir, results):
    """Prints sizes and how far apart the results are (so that 0.9999 cosine discriminates)."""
    import numpy as np

    size = sum(p.stat().st_size for p in family_dir.rglob("*") if p.is_file())
    vectors = [np.asarray(r["embeddings"]) for r in results]
    closest = 1.0
    for i in range(len(vectors)):
        for j in range(i + 1, len(vectors)):
            if vectors[i].shape != vectors[j].shape:
                continue
            a, b = vectors[i], vectors[j]
            cos = (a * b).sum(1) / np.clip(np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1), 1e-12, None)
            closest = min(closest, float(np.median(cos)))
    first = vectors[0] / np.clip(np.linalg.norm(vectors[0], axis=1, keepdims=True), 1e-12, None)
    pairwise = first @ first.T
    off = pairwise[~np.eye(len(first), dtype=bool)]
    print(f"{name}: {len(results)} results, folder {size / 1024:.0f} KiB; texts' cosines to each other "
          f"{off.min():.3f}..{off.max():.3f}; median cosine between any two results {closest:.4f}")


def main():
    random.seed(SEED)
    import torch
    import transformers

    transformers.utils.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()
    torch.manual_seed(SEED)
    with tempfile.TemporaryDirectory(prefix="swift-embed-families-") as tmp:
        work = Path(tmp)
        for name, spec in family_specs(work).items():
            make_family(name, spec, work)
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
