"""Storage, projection and kernels: snapshots in, CSR arrays out."""
