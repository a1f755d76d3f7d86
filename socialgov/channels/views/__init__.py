"""The register's pages: the register itself, posting access, cover and publishing pauses."""
