#!/usr/bin/env python3
"""Generates the character data of the non-BERT tokenizer components:

* Sources/EmbedTokenizers/Unicode/UnicodeProperties+Generated.swift
* Sources/EmbedTokenizers/Unicode/NormalizationTables+Generated.swift

Hugging Face `tokenizers` classifies characters with several Unicode tables of different
versions: Oniguruma's (regular expressions in `Split`, `Replace`, the `ByteLevel` and
`Whitespace` pre-tokenizers), Rust's standard library (`char::is_whitespace`,
`char::is_numeric`), the `regex` crate (`\\w` for `single_word` added tokens), the
`unicode_categories` crate (the `Punctuation` pre-tokenizer) and the `unicode-normalization`
crate (NFC/NFD/NFKC/NFKD, `StripAccents`). None of them is necessarily the Unicode version
of Swift's own tables, so, as `gen_unicode_tables.py` does for BERT, this script asks the
library itself, over every code point, and writes down what it does:

* the general category of every code point as Oniguruma sees it (`\\p{Lu}`, `\\p{Ll}`, ...),
  and Oniguruma's `\\s`, `\\d`, `\\w` (which, inside brackets, leaves out six Latin-1
  characters that it matches outside them);
* which characters `(?i:x)` matches for each ASCII letter, and the characters whose full
  case folding is an ASCII string (`ß` matches `(?i:ss)`);
* Rust's `char::is_whitespace` (WhitespaceSplit), the `regex` crate's `\\w` and `\\s`
  (single_word, lstrip and rstrip of added tokens), the Punctuation pre-tokenizer's and the
  Digits pre-tokenizer's character tests, StripAccents' combining marks;
* full canonical and compatibility decompositions (NFD / NFKD of each character alone),
  canonical combining classes (found by how NFD reorders marks against reference marks)
  and the canonical compositions NFC performs.

Run with the project's Python environment: `.cache/venv/bin/python scripts/gen_unicode_properties.py`
(about three minutes). The outputs are committed.
"""
import sys
import unicodedata
from pathlib import Path

import tokenizers
from tokenizers import AddedToken, Regex, Tokenizer, models, normalizers, pre_tokenizers

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "Sources" / "EmbedTokenizers" / "Unicode"
PROPERTIES = OUT_DIR / "UnicodeProperties+Generated.swift"
NORMALIZATION = OUT_DIR / "NormalizationTables+Generated.swift"

CATEGORIES = ["Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "No", "Pc", "Pd", "Ps", "Pe",
              "Pi", "Pf", "Po", "Sm", "Sc", "Sk", "So", "Zs", "Zl", "Zp", "Cc", "Cf", "Co", "Cn"]
HANGUL_FIRST, HANGUL_LAST = 0xAC00, 0xD7A3
ALL = [cp for cp in range(0x110000) if not 0xD800 <= cp <= 0xDFFF]
CHUNK = 0x10000


def matched_by(pattern):
    """Code points the Oniguruma `pattern` matches, one character at a time."""
    split = pre_tokenizers.Split(Regex(pattern), "removed")
    result = []
    for start in range(0, len(ALL), CHUNK):
        cps = ALL[start:start + CHUNK]
        kept = bytearray(len(cps))
        for _, (a, b) in split.pre_tokenize_str("".join(map(chr, cps))):
            kept[a:b] = b"\x01" * (b - a)
        result.extend(cp for cp, k in zip(cps, kept) if not k)
    return result


def removed_by(pre_tokenizer, cps=ALL):
    """Code points a pre-tokenizer drops when they stand alone between two letters."""
    result = []
    for start in range(0, len(cps), CHUNK):
        chunk = cps[start:start + CHUNK]
        text = "".join(chr(cp) for cp in chunk)
        kept = bytearray(len(chunk))
        for _, (a, b) in pre_tokenizer.pre_tokenize_str(text):
            kept[a:b] = b"\x01" * (b - a)
        result.extend(cp for cp, k in zip(chunk, kept) if not k)
    return result


def ranges(cps):
    result = []
    for cp in sorted(cps):
        if result and result[-1][1] == cp - 1:
            result[-1][1] = cp
        else:
            result.append([cp, cp])
    return result


def range_table(name, doc, cps):
    flat = ", ".join(f"0x{a:X}, 0x{b:X}" for a, b in ranges(cps))
    return (f"    /// {doc}\n    /// Pairs of (first, last) code points, sorted.\n"
            f"    static let {name}: [UInt32] = [{flat}]\n")


def probe_categories():
    category = {}
    for index, name in enumerate(CATEGORIES):
        for cp in matched_by(rf"\p{{{name}}}"):
            if cp in category:
                sys.exit(f"U+{cp:04X} is in both {CATEGORIES[category[cp]]} and {name}")
            category[cp] = index
    missing = [cp for cp in ALL if cp not in category]
    if missing:
        sys.exit(f"{len(missing)} code points in no general category, e.g. U+{missing[0]:04X}")
    for group in "LMNPSZC":
        union = {cp for cp, c in category.items() if CATEGORIES[c].startswith(group)}
        if union != set(matched_by(rf"\p{{{group}}}")):
            sys.exit(f"\\p{{{group}}} is not the union of its categories")
    runs, last = [], None
    for cp in ALL:
        if category[cp] != last:
            runs.append((cp, category[cp]))
            last = category[cp]
    return runs


def probe_case_folding():
    orbits = {}
    for letter in "abcdefghijklmnopqrstuvwxyz":
        orbits[letter] = matched_by(f"(?i:{letter})")
    for mark in "'":
        if matched_by(f"(?i:{mark})") != [ord(mark)]:
            sys.exit(f"(?i:{mark}) matches more than itself")
    multi = []
    for cp in ALL:
        folded = chr(cp).casefold()
        if len(folded) > 1 and folded.isascii() and folded.isalpha():
            found = pre_tokenizers.Split(Regex(f"(?i:{folded})"), "removed").pre_tokenize_str(chr(cp))
            if not found:
                multi.append((cp, folded.lower()))
    return orbits, multi


def probe_single_word_and_strip():
    """The regex crate's \\w (single_word) and \\s (lstrip), through added tokens."""
    tok = Tokenizer(models.WordPiece({"[UNK]": 0, "x": 1}, unk_token="[UNK]"))
    tok.add_tokens([AddedToken("x", single_word=True)])
    word = []
    for start in range(0, len(ALL), CHUNK):
        chunk = ALL[start:start + CHUNK]
        encodings = tok.encode_batch(["x" + chr(cp) for cp in chunk], add_special_tokens=False)
        # "x" itself (a word character) cannot be probed against the token "x".
        word.extend(cp for cp, e in zip(chunk, encodings) if cp == ord("x") or e.ids[0] != 1)
    tok = Tokenizer(models.WordPiece({"[UNK]": 0, "x": 1}, unk_token="[UNK]"))
    tok.add_tokens([AddedToken("x", lstrip=True)])
    space = []
    for start in range(0, len(ALL), CHUNK):
        chunk = ALL[start:start + CHUNK]
        encodings = tok.encode_batch([chr(cp) + "x" for cp in chunk], add_special_tokens=False)
        space.extend(cp for cp, e in zip(chunk, encodings) if e.ids[-1] == 1 and e.offsets[-1] == (0, 2))
    return word, space


def probe_digits():
    """char::is_numeric as the Digits pre-tokenizer uses it: isolated between 'a's."""
    digits = []
    pre = pre_tokenizers.Digits(individual_digits=True)
    for start in range(0, len(ALL), CHUNK):
        chunk = [cp for cp in ALL[start:start + CHUNK] if cp != ord("a")]
        text = "".join("a" + chr(cp) for cp in chunk) + "a"
        for piece, (a, b) in pre.pre_tokenize_str(text):
            if b - a == 1 and piece != "a":
                digits.append(ord(piece))
    return digits


def probe_combining_marks():
    removed = []
    strip = normalizers.StripAccents()
    for start in range(0, len(ALL), CHUNK):
        chunk = [cp for cp in ALL[start:start + CHUNK] if cp != ord("a")]
        out = strip.normalize_str("".join("a" + chr(cp) for cp in chunk))
        # Every 'a' survives; what follows each 'a' is its character or nothing.
        pieces = out.split("a")[1:]
        if len(pieces) != len(chunk):
            sys.exit("StripAccents probe misaligned")
        removed.extend(cp for cp, piece in zip(chunk, pieces) if piece == "")
    return removed


def decompositions(normalizer):
    """Full decomposition of every code point alone (only where it changes)."""
    table = {}
    separator = "\x00"
    for start in range(0, len(ALL), CHUNK):
        chunk = [cp for cp in ALL[start:start + CHUNK] if cp != 0]
        out = normalizer.normalize_str(separator.join(chr(cp) for cp in chunk)).split(separator)
        if len(out) != len(chunk):
            sys.exit("decomposition probe misaligned")
        for cp, mapped in zip(chunk, out):
            if mapped != chr(cp) and not HANGUL_FIRST <= cp <= HANGUL_LAST:
                table[cp] = [ord(c) for c in mapped]
    return table


def probe_combining_classes():
    nfd = normalizers.NFD()
    # Characters with a non-zero class move before U+0345 (class 240) or after U+0334 (class 1).
    candidates = []
    for cp in ALL:
        c = chr(cp)
        if nfd.normalize_str("a\u0345" + c) == "a" + c + "\u0345" or \
                nfd.normalize_str("a" + c + "\u0334") == "a\u0334" + c:
            candidates.append(cp)
    candidates.append(0x0345)
    candidates.append(0x0334)
    # Reference marks, one per class value, among the marks the library knows.
    known = set(candidates)
    refs = {}
    for cp in sorted(known):
        value = unicodedata.combining(chr(cp))
        if value and value not in refs and nfd.normalize_str("a" + chr(cp)) == "a" + chr(cp):
            refs[value] = cp
    classes = {}
    for cp in sorted(set(candidates)):
        c = chr(cp)
        below = [v for v, ref in refs.items()  # class(cp) >= v
                 if ref == cp or nfd.normalize_str("a" + chr(ref) + c) != "a" + c + chr(ref)]
        value = max(below)
        ref = chr(refs[value])
        if ref != c and nfd.normalize_str("a" + c + ref) == "a" + ref + c:
            sys.exit(f"U+{cp:04X} has a combining class between the reference values")
        classes[cp] = value
    return classes


def probe_compositions(canonical):
    nfc = normalizers.NFC()
    pairs = []
    for cp, full in canonical.items():
        if len(full) < 2:
            continue
        first = nfc.normalize_str("".join(map(chr, full[:-1])))
        if len(first) != 1:
            continue
        if nfc.normalize_str(first + chr(full[-1])) == chr(cp):
            pairs.append((ord(first), full[-1], cp))
    return sorted(pairs)


def mapping_table(name, doc, table):
    rows, pool = [], []
    for cp in sorted(table):
        rows.append(f"0x{cp:X}, {len(pool)}, {len(table[cp])}")
        pool.extend(table[cp])
    return (f"    /// {doc}\n    /// Rows of (code point, start in the pool, count), sorted.\n"
            f"    static let {name}Rows: [UInt32] = [{', '.join(rows)}]\n"
            f"    /// The code points the rows of `{name}Rows` point into.\n"
            f"    static let {name}Pool: [UInt32] = [{', '.join(f'0x{x:X}' for x in pool)}]\n")


def main():
    version = tokenizers.__version__
    print("general categories ...", flush=True)
    runs = probe_categories()
    print("classes and case folding ...", flush=True)
    onig_space, onig_digit, onig_word = matched_by(r"\s"), matched_by(r"\d"), matched_by(r"\w")
    # Inside brackets Oniguruma's \w leaves out a few Latin-1 characters (² ³ ¹ ¼ ½ ¾).
    onig_class_word = matched_by(r"[\w]")
    for other in ("s", "d", "p{L}", "p{N}"):
        if matched_by(f"\\{other}") != matched_by(f"[\\{other}]"):
            sys.exit(f"\\{other} differs inside brackets: extend the tables")
    if matched_by(r"\h") != [cp for cp in range(0x80) if chr(cp) in "0123456789abcdefABCDEF"]:
        sys.exit("\\h is not the ASCII hex digits")
    if set(ALL) - set(matched_by(".")) != {0x0A}:
        sys.exit("'.' matches something other than everything but \\n")
    orbits, multi = probe_case_folding()
    print("Rust and regex-crate classes ...", flush=True)
    rust_space = removed_by(pre_tokenizers.WhitespaceSplit())
    punctuation = removed_by(pre_tokenizers.Punctuation(behavior="removed"))
    word, strip_space = probe_single_word_and_strip()
    if set(strip_space) != set(rust_space):
        sys.exit("the regex crate's \\s differs from char::is_whitespace")
    digits = probe_digits()
    marks = probe_combining_marks()

    fold_rows = []
    for letter, cps in orbits.items():
        fold_rows.append(f"0x{ord(letter):X}, {len(cps)}, " + ", ".join(f"0x{cp:X}" for cp in cps))
    flat_runs = ", ".join(f"0x{cp:X}, {c}" for cp, c in runs)
    names = ", ".join(f'"{c}"' for c in CATEGORIES)
    folds = ", ".join(f'(0x{cp:X}, "{s}")' for cp, s in multi)
    tables = "\n".join([
        range_table("onigSpace", "Oniguruma's `\\s`.", onig_space),
        range_table("onigDigit", "Oniguruma's `\\d`.", onig_digit),
        range_table("onigWord", "Oniguruma's `\\w`.", onig_word),
        range_table("onigClassWord", "Oniguruma's `\\w` inside brackets (`[\\w]`).", onig_class_word),
        range_table("rustWhitespace", "Rust's `char::is_whitespace` (also the `regex` crate's `\\s`).", rust_space),
        range_table("regexWord", "The `regex` crate's `\\w` (single_word added tokens).", word),
        range_table("punctuation", "What the Punctuation pre-tokenizer splits on.", punctuation),
        range_table("numeric", "Rust's `char::is_numeric` (the Digits pre-tokenizer).", digits),
        range_table("combiningMarks", "What the StripAccents normalizer removes.", marks),
    ])
    text = f"""// Generated by scripts/gen_unicode_properties.py from Hugging Face tokenizers {version}.
// Do not edit: rerun the script.

extension UnicodeProperties {{
    /// The general categories, in the order of their indices in `categoryRuns`.
    static let categoryNames: [String] = [{names}]

    /// Oniguruma's general category of every code point: runs of (first code point,
    /// category index), sorted; a run lasts until the next one starts.
    static let categoryRuns: [UInt32] = [{flat_runs}]

    /// What `(?i:x)` matches for each ASCII letter: rows of (letter, count, code points...).
    static let caseFoldOrbits: [UInt32] = [{", ".join(fold_rows)}]

    /// Characters whose case folding is several ASCII letters, which `(?i)` matches against
    /// those letters: (code point, folded letters).
    static let multiCharacterFolds: [(UInt32, String)] = [{folds}]

{tables}}}
"""
    PROPERTIES.write_text(text)
    print(f"wrote {PROPERTIES.relative_to(ROOT)}: {len(runs)} category runs, {len(multi)} multi-character folds")

    print("normalization ...", flush=True)
    canonical = decompositions(normalizers.NFD())
    compatibility = decompositions(normalizers.NFKD())
    classes = probe_combining_classes()
    compositions = probe_compositions(canonical)
    class_rows = []
    for cp in sorted(classes):
        if class_rows and class_rows[-1][1] == cp - 1 and class_rows[-1][2] == classes[cp]:
            class_rows[-1][1] = cp
        else:
            class_rows.append([cp, cp, classes[cp]])
    text = f"""// Generated by scripts/gen_unicode_properties.py from Hugging Face tokenizers {version}.
// Do not edit: rerun the script.

extension NormalizationTables {{
{mapping_table("canonical", "Full canonical decompositions (NFD of one character), Hangul syllables excepted.", canonical)}
{mapping_table("compatibility", "Full compatibility decompositions (NFKD of one character), Hangul syllables excepted.", compatibility)}
    /// Canonical combining classes: rows of (first, last, class), sorted.
    static let combiningClassRows: [UInt32] = [{", ".join(f"0x{a:X}, 0x{b:X}, {v}" for a, b, v in class_rows)}]

    /// Canonical compositions NFC performs: rows of (first, second, composite), sorted,
    /// Hangul syllables excepted.
    static let compositionRows: [UInt32] = [{", ".join(f"0x{a:X}, 0x{b:X}, 0x{c:X}" for a, b, c in compositions)}]
}}
"""
    NORMALIZATION.write_text(text)
    print(f"wrote {NORMALIZATION.relative_to(ROOT)}: {len(canonical)} canonical and {len(compatibility)} "
          f"compatibility decompositions, {len(classes)} combining classes, {len(compositions)} compositions "
          f"(tokenizers {version})")


if __name__ == "__main__":
    main()
