"""Pages for policies and guidance, in three groups: reading, writing and oversight."""
