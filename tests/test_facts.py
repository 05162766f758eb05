"""Events a historian cites, read off sentences written like the archive's prose (issue 19)."""

from __future__ import annotations

from pathlib import Path

import pytest

import muragat
from muragat import facts
from muragat.facts.slots import values_of
from muragat.model import Span

GOLD = Path(__file__).resolve().parents[1] / "scripts" / "data" / "events_gold"


def _events(raw: str) -> list[tuple[str, dict]]:
    doc = muragat.analyze(raw)
    return [(s.label, s.attrs) for s in doc.spans_of("event")]


def _labels(raw: str) -> list[str]:
    return [label for label, _ in _events(raw)]


def test_three_months_later_is_no_date_and_the_shooting_is_found() -> None:
    (arrest, a), (shot, b) = _events(
        "1938 жылы 3 наурызда қайтадан қамауға алынып, үш айдан соң, яғни 5 маусымда атылды.")
    assert (arrest, a["date"]) == ("ARRESTED", "1938-03-03")
    assert (shot, b["date"]) == ("EXECUTED", "1938-06-05")


def test_a_term_is_a_term_and_death_in_custody_is_its_own_event() -> None:
    got = _events("1930 жылдың аяғында Сәкен Омаров қамауға алынады да, сегіз жылға сотталып, "
                  "1941 жылы тұтқында қайтыс болады.")
    assert [label for label, _ in got] == ["ARRESTED", "CONVICTED", "DIED_IN_CUSTODY"]
    arrested, convicted, died = (attrs for _, attrs in got)
    assert (arrested["date"], arrested["date_mod"]) == ("1930", "END")
    assert convicted["term"] == "P8Y" and convicted["date"] == "1930"
    assert died["date"] == "1941"
    assert all(not str(a.get("date", "")).startswith("P") for _, a in got)


@pytest.mark.parametrize("raw", [
    "Тергеушілер оның әйелін де тұтқындамақ болғанмен, ол Ташкентке көшіп кетті.",
    "Бірақ ауыл кеңесі оны тізімнен сызып тастады, сондықтан ол жер аударылған жоқ.",
    "Егер ол сол кезде ауылда болса, ол да тұтқындалар еді.",
    "Мақашевтың ісі қайта қаралмады және ол ақталмады.",
    "Оның кітабы да 1929 жылы тұтқындалып, кітапханалардан алынып тасталды.",
    "Тілеуовті тұтқындау туралы шешім облыстық прокурормен келісілмеген.",
])
def test_negation_intention_condition_and_books_give_no_event(raw: str) -> None:
    assert _labels(raw) == []


def test_the_subject_is_carried_from_the_paragraph_and_marked() -> None:
    got = _events("Ахмет Бекқожин 1894 жылы туған.\n1937 жылы 2 тамызда ол қайтадан қамауға алынды.\n"
                  "Үкім 1937 жылы 31 қазанда орындалды.")
    assert [label for label, _ in got] == ["ARRESTED", "EXECUTED"]
    for _, attrs in got:
        assert "Бекқожин" in attrs["subject"] and attrs["subject_inferred"] is True


def test_a_clause_without_a_date_takes_the_last_one_after_kejin() -> None:
    got = _events("1929 жылы 4 сәуірде оны ату жазасына кесті.\n"
                  "Бір айдан соң ату жазасы он жыл лагерьмен алмастырылды.")
    assert [label for label, _ in got] == ["SENTENCED_TO_DEATH", "SENTENCE_COMMUTED"]
    commuted = got[1][1]
    assert (commuted["date"], commuted["date_mod"], commuted["date_inferred"]) == (
        "1929-04-04", "AFTER", True)


def test_counts_percentages_and_shares() -> None:
    got = _events("Аудандық соттар 1930 жылы 1875 адамды соттады, олардың 416-сы ату жазасына кесілді.\n"
                  "Партия қатарынан 2776 коммунист шығарылған, бұл 19,5 %-ды құрайды.")
    assert [(label, a.get("count")) for label, a in got] == [
        ("CONVICTED", 1875), ("SENTENCED_TO_DEATH", 416), ("EXPELLED_FROM_PARTY", 2776)]
    assert got[1][1]["part_of"] == 1875 and got[1][1]["subject_kind"] == "group"
    assert got[2][1]["percentage"] == 19.5


def test_dismissal_is_not_release_and_the_article_is_read() -> None:
    got = _events("1932 жылы 16 ақпанда ол қызметінен босатылып, партия қатарынан шығарылды.\n"
                  "1941 жылы әскери трибунал оны 58-бап бойынша ату жазасына кесті.")
    assert [label for label, _ in got] == ["DISMISSED", "EXPELLED_FROM_PARTY", "SENTENCED_TO_DEATH"]
    assert got[2][1]["legal_article"] == "58"


def test_values_are_read_from_either_shape() -> None:
    old = Span("value", "CARDINAL", 0, 3, {"value": 432})
    new = Span("ner", "DATE", 5, 14, {"lemma": "1929 жыл", "value": "1929"})
    relabelled = Span("ner", "DATE", 20, 26, {"value": 12, "value_label": "CARDINAL"})
    plain = Span("ner", "PERSON", 30, 35, {"lemma": "Омаров"})
    got = values_of([old, new, relabelled, plain])
    assert [(v.label, v.value) for v in got] == [("CARDINAL", 432), ("DATE", "1929"), ("CARDINAL", 12)]


def test_the_gold_documents_never_get_a_term_as_a_date() -> None:
    for path in sorted(GOLD.glob("doc*.txt")):
        doc = muragat.analyze(path.read_text(encoding="utf-8"))
        dates = [s.attrs.get("date") for s in doc.spans_of("event")]
        assert dates and not any(str(d).startswith("P") for d in dates if d), path.name


def test_the_layer_adds_to_a_document_and_keeps_its_tokens() -> None:
    doc = muragat.analyze("Ол 1958 жылы ақталды.", ("text", "morph", "ner", "values", "cite"))
    tokens = list(doc.tokens)
    facts.annotate(doc)
    assert doc.tokens == tokens and [s.label for s in doc.spans_of("event")] == ["REHABILITATED"]


def test_a_day_of_this_month_and_a_month_range_take_their_year_from_context() -> None:
    got = _events("1933 жылғы 6 наурызда аудандық комиссия құрылды.\n"
                  "Осы айдың 2-сінде үш мұғалім тұтқындалды.\n"
                  "1930 жылдың наурыз-сәуір айларында 45 шаруа жер аударылды.")
    dates = {label: a.get("date") for label, a in got}
    assert dates["ARRESTED"] == "1933-03-02"
    assert dates["EXILED"] == "1930-03/1930-04"


def test_a_first_name_alone_is_the_full_name_the_document_gave_before() -> None:
    got = _events("1938 жылы Айгерім Сәрсенова тұтқындалды.\n"
                  "Айгерім 1946 жылы босатылды.\n")
    assert [(label, a["subject"]) for label, a in got] == [
        ("ARRESTED", "Айгерім Сәрсенова"), ("RELEASED", "Айгерім Сәрсенова")]


@pytest.mark.parametrize(("raw", "label", "date"), [
    ("1946 жылы 3 мамырда ол лагерьден босатылып, келесі жылы Жамбыл облысына жер аударылды.",
     "EXILED", "1947"),
    ("1937 жылы 5 қарашада ол тұтқындалды.\nСол айда оның әйелі де тұтқындалды.", "ARRESTED",
     "1937-11"),
    ("1938 жылғы 25 ақпанда ол ату жазасына кесілді.\nҮкім келесі күні орындалды.", "EXECUTED",
     "1938-02-26"),
    ("1937 жылы 31 желтоқсанда ол тұтқындалды.\nКелесі күні үйі тәркіленді.", "CONFISCATED",
     "1938-01-01"),
    ("1956 жылы 2 мамырда ол ақталды.\nОның інісі де сол жылы ақталды.", "REHABILITATED", "1956"),
])
def test_that_year_and_the_next_day_are_read_from_the_last_date(raw: str, label: str,
                                                                  date: str) -> None:
    last = [attrs for lab, attrs in _events(raw) if lab == label][-1]
    assert last["date"] == date
    assert last["date_inferred"] is True


def test_a_date_that_qualifies_a_noun_does_not_date_the_event() -> None:
    raw = ("1956 жылы 4 қазанда сот 1938 жылғы үкімнің күшін жойып, оны ақтады.\n"
           "Әйелі де сол жылы ақталды.")
    dates = [attrs["date"] for lab, attrs in _events(raw) if lab == "REHABILITATED"]
    assert dates == ["1956-10-04", "1956"]
    alone = _events("Ол 1989 жылғы 16 қаңтардағы Жарлықпен ақталды.")
    assert [attrs["date"] for _, attrs in alone] == ["1989-01-16"]


def test_a_kin_word_before_a_name_names_that_person_later_on() -> None:
    raw = ("Әкем Сағынбай Жолдасбеков туралы жазып отырмын.\n"
           "1931 жылы 9 қаңтарда әкемді ОГПУ қызметкерлері үйден алып кетті.\n"
           "Әкемнің інісі Тұрсынбай Жолдасбеков сол түні Қытайға қашып кетті.\n"
           "Келесі күні әкемнің үйі мен малы тәркіленді.\n"
           "Әкем 1935 жылы лагерьден босатылды.")
    got = [(label, attrs.get("subject"), attrs.get("subject_inferred")) for label, attrs in _events(raw)]
    assert got == [("ARRESTED", "Сағынбай Жолдасбеков", True),
                   ("ESCAPED", "Тұрсынбай Жолдасбеков", None),
                   ("CONFISCATED", "Сағынбай Жолдасбеков", True),
                   ("RELEASED", "Сағынбай Жолдасбеков", True)]


def test_a_pronoun_takes_the_subject_of_the_last_event_of_its_paragraph() -> None:
    raw = ("Әжеміз Бибіжамал 1932 жылы Семей түрмесіне қамалды, әкем Әбілқайыр балалар үйіне "
           "берілді. Ол 1933 жылдың наурызында сол түрмеде қайтыс болды.")
    died = [attrs for label, attrs in _events(raw) if label == "DIED_IN_CUSTODY"]
    assert [d["subject"] for d in died] == ["Бибіжамал"]


def test_people_named_by_a_participle_and_a_collective_numeral_are_no_new_event() -> None:
    raw = "Ату жазасына кесілген екеуі 1937 жылғы 3 қарашада Алматыда атылды."
    assert _labels(raw) == ["EXECUTED"]


def test_that_month_earlier_in_the_sentence_dates_a_later_clause() -> None:
    raw = ("1937 жылы 12 қазанда ол тұтқындалды.\n"
           "Сол айда тағы 14 адам, олардың ішінде бұрынғы болыс та, ұсталды.\n"
           "Желтоқсанда ауыл молдасы тұтқындалды.")
    dates = [attrs["date"] for label, attrs in _events(raw) if label == "ARRESTED"]
    assert dates == ["1937-10-12", "1937-10", "1937-12"]


def test_a_participle_before_a_count_in_the_genitive_is_no_event() -> None:
    raw = "Ауылдан тұтқындалған 17 адамның бәрі 1989 жылы 14 желтоқсанда ақталды."
    assert _labels(raw) == ["REHABILITATED"]


def test_expelled_communists_readmission_and_exile_by_sentence() -> None:
    assert "EXPELLED_FROM_PARTY" in _labels("Маскүнемдігі үшін тағы 318 коммунист шығарылды.")
    assert "READMITTED_TO_PARTY" in _labels("Комиссия 64 адамды партия қатарына қалпына келтірді.")
    assert _labels("Ерекше кеңес оны бес жылға Воронеж облысына жер аударуға кесті.") == ["EXILED"]
    assert _labels("Сот тоғыз айыпталушының бәрін кінәлі деп тапты.") == ["CONVICTED"]


def test_a_fact_reported_counts_a_plan_or_a_charge_does_not() -> None:
    assert _labels("1956 жылы әкемнің ақталғаны туралы анықтама келді.") == ["REHABILITATED"]
    assert _labels("Үкім 1938 жылы 19 қаңтарда түрмеде орындалған деп айтылады.") == ["EXECUTED"]
    assert _labels("Оны тұтқындау туралы шешім шықты.") == []
    assert _labels("Оның 1942 жылы лагерьде қайтыс болғаны туралы жалған куәлік берілді.") == []


def test_a_decision_dated_in_the_events_own_clause_dates_it() -> None:
    raw = ("1937 жылы 20 қазанда тұтқындалып, НКВД үштігінің 1937 жылғы 4 қарашадағы қаулысымен "
           "ату жазасына кесілген.")
    got = {label: attrs["date"] for label, attrs in _events(raw)}
    assert got == {"ARRESTED": "1937-10-20", "SENTENCED_TO_DEATH": "1937-11-04"}


def test_yesterday_is_the_day_before_the_dateline() -> None:
    raw = ("«Ақмола правдасы», Ақмола, 1937 жылғы 4 қазан.\n"
           "Бұрын 1937 жылы 2 қазанда жиналыс өтті.\n"
           "Кеше облыстық сот зиянкестердің ісін қарады.\n"
           "Айыпталушы Серікбаев ату жазасына кесілді.")
    death = next(a for label, a in _events(raw) if label == "SENTENCED_TO_DEATH")
    assert death["date"] == "1937-10-03"  # the dateline's day before, not the latest date's
    assert "date" not in next(iter(_events("Кеше ол тұтқындалды.")))[1]  # no dateline: no date


def test_a_converb_chain_shares_its_patients_unless_the_clause_names_its_own() -> None:
    shared = dict(_events("Тағы екі қызметкер қатаң сөгіс алып, жұмыстан босатылды."))
    assert shared["DISMISSED"]["count"] == 2 and "subject" not in shared["DISMISSED"]
    back = dict(_events("Тексерістен кейін 83 адамның ісі тоқтатылып, олар түрмеден босатылды."))
    assert back["RELEASED"]["count"] == 83
    rest = dict(_events("Олардың 140-ы ату жазасына кесіліп, қалғандары лагерьге жіберілді."))
    assert "count" not in rest["IMPRISONED"]


def test_a_kin_word_after_a_name_is_that_persons_title() -> None:
    raw = ("Атам Мұхамеджан Тәжібаев 1930 жылы ұсталды.\n"
           "Атамның ағасы Сағынтай да ұсталды.\n"
           "Ал Сағынтай атам 1931 жылы түрмеден босатылды.")
    released = dict(_events(raw))["RELEASED"]
    assert released["subject"] == "Сағынтай"


def test_an_office_left_a_defendant_and_a_death_sentence_assigned() -> None:
    assert _labels("Сол жылы Омаров колхоз төрағалығынан босатылды.") == ["DISMISSED"]
    assert _labels("Қалған екі сотталушы лагерьлердің біріне жөнелтілді.") == ["IMPRISONED"]
    assert _labels("Оның орынбасарына ату жазасы тағайындалды.") == ["SENTENCED_TO_DEATH"]


def test_a_relative_date_is_carried_on_and_a_season_gives_the_year() -> None:
    raw = ("1933 жылы 11 мамырда Сыздықов тұтқындалды.\n"
           "Келесі күні оның малы тәркіленді.\n"
           "Оған зиянкестік жасады деген айып тағылды.\n"
           "Көктемде отбасын Ақмола округіне жер аударды.")
    got = dict(_events(raw))
    assert got["CONFISCATED"]["date"] == "1933-05-12"
    assert got["ACCUSED"]["date"] == "1933-05-12" and got["ACCUSED"]["date_inferred"]
    assert got["EXILED"]["date"] == "1933"


def test_a_nominalized_event_takes_its_subject_in_the_genitive() -> None:
    raw = ("1937 жылы әкем Ғабдолла Тоқтаровты алып кетті.\n"
           "Шешем Сәуле хат жазды.\n"
           "1956 жылы әкемнің ақталғаны туралы анықтама келді.")
    assert dict(_events(raw))["REHABILITATED"]["subject"] == "Ғабдолла Тоқтаров"


def test_kin_counted_and_an_object_pronoun_keeps_the_person_through_the_sentence() -> None:
    two = dict(_events("Оның екі ағасы да 1938 жылы сотталған."))["CONVICTED"]
    assert two["count"] == 2 and "subject" not in two
    raw = ("5. Қали Серғазин, 1904 жылы туған, ауылдық кеңес төрағасы.\n"
           "Оны 1938 жылы 2 қаңтарда НКВД қызметкерлері алып кетіп, 1938 жылы 20 ақпанда атып тастаған.")
    shot = dict(_events(raw))["EXECUTED"]
    assert shot["subject"] == "Қали Серғазин"


def test_a_new_paragraph_goes_on_with_the_person_the_text_is_about() -> None:
    raw = ("Әбдікәрімов 1932 жылы тұтқындалды.\nӘбдікәрімов 1933 жылы босатылды.\n"
           "Әйелі Мәриям да 1933 жылы жер аударылды.\n\n"
           "1937 жылы тамызда колхоз басқармасы оны есепші қызметінен босатты.")
    assert dict(_events(raw))["DISMISSED"]["subject"] == "Әбдікәрімов"


def test_a_new_paragraph_goes_on_with_the_last_events_person() -> None:
    raw = ("Сұлтанбекова 1937 жылы тұтқындалды.\n\n"
           "Тергеушілер баланы жібермек болды, бірақ баланы інісі Сапар ауылына алып кетті.\n\n"
           "Ол 1946 жылы лагерьден босатылды.")
    assert dict(_events(raw))["RELEASED"]["subject"] == "Сұлтанбекова"


def test_a_nominalized_event_is_not_the_addressees() -> None:
    raw = "Ерғалиға әкесінің 1937 жылы атылғаны туралы шындық тек 1990 жылы айтылды."
    assert dict(_events(raw))["EXECUTED"].get("subject") != "Ерғали"


def test_the_sentence_carried_out_is_the_groups_and_a_genitive_with_ozi_is_the_subject() -> None:
    raw = ("1937 жылы үш адам тұтқындалған: Сәрсенбаев, Ысқақов және Ділдәбаев.\n"
           "НКВД үштігі 1938 жылы 11 ақпанда үшеуін де ату жазасына кесті.\n"
           "Үкім 1938 жылы 19 ақпанда орындалды.")
    shot = dict(_events(raw))["EXECUTED"]
    assert shot["count"] == 3 and "subject" not in shot
    him = dict(_events("Мұқашевтың өзі де 1937 жылғы 2 қарашада қамауға алынды."))["ARRESTED"]
    assert him["subject"] == "Мұқашев"


def test_a_reprimand_in_the_instrumental_an_accusation_far_from_its_verb_and_property_taken() -> None:
    assert _labels("Мұқанов қатаң сөгіспен директорлықтан алынды.") == ["REPRIMANDED", "DISMISSED"]
    assert "ACCUSED" in _labels(
        "Үшеуіне де айып Қылмыстық кодекстің 58-10 және 58-11-баптары бойынша тағылды.")
    assert "CONFISCATED" in _labels("Жұмабайдың да малы тартып алынып, өзі Сібірге жер аударылды.")
    assert _labels("Ол тұтқындалмады.") == []


def test_the_pluperfect_is_a_fact_and_the_irrealis_is_not() -> None:
    assert _labels("Омаров 1945 жылы шілдеде лагерьден босатылған еді.") == ["RELEASED"]
    assert _labels("Омаров сол жылы лагерьден босатылар еді.") == []


def test_a_count_before_a_pronoun_object_counts_the_agents() -> None:
    raw = "Бердібеков 1937 жылы босады.\nКүзінде түнде екі адам келіп, оны тағы алып кетті."
    taken = dict(_events(raw))["ARRESTED"]
    assert "count" not in taken and taken["subject"] == "Бердібеков"
    assert dict(_events("1932 жылы 74 отағасы жер аударылды."))["EXILED"]["count"] == 74
