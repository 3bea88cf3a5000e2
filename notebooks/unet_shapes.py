# %% [markdown]
# ### Notebook: shapes and parameters of the original U-Net
#
# This notebook traces the original U-Net of Ronneberger et al. (unpadded 3×3 convolutions, 2×2 max
# pooling, 2×2 up-convolutions, widths 64 to 1,024, one input channel, two output classes) and
# checks the figures quoted in the U-Net answer:
#
# - a 572×572 input tile gives a 388×388 segmentation map, because every unpadded 3×3 convolution
#   removes a 1-pixel border;
# - the encoder feature maps passed across the skip connections (568, 280, 136, 64) are larger than
#   the decoder maps they join (56, 104, 200, 392), so they are centre-cropped before concatenation;
# - the network has 23 convolutional layers and 31,030,658 parameters.

# %%
import numpy as np

widths = [64, 128, 256, 512, 1024]


def conv_out(n, k=3):
    """Spatial size after an unpadded (valid) k x k convolution with stride 1."""
    return n - k + 1


def conv_params(c_in, c_out, k=3):
    return c_in * c_out * k * k + c_out

# %% [markdown]
# **Shapes.** Contracting path: two 3×3 convolutions (−4 pixels), then 2×2 max pooling (÷2),
# four times; two more convolutions at the bottom. Expanding path: a 2×2 up-convolution (×2), a
# concatenation with the cropped encoder map, two 3×3 convolutions (−4), four times; then a 1×1
# convolution to the class scores.

# %%
size, skips = 572, []
for _ in range(4):
    size = conv_out(conv_out(size))
    skips.append(size)
    assert size % 2 == 0
    size //= 2
size = conv_out(conv_out(size))
bottom = size
ups = []
for skip in reversed(skips):
    size *= 2                      # 2x2 up-convolution
    ups.append(size)
    assert skip >= size            # encoder map is cropped to the decoder size
    size = conv_out(conv_out(size))
print("skip sizes", skips, "bottom", bottom, "upsampled", ups, "output", size)
assert skips == [568, 280, 136, 64] and bottom == 28
assert ups == [56, 104, 200, 392] and size == 388

# %% [markdown]
# **Parameters and layers.** Each 3×3 convolution has $9\,c_\text{in} c_\text{out} + c_\text{out}$
# parameters, each 2×2 up-convolution $4\,c_\text{in} c_\text{out} + c_\text{out}$ (halving the
# channels), and the final 1×1 convolution $64 \cdot 2 + 2$.

# %%
params, layers, c_in = 0, 0, 1
for c in widths:                                   # contracting path and bottom
    params += conv_params(c_in, c) + conv_params(c, c)
    layers += 2
    c_in = c
for c in reversed(widths[:-1]):                    # expanding path
    params += conv_params(c_in, c, k=2)            # up-convolution halves the channels
    params += conv_params(2 * c, c) + conv_params(c, c)   # after concatenation: 2c channels in
    layers += 3
    c_in = c
params += conv_params(64, 2, k=1)
layers += 1
print(f"{layers} convolutional layers, {params:,} parameters")
assert layers == 23 and params == 31_030_658
assert np.isclose(params / 1e6, 31.0, atol=0.05)
