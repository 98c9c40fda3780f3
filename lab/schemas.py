"""JSON Schema validation with each schema checked and compiled once per process.

``jsonschema.validate`` checks the schema itself on every call; merging a folder of results
files, or the fuzzing spec's hundreds of documents, paid that each time. jsonschema itself is
imported on first use: it is a fifth of the time every ``mplab`` command takes to start.
"""

from __future__ import annotations

from typing import Any

_compiled: dict[int, tuple[dict[str, Any], Any]] = {}  # id(schema) -> (schema, its validator)


class Invalid(ValueError):
    """A document that does not have its schema's shape; its text says where, and what is
    wrong there ("at specs/0/outcome: 'maybe' is not one of ...")."""


def validate(doc: Any, schema: dict[str, Any]) -> None:
    """As ``jsonschema.validate(doc, schema)``, raising Invalid for its best-matching error."""
    import jsonschema

    held = _compiled.get(id(schema))
    if held is None or held[0] is not schema:
        cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)
        held = _compiled[id(schema)] = (schema, cls(schema))
    error = jsonschema.exceptions.best_match(held[1].iter_errors(doc))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top)"
        raise Invalid(f"at {where}: {error.message}")
