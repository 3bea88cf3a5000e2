# %% [markdown]
# ### Notebook: how many tokens an image costs a vision-language model
#
# A ViT-style encoder turns an image into one token per patch, so the count is
# $(H/P)\times(W/P)$ before any merging. This notebook proves the figures of the image-token
# answer:
#
# - a 336 px image with 14 px patches gives 24 × 24 = 576 tokens (LLaVA-1.5); 224 px with
#   16 px patches gives 196;
# - tiling a 672 × 672 image into four 336 px crops plus a downsized overview (LLaVA-NeXT's
#   AnyRes) costs 5 × 576 = 2,880 tokens, five times the single-crop count;
# - InternVL-style tiles of 448 px give 32 × 32 = 1,024 patches, and a pixel shuffle with
#   factor 0.5 (2 × 2 neighbouring patches stacked into the channel dimension) turns them into
#   256 tokens of 4× the width, keeping every value; a 1,344 × 896 page as 3 × 2 tiles plus a
#   thumbnail is 7 × 256 = 1,792 tokens (7,168 without the shuffle);
# - Qwen2-VL-style 2 × 2 merging of 14 px patches gives 64 tokens for a 224 × 224 image
#   (66 with its start and end markers);
# - early fusion with a VQ tokenizer (Chameleon) spends 1,024 discrete tokens on a 512 × 512
#   image (a 16× downsampling, a 32 × 32 grid);
# - prefill cost grows with the token count: the visual tokens of a 20-image conversation at
#   2,880 each are 57,600 tokens, and attention over them grows quadratically.

# %%
import matplotlib.pyplot as plt
import numpy as np

plt.rcParams.update({"figure.figsize": (7, 3.2), "figure.dpi": 100,
                     "figure.facecolor": "white", "axes.facecolor": "white"})
rng = np.random.default_rng(0)


def patch_tokens(h, w, patch):
    assert h % patch == 0 and w % patch == 0, "encoders resize or pad to a multiple of the patch"
    return (h // patch) * (w // patch)


def patchify(img, patch):
    """(H, W, C) image -> (H/P * W/P, P*P*C) rows, one per patch (row-major over the grid)."""
    h, w, c = img.shape
    x = img.reshape(h // patch, patch, w // patch, patch, c).transpose(0, 2, 1, 3, 4)
    return x.reshape(-1, patch * patch * c)


assert patch_tokens(336, 336, 14) == 576 and patch_tokens(224, 224, 16) == 196
img = rng.random((336, 336, 3), dtype=np.float32)
assert patchify(img, 14).shape == (576, 14 * 14 * 3)

# %% [markdown]
# **Tiling (AnyRes).** The encoder only sees its native resolution, so a large image is cut into
# crops of that size and each crop is encoded separately; a downsized copy of the whole image
# adds global context. The cost grows with the number of crops.

# %%
def tiled_tokens(h, w, tile, per_tile, thumbnail=True):
    tiles = -(-h // tile) * -(-w // tile)             # ceil on each side
    return (tiles + thumbnail) * per_tile, tiles


llava_next, tiles = tiled_tokens(672, 672, 336, 576)
print(f"672x672 as {tiles} crops of 336 px + overview: {llava_next} tokens")
assert (llava_next, tiles) == (2880, 4) and llava_next == 5 * 576

# %% [markdown]
# **Pixel shuffle.** Reshape the 32 × 32 grid of $C$-dimensional patch features into a 16 × 16
# grid of $4C$-dimensional tokens: the information is all kept (it is a permutation), the LLM
# sees 4× fewer, wider tokens, and an MLP projector maps them to the LLM's width.

# %%
def pixel_shuffle(feats, grid, factor=2):
    """(grid*grid, C) patch features -> ((grid/f)^2, C*f*f) tokens: each f x f block is one token."""
    c = feats.shape[1]
    x = feats.reshape(grid // factor, factor, grid // factor, factor, c).transpose(0, 2, 1, 3, 4)
    return x.reshape((grid // factor) ** 2, factor * factor * c)


C = 8                                                   # a small feature width for the check
feats = rng.normal(size=(patch_tokens(448, 448, 14), C))
shuffled = pixel_shuffle(feats, grid=32)
print(f"448 px tile: {feats.shape[0]} patches -> {shuffled.shape[0]} tokens of width {shuffled.shape[1]}")
assert feats.shape[0] == 1024 and shuffled.shape == (256, 4 * C)
assert np.array_equal(np.sort(shuffled.ravel()), np.sort(feats.ravel()))   # nothing lost
# the first token holds patches (0,0), (0,1), (1,0), (1,1) of the grid
assert np.array_equal(shuffled[0], np.concatenate([feats[0], feats[1], feats[32], feats[33]]))

page, page_tiles = tiled_tokens(896, 1344, 448, 256)
print(f"1344 x 896 page: {page_tiles} tiles + thumbnail = {page} tokens "
      f"({(page_tiles + 1) * 1024} without the shuffle)")
assert (page, page_tiles) == (1792, 6) and (page_tiles + 1) * 1024 == 7168

# Qwen2-VL-style: 14 px patches, then 2x2 neighbours merged by an MLP
qwen = patch_tokens(224, 224, 14) // 4
assert qwen == 64 and qwen + 2 == 66

# %% [markdown]
# **Early fusion with discrete image tokens.** A VQ image tokenizer with 16× downsampling
# turns a 512 × 512 image into a 32 × 32 grid of codebook indices, 1,024 tokens that the LLM
# reads (and can generate) like words.

# %%
chameleon = (512 // 16) ** 2
assert chameleon == 1024

# %% [markdown]
# **What it costs downstream.** Visual tokens are prompt tokens: they are prefilled, held in
# the KV cache and attended to by every later token.

# %%
conversation = 20 * llava_next
print(f"20 images at {llava_next} tokens: {conversation:,} prompt tokens")
assert conversation == 57_600

schemes = {"ViT-B/16 224 px": 196, "LLaVA-1.5 336 px": 576, "Qwen2-VL-style 224 px": 64,
           "Chameleon 512 px": 1024, "AnyRes 672 px (4+1 crops)": 2880,
           "448-px tiles, 3x2 + thumb, shuffled": 1792, "same, no shuffle": 7168}
fig, ax = plt.subplots()
ax.barh(list(schemes), list(schemes.values()), color="tab:blue")
ax.set(xlabel="tokens per image", title="Visual tokens per image under different schemes")
ax.invert_yaxis()
fig.tight_layout()
plt.show()
