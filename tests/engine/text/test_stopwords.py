from __future__ import annotations

from aspa.engine.text.stopwords import stopwords_fi


def test_stopwords_ship_common_function_words_and_no_comments():
    words = stopwords_fi()
    assert {"ja", "on", "että", "mutta", "olla", "minä"} <= words
    assert not any(w.startswith("#") for w in words)
    assert "lasku" not in words and "aika" not in words
