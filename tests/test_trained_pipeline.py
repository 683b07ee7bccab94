"""The trained-pipeline path, without downloading anything: a tiny German NER pipeline is trained
here on a dozen sentences written for this test, saved with ``nlp.to_disk`` and given to kg through
``KG_SPACY_MODELS=de=<directory>``. kg must then use it (``kg doctor``, ``Pipeline.kind``), put the
gazetteer EntityRuler before its ``ner``, produce the same contract JSON as the offline pipeline,
still find gazetteer entities and events, and add people only the NER knows.

The pipeline caches (``kg.nlp.language.get_pipeline``) are cleared before and after, so the other
tests see the offline pipeline again.
"""
from __future__ import annotations

import json
import random

import pytest
import spacy
from spacy.training import Example
from typer.testing import CliRunner

from extraction_helpers import LAST_MONDAY, actors, article, check_contract, describe, entity, the_event
from kg.nlp import language
from kg.pipeline import Extractor

# An invented person whose given name is in no name list: the offline pipeline cannot find her,
# only the trained NER can.
PERSON = "Ysolde Brannagh"

TRAIN = [
    ("Ysolde Brannagh besuchte am Montag die Stadt Quellbrunn.", [(PERSON, "PER"), ("Quellbrunn", "LOC")]),
    ("Die Abgeordnete Ysolde Brannagh sprach im Landtag.", [(PERSON, "PER")]),
    ("Nach Angaben von Ysolde Brannagh ist die Lage ruhig.", [(PERSON, "PER")]),
    ("Ysolde Brannagh kritisierte den Verband Nordlicht.", [(PERSON, "PER"), ("Verband Nordlicht", "ORG")]),
    ("Gestern reiste Ysolde Brannagh nach Tiefenau.", [(PERSON, "PER"), ("Tiefenau", "LOC")]),
    ("Am Dienstag traf Ysolde Brannagh in Quellbrunn Vertreter der Stiftung Morgenrot.",
     [(PERSON, "PER"), ("Quellbrunn", "LOC"), ("Stiftung Morgenrot", "ORG")]),
    ("Konrad Leitgeb traf in Tiefenau Vertreter der Stiftung Morgenrot.",
     [("Konrad Leitgeb", "PER"), ("Tiefenau", "LOC"), ("Stiftung Morgenrot", "ORG")]),
    ("Der Bürgermeister Konrad Leitgeb eröffnete die Messe in Quellbrunn.",
     [("Konrad Leitgeb", "PER"), ("Quellbrunn", "LOC")]),
    ("Ysolde Brannagh und Konrad Leitgeb sprachen über die Verkehrspolitik.",
     [(PERSON, "PER"), ("Konrad Leitgeb", "PER")]),
    ("Am Mittwoch sagte Ysolde Brannagh, die Gespräche seien gut verlaufen.", [(PERSON, "PER")]),
    ("Das Wetter in Tiefenau war am Wochenende schlecht.", [("Tiefenau", "LOC")]),
    ("Der Verband Nordlicht kritisierte die Pläne der Stiftung Morgenrot.",
     [("Verband Nordlicht", "ORG"), ("Stiftung Morgenrot", "ORG")]),
]

BODY = (f"Bundeskanzler Olaf Scholz traf am Montag in Berlin {PERSON}. Die beiden sprachen über die "
        "Verkehrspolitik.")


def train_tiny_pipeline(path) -> None:
    spacy.util.fix_random_seed(0)
    nlp = spacy.blank("de")
    nlp.add_pipe("ner")
    examples = []
    for text, spans in TRAIN:
        offsets = [(text.index(s), text.index(s) + len(s), label) for s, label in spans]
        examples.append(Example.from_dict(nlp.make_doc(text), {"entities": offsets}))
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(0)
    for _ in range(40):
        rng.shuffle(examples)
        nlp.update(examples, sgd=optimizer, drop=0.1, losses={})
    nlp.to_disk(path)


@pytest.fixture(scope="module")
def offline_extraction(extractor):
    """The test article through the offline pipeline (before the trained one is switched on)."""
    assert not language.get_pipeline("de").trained
    return extractor.extract(article(BODY, "de"))


@pytest.fixture(scope="module")
def tiny_de(tmp_path_factory, offline_extraction):
    """KG_SPACY_MODELS points at the tiny pipeline for German while the tests of this module run."""
    path = tmp_path_factory.mktemp("pipelines") / "de_tiny"
    train_tiny_pipeline(path)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KG_SPACY_MODELS", f"de={path}")
        mp.delenv("KG_OFFLINE_PIPELINE", raising=False)
        language.get_pipeline.cache_clear()
        try:
            yield path
        finally:
            language.get_pipeline.cache_clear()
    language.get_pipeline.cache_clear()


@pytest.fixture(scope="module")
def trained_extraction(tiny_de):
    x = Extractor().extract(article(BODY, "de"))
    check_contract(x)
    return x


def test_installed_models_accepts_a_directory(tiny_de):
    assert language.installed_models()["de"] == str(tiny_de)


def test_doctor_reports_the_trained_pipeline(tiny_de, tmp_path):
    from kg.cli import app

    r = CliRunner().invoke(app, ["doctor"], env={"KG_DB": str(tmp_path / "kg.sqlite"), "KG_NEO4J_URI": None})
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    de = [line for line in lines if line.strip().startswith("de:")]
    assert de and "trained pipeline" in de[0] and str(tiny_de) in de[0], r.stdout
    en = [line for line in lines if line.strip().startswith("en:")]
    assert en and "offline" in en[0], r.stdout


def test_pipeline_is_the_trained_one_with_the_gazetteer_before_ner(tiny_de):
    p = language.get_pipeline("de")
    assert p.kind.startswith("trained")
    assert p.kind == f"trained:{tiny_de}"
    assert p.trained
    names = p.nlp.pipe_names
    assert "kg_gazetteer" in names and "ner" in names, names
    assert names.index("kg_gazetteer") < names.index("ner"), names
    assert names.index("kg_sentences") < names.index("kg_gazetteer"), names
    assert Extractor().describe("de").endswith(f"(trained:{tiny_de})")
    assert language.installed_models().get("en") != str(tiny_de), "only German was configured"


def test_trained_extraction_has_the_offline_contract_shape(trained_extraction, offline_extraction):
    assert "trained:" in trained_extraction.extractor
    assert "(offline)" in offline_extraction.extractor
    trained, offline = json.loads(trained_extraction.to_json()), json.loads(offline_extraction.to_json())
    assert trained.keys() == offline.keys()
    for part in ("entities", "events", "relations"):
        assert trained[part] and offline[part], part
        assert {frozenset(r) for r in trained[part]} == {frozenset(r) for r in offline[part]}, part
    assert trained["article"] == offline["article"]


def test_trained_pipeline_still_finds_gazetteer_entities_and_events(trained_extraction):
    x = trained_extraction
    scholz = entity(x, "Olaf Scholz")
    assert (scholz.id, scholz.type, scholz.wikidata) == ("person:olaf-scholz", "PERSON", "Q61053")
    assert entity(x, "Berlin").type == "LOCATION"
    assert not any("Olaf" in e.name and e.name != "Olaf Scholz" for e in x.entities), describe(x)
    consult = the_event(x, "CONSULT")
    assert actors(x, consult) == {"Olaf Scholz", PERSON}, describe(x)
    assert consult.time is not None and consult.time.value == LAST_MONDAY


def test_person_only_the_ner_knows_is_found(trained_extraction, offline_extraction):
    assert not any(PERSON in e.name for e in offline_extraction.entities), \
        "the offline pipeline should not know this person (else the test proves nothing)"
    e = entity(trained_extraction, PERSON)
    assert e.type == "PERSON"
    assert e.id == "person:ysolde-brannagh"


def test_ner_person_in_another_sentence_of_the_article(tiny_de):
    x = Extractor().extract(article(f"Am Donnerstag sagte {PERSON}, die Beratungen seien schwierig gewesen.", "de"))
    check_contract(x)
    assert entity(x, PERSON).type == "PERSON", describe(x)
    assert actors(x, the_event(x, "STATEMENT")) == {PERSON}
