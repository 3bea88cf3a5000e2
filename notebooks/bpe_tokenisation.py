# %% [markdown]
# ### Notebook: byte-pair encoding on a toy corpus
#
# This notebook trains BPE merges on a five-word corpus (car ×3, cart ×1, scar ×1, cat ×6,
# cats ×2), with `</w>` marking the end of a word as in Sennrich et al. (2016), and checks the
# trace stated in the answer: the first four merges are c+a (13 occurrences), ca+t (8),
# cat+`</w>` (6) and ca+r (5); no step has a tie. Encoding applies the learned merges in order:
# the unseen word "carts" becomes `car t s </w>`. It also checks the byte-level starting point
# of GPT-2-style BPE: any string, in any script, maps to bytes 0–255 and back losslessly, and
# the same meaning costs different numbers of bytes in different scripts.

# %%
from collections import Counter


def pair_counts(words):
    counts = Counter()
    for symbols, c in words.items():
        for a, b in zip(symbols, symbols[1:]):
            counts[a, b] += c
    return counts


def merge(symbols, pair):
    out, i = [], 0
    while i < len(symbols):
        if i + 1 < len(symbols) and (symbols[i], symbols[i + 1]) == pair:
            out.append(symbols[i] + symbols[i + 1])
            i += 2
        else:
            out.append(symbols[i])
            i += 1
    return tuple(out)


def train_bpe(word_counts, num_merges):
    words = {tuple(w) + ("</w>",): c for w, c in word_counts.items()}
    merges = []
    for _ in range(num_merges):
        counts = pair_counts(words)
        (best, n), *rest = counts.most_common()
        assert not rest or rest[0][1] < n, "tie: the trace would depend on tie-breaking"
        merges.append((best, n))
        words = {merge(s, best): c for s, c in words.items()}
    return merges, words


def encode(word, merges):
    symbols = tuple(word) + ("</w>",)
    for pair, _ in merges:                  # learned order = priority order
        symbols = merge(symbols, pair)
    return symbols

# %%
corpus = {"car": 3, "cart": 1, "scar": 1, "cat": 6, "cats": 2}
merges, words = train_bpe(corpus, 4)
for (a, b), n in merges:
    print(f"merge {a!r} + {b!r}  ({n} occurrences)")
print(words)
assert merges == [(("c", "a"), 13), (("ca", "t"), 8), (("cat", "</w>"), 6), (("ca", "r"), 5)]
assert words[("cat</w>",)] == 6                   # "cat" is now a single token
assert encode("carts", merges) == ("car", "t", "s", "</w>")
assert encode("cats", merges) == ("cat", "s", "</w>")

# %% [markdown]
# **Byte-level BPE** starts from the 256 byte values instead of characters, so the base
# vocabulary covers every string and there is never an unknown token. GPT-2's vocabulary is
# 256 bytes + 50,000 merges + 1 end-of-text token = 50,257. Scripts outside ASCII need more
# bytes per character before any merge is applied.

# %%
assert 256 + 50_000 + 1 == 50_257
for text in ["cat", "chat", "Katze", "кошка", "猫", "🐈"]:
    b = text.encode("utf-8")
    assert all(0 <= x < 256 for x in b) and b.decode("utf-8") == text
    print(f"{text!r}: {len(text)} characters, {len(b)} bytes")
assert len("кошка".encode()) == 10 and len("猫".encode()) == 3 and len("🐈".encode()) == 4
