"""A quiet program: one line, for the baseline of a memory measure."""
print("quiet")
