"""The fast kernels: the maths of the public functions, laid out for speed.

The public functions state the maths in plain numpy and are the reference; ``tests/test_fast.py`` checks every
kernel here against them to 1e-12. The bulk drivers reach this package through one named call each:

==========================================  ==========================================
caller                                      kernel
==========================================  ==========================================
``loss_and_gradient`` (large or batched)    :func:`loss_and_gradient`
``train`` (many runs)                       :func:`gradient_function`
``hessian_vector_product`` (large),         :func:`hessian_vector_products`
``hessian``, ``lanczos_eigenvalues``
``loss_plane``, ``path_losses``             :func:`batch_losses`
``population_loss_and_gradient``            :func:`population_loss_and_gradient`
==========================================  ==========================================

What makes them fast: the unit-major layout and the BLAS special cases of matrix products (:mod:`.layers`),
scratch arrays reused instead of page-faulted (:mod:`.pool`), cache-sized blocks of networks on several threads
(:mod:`.blocks`), and for batches of large networks one network per CPU with single-threaded products (:mod:`.blas`).
"""

from .kernels import batch_losses, gradient_function, hessian_vector_products, loss_and_gradient, pays_off
from .population import population_loss_and_gradient

__all__ = [
    "batch_losses",
    "gradient_function",
    "hessian_vector_products",
    "loss_and_gradient",
    "pays_off",
    "population_loss_and_gradient",
]
