#!/usr/bin/env python3
"""Trains small tokenizers of every type on local text and records what Hugging Face
`tokenizers` makes of hundreds of strings with each: the golden files of the Swift tests.

Fixtures (Tests/Fixtures/tokenizers/<name>/tokenizer.json and <name>.golden.json):

* unigram-metaspace  Unigram trained by `tokenizers`; Strip/NFKC/Replace normalizers,
                     Metaspace (prepend_scheme "first"), XLM-R-like template, <mask> lstrip.
* spm-xlmr           a SentencePiece Unigram model (byte_fallback) trained with the
                     `sentencepiece` package and converted by `transformers`'
                     XLMRobertaConverter: a real Precompiled charsmap; byte_fallback is then
                     switched on in the model, as its vocabulary has the <0xNN> pieces.
* bpe-roberta        byte-level BPE, ByteLevel pre-tokenizer, RobertaProcessing with
                     trim_offsets, <mask> lstrip (RoBERTa / ModernBERT style).
* bpe-prefix-space   the same vocabulary with add_prefix_space on both sides.
* bpe-qwen           byte-level BPE with NFC, a Qwen2/Llama-3 Split regex then ByteLevel
                     without its regex, ignore_merges, Sequence[ByteLevel, Template].
* bpe-clip           CLIP style: NFC + whitespace Replace + Lowercase, inverted Split on
                     CLIP's regex, ByteLevel, `</w>` end-of-word suffix, unk token.
* bpe-llama          Llama-2 style: Prepend + Replace normalizers, no pre-tokenizer,
                     byte_fallback with <0xNN> tokens, fuse_unk.
* wordpiece-mixed    WordPiece with NFD/StripAccents/Lowercase/Nmt and a Sequence of
                     Whitespace, Punctuation, Digits, Split and CharDelimiterSplit; added
                     tokens with rstrip, single_word and normalized.

Each golden file records ids, type ids, special-token masks and offsets (Unicode code
points, as the Python binding reports them) for: every test string, some without special
tokens, pairs, truncation of single texts and pairs (all strategies and directions, with
the errors Python raises), and padded batches. Run with the project's environment:
`.cache/venv/bin/python scripts/make_tokenizer_fixtures.py [name ...]` (about a minute).

Note: `tokenizers`' trainers are not reproducible bit for bit (they iterate hash maps
seeded at random), so a rerun can give slightly different vocabularies. Each golden file is
always made from the tokenizer.json written next to it, so any run gives a valid pair; the
SentencePiece model (one thread) is reproducible.
"""
import json
import os
import sys
import tempfile
from pathlib import Path

# One thread, for the least variation between runs (see the note in the docstring).
os.environ["RAYON_NUM_THREADS"] = "1"
os.environ["TOKENIZERS_PARALLELISM"] = "false"

import tokenizers  # noqa: E402
from tokenizers import AddedToken, Regex, Tokenizer, models, normalizers, pre_tokenizers, processors, trainers  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tokenizer_text import pairs, test_strings, training_lines  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "Tests" / "Fixtures" / "tokenizers"
QWEN = r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"""
CLIP = r"""<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+"""


def ids(tok, *tokens):
    return [(t, tok.token_to_id(t)) for t in tokens]


def unigram_metaspace(lines):
    tok = Tokenizer(models.Unigram())
    tok.normalizer = normalizers.Sequence([normalizers.Strip(left=False, right=True), normalizers.NFKC(),
                                           normalizers.Replace(Regex(" {2,}"), " ")])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="first")
    tok.train_from_iterator(lines, trainers.UnigramTrainer(
        vocab_size=2500, special_tokens=["<s>", "<pad>", "</s>", "<unk>"], unk_token="<unk>", max_piece_length=10))
    tok.add_special_tokens([AddedToken("<mask>", lstrip=True, special=True)])
    tok.add_tokens([AddedToken("New York", normalized=True)])
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>", special_tokens=ids(tok, "<s>", "</s>"))
    return tok, ["<mask>", "<s>", "New York", "new york"]


def spm_xlmr(lines, work):
    import sentencepiece as spm
    from transformers.convert_slow_tokenizer import XLMRobertaConverter
    corpus = work / "corpus.txt"
    corpus.write_text("\n".join(lines), encoding="utf-8")
    spm.SentencePieceTrainer.train(
        input=str(corpus), model_prefix=str(work / "spm"), vocab_size=3000, model_type="unigram",
        character_coverage=0.9995, byte_fallback=True, num_threads=1, minloglevel=2)

    class Slow:  # what the converter reads from a slow tokenizer
        vocab_file = str(work / "spm.model")

        @staticmethod
        def convert_tokens_to_ids(token):
            return {"<s>": 0, "</s>": 2}[token]

    tok = XLMRobertaConverter(Slow()).converted()
    data = json.loads(tok.to_str())
    data["model"]["byte_fallback"] = True
    tok = Tokenizer.from_str(json.dumps(data))
    tok.add_special_tokens([AddedToken("<mask>", lstrip=True, special=True)])
    return tok, ["<mask>", "<s>", "</s>"]


def byte_level_bpe(lines):
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.train_from_iterator(lines, trainers.BpeTrainer(
        vocab_size=3000, special_tokens=["<s>", "<pad>", "</s>", "<unk>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    tok.add_special_tokens([AddedToken("<mask>", lstrip=True, special=True)])
    tok.post_processor = processors.RobertaProcessing(
        ("</s>", tok.token_to_id("</s>")), ("<s>", tok.token_to_id("<s>")), trim_offsets=True, add_prefix_space=False)
    return tok, ["<mask>", "<s>"]


def prefix_space(roberta):
    data = json.loads(roberta.to_str())
    data["pre_tokenizer"]["add_prefix_space"] = True
    data["post_processor"]["add_prefix_space"] = True
    return Tokenizer.from_str(json.dumps(data)), ["<mask>"]


def qwen(lines):
    tok = Tokenizer(models.BPE())
    tok.normalizer = normalizers.NFC()
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(QWEN), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])
    tok.train_from_iterator(lines, trainers.BpeTrainer(
        vocab_size=3000, special_tokens=["<|endoftext|>"], initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    tok.add_special_tokens([AddedToken("<|im_start|>", special=True), AddedToken("<|im_end|>", special=True)])
    data = json.loads(tok.to_str())
    data["model"]["ignore_merges"] = True
    tok = Tokenizer.from_str(json.dumps(data))
    tok.post_processor = processors.Sequence([
        processors.ByteLevel(trim_offsets=False),
        processors.TemplateProcessing(single="$A <|endoftext|>", pair="$A <|endoftext|> $B:1 <|endoftext|>:1",
                                      special_tokens=ids(tok, "<|endoftext|>"))])
    return tok, ["<|im_start|>", "<|endoftext|>"]


def clip(lines):
    tok = Tokenizer(models.BPE(unk_token="<|endoftext|>", end_of_word_suffix="</w>", continuing_subword_prefix=""))
    tok.normalizer = normalizers.Sequence([normalizers.NFC(), normalizers.Replace(Regex(r"\s+"), " "),
                                           normalizers.Lowercase()])
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(CLIP), behavior="removed", invert=True),
        pre_tokenizers.ByteLevel(add_prefix_space=False)])
    tok.train_from_iterator(lines, trainers.BpeTrainer(
        vocab_size=3000, special_tokens=["<|startoftext|>", "<|endoftext|>"], end_of_word_suffix="</w>",
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    data = json.loads(tok.to_str())
    data["model"]["unk_token"] = "<|endoftext|>"
    data["model"]["continuing_subword_prefix"] = ""
    tok = Tokenizer.from_str(json.dumps(data))
    tok.post_processor = processors.RobertaProcessing(
        ("<|endoftext|>", tok.token_to_id("<|endoftext|>")), ("<|startoftext|>", tok.token_to_id("<|startoftext|>")),
        add_prefix_space=False, trim_offsets=False)
    return tok, ["<|endoftext|>"]


def llama(lines):
    tok = Tokenizer(models.BPE())
    tok.normalizer = normalizers.Sequence([normalizers.Prepend("▁"), normalizers.Replace(" ", "▁")])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="never", split=True)
    tok.train_from_iterator(lines, trainers.BpeTrainer(vocab_size=2500, special_tokens=["<unk>", "<s>", "</s>"]))
    data = json.loads(tok.to_str())
    vocab = data["model"]["vocab"]
    for byte in range(256):
        vocab.setdefault(f"<0x{byte:02X}>", len(vocab))
    data["model"].update(unk_token="<unk>", byte_fallback=True, fuse_unk=True)
    data["pre_tokenizer"] = None
    tok = Tokenizer.from_str(json.dumps(data))
    tok.post_processor = processors.TemplateProcessing(
        single="<s>:0 $A:0", pair="<s>:0 $A:0 <s>:1 $B:1", special_tokens=ids(tok, "<s>"))
    return tok, ["<s>", "</s>"]


def wordpiece_mixed(lines):
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]", max_input_chars_per_word=40))
    tok.normalizer = normalizers.Sequence([normalizers.NFD(), normalizers.StripAccents(), normalizers.Lowercase(),
                                           normalizers.Nmt()])
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Whitespace(), pre_tokenizers.Punctuation(behavior="contiguous"),
        pre_tokenizers.Digits(individual_digits=True), pre_tokenizers.Split("-", behavior="merged_with_previous"),
        pre_tokenizers.CharDelimiterSplit("_")])
    tok.train_from_iterator(lines, trainers.WordPieceTrainer(
        vocab_size=3000, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]))
    tok.add_special_tokens([AddedToken("[MASK]", rstrip=True, lstrip=True, special=True)])
    tok.add_tokens([AddedToken("new york", single_word=True, normalized=True),
                    AddedToken("e-mail", rstrip=True, normalized=False)])
    tok.post_processor = processors.BertProcessing(("[SEP]", tok.token_to_id("[SEP]")), ("[CLS]", tok.token_to_id("[CLS]")))
    return tok, ["[MASK]", "New York", "new york", "newyork", "e-mail", "E-MAIL"]


def write(name, tok, extra):
    from tokenizer_golden import batches, cases
    folder = OUT_DIR / name
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "tokenizer.json"
    tok.save(str(path))
    # Golden data comes from the file as saved, read back like any user would.
    tok = Tokenizer.from_file(str(path))
    strings = test_strings(extra)
    pad_token = next((t for t in ("<pad>", "[PAD]", "<|endoftext|>", "<unk>") if tok.token_to_id(t) is not None))
    golden = {
        "tokenizers_version": tokenizers.__version__,
        "cases": cases(tok, strings, pairs(strings)),
        "batches": batches(tok, strings, tok.token_to_id(pad_token), pad_token),
    }
    out = OUT_DIR / f"{name}.golden.json"
    out.write_text(json.dumps(golden, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size // 1024} KB) and {out.relative_to(ROOT)} "
          f"({out.stat().st_size // 1024} KB, {len(golden['cases'])} cases)")


def main():
    lines = training_lines()
    with tempfile.TemporaryDirectory() as folder:
        spm_tok, spm_extra = spm_xlmr(lines, Path(folder))
    roberta, roberta_extra = byte_level_bpe(lines)
    fixtures = {
        "unigram-metaspace": unigram_metaspace(lines),
        "spm-xlmr": (spm_tok, spm_extra),
        "bpe-roberta": (roberta, roberta_extra),
        "bpe-prefix-space": prefix_space(roberta),
        "bpe-qwen": qwen(lines),
        "bpe-clip": clip(lines),
        "bpe-llama": llama(lines),
        "wordpiece-mixed": wordpiece_mixed(lines),
    }
    only = set(sys.argv[1:])
    for name, (tok, extra) in fixtures.items():
        if not only or name in only:
            write(name, tok, extra)


if __name__ == "__main__":
    main()
