#!/usr/bin/env python3
"""Validates JSON documents against a JSON Schema (draft 2020-12).

Usage: validate-json-schema.py SCHEMA NDJSON_FILE
Prints one line per document, "ok" or "invalid: <reason>", and exits 0 when
every document was checked (whatever the verdicts), 2 on a usage error.
The Swift tests use it to check the encoder's output against
Schema/operation.schema.json with a real validator.
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    sys.stderr.write("jsonschema is not installed: pip install jsonschema\n")
    sys.exit(3)


def main() -> int:
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    with open(sys.argv[1], encoding="utf-8") as handle:
        schema = json.load(handle)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    with open(sys.argv[2], encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            error = jsonschema.exceptions.best_match(validator.iter_errors(json.loads(line)))
            print("ok" if error is None else "invalid: " + error.message.replace("\n", " ")[:200])
    return 0


if __name__ == "__main__":
    sys.exit(main())
