r"""A two-layer ReLU student learning a ReLU teacher, with the exact population loss.

The setting of :cite:t:`safran2018`: inputs :math:`x \sim N(0, I_d)`, a student
:math:`x \mapsto \sum_{i=1}^n \mathrm{relu}(w_i \cdot x)` with output weights fixed to 1 and rows ``W[i] = w_i``
of shape ``(n, d)``, and a teacher of the same form with ``k`` rows :math:`v_j`. The population loss

.. math::

    F(W) = \tfrac12 E_x\Big[\Big(\sum_i \mathrm{relu}(w_i \cdot x) - \sum_j \mathrm{relu}(v_j \cdot x)\Big)^2\Big]

needs no data: with the arc-cosine kernel, :math:`\theta` the angle between :math:`w` and :math:`v`,

.. math::

    f(w, v) = E[\mathrm{relu}(w \cdot x)\,\mathrm{relu}(v \cdot x)]
            = \frac{|w|\,|v|}{2\pi}\big(\sin\theta + (\pi - \theta)\cos\theta\big),

it is :math:`F = \tfrac12 \sum_{i,i'} f(w_i, w_{i'}) - \sum_{i,j} f(w_i, v_j) + \tfrac12 \sum_{j,j'} f(v_j, v_{j'})`,
with gradient :math:`\nabla_{w_i} F = \sum_{i'} g(w_i, w_{i'}) - \sum_j g(w_i, v_j)`, where
:math:`g(w, v) = \frac{1}{2\pi}\big(|v| \sin\theta\, \bar w + (\pi - \theta) v\big)` and :math:`\bar w = w / |w|`.
The loss is twice continuously differentiable wherever no student row is zero, also where a student row is parallel
to a teacher row, so a global minimum (the rows of ``W`` a permutation of the teacher's) has a well-defined Hessian
(:func:`population_hessian`). Every function broadcasts over leading batch axes of ``W``: many runs in one call.
"""

from __future__ import annotations

import numpy as np

from . import _checks, _fast

_EPS = 1e-12


def orthonormal_teacher(k: int, d: int | None = None) -> np.ndarray:
    """Return the teacher of :cite:t:`safran2018`: the first ``k`` unit vectors of ``R^d`` (``d = k`` by default).

    Examples
    --------
    >>> orthonormal_teacher(2, 3)
    array([[1., 0., 0.],
           [0., 1., 0.]])
    """
    k = _checks.check_int(k, "k", minimum=1)
    d = k if d is None else _checks.check_int(d, "d", minimum=1)
    if d < k:
        raise ValueError(f"d must be >= k = {k} to hold {k} orthonormal vectors; got {d}")
    return np.eye(k, d)


def _check(W, V, *, hessian: bool = False):
    """Validate students ``W`` (..., n, d) without a zero row and a teacher ``V`` (k, d); with ``hessian``, its size."""
    W = _checks.as_float_array(W, "W", ndim_min=2)
    V = _checks.as_float_array(V, "V")
    if V.ndim != 2:
        raise ValueError(f"V must have shape (k, d); got shape {V.shape}")
    if W.shape[-1] != V.shape[-1]:
        raise ValueError(f"W must have shape (..., n, {V.shape[-1]}) to match V of shape {V.shape}; got {W.shape}")
    if 0 in W.shape or 0 in V.shape:
        raise ValueError(
            f"W and V must hold at least one row of at least one entry; got shapes {W.shape} and {V.shape}"
        )
    if np.any(np.einsum("...ij,...ij->...i", W, W) < _EPS**2):  # squared norms: no square roots
        raise ValueError("W must not contain a zero row: the loss is not differentiable there")
    if hessian:
        _checks.check_hessian_size(W.shape[-2] * W.shape[-1], "W")
    return W, V


def _pair_terms(A, B):
    """Return the norms, angle and unit vectors of all pairs of rows of ``A`` (..., n, d) and ``B`` (..., m, d)."""
    na = np.linalg.norm(A, axis=-1)[..., :, None]
    nb = np.linalg.norm(B, axis=-1)[..., None, :]
    ua = A / np.maximum(na[..., 0], _EPS)[..., None]
    ub = B / np.maximum(nb[..., 0, :], _EPS)[..., None]
    cos = np.clip(ua @ np.swapaxes(ub, -1, -2), -1.0, 1.0)
    theta = np.arccos(cos)
    # sin(arccos(c)) without numpy's slow sin: the same value, to within rounding.
    sin = np.sqrt((1.0 - cos) * (1.0 + cos))
    return na, nb, ua, ub, cos, theta, sin


def _kernel(A, B):
    """Return the arc-cosine kernel ``f(a_i, b_j)`` of every pair of rows: shape (..., n, m)."""
    na, nb, _, _, cos, theta, sin = _pair_terms(A, B)
    return na * nb / (2 * np.pi) * (sin + (np.pi - theta) * cos)


@_checks.overflow_raises
def population_loss(W, V):
    """Return the exact population loss of students ``W`` of shape ``(..., n, d)`` against the teacher ``V``.

    Returns a float, or an array of the batch shape of ``W``.

    Examples
    --------
    A Monte Carlo estimate agrees with the closed form:

    >>> V, W = orthonormal_teacher(3), np.random.default_rng(0).normal(size=(3, 3))
    >>> x = np.random.default_rng(1).normal(size=(400_000, 3))
    >>> mc = 0.5 * np.mean((np.maximum(x @ W.T, 0).sum(1) - np.maximum(x @ V.T, 0).sum(1)) ** 2)
    >>> bool(abs(mc - population_loss(W, V)) < 0.01 * population_loss(W, V)), population_loss(V[::-1], V)
    (True, 0.0)
    """
    W, V = _check(W, V)
    # F = 1/2 sum_ii' f(w_i, w_i') - sum_ij f(w_i, v_j) + 1/2 sum_jj' f(v_j, v_j'), never below 0 by rounding.
    value = 0.5 * _kernel(W, W).sum((-1, -2)) - _kernel(W, V).sum((-1, -2)) + 0.5 * _kernel(V, V).sum()
    return _checks.scalar_or_array(_checks.check_finite_result(np.maximum(value, 0.0), "W and V"))


@_checks.overflow_raises
def population_loss_and_gradient(W, V):
    """Return the exact population loss and its gradient with respect to ``W``, of shape ``(..., n, d)``.

    Many students are evaluated together in one fast kernel, ``mlp_symmetry._fast.population_loss_and_gradient``.
    ``W`` and ``V`` are as for :func:`population_loss`.

    Examples
    --------
    >>> V = orthonormal_teacher(2)
    >>> value, grad = population_loss_and_gradient(V, V)
    >>> value, bool(np.allclose(grad, 0))
    (0.0, True)
    """
    W, V = _check(W, V)
    value, grad = (_checks.check_finite_result(a, "W and V") for a in _loss_and_gradient(W, V))
    return _checks.scalar_or_array(value), grad


def _loss_and_gradient(W, V):
    """Return the loss and gradient of many checked students at once, from the fast kernel."""
    return _fast.population_loss_and_gradient(W, V, teacher=0.5 * _kernel(V, V).sum())


def _dg(A, B):
    """Jacobians of ``g(a_i, b_j)`` in ``a_i`` and ``b_j``: two arrays (..., n, m, d, d)."""
    na, nb, ua, ub, cos, theta, sin = _pair_terms(A, B)
    d = A.shape[-1]
    eye = np.eye(d)
    ua_, ub_ = ua[..., :, None, :], ub[..., None, :, :]
    safe = np.maximum(sin, _EPS)[..., None]
    # Unit vectors in the plane of the pair, orthogonal to one and pointing to the other (0 when parallel).
    small = (sin < 1e-8)[..., None]
    n_a = np.where(small, 0.0, (ub_ - cos[..., None] * ua_) / safe)
    n_b = np.where(small, 0.0, (ua_ - cos[..., None] * ub_) / safe)
    proj = eye - np.einsum("...i,...j->...ij", ua_, ua_) + np.einsum("...i,...j->...ij", n_a, n_a)
    d_a = (nb * sin / np.maximum(na, _EPS))[..., None, None] * proj / (2 * np.pi)
    d_b = (
        sin[..., None, None] * np.einsum("...i,...j->...ij", ua_ * np.ones_like(ub_), ub_)
        - cos[..., None, None] * np.einsum("...i,...j->...ij", ua_ * np.ones_like(n_b), n_b)
        + (np.pi - theta)[..., None, None] * eye
        + np.einsum("...i,...j->...ij", ub_ * np.ones_like(n_b), n_b)
    ) / (2 * np.pi)
    return d_a, d_b


@_checks.overflow_raises
def population_hessian(W, V):
    r"""Return the exact Hessian of the population loss with respect to the flattened ``W``.

    The derivatives of ``g(w, v)`` are, with :math:`\bar w`, :math:`\bar v` the unit vectors and
    :math:`n_w = (\bar v - \cos\theta\, \bar w)/\sin\theta`, :math:`n_v = (\bar w - \cos\theta\, \bar v)/\sin\theta`:

    * :math:`\partial g / \partial w = \frac{|v| \sin\theta}{2\pi |w|}(I - \bar w \bar w^T + n_w n_w^T)`,
    * :math:`\partial g / \partial v = \frac{1}{2\pi}(\sin\theta\, \bar w \bar v^T
      - \cos\theta\, \bar w n_v^T + (\pi - \theta) I + \bar v n_v^T)`,

    and the diagonal term :math:`g(w_i, w_i) = w_i / 2` contributes :math:`I / 2`. ``W`` and ``V`` are as for
    :func:`population_loss`, with ``n * d`` at most 10,000.

    Returns
    -------
    ndarray of shape (..., n * d, n * d)
        In the row-major order of ``W.reshape(..., n * d)``.

    Examples
    --------
    At the global minimum the Hessian is positive definite:

    >>> V = orthonormal_teacher(3)
    >>> bool(np.linalg.eigvalsh(population_hessian(V, V))[0] > 0)
    True
    """
    W, V = _check(W, V, hessian=True)
    return _checks.check_finite_result(_hessian(W, V), "W and V")


def _hessian(W, V):
    """Return the Hessian of :func:`population_hessian` for checked ``W`` and ``V``."""
    n, d = W.shape[-2:]
    a_ww, b_ww = _dg(W, W)
    a_wv, _ = _dg(W, V)
    off = np.eye(n, dtype=bool)[:, :, None, None]
    blocks = np.where(off, 0.0, b_ww)
    diag = np.where(off, 0.0, a_ww).sum(-3) + 0.5 * np.eye(d) - a_wv.sum(-3)
    blocks = blocks + np.eye(n)[:, :, None, None] * diag[..., :, None, :, :]
    return np.swapaxes(blocks, -3, -2).reshape(W.shape[:-2] + (n * d, n * d))


def init_students(n: int, d: int, n_runs: int, rng=None) -> np.ndarray:
    """Draw ``n_runs`` random students ``(n_runs, n, d)``, entries ``N(0, 1/d)`` (so each row has norm about 1).

    Examples
    --------
    >>> init_students(4, 4, 10, rng=0).shape
    (10, 4, 4)
    """
    n = _checks.check_int(n, "n", minimum=1)
    d = _checks.check_int(d, "d", minimum=1)
    n_runs = _checks.check_int(n_runs, "n_runs", minimum=1)
    return _checks.check_rng(rng).normal(0.0, 1.0 / np.sqrt(d), size=(n_runs, n, d))


@_checks.overflow_raises
def newton_polish(W, V, *, n_steps: int = 10):
    """Take Newton steps on the gradient of all students at once; return the new ``W``.

    Converges quadratically to a nearby non-degenerate critical point (of any kind), which certifies the end points of
    gradient descent. ``W`` and ``V`` are as for :func:`population_hessian`.

    Examples
    --------
    >>> V = orthonormal_teacher(3)
    >>> bool(np.abs(newton_polish(V + 0.01, V) - V).max() < 1e-12)
    True
    """
    W, V = _check(W, V, hessian=True)
    n_steps = _checks.check_int(n_steps, "n_steps", minimum=0)
    return _checks.check_finite_result(_newton(np.array(W), V, n_steps), "W and V")


def _newton(W, V, n_steps):
    """Take Newton steps ``W - H^+ grad`` for checked ``W`` and ``V`` (the result may blow up; callers check)."""
    for _ in range(n_steps):
        grad = _loss_and_gradient(W, V)[1].reshape(W.shape[:-2] + (-1, 1))
        W = W - (np.linalg.pinv(_hessian(W, V), rcond=1e-12, hermitian=True) @ grad).reshape(W.shape)
    return W


@_checks.overflow_raises
def classify_students(
    W, V, *, loss_tol: float = 1e-6, grad_tol: float = 1e-9, eig_tol: float = 1e-6, n_newton: int = 3
):
    """Certify the end points ``W`` of training runs: global or spurious minimum, saddle or unresolved.

    Runs with loss above ``loss_tol`` and gradient norm above ``grad_tol`` are first polished by ``n_newton`` steps of
    :func:`newton_polish` (kept where that lowers the gradient norm). Then, with ``g`` the gradient norm and ``lam`` the
    smallest Hessian eigenvalue, in this order: ``"global minimum"`` if loss <= ``loss_tol`` (the minimum is 0);
    ``"spurious minimum"`` if ``g <= grad_tol`` and ``lam > eig_tol``; ``"saddle"`` if ``g <= grad_tol`` and
    ``lam < -eig_tol``; ``"unresolved"`` otherwise (not yet critical, or a flat Hessian).

    Returns
    -------
    kinds : ndarray of str, shape (n_runs,)
    losses : ndarray of shape (n_runs,)
        Losses at the (polished) points.
    W : ndarray of shape (n_runs, n, d)
        The polished points.

    Examples
    --------
    >>> V = orthonormal_teacher(3)
    >>> classify_students(np.stack([V, V[::-1] + 1e-3]), V)[0].tolist()
    ['global minimum', 'global minimum']
    """
    W, V = _check(W, V)
    if W.ndim != 3:
        raise ValueError(f"W must have shape (n_runs, n, d); got shape {W.shape}")
    loss_tol, grad_tol, eig_tol = (
        _checks.check_real(v, k) for k, v in [("loss_tol", loss_tol), ("grad_tol", grad_tol), ("eig_tol", eig_tol)]
    )
    n_newton = _checks.check_int(n_newton, "n_newton", minimum=0)
    W = np.array(W)
    losses, grad = _loss_and_gradient(W, V)
    todo = (losses > loss_tol) & (np.linalg.norm(grad, axis=(-1, -2)) > grad_tol)
    if np.any(todo):
        start = W[todo]
        polished = _newton(start, V, n_newton)
        ok = np.all(np.isfinite(polished), axis=(-1, -2)) & np.all(np.linalg.norm(polished, axis=-1) > 1e-6, axis=-1)
        polished[~ok] = start[~ok]
        g0 = np.linalg.norm(_loss_and_gradient(start, V)[1], axis=(-1, -2))
        g1 = np.linalg.norm(_loss_and_gradient(polished, V)[1], axis=(-1, -2))
        W[todo] = np.where((g1 < g0)[:, None, None], polished, start)
    losses, grad = (_checks.check_finite_result(a, "W and V") for a in _loss_and_gradient(W, V))
    grad_norm = np.linalg.norm(grad, axis=(-1, -2))
    kinds = np.full(W.shape[0], "unresolved", dtype=object)
    critical = (grad_norm <= grad_tol) & (losses > loss_tol)
    if np.any(critical):
        lam = np.linalg.eigvalsh(_hessian(W[critical], V))[:, 0]
        kinds[np.flatnonzero(critical)[lam > eig_tol]] = "spurious minimum"
        kinds[np.flatnonzero(critical)[lam < -eig_tol]] = "saddle"
    kinds[losses <= loss_tol] = "global minimum"
    return kinds.astype(str), losses, W
