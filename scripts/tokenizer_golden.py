"""Records what a `tokenizers.Tokenizer` makes of test strings, compactly, for the golden files.

An encoding is stored as `ids`, `offsets` (flat: start, end, start, end, ...),
`special` (indices where the special-tokens mask is 1), `types` (only when some type id
is not 0) and `mask` (only when padded). A case that Python refuses records `error`.
"""
import random


def record(encoding, padded=False):
    result = {
        "ids": encoding.ids,
        "offsets": [x for pair in encoding.offsets for x in pair],
        "special": [i for i, m in enumerate(encoding.special_tokens_mask) if m],
    }
    if any(encoding.type_ids):
        result["types"] = encoding.type_ids
    if padded:
        result["mask"] = encoding.attention_mask
    return result


def attempt(function):
    try:
        return function()
    except Exception as error:  # Python raises for impossible truncations
        return {"error": str(error)[:120]}


def truncation(tok, max_length, direction, strategy):
    tok.enable_truncation(max_length, direction=direction, strategy=strategy)
    return {"max_length": max_length, "direction": direction, "strategy": strategy}


def cases(tok, strings, string_pairs):
    tok.no_truncation()
    tok.no_padding()
    out = []
    for text in strings:
        out.append(dict(text=text, **record(tok.encode(text))))
    for text in strings[::6]:
        out.append(dict(text=text, add_special_tokens=False, **record(tok.encode(text, add_special_tokens=False))))
    for first, second in string_pairs:
        out.append(dict(text=first, pair=second, **record(tok.encode(first, second))))
    for first, second in string_pairs[:15]:
        out.append(dict(text=first, pair=second, add_special_tokens=False,
                        **record(tok.encode(first, second, add_special_tokens=False))))
    added_single = tok.post_processor.num_special_tokens_to_add(False) if tok.post_processor else 0
    added_pair = tok.post_processor.num_special_tokens_to_add(True) if tok.post_processor else 0
    longish = [t for t in strings if len(tok.encode(t).ids) > 12][:16]
    for strategy in ("longest_first", "only_first", "only_second"):
        for direction in ("right", "left"):
            for max_length in sorted({1, added_single, added_single + 1, 9, 40}):
                for text in longish:
                    params = truncation(tok, max_length, direction, strategy)
                    out.append(dict(text=text, truncation=params, **attempt(lambda: record(tok.encode(text)))))
            for max_length in sorted({1, added_pair, added_pair + 1, 7, 12, 30}):
                for first, second in string_pairs[:10]:
                    params = truncation(tok, max_length, direction, strategy)
                    out.append(dict(text=first, pair=second, truncation=params,
                                    **attempt(lambda: record(tok.encode(first, second)))))
    tok.no_truncation()
    return out


def batches(tok, strings, pad_id, pad_token):
    rng = random.Random(5)
    out = []
    for number in range(12):
        group = rng.sample(strings[:300], 5)
        direction = "left" if number % 2 else "right"
        tok.enable_truncation(24)
        if number % 3 == 0:
            tok.enable_padding(pad_id=pad_id, pad_token=pad_token, direction=direction)
            padding = {"strategy": "batch_longest", "direction": direction}
        elif number % 3 == 1:
            tok.enable_padding(pad_id=pad_id, pad_token=pad_token, direction=direction, pad_to_multiple_of=8)
            padding = {"strategy": "batch_longest", "direction": direction, "multiple_of": 8}
        else:
            tok.enable_padding(pad_id=pad_id, pad_token=pad_token, direction=direction, length=20)
            padding = {"strategy": "fixed", "length": 20, "direction": direction}
        padding.update(pad_id=pad_id, pad_token=pad_token)
        out.append({"texts": group, "max_length": 24, "padding": padding,
                    "encodings": [record(e, padded=True) for e in tok.encode_batch(group)]})
        tok.no_padding()
        tok.no_truncation()
    return out
