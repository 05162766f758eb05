"""Latin (2017, 2018, 2021), Jaŋalif and Arabic-script Kazakh read as Cyrillic (text/script.py).

The sentences are the team's own, in the style of a historical article; each line of a script
is the same sentence as the Cyrillic line at the same index.
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import muragat
from muragat.model import Document
from muragat.text import annotate, to_cyrillic
from muragat.text.script import CONVERTIBLE, alphabets, detect

CYRILLIC = [
    "1929 жылы Ғ. Тоғжанов басқарған кеңес Семей өңіріне барды.",
    "Кеңес мүшелері ауылдағы үй шаруашылықтарын тізімге алып, есепті Қызылордаға жіберді.",
    "Бұл құжат бүгін Алматыдағы мұрағатта сақтаулы, оның көшірмесі де бар.",
    "Аяқталған тізім сияқты басқа деректер де табылды.",
]

WRITTEN = {
    "latin2021": [
        "1929 jyly Ğ. Toğjanov basqarğan keñes Semei öñırıne bardy.",
        "Keñes müşelerı auyldağy üi şaruaşylyqtaryn tızımge alyp, eseptı Qyzylordağa jıberdı.",
        "Būl qūjat bügın Almatydağy mūrağatta saqtauly, onyñ köşırmesı de bar.",
        "Aiaqtalğan tızım siaqty basqa derekter de tabyldy.",
    ],
    "latin2018": [
        "1929 jyly Ǵ. Toǵjanov basqarǵan keńes Semeı óńirine bardy.",
        "Keńes músheleri aýyldaǵy úı sharýashylyqtaryn tizimge alyp, esepti Qyzylordaǵa jiberdi.",
        "Bul qujat búgin Almatydaǵy muraǵatta saqtaýly, onyń kóshirmesi de bar.",
        "Aıaqtalǵan tizim sıaqty basqa derekter de tabyldy.",
    ],
    "latin2017": [
        "1929 jyly G'. Tog'janov basqarg'an ken'es Semei' o'n'irine bardy.",
        "Ken'es mu's'eleri ay'yldag'y u'i' s'ary'as'ylyqtaryn tizimge alyp, esepti Qyzylordag'a "
        "jiberdi.",
        "Bul qujat bu'gin Almatydag'y murag'atta saqtay'ly, onyn' ko's'irmesi de bar.",
        "Ai'aqtalg'an tizim si'aqty basqa derekter de tabyldy.",
    ],
    "janalif": [
        "1929 ƶьlь Ƣ. Toƣƶanov ʙasqarƣan keꞑes Semej ɵꞑirine ʙardь.",
        "Keꞑes myşeleri awьldaƣь yj şarwaşьlьqtarьn tizimge alьp, esepti Qьzьlordaƣa ƶiʙerdi.",
        "Bul quƶat ʙygin Almatьdaƣь muraƣatta saqtawlь, onьꞑ kɵşirmesi de ʙar.",
        "Ajaqtalƣan tizim sijaqtь ʙasqa derekter de taʙьldь.",
    ],
}

# Arabic script has no capitals and writes the initial Ғ. rarely: the names come out lower case.
ARABIC = [
    ("١٩٢٩ جىلى توعجانوۆ باسقارعان كەڭەس سەمەي ٴوڭىرىنە باردى.",
     "1929 жылы тоғжанов басқарған кеңес семей өңіріне барды."),
    ("كەڭەس مۇشەلەرى اۋىلداعى ٴۇي شارۋاشىلىقتارىن تىزىمگە الىپ، ەسەپتى قىزىلورداعا جىبەردى.",
     "кеңес мүшелері ауылдағы үй шаруашылықтарын тізімге алып, есепті қызылордаға жіберді."),
    ("بۇل قۇجات بۇگىن الماتىداعى مۇراعاتتا ساقتاۋلى، ونىڭ كوشىرمەسى دە بار.",
     "бұл құжат бүгін алматыдағы мұрағатта сақтаулы, оның көшірмесі де бар."),
]


@pytest.mark.parametrize("script", sorted(WRITTEN))
def test_sentences_convert_exactly(script: str) -> None:
    for source, expected in zip(WRITTEN[script], CYRILLIC, strict=True):
        assert to_cyrillic(source, script) == expected


@pytest.mark.parametrize("script", sorted(WRITTEN))
def test_detect_whole_text(script: str) -> None:
    text = " ".join(WRITTEN[script])
    assert detect(text) == script
    assert to_cyrillic(text) == " ".join(CYRILLIC)  # detected, then converted


@pytest.mark.parametrize(("source", "expected"), ARABIC)
def test_arabic_by_harmony(source: str, expected: str) -> None:
    assert detect(source) == "arabic"
    assert to_cyrillic(source, "arabic") == expected


def test_cyrillic_and_other_stay() -> None:
    text = "Бұл мақаланы Harvard University Press 1998 жылы қайта басып шығарды (English summary)."
    assert detect(text) == "cyrillic"
    assert detect(" ".join(CYRILLIC)) == "cyrillic"
    assert to_cyrillic(text) == text
    assert detect("The commission met in 1929.") == "other"  # no Kazakh-specific letter
    assert detect("1929-1930") == "other"
    assert detect("") == "other"


def test_ambiguities_documented() -> None:
    # 2021: i is И after a consonant and Й after a vowel; ı is І; y is Ы.
    assert to_cyrillic("qiyn syi üi", "latin2021") == "қиын сый үй"
    # 2018: capital I is И in a back-vowel word, І in a front one.
    assert to_cyrillic("ISATAI ISHKI", "latin2018") == "ИСАТАЙ ІШКІ"  # ISHKI: no vowel -> front
    assert to_cyrillic("QAZAQSTAN RESPÝBLIKASY", "latin2018") == "ҚАЗАҚСТАН РЕСПУБЛИКАСЫ"
    # 2018 sh is always Ш (асхана comes out ашана: not recoverable).
    assert to_cyrillic("ashana", "latin2018") == "ашана"
    # 2021 H is Х (шаһар comes out шахар).
    assert to_cyrillic("şahar", "latin2021") == "шахар"
    # case: first capital and all capitals kept
    assert to_cyrillic("Ūlttyq ŪLTTYQ", "latin2021") == "Ұлттық ҰЛТТЫҚ"


def test_decomposed_accents() -> None:
    decomposed = unicodedata.normalize("NFD", "Respýblıkasy óńir")
    assert to_cyrillic(decomposed, "latin2018") == "Республикасы өңір"


def _letters(script: str) -> str:
    singles = {s for s in alphabets()[script].rules if len(s) == 1 and s.isalpha()}
    return "".join(sorted(singles | {c.upper() for c in singles if len(c.upper()) == 1}))


_KEEP = re.compile(r"[0-9 .,;:!?()«»\-\n]")


@pytest.mark.parametrize("script", sorted(CONVERTIBLE))
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_property_letters_converted_rest_kept(script: str, data: st.DataObject) -> None:
    alphabet = _letters(script) + "0123456789 .,;:!?()«»-\n'"
    text = data.draw(st.text(alphabet=alphabet, max_size=60))
    out = to_cyrillic(text, script)
    # digits, spaces and punctuation come through in the same order
    assert _KEEP.findall(out) == _KEEP.findall(text)
    # no letter of the source alphabet is left: everything is Cyrillic
    assert not set(out) & set(_letters(script))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=80))
def test_property_any_text_never_raises(text: str) -> None:
    assert detect(text) in {"cyrillic", "latin2021", "latin2018", "latin2017", "janalif",
                            "arabic", "other"}
    for script in [None, *CONVERTIBLE, "cyrillic"]:
        assert isinstance(to_cyrillic(text, script), str)


def test_text_layer_keeps_text_and_offsets() -> None:
    text = "\n".join(WRITTEN["latin2017"])
    doc = annotate(Document(text))
    assert doc.text == text and doc.meta["script"] == "latin2017"
    words = {text[t.start : t.end]: t.norm for t in doc.tokens}
    assert words["Tog'janov"] == "Тоғжанов"
    assert words["onyn'"] == "оның"  # the word-final apostrophe joined its word
    assert "'" not in words
    cyr = annotate(Document(CYRILLIC[0]))
    assert "script" not in cyr.meta


def test_end_to_end_latin2021() -> None:
    text = ("1929 jyly Ğ. Toğjanovtyñ basşylyğymen Semeide komissia qūryldy. "
            "Komissia mūrağat qūjattaryn zerttedı.")
    doc = muragat.analyze(text, layers=("text", "morph", "ner"))
    assert doc.text == text and doc.meta["script"] == "latin2021"
    by_surface = {text[t.start : t.end]: t for t in doc.tokens}
    tok = by_surface["Toğjanovtyñ"]
    assert tok.norm == "Тоғжановтың" and tok.lemma == "Тоғжанов"
    assert by_surface["Ğ."].norm == "Ғ."
    assert by_surface["zerttedı"].norm == "зерттеді"
    # offsets slice the original Latin text: the tokens put together give it back
    assert "".join(text[t.start : t.end] for t in doc.tokens) == "".join(text.split())
    assert not any(re.search("[a-zA-Zğñūı]", t.norm) for t in doc.tokens)
    persons = [s for s in doc.spans if s.layer == "ner" and s.label == "PERSON"]
    assert persons, "the Latin name is found through its Cyrillic form"
    assert any("Toğjanovtyñ" in text[s.start : s.end] for s in persons)
    assert any(s.attrs["lemma"].endswith("Тоғжанов") for s in persons)
