# %% [markdown]
# ### Notebook: gradient descent, momentum and adaptive optimisers
#
# This notebook implements SGD, momentum, Nesterov, AdaGrad, RMSprop and Adam from scratch and
# runs them on the ill-conditioned quadratic $f(w) = \tfrac12(w_1^2 + 100\,w_2^2)$ (condition
# number 100). It proves the learning-rate rule for gradient descent on
# $f(x) = \tfrac12 a x^2$ (it diverges exactly when $\text{lr} > 2/a$) and that Adam's bias
# correction makes its very first step move every coordinate by about $\text{lr}$.

# %%
import matplotlib.pyplot as plt
import numpy as np

plt.rcParams.update({"figure.figsize": (7, 3.5), "figure.dpi": 100,
                     "figure.facecolor": "white", "axes.facecolor": "white"})

# %% [markdown]
# **The learning-rate rule.** On $f(x) = \tfrac12 a x^2$ the gradient is $ax$, so one step gives
# $x_{t+1} = x_t - \text{lr}\cdot a x_t = (1 - \text{lr}\cdot a)\,x_t$ and $x_t = (1-\text{lr}\cdot a)^t x_0$.
# It converges iff $|1 - \text{lr}\cdot a| < 1$, i.e. $0 < \text{lr} < 2/a$:
#
# - $\text{lr} = 0.1/a$: too low, factor $0.9$ per step, slow monotone convergence;
# - $\text{lr} = 1/a$: factor $0$, the minimum is reached in exactly one step;
# - $\text{lr} = 1.9/a$: factor $-0.9$, converges while oscillating around the minimum;
# - $\text{lr} = 2.1/a$: factor $-1.1$, diverges ($|x_{50}| = 1.1^{50}|x_0| \approx 117\,|x_0|$).
#
# $0.1/a$ and $1.9/a$ shrink $|x|$ at exactly the same rate, $0.9$ per step: one from the same side,
# the other flipping sign every step.
#
# The curvature $a$ is the largest eigenvalue of the Hessian in the multi-dimensional case, so the
# steepest direction sets the largest usable learning rate.

# %%
a, x0, steps = 4.0, 1.0, 50
trajectories = {}
for factor in (0.1, 1.0, 1.9, 2.1):
    x = [x0]
    for _ in range(steps):
        x.append(x[-1] - (factor / a) * a * x[-1])  # x - lr * f'(x)
    trajectories[factor] = np.array(x)
    print(f"lr = {factor}/a: |x_50| = {abs(x[-1]):.3g}")
    assert (abs(x[-1]) < abs(x0)) == (factor < 2)  # converges iff lr < 2/a
assert trajectories[1.0][1] == 0.0                  # one step to the minimum
assert np.isclose(abs(trajectories[2.1][-1]), 1.1**50)
assert abs(trajectories[2.1][-1]) > 100
assert np.isclose(1.1**50, 117.39, atol=0.01)
assert np.allclose(np.abs(trajectories[0.1]), np.abs(trajectories[1.9]))

fig, ax = plt.subplots()
for factor, x in trajectories.items():
    ax.plot(x[:21], marker=".", label=f"lr = {factor}/a")
ax.axhline(0, color="grey", lw=0.5)
ax.set(ylim=(-2.5, 2.5), xticks=range(0, 21, 2), xlabel="step t", ylabel="x_t",
       title="Gradient descent on f(x) = a·x²/2, first 20 steps")
ax.grid(alpha=0.3)
ax.legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# **Six optimisers on an ill-conditioned quadratic.** Each update below is one line; `state` keeps
# the running averages. Conventions: momentum $v \leftarrow \mu v - \text{lr}\,g$, $w \leftarrow w + v$;
# Nesterov evaluates the gradient at the look-ahead point $w + \mu v$; AdaGrad divides by the
# square root of the *sum* of squared gradients, RMSprop by that of an exponential moving average
# ($\rho = 0.9$), Adam uses moving averages of $g$ and $g^2$ with bias correction
# ($\beta_1 = 0.9$, $\beta_2 = 0.999$, $\epsilon = 10^{-8}$).

# %%
curvature = np.array([1.0, 100.0])


def f(w):
    return 0.5 * np.sum(curvature * w**2, axis=-1)


def grad(w):
    return curvature * w


def sgd(w, g, state, t, lr):
    return w - lr * g


def momentum(w, g, state, t, lr, mu=0.9):
    state["v"] = mu * state.get("v", 0) - lr * g
    return w + state["v"]


def nesterov(w, g, state, t, lr, mu=0.9):
    v = state.get("v", 0)
    # gradient at the look-ahead point
    state["v"] = mu * v - lr * grad(w + mu * v)
    return w + state["v"]


def adagrad(w, g, state, t, lr, eps=1e-8):
    state["G"] = state.get("G", 0) + g**2
    return w - lr * g / (np.sqrt(state["G"]) + eps)


def rmsprop(w, g, state, t, lr, rho=0.9, eps=1e-8):
    state["E"] = rho * state.get("E", 0) + (1 - rho) * g**2
    return w - lr * g / (np.sqrt(state["E"]) + eps)


def adam(w, g, state, t, lr, b1=0.9, b2=0.999, eps=1e-8):
    state["m"] = b1 * state.get("m", 0) + (1 - b1) * g
    state["v"] = b2 * state.get("v", 0) + (1 - b2) * g**2
    # bias correction
    m_hat, v_hat = state["m"] / (1 - b1**t), state["v"] / (1 - b2**t)
    return w - lr * m_hat / (np.sqrt(v_hat) + eps)


def optimise(update, lr, w0=(-4.0, 0.3), steps=100):
    w, state, path = np.array(w0), {}, [np.array(w0)]
    for t in range(1, steps + 1):
        w = update(w, grad(w), state, t, lr)
        path.append(w)
    return np.array(path)


# Learning rates picked by hand; 0.012 keeps lr * 100 below Nesterov's stability limit.
runs = {
    "SGD (lr 0.012)": optimise(sgd, 0.012),
    "momentum 0.9 (lr 0.012)": optimise(momentum, 0.012),
    "Nesterov 0.9 (lr 0.012)": optimise(nesterov, 0.012),
    "AdaGrad (lr 1)": optimise(adagrad, 1.0),
    "RMSprop (lr 0.1)": optimise(rmsprop, 0.1),
    "Adam (lr 0.3)": optimise(adam, 0.3),
}
final = {name: f(path[-1]) for name, path in runs.items()}
for name, value in final.items():
    print(f"{name:24s} f after 100 steps = {value:.2e}")

# %% [markdown]
# After 100 steps plain gradient descent is still above $f = 0.5$: its learning rate is capped by
# the steep direction ($\text{lr} < 2/100$), so it crawls along the flat one. Momentum and Nesterov,
# with the *same* learning rate, accumulate speed along the flat direction and get below $10^{-3}$,
# Nesterov lower than classical momentum. The adaptive methods divide each coordinate by its own
# gradient scale, which on this axis-aligned problem removes the ill-conditioning: AdaGrad and Adam
# get below $10^{-4}$. RMSprop's steps stay about $\text{lr}$ long even next to the minimum, so with
# a fixed learning rate it ends up bouncing around it ($f$ stays above $0.05$); in practice the
# learning rate is decayed.

# %%
assert final["SGD (lr 0.012)"] > 0.5
assert final["Nesterov 0.9 (lr 0.012)"] < final["momentum 0.9 (lr 0.012)"] < 1e-3
assert final["AdaGrad (lr 1)"] < 1e-4 and final["Adam (lr 0.3)"] < 1e-4
assert final["RMSprop (lr 0.1)"] > 0.05

w1, w2 = np.meshgrid(np.linspace(-4.5, 4.5, 200), np.linspace(-0.5, 0.5, 200))
levels = np.geomspace(1e-3, 20, 12)
fig, axes = plt.subplots(1, 2, sharey=True)
for ax, names in zip(axes, (list(runs)[:3], list(runs)[3:])):
    ax.contour(w1, w2, f(np.stack([w1, w2], axis=-1)), levels=levels,
               colors="grey", linewidths=0.5)
    for name in names:
        ax.plot(*runs[name].T, marker=".", markersize=3, linewidth=1, label=name)
    ax.plot(0, 0, "k*", markersize=8)
    ax.set(xlabel="w₁ (flat direction)", xlim=(-4.5, 4.5), ylim=(-0.5, 0.5))
    ax.legend(fontsize=7, loc="upper right")
axes[0].set(ylabel="w₂ (steep direction)", title="Gradient methods")
axes[1].set(title="Adaptive methods")
fig.tight_layout()
plt.show()

# %% [markdown]
# **Adam's first step.** At $t = 1$: $m_1 = (1-\beta_1) g$ and $v_1 = (1-\beta_2) g^2$, so the
# bias-corrected $\hat m_1 = g$ and $\hat v_1 = g^2$ and the step is
# $\text{lr}\cdot g / (|g| + \epsilon) \approx \text{lr}\cdot\operatorname{sign}(g)$: every coordinate
# moves by about $\text{lr}$, whatever the size of its gradient. Without bias correction the first
# step would be $\text{lr}\cdot 0.1/\sqrt{0.001} \approx 3.16\,\text{lr}$.

# %%
lr = 1e-3
# gradients of very different sizes
g = np.array([3.0, -0.002, 250.0])
w_new = adam(np.zeros(3), g, {}, t=1, lr=lr)
print("first Adam step:", w_new)
assert np.allclose(np.abs(w_new), lr, rtol=1e-4)
b1, b2 = 0.9, 0.999
uncorrected = lr * (1 - b1) * g / np.sqrt((1 - b2) * g**2)
assert np.allclose(np.abs(uncorrected) / lr, 0.1 / np.sqrt(0.001))
assert np.isclose(0.1 / np.sqrt(0.001), 3.16, atol=0.01)
