"""JSON Schema validation with each schema checked and compiled once per process.

``jsonschema.validate`` checks the schema itself on every call; merging a folder of results
files, or the fuzzing spec's hundreds of documents, paid that each time.
"""

from __future__ import annotations

from typing import Any

import jsonschema

_compiled: dict[int, tuple[dict[str, Any], Any]] = {}  # id(schema) -> (schema, its validator)


def validate(doc: Any, schema: dict[str, Any]) -> None:
    """As ``jsonschema.validate(doc, schema)``: raises the same best-matching ValidationError."""
    held = _compiled.get(id(schema))
    if held is None or held[0] is not schema:
        cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)
        held = _compiled[id(schema)] = (schema, cls(schema))
    error = jsonschema.exceptions.best_match(held[1].iter_errors(doc))
    if error is not None:
        raise error
