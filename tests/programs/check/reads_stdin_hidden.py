"""Reads standard input in a way no syntax tree shows."""
import builtins

ask = getattr(builtins, "in" + "put")
print("got", ask())
