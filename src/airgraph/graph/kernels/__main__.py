"""``python -m airgraph.graph.kernels``: compile and cache every kernel now."""

from airgraph.graph.kernels._warmup import warm

print(f"kernels compiled in {warm():.1f} s")
