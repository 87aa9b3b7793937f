"""The Finnish dictionary's faster front-coded lookup answers as simplemma's own reader of the same stream."""

from simplemma.strategies.dictionaries.stream_dictionary_factory import StreamMap

from extractors.nlp.pipeline import _fi_dictionary, lemma, vocabulary

# forms of a budget book (present), pieces the text repair asks about (mostly absent), and edge keys
WORDS = ["kunta", "kunnan", "kunnassa", "toimintakate", "tilinpäätös", "tilinpäätöksen", "palvelu", "palvelujen",
         "asiakas", "vuosikate", "sakkunniga", "isesti", "sesti", "esti", "vuotove", "tilintarkastus", "a", "",
         "zzzzzz", "ääää", "Kunta", "KUNTA", "aa", "ab", "öljy", "öljyä", "ö", "tuntuen", "tehostetun", "poistot"]


def test_lookups_answer_as_simplemma_streammap() -> None:
    ours, theirs = _fi_dictionary(), StreamMap("fi")
    for word in WORDS:
        assert ours.get(word) == theirs.get(word), word
        assert (word in ours) == (word in theirs.keys()), word
    assert ours.get("kunnan") == "kunta" and ours.get("tilinpäätöksen") == "tilinpäätös"
    assert "vuosikate" in ours and "sakkunniga" not in ours and "" not in ours


def test_lemmas_and_vocabulary() -> None:
    assert lemma("kunnassa", "fi") == "kunta"
    assert lemma("poistot", "fi") == "poisto"
    assert "palvelujen" in vocabulary("fi")
    assert "vuotove" not in vocabulary("fi")  # a piece of 'vuotovesi' broken at a line end
