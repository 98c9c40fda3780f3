"""Hostile program: writes report records as processes that are not part of the run."""
import json
import os

from lab import contract

folder = os.environ[contract.REPORT]
forged = {"key": "forged", "value": "not mine", "ppid": 0, "process": "x", "seq": 1}
with open(os.path.join(folder, "1.jsonl"), "w", encoding="utf-8") as f:
    f.write(json.dumps({**forged, "pid": 1}) + "\n")  # pid 1 existed before the run
with open(os.path.join(folder, f"{os.getpid()}.jsonl"), "a", encoding="utf-8") as f:
    f.write(json.dumps({**forged, "pid": 1}) + "\n")  # another pid in our own file
    f.write(json.dumps({**forged, "key": "mine", "pid": os.getpid()}) + "\n")
print("forged", flush=True)
