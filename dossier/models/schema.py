"""JSON Schemas of the records (``dossier schema``), for editors and for review."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from . import Allegation, AnnexRegister, Case, Parties, Submission

SCHEMAS: dict[str, type[BaseModel]] = {
    "case": Case,
    "parties": Parties,
    "allegation": Allegation,
    "annexes": AnnexRegister,
    "submission": Submission,
}


def schema_of(kind: str) -> dict[str, Any]:
    model = SCHEMAS[kind]
    schema = model.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"{kind}.schema.json"
    return schema


def schema_texts() -> dict[str, str]:
    """File name -> JSON text, exactly as committed under ``schemas/``."""
    return {
        f"{kind}.schema.json": json.dumps(schema_of(kind), indent=2, ensure_ascii=False) + "\n"
        for kind in SCHEMAS
    }


def write_schemas(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_texts().items():
        path = out / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
