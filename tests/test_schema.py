"""The extraction contract: the committed JSON Schema, the pydantic models and real output agree."""
from __future__ import annotations

import copy
import json

import jsonschema
import pytest

from conftest import DE_MERZ, EXAMPLE, SCHEMA_FILE, write
from kg.model import EVENT_TYPES, MODALITIES, json_schema


@pytest.fixture(scope="module")
def schema() -> dict:
    s = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(s)
    return s


@pytest.fixture(scope="module")
def validator(schema):
    return jsonschema.Draft202012Validator(schema)


def test_committed_schema_matches_models(schema):
    assert schema == json_schema(), (
        "schemas/extraction.schema.json is out of date with kg/model.py; regenerate it with\n"
        "    .venv/bin/python -m kg.model > schemas/extraction.schema.json")


def test_schema_lists_the_ontology(schema):
    defs = schema["$defs"]
    assert set(defs["Event"]["properties"]["type"]["enum"]) == set(EVENT_TYPES)
    assert set(defs["Event"]["properties"]["modality"]["enum"]) == set(MODALITIES)
    assert set(defs["Entity"]["properties"]["type"]["enum"]) == {"PERSON", "COUNTRY", "ORGANIZATION", "LOCATION"}


@pytest.fixture(scope="module")
def extractor_output(extractor):
    """`kg extract --format json ARGS...` parsed."""
    from typer.testing import CliRunner

    from kg.cli import app

    def run(*args: str):
        r = CliRunner().invoke(app, ["extract", "--format", "json", *args])
        assert r.exit_code == 0, r.stderr
        return json.loads(r.stdout)
    return run


@pytest.fixture(scope="module")
def example_doc(extractor_output):
    return extractor_output(str(EXAMPLE))


def test_example_output_validates(validator, example_doc):
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(example_doc)]
    assert errors == []
    # not vacuous: the document carries real content
    assert example_doc["article"]["language"] == "en"
    assert len(example_doc["entities"]) >= 5 and len(example_doc["events"]) >= 3


def test_german_output_validates(validator, extractor_output, tmp_path):
    doc = extractor_output(str(write(tmp_path / "merz.txt", DE_MERZ)))
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]
    assert errors == []
    assert doc["article"]["language"] == "de"
    assert any(ev["type"] == "CONSULT" for ev in doc["events"])


def test_with_text_output_validates(validator, extractor_output, tmp_path):
    doc = extractor_output("--with-text", str(write(tmp_path / "merz.txt", DE_MERZ)))
    assert list(validator.iter_errors(doc)) == []
    assert "Emmanuel Macron" in doc["article"]["text"]
    # evidence offsets point into the text
    for ev in doc["events"]:
        for e in ev["evidence"]:
            assert doc["article"]["text"][e["start"]:e["end"]].strip() == e["text"].strip()


BROKEN = [
    (("events", 0, "type"), "MEETING"),
    (("events", 0, "modality"), "maybe"),
    (("events", 0, "time", "value"), "last week"),
]


def _error_paths(validator, doc) -> set[tuple]:
    """Paths of the innermost errors (an optional field is anyOf [X, null]: its error has the
    real one in its context)."""
    out = set()
    stack = list(validator.iter_errors(doc))
    while stack:
        e = stack.pop()
        subs = [c for c in e.context if c.validator != "type" or c.validator_value != "null"]
        if subs:
            stack.extend(subs)
        else:
            out.add(tuple(e.absolute_path))
    return out


def _set(doc, path, value):
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


def _dated_event_doc(example_doc) -> dict:
    doc = copy.deepcopy(example_doc)
    doc["events"] = [next(ev for ev in doc["events"] if ev.get("time"))]
    return doc


@pytest.mark.parametrize("path,value", BROKEN, ids=["type-MEETING", "modality-maybe", "time-last-week"])
def test_broken_values_fail_validation(validator, example_doc, path, value):
    doc = _dated_event_doc(example_doc)
    assert list(validator.iter_errors(doc)) == []
    _set(doc, path, value)
    assert _error_paths(validator, doc) == {path}
    best = jsonschema.exceptions.best_match(validator.iter_errors(doc))
    assert value in best.message


def test_broken_document_reports_every_error(validator, example_doc):
    doc = _dated_event_doc(example_doc)
    for path, value in BROKEN:
        _set(doc, path, value)
    doc["entities"][0]["type"] = "PARTY"
    doc["article"]["colour"] = "red"  # extra fields are forbidden
    assert _error_paths(validator, doc) == {*(p for p, _ in BROKEN), ("entities", 0, "type"), ("article",)}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, validator.schema, cls=jsonschema.Draft202012Validator)
