"""The fast kernels: batched layouts, scratch arrays and threads, in one private place."""
