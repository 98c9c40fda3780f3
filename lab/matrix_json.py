"""The merged matrix as JSON, for other tools: ``mplab report --format json``.

It holds what the HTML shows (each claim's cell in words, the Differences view, every spec's
cells with what was observed and expected) as plain data, validated against
lab/data/matrix.schema.json (documented in docs/results.md).
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from lab import schemas, views
from lab.datafiles import DATA_DIR
from lab.merge import Cell, Column, Matrix
from lab.report import reported_columns

SCHEMA_NAME = "mplab-matrix"
SCHEMA_VERSION = 1


@cache
def schema() -> dict[str, Any]:
    return json.loads((DATA_DIR / "matrix.schema.json").read_text(encoding="utf-8"))


def _column(matrix: Matrix, column: Column) -> dict[str, Any]:
    return {"title": column.title, "platform": column.platform, "python": column.python,
            "stand_in": column.stand_in, "interpreters": matrix.interpreters(column)}


def _claim_cell(cell: views.ClaimCell) -> dict[str, Any]:
    found: dict[str, Any] = {
        "status": cell.status.value,
        "text": cell.text(short=False),
        "parts": [{"method": views.method_name(p.method), "status": p.status.value,
                   "label": p.label} for p in cell.parts],
    }
    if cell.note:
        found["note"] = cell.note
    return found


def _spec_cell(cell: Cell) -> dict[str, Any]:
    first = cell.first
    assert first is not None
    return {
        "status": cell.status.value,
        "label": cell.label,
        "observed": first.observed,
        "expected": first.expected,
        "expected_source": first.expected_source,
        "results": [{"outcome": r.outcome.value, "python": r.python, "build": r.build,
                     "run": r.label, "file": r.source, "label": r.observed_label,
                     "reason": r.reason} for r in cell.results],
    }


def document(matrix: Matrix) -> dict[str, Any]:
    columns = reported_columns(matrix)
    return {
        "schema": SCHEMA_NAME,
        "version": SCHEMA_VERSION,
        "files": matrix.files,
        "problems": matrix.problems,
        "columns": [_column(matrix, c) for c in columns],
        "differences": [{
            "claim": d.claim.id, "behavior": d.spec, "spec": d.name, "varies_by": d.varies_by,
            "by_method": {views.method_name(m): [
                {"where": w.title, "columns": [c.title for c in w.columns], "label": w.label,
                 "status": w.status.value} for w in wheres] for m, wheres in d.by_method.items()},
        } for d in views.differences(matrix)],
        "claims": [{
            "id": claim.id, "kind": claim.kind, "verdict": claim.verdict, "gloss": claim.gloss,
            "cells": {c.title: _claim_cell(views.claim_cell(matrix, claim.id, c))
                      for c in columns},
        } for claim in matrix.claims],
        "specs": [{
            "claim": claim_id, "name": row.name, "params": dict(row.params),
            "start_method": row.start_method,
            "cells": {c.title: _spec_cell(row.cells[c]) for c in columns if c in row.cells},
        } for claim_id, rows in matrix.rows.items() for row in rows],
        "self_tests": {c.title: {s.value: n for s, n in counts.items()}
                       for c, counts in matrix.self_test_counts().items()},
    }


def render(matrix: Matrix) -> str:
    doc = document(matrix)
    schemas.validate(doc, schema())
    return json.dumps(doc, indent=1, ensure_ascii=False, default=repr) + "\n"
