from pathlib import Path

from dossier.models.schema import schema_texts

ROOT = Path(__file__).resolve().parent.parent


def test_committed_schemas_match_models() -> None:
    for name, text in schema_texts().items():
        committed = (ROOT / "schemas" / name).read_text(encoding="utf-8")
        assert committed == text, f"schemas/{name} drifted: run `make schemas`"


def test_every_field_has_a_description() -> None:
    import json

    for name, text in schema_texts().items():
        schema = json.loads(text)
        for defname, definition in [(name, schema), *schema.get("$defs", {}).items()]:
            for prop, spec in definition.get("properties", {}).items():
                assert "description" in spec, f"{defname}.{prop} has no description"
