from __future__ import annotations

import struct
from pathlib import Path

import mmh3
import numpy as np
import pytest

import aspa.engine.text
from aspa.engine.text.build_vectors import build_table
from aspa.engine.text.vectors import (
    HASH_SEED,
    VectorMember,
    WordVectors,
    default_vectors,
    floret_rows,
)

TABLE = Path(aspa.engine.text.__file__).with_name("data") / "floret_fi.npz"


def test_rows_are_floret_hashes_of_the_padded_word_and_its_4_and_5_grams():
    rows = floret_rows("koira", 50_000)
    grams = ["<koira>", "<koi", "koir", "oira", "ira>", "<koir", "koira", "oira>"]
    assert len(rows) == 2 * len(grams)
    # Independent route to the same hashes: the 16 bytes of MurmurHash3 x64-128, read as uint32s.
    expected = [
        value % 50_000
        for gram in grams
        for value in struct.unpack("<IIII", mmh3.hash_bytes(gram.encode("utf-8"), HASH_SEED, True))[:2]
    ]
    assert rows == expected


def test_shipped_table_is_small_and_puts_related_words_together():
    vectors = default_vectors()
    assert vectors.table.shape == (50_000, vectors.dimensions)
    assert TABLE.stat().st_size < 15_000_000

    def similarity(a: str, b: str) -> float:
        return float(vectors.word(a) @ vectors.word(b))

    assert similarity("koira", "kissa") > similarity("koira", "kiitos")
    assert similarity("hyvä", "loistava") > similarity("hyvä", "talo")
    assert similarity("asiakaspalvelu", "asiakaspalvelun") > 0.8  # inflected forms share n-grams


def test_text_vector_is_the_mean_of_unit_word_vectors():
    vectors = WordVectors(np.random.default_rng(1).normal(size=(97, 8)))
    out = vectors.texts(["Hyvä hyvä palvelu", "", "!!!"])
    expected = (2 * vectors.word("hyvä") + vectors.word("palvelu")) / 3
    np.testing.assert_allclose(out[0], expected, rtol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(vectors.word("palvelu")), 1.0, rtol=1e-6)
    assert not out[1].any() and not out[2].any()


def test_member_scores_equal_the_linear_model_on_mean_vectors():
    vectors = WordVectors(np.random.default_rng(2).normal(size=(97, 8)))
    coef = np.random.default_rng(3).normal(size=(8, 3))
    member = VectorMember(vectors, coef, np.array([0.5, 0.0, -0.5]))
    texts = ["huono palvelu", "erinomainen ja nopea palvelu", ""]
    expected = vectors.texts(texts) @ coef + [0.5, 0.0, -0.5]
    np.testing.assert_allclose(member.decision_function(texts), expected, rtol=1e-5)
    np.testing.assert_allclose(member.decision_function(texts), expected, rtol=1e-5)  # cached tokens


def test_build_table_keeps_the_leading_principal_axes(tmp_path):
    rng = np.random.default_rng(4)
    source = rng.normal(size=(500, 6)) * [5.0, 3.0, 1.0, 0.1, 0.1, 0.1]
    np.save(tmp_path / "vectors.npy", source.astype(np.float32))
    table = build_table(tmp_path / "vectors.npy", dimensions=3)
    assert table.shape == (500, 3) and table.dtype == np.float16
    centred = source - source.mean(axis=0)
    # The 3 kept axes carry nearly all the variance, and their coordinates keep the pairwise geometry.
    assert table.astype(np.float64).var(axis=0).sum() == pytest.approx(centred.var(axis=0).sum(), rel=0.01)
    np.testing.assert_allclose(
        np.linalg.norm(table[:10].astype(np.float64), axis=1), np.linalg.norm(centred[:10], axis=1), rtol=0.02
    )
