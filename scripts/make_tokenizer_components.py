#!/usr/bin/env python3
"""Records what single normalizers and pre-tokenizers of Hugging Face `tokenizers` do, with
the alignment of every piece to the original text, for the Swift component tests:
Tests/Fixtures/tokenizers/components.golden.json.

For each configuration (a normalizer, a pre-tokenizer, or both) and each test string, the
golden file lists the pieces (normalized text) and their offsets in the original string
(Unicode code points), as `PreTokenizedString.get_splits` reports them. Normalizers are
followed by a split into single characters, so that the alignment of every character is
checked. Pre-tokenizers include `Split` with many Oniguruma regular expressions (the
expressions of GPT-2, Llama 3, Qwen 2 and CLIP, anchors, lazy and counted repetitions,
case-insensitive text, lookahead, empty matches) with every behaviour, which checks the
regular expression engine against Oniguruma itself.

Run with the project's environment: `.cache/venv/bin/python scripts/make_tokenizer_components.py`.
"""
import json
import random
import sys
from pathlib import Path

import tokenizers
from tokenizers import PreTokenizedString, Regex, Tokenizer, normalizers, pre_tokenizers

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tokenizer_text import test_strings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "Tests" / "Fixtures" / "tokenizers" / "components.golden.json"
CHARSMAP_REFERENCE = "@spm-xlmr"
CHARACTERS = pre_tokenizers.Split(Regex(r"[\s\S]"), "isolated")

GPT2 = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""
LLAMA3 = r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"""
QWEN = r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"""
CLIP = r"""<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+"""
PATTERNS = [
    GPT2, LLAMA3, QWEN, CLIP, r"\s+", r"\w+|[^\w\s]+", r" ?[^(\s|[.,!?…。，、।۔،])]+", r"a*", r"a*?", r"x+?", r"^",
    r"$", r"^.", r".$", r".+", r"(?m).+", r"\b", r"\B\w", r"(?i:hello)", r"(?i)ss|st|k", r"[a-c]{2,3}", r"\d{1,3}",
    r"[^\s]+", r"\p{Lu}\p{Ll}+", r"\P{L}+", r"\p{^N}+", r"(?:ab|a)(?:c|bc)", r"(a|ab)(c|bcd)", r"\A\w+", r"\w+\z",
    r"\w+\Z", r"[\x41-\x5A]+", r"\x{1F600}|\u00E9", r"a{,2}", r"\s(?=\S)", r"(?!a)\w", r"\h+", r"[\p{L}\p{M}]+",
    r"[-.]", r"[^-\w]", r"\.\.\.", r"[\]\[]", r"\d+(?:\.\d+)?", r"(?i)[0-9]+", r"\p{P}|\p{S}", r"\p{Zs}|\t",
]
BEHAVIORS = ["removed", "isolated", "merged_with_previous", "merged_with_next", "contiguous"]


def normalizer_configs(precompiled):
    n = normalizers
    configs = [n.NFC(), n.NFD(), n.NFKC(), n.NFKD(), n.Lowercase(), n.Sequence([n.NFD(), n.StripAccents()]),
               n.Strip(), n.Strip(left=True, right=False), n.Strip(left=False, right=True),
               n.Replace(" ", "▁"), n.Replace("ab", ""), n.Replace(Regex(" {2,}"), " "), n.Replace(Regex("^"), "XY"),
               n.Replace(Regex("a*"), "-"), n.Replace(Regex(r"\s+"), " "), n.Prepend("▁"), n.ByteLevel(), n.Nmt(),
               n.BertNormalizer(), n.BertNormalizer(strip_accents=True, lowercase=False),
               n.BertNormalizer(clean_text=False, handle_chinese_chars=False),
               n.Sequence([n.NFKD(), n.StripAccents(), n.Lowercase(), n.Strip()])]
    configs.append(n.Precompiled(precompiled))
    configs.append(n.Sequence([n.Precompiled(precompiled), n.Strip(left=False, right=True),
                               n.Replace(Regex(" {2,}"), "▁")]))
    return configs


def pre_tokenizer_configs():
    p = pre_tokenizers
    configs = [p.Whitespace(), p.WhitespaceSplit(), p.BertPreTokenizer(), p.Digits(individual_digits=True),
               p.Digits(individual_digits=False), p.CharDelimiterSplit("-")]
    configs += [p.Punctuation(behavior=b) for b in BEHAVIORS]
    for scheme in ("always", "first", "never"):
        for split in (True, False):
            configs.append(p.Metaspace(replacement="▁", prepend_scheme=scheme, split=split))
    for add_prefix_space in (True, False):
        for use_regex in (True, False):
            configs.append(p.ByteLevel(add_prefix_space=add_prefix_space, use_regex=use_regex))
    for behavior in BEHAVIORS:
        configs.append(p.Split("ab", behavior=behavior))
        configs.append(p.Split(" ", behavior=behavior, invert=True))
    for index, pattern in enumerate(PATTERNS):
        if index < 4:
            configs.append(p.Split(Regex(pattern), behavior="isolated"))
        configs.append(p.Split(Regex(pattern), behavior=BEHAVIORS[index % len(BEHAVIORS)], invert=index % 2 == 1))
    configs.append(p.Sequence([p.WhitespaceSplit(), p.Metaspace(prepend_scheme="first")]))
    configs.append(p.Sequence([p.Split(Regex(LLAMA3), "isolated"), p.ByteLevel(add_prefix_space=True, use_regex=False)]))
    return configs


def serialized(component, key, charsmap_base64=None):
    """The component as tokenizer.json writes it; the spm-xlmr charsmap (300 KB) is replaced
    by a reference to that fixture, which the Swift test puts back."""
    tok = Tokenizer(tokenizers.models.WordPiece({"[UNK]": 0}, unk_token="[UNK]"))
    setattr(tok, key, component)
    text = tok.to_str()
    if charsmap_base64:
        text = text.replace(charsmap_base64, CHARSMAP_REFERENCE)
    return json.loads(text)[key]


def pieces(text, normalizer, pre_tokenizer):
    pts = PreTokenizedString(text)
    if normalizer is not None:
        pts.normalize(lambda normalized: normalizer.normalize(normalized))
    (pre_tokenizer or CHARACTERS).pre_tokenize(pts)
    splits = pts.get_splits(offset_referential="original", offset_type="char")
    return {"text": text, "p": [s for s, _, _ in splits], "o": [x for _, offsets, _ in splits for x in offsets]}


def main():
    spm = json.loads((ROOT / "Tests" / "Fixtures" / "tokenizers" / "spm-xlmr" / "tokenizer.json").read_text())
    charsmap_base64 = spm["normalizer"]["normalizers"][0]["precompiled_charsmap"]
    charsmap = __import__("base64").b64decode(charsmap_base64)
    rng = random.Random(3)
    everything = test_strings(["<mask>"])
    strings = [s for s in everything[:60] + rng.sample(everything[60:], 60) if len(s) < 120][:45]
    regex_strings = strings[:30] + ["'S 'ſ KK ﬆ ß st SS", "ab\na.b\nAAB aa]xA\r\n", "aaa baab b", "hello HELLO HeLLo",
                               "  a\n\n b  \r\n  c ", "x1234567 12.5 3.", "[] [x] ][", "ab-cd_e--f"]
    components = []
    for normalizer in normalizer_configs(charsmap):
        components.append({"normalizer": serialized(normalizer, "normalizer", charsmap_base64), "pre_tokenizer": None,
                           "cases": [pieces(s, normalizer, None) for s in strings]})
    for pre_tokenizer in pre_tokenizer_configs():
        components.append({"normalizer": None, "pre_tokenizer": serialized(pre_tokenizer, "pre_tokenizer"),
                           "cases": [pieces(s, None, pre_tokenizer) for s in regex_strings]})
    OUT.write_text(json.dumps({"tokenizers_version": tokenizers.__version__, "components": components},
                              ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size // 1024} KB): {len(components)} configurations")


if __name__ == "__main__":
    main()
