"""Text for the tokenizer fixtures: a training corpus read from this machine, and test strings.

* `training_lines()`: English prose from the Debian documentation under /usr/share/doc
  (copyright files and changelogs), month and day names in many scripts decoded from the
  glibc locale definitions under /usr/share/i18n/locales, the project's reference
  sentences, and words drawn with a fixed seed from the character pools below (so every
  script of the test strings is seen in training). Files are read in sorted order, so the
  corpus is the same on every run on the same machine; nothing of it is committed except
  through the trained vocabularies.
* `test_strings(extra)`: the hand-written hard cases of scripts/data/tokenizer_cases.txt,
  strings generated with a fixed seed from the pools and the whole of Unicode, long texts
  and long words, combining sequences, emoji sequences, unusual whitespace, and `extra`
  (a fixture's added tokens placed inside text).
"""
import gzip
import json
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "scripts" / "data" / "tokenizer_cases.txt"
SENTENCES = ROOT / "scripts" / "data" / "reference_sentences.txt"

POOLS = {
    "ascii": "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
    "punct": "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~¡¿«»“”‘’–—…·•§¶©®™°±×÷",
    "space": " \t\n\r\u00a0\u2002\u2003\u2009\u200a\u3000\u2028\u2029\u202f\u205f\u1680\u000b\u000c\u0085",
    "latin": "àáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿĀāĂăĄąĆćČčĎďĐđĒēĘęĚěĞğİıĲĳŁłŃńŇňŐőŒœŘřŚśŞşŠšŢţŤťŮůŰűŸŹźŻżŽžǅǈǋẞßﬁﬂ",
    "greek": "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩαβγδεζηθικλμνξοπρσςτυφχψωάέήίόύώΐΰ",
    "cyrillic": "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюяЇїЄєҐґ",
    "arabic": "ابتثجحخدذرزسشصضطظعغفقكلمنهوي٠١٢٣ًٌٍَُِّْ،؛؟",
    "hebrew": "אבגדהוזחטיכלמנסעפצקרשתםןףץְִֵֶַָֹֻּ",
    "devanagari": "अआइईउऊएऐओऔकखगघङचछजझञटठडढणतथदधनपफबभमयरलवशषसह्ािीुूेैोौंः।०१२३",
    "thai": "กขคฆงจฉชซญฎฏฐฑฒณดตถทธนบปผฝพฟภมยรลวศษสหฬอฮะัาำิีึืุูเแโใไ่้๊๋",
    "cjk": "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持音跑",
    "kana": "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをんアイウエオカキクケコサシスセソタチツテトガギグゲゴパピプペポーッャュョｶﾞﾊﾟ",
    "hangul": "가나다라마바사아자차카타파하각난닫랄맘밥삿앙잦찿캌탙팦핳한국어안녕하세요ㄱㄴㄷㅏㅑㅓ각",
    "emoji": "😀😃😄😁😆😅🤣😂🙂🙃😉😊😇🥰😍🤩😘👍👎👏🙌🤝🙏💪🦾🧠🫀🫁🦷🦴👀👁👅👄💋🩸🌍🌎🌏🔥💧🌊🎉🎊🎈🏳️‍🌈🏴‍☠️👨‍👩‍👧‍👦👩🏽‍💻🧑🏿‍🚀🇫🇷🇯🇵🇺🇸1️⃣#️⃣©️™️🫠🫥🫶🥹👍🏻👍🏿",
    "marks": "\u0300\u0301\u0302\u0303\u0308\u030a\u0327\u0328\u0331\u0345\u05b4\u064b\u093c\u0e31\u20d7\u20e3\ufe0f\ufe0e\u180b\u200d",
    "invisible": "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad\u061c\u202a\u202c\u2066\u2069\u0000\u0001\u0007\u001b\u007f\u0080\u009f\ue000\uf8ff\ufffd\ufffc",
    "compat": "ﬁﬂﬀﬃ①②⑩ＡＢＣａｂｃ１２３！？（）㍿㌀℃℉™㎏㎞ⅠⅡⅢ½¼¾²³ﾊﾞｶﾞｷﾞ¨´¸ǅǈµ",
}


def _debian_docs(limit):
    texts, size = [], 0
    for path in sorted(Path("/usr/share/doc").glob("*/*")):
        if size >= limit:
            break
        try:
            if path.name == "copyright":
                text = path.read_text(encoding="utf-8", errors="ignore")
            elif path.name == "changelog.Debian.gz":
                text = gzip.decompress(path.read_bytes()).decode("utf-8", errors="ignore")[:20000]
            else:
                continue
        except OSError:
            continue
        texts.append(text)
        size += len(text)
    return [line.strip() for text in texts for line in text.splitlines() if line.strip()]


def _locale_words():
    words = []
    pattern = re.compile(r"<U([0-9A-Fa-f]{4,6})>")
    for path in sorted(Path("/usr/share/i18n/locales").glob("*")):
        try:
            text = path.read_text(encoding="utf-8", errors="ignore")
        except OSError:
            continue
        for line in text.splitlines():
            if line.split(" ")[0] in ("mon", "day", "abmon", "abday", "alt_mon", "ab_alt_mon"):
                for item in re.findall(r'"([^"]*)"', line):
                    word = pattern.sub(lambda m: chr(int(m.group(1), 16)), item)
                    if word.strip():
                        words.append(word)
    return words


def random_string(rng, length, pools):
    out = []
    for _ in range(length):
        pool = rng.choice(pools)
        if pool in ("any", "bmp"):
            top = 0x110000 if pool == "any" else 0x10000
            cp = rng.randrange(top)
            while 0xD800 <= cp <= 0xDFFF:
                cp = rng.randrange(top)
            out.append(chr(cp))
        else:
            out.append(rng.choice(POOLS[pool]))
    return "".join(out)


def words_string(rng, count):
    words = []
    for _ in range(count):
        pool = rng.choice(["ascii"] * 6 + ["latin", "greek", "cyrillic", "cjk", "emoji", "punct", "kana", "hangul",
                                           "arabic", "devanagari", "thai", "hebrew", "compat"])
        words.append(random_string(rng, rng.randint(1, 12), [pool, "ascii"] if pool != "ascii" else ["ascii"]))
    return rng.choice([" ", " ", " ", "\t", "  ", "\n"]).join(words)


def training_lines(limit=2_500_000):
    rng = random.Random(7)
    lines = _debian_docs(limit)
    words = _locale_words()
    lines += [" ".join(words[i:i + 12]) for i in range(0, len(words), 12)]
    lines += SENTENCES.read_text(encoding="utf-8").splitlines()
    lines += [words_string(rng, rng.randint(3, 15)) for _ in range(4000)]
    return lines


def test_strings(extra=()):
    cases = [json.loads(line) for line in CASES.read_text(encoding="utf-8").splitlines() if line.strip()]
    rng = random.Random(20261201)
    names = list(POOLS)
    generated = []
    for _ in range(110):
        generated.append(words_string(rng, rng.randint(1, 40)))
    for _ in range(70):
        generated.append(random_string(rng, rng.randint(1, 60), rng.sample(names, rng.randint(1, 4))))
    for _ in range(50):
        generated.append(random_string(rng, rng.randint(1, 50), ["any", "bmp", "bmp", "space", "ascii"]))
    for _ in range(30):  # combining sequences and compatibility characters (normalizers)
        generated.append(random_string(rng, rng.randint(2, 30), ["marks", "latin", "ascii", "compat", "hangul", "space"]))
    for _ in range(3):
        generated.append(words_string(rng, rng.randint(300, 500)))
    generated += ["x" * 100, "y" * 101, "é" * 101, "a" * 600, "🙂" * 50, "ab" * 300 + "!",
                  "  leading and trailing  ", "multiple     spaces   inside", "\u3000ideographic\u3000space",
                  "line\u2028separator\u2029paragraph", "no\u00a0break\u202fspace", "tab\tand\nnewline\r\n",
                  "'s 't 're 've 'm 'll 'd", "I'M YOU'RE he'S", "   ", "", "a", " a", "a ", "'", "''s"]
    for token in extra:
        generated += [f"{token}", f"a {token} b", f"a{token}b", f"  {token}  ", f"{token}{token} x",
                      f"x {token}. {token}!", f"Hello{token} world {token}"]
    return cases + generated


def pairs(strings, count=60):
    rng = random.Random(99)
    short = [s for s in strings if 0 < len(s) < 200]
    return [(rng.choice(short), rng.choice(short)) for _ in range(count)]
