"""The parser on the five seeds (every field, every paragraph) and on the
general patterns they stand for."""

from __future__ import annotations

import pytest

from store.text.parse import (
    dateline_line,
    lead_title,
    parse_article,
    parse_page,
    split_paragraphs,
    take_dateline,
)


def lines_of(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


def test_seed_000_no_headline_dateline_in_parentheses(seed_texts: dict[str, str]) -> None:
    article = parse_article(seed_texts["000"])
    raw = lines_of(seed_texts["000"])
    assert article.dateline == "كراماتورسك"
    assert article.credits == []
    assert article.site is None
    # The title is made from the lead sentence, never from the dateline.
    assert article.title_from_lead
    assert (
        article.title
        == "“دعهم يحاولون!” تحدى الرئيس الروسي فلاديمير بوتين اليوم الخميس الغربيين لهزيمة روسيا…"
    )
    assert "كراماتورسك" not in article.title
    # The dateline leaves the first paragraph; nothing else is lost or changed.
    assert article.paragraphs[0] == raw[0].removeprefix("(كراماتورسك) ")
    assert article.paragraphs[1:] == raw[1:]
    assert len(article.paragraphs) == 37


def test_seed_001_headline_and_agency_dateline(seed_texts: dict[str, str]) -> None:
    article = parse_article(seed_texts["001"])
    raw = lines_of(seed_texts["001"])
    assert article.title == "بوتين وشي يجريان محادثات بينما تقصف روسيا أوكرانيا مجددا"
    assert not article.title_from_lead
    assert article.dateline == "كييف، أوكرانيا"
    assert article.credits == ["AP"]
    assert article.paragraphs[0] == raw[1].removeprefix("كييف، أوكرانيا (أ ب)- ")
    assert article.paragraphs[1:] == raw[2:]
    assert len(article.paragraphs) == 20


def test_seed_002_headline_then_body(seed_texts: dict[str, str]) -> None:
    article = parse_article(seed_texts["002"])
    raw = lines_of(seed_texts["002"])
    assert article.title == "روسيا تضغط على هجوم في كورسك وسط محادثات وقف إطلاق النار معنا"
    assert article.dateline is None
    assert article.credits == []
    assert article.paragraphs == raw[1:]
    assert any("iskander-m" in p and "178" in p for p in article.paragraphs)


def test_seed_003_site_tagline_repeats_read_more_credits(seed_texts: dict[str, str]) -> None:
    article = parse_article(seed_texts["003"])
    raw = lines_of(seed_texts["003"])
    assert article.site == "Qsarpress"
    assert article.title == "روسيا ترفض محادثات السلام مع أوكرانيا وتقول إنها لن تستسلم"
    assert article.credits == ["AP", "Evgeniy Maloletka / AP", "بلومبرج نيوز"]
    assert article.dateline is None
    boilerplate = {
        "Qsarpress",
        "ما في ذلك السياسة والأعمال والتكنولوجيا والحياة والرأي والرياضة.",
        "قراءة المزيد:",
        "AP",
        "Evgeniy Maloletka / AP",
        "بلومبرج نيوز",
    }
    expected: list[str] = []
    for line in raw:
        if line in boilerplate or line.startswith("* ") or line.startswith("READ "):
            continue
        if line == article.title or line in expected:
            continue  # the headline printed twice, captions repeating the body
        expected.append(line)
    assert article.paragraphs == expected
    assert len(article.paragraphs) == 15
    body = "\n".join(article.paragraphs)
    for gone in ("قراءة المزيد", "READ", "Govt-19", "*", "Qsarpress", "بلومبرج", "Maloletka"):
        assert gone not in body
    assert len(set(article.paragraphs)) == len(article.paragraphs)


def test_seed_004_no_headline_glued_words_kept(seed_texts: dict[str, str]) -> None:
    article = parse_article(seed_texts["004"])
    raw = lines_of(seed_texts["004"])
    assert article.title_from_lead
    assert article.title.startswith("وقال الكرملين أمسلا تزال طموحات أوكرانيا")
    assert article.title.endswith("…")
    assert article.dateline is None
    assert article.paragraphs == raw
    assert len(article.title) <= 91


@pytest.mark.parametrize(
    ("paragraph", "dateline", "agency", "rest"),
    [
        ("(كراماتورسك) قال مسؤولون إن القصف استمر طوال الليل", "كراماتورسك", None, "قال مسؤولون"),
        ("كييف، أوكرانيا (أ ب)- تعهد الرئيس بتعميق التعاون", "كييف، أوكرانيا", "AP", "تعهد"),
        (
            "موسكو، 12 مارس (رويترز) — قال الكرملين اليوم إن المحادثات مستمرة",
            "موسكو، 12 مارس",
            "Reuters",
            "قال",
        ),
        ("القاهرة - أعلنت الحكومة المصرية اليوم عن خطة جديدة للطاقة", "القاهرة", None, "أعلنت"),
        ("(أ ف ب) - قالت الشرطة إن التحقيق جار في الحادث", None, "AFP", "قالت"),
        ("قال الرئيس إن الحرب - كما يبدو - ستطول", None, None, "قال الرئيس"),
    ],
)
def test_datelines(paragraph: str, dateline: str | None, agency: str | None, rest: str) -> None:
    found, found_agency, remainder = take_dateline(paragraph)
    assert (found, found_agency) == (dateline, agency)
    assert remainder.startswith(rest)


LEAD = "قال مسؤولون إن الصواريخ أصابت مباني سكنية في العاصمة الأوكرانية صباح اليوم."


def test_site_and_tagline_above_a_headline_printed_once() -> None:
    article = parse_article(f"Sawt al-Balad\n\nأخبار العالم العربي لحظة بلحظة.\n\nروسيا تقصف كييف\n\n{LEAD}")
    assert (article.site, article.title, article.paragraphs) == ("Sawt al-Balad", "روسيا تقصف كييف", [LEAD])
    assert article.removed == ["أخبار العالم العربي لحظة بلحظة."]


def test_site_without_headline_is_not_the_title() -> None:
    article = parse_article(f"Akhbar Today\n\n{LEAD}\n\nوأضافوا أن فرق الإنقاذ تعمل.")
    assert article.site == "Akhbar Today"
    assert article.title_from_lead and article.title.startswith("قال مسؤولون")
    assert article.paragraphs == [LEAD, "وأضافوا أن فرق الإنقاذ تعمل."]


def test_short_sentence_under_a_site_without_headline_is_kept() -> None:
    text = f"Qsarpress\n\nقال الكرملين إن المحادثات ستستمر.\n\n{LEAD}"
    assert parse_article(text).paragraphs == ["قال الكرملين إن المحادثات ستستمر.", LEAD]


def test_short_latin_headline_of_an_english_article_is_its_title() -> None:
    article = parse_article(
        "Putin meets Xi\n\nPresident Putin met Xi Jinping on Friday in Moscow.\n\nThey talked."
    )
    assert (article.title, article.site) == ("Putin meets Xi", None)


def test_read_more_block_with_other_wording_and_bullets() -> None:
    text = "\n".join(
        [
            "عنوان الخبر الرئيسي هنا اليوم",
            "الفقرة الأولى من الخبر تقول شيئا مهما.",
            "اقرأ أيضاً:",
            "• رابط إلى خبر آخر",
            "- رابط ثالث",
            "الفقرة الثانية تكمل الخبر.",
            "ALSO READ: Something in English",
        ]
    )
    article = parse_article(text)
    assert article.title == "عنوان الخبر الرئيسي هنا اليوم"
    assert article.paragraphs == ["الفقرة الأولى من الخبر تقول شيئا مهما.", "الفقرة الثانية تكمل الخبر."]


def test_bullets_outside_read_more_blocks_are_kept() -> None:
    text = "عنوان القائمة المهمة\n\nالنقاط هي:\n* الأولى\n* الثانية\nانتهى الخبر هنا بجملة كاملة."
    article = parse_article(text)
    assert "* الأولى" in article.paragraphs and "* الثانية" in article.paragraphs


def test_photo_credits_and_lone_agencies_become_credits() -> None:
    text = "\n".join(
        [
            "عنوان الخبر عن الحرب",
            "الفقرة الأولى.",
            "Efrem Lukatsky / AP",
            "(AP Photo/Efrem Lukatsky)",
            "رويترز",
            "الفقرة الثانية.",
            "سكاي نيوز",
        ]
    )
    article = parse_article(text)
    assert article.paragraphs == ["الفقرة الأولى.", "الفقرة الثانية."]
    assert article.credits == ["Efrem Lukatsky / AP", "AP Photo/Efrem Lukatsky", "Reuters", "سكاي نيوز"]


def test_hard_wrapped_paragraphs_are_joined_back() -> None:
    text = (
        "عنوان\n\n"
        "هذه فقرة طويلة كتبت على عدة أسطر لأن الأداة التي\n"
        "استخرجتها من الصفحة قصت الأسطر عند عرض ثابت كما\n"
        "تفعل بعض الأدوات القديمة.\n\n"
        "فقرة ثانية قصيرة."
    )
    assert split_paragraphs(text)[1] == (
        "هذه فقرة طويلة كتبت على عدة أسطر لأن الأداة التي استخرجتها من الصفحة قصت الأسطر "
        "عند عرض ثابت كما تفعل بعض الأدوات القديمة."
    )


def test_lead_title_cut_on_a_word_boundary() -> None:
    sentence = "قال " + "كلمة " * 40 + "النهاية."
    title = lead_title(sentence, limit=60)
    assert title.endswith("…")
    assert len(title) <= 61
    assert title[:-1] in sentence
    assert title[-2] != " "


def test_short_lead_sentence_is_the_whole_title() -> None:
    assert lead_title("انفجار في المدينة. وقال شهود إن الدخان شوهد من بعيد.") == "انفجار في المدينة"


def test_whitespace_is_normalised_and_nothing_else_changes() -> None:
    article = parse_article("عنوان   الخبر\n\n  نص\u00a0\u00a0مع   مسافات\t زائدة.  \n")
    assert article.title == "عنوان الخبر"
    assert article.paragraphs == ["نص مع مسافات زائدة."]


@pytest.mark.parametrize("text", ["", "   ", "\n\n", "كلمة", "!!!", "(", "(كراماتورسك)"])
def test_degenerate_inputs_do_not_raise(text: str) -> None:
    article = parse_article(text)
    assert isinstance(article.paragraphs, list)


@pytest.mark.parametrize(
    ("paragraph", "dateline", "agency", "rest"),
    [
        ("دمشق، سوريا (CNN) -- أعاد المتحف الوطني فتح أبوابه أمام الزوار", "دمشق، سوريا", "CNN", "أعاد"),
        ("القاهرة - رويترز: أعلنت الحكومة اليوم عن خطة جديدة للطاقة", "القاهرة", "Reuters", "أعلنت"),
        ("(رويترز) - عادت عشرات المصانع إلى العمل في المدينة", None, "Reuters", "عادت"),
        ("واشنطن – أ ف ب أقر الكونغرس مساء الأحد مشروع قانون", "واشنطن", "AFP", "أقر"),
        ("واشنطن – أ ف ب: أقر الكونغرس مساء الأحد مشروع قانون", "واشنطن", "AFP", "أقر"),
        ("عمان - بترا - شهدت مناطق واسعة من المملكة أمس أمطارا", "عمان", "Petra", "شهدت"),
        ("الدمام - واس: افتتحت المؤسسة أمس أكبر محطة للتحلية", "الدمام", "SPA", "افتتحت"),
        ("بيروت (أ.ف.ب) - قال مسؤولون إن المحادثات مستمرة حتى الآن", "بيروت", "AFP", "قال"),
        ("غزة- عاد مئات الصيادين إلى البحر هذا الأسبوع", "غزة", None, "عاد"),
        ("لندن: «صحيفة الحياة» قال مسؤولون إن المحادثات مستمرة", "لندن", "صحيفة الحياة", "قال"),
        ("LONDON (Reuters) - Oil prices held steady on Tuesday", "LONDON", "Reuters", "Oil"),
        ("KYIV, Ukraine (AP) — Russia launched another wave of drones", "KYIV, Ukraine", "AP", "Russia"),
        # Not datelines: a quotation after a colon, a name before a dash.
        ("وقال: «لن نتراجع» عن هذا القرار أبدا مهما حدث", None, None, "وقال"),
        ("Dee Dee Myers — a White House press secretary for many years", None, None, "Dee"),
        ("الرياض - واسعة هي المساحات التي تغطيها الحملة الجديدة هذا العام", "الرياض", None, "واسعة"),
    ],
)
def test_more_datelines(paragraph: str, dateline: str | None, agency: str | None, rest: str) -> None:
    found, found_agency, remainder = take_dateline(paragraph)
    assert (found, found_agency) == (dateline, agency)
    assert remainder.startswith(rest)


def test_site_name_after_a_place_is_the_credit() -> None:
    text = "أبوظبي - سكاي نيوز عربية قالت وزارة الصحة إن عدد الحالات تراجع هذا الأسبوع"
    assert take_dateline(text, ("سكاي نيوز عربية",))[:2] == ("أبوظبي", "سكاي نيوز عربية")
    assert take_dateline(text)[:2] == ("أبوظبي", None)


BODY = [
    "قال مسؤولون إن الصواريخ أصابت مباني سكنية في العاصمة صباح اليوم.",
    "وأضافوا أن فرق الإنقاذ تعمل على انتشال العالقين تحت الأنقاض.",
]


def test_parse_page_takes_the_dateline_and_keeps_the_title() -> None:
    article = parse_page("عنوان الخبر", ["كييف، أوكرانيا (أ ب)- " + BODY[0], BODY[1]])
    assert (article.title, article.title_from_lead) == ("عنوان الخبر", False)
    assert (article.dateline, article.credits) == ("كييف، أوكرانيا", ["AP"])
    assert article.paragraphs == BODY


def test_parse_page_drops_the_headline_printed_again_and_finds_the_dateline_under_it() -> None:
    article = parse_page("عنوان الخبر", ["عنوان الخبر", "أخبار", "الرباط - " + BODY[0], BODY[1]])
    assert article.dateline == "الرباط"
    assert article.paragraphs == ["أخبار", *BODY]
    assert "عنوان الخبر" in article.removed


def test_parse_page_finds_an_agency_dateline_under_a_summary() -> None:
    summary = "التمديد يمنح المشرعين سبعة أسابيع إضافية للتفاوض على موازنة العام الكامل."
    article = parse_page("عنوان", [summary, "واشنطن – أ ف ب: " + BODY[0], BODY[1]])
    assert (article.dateline, article.credits) == ("واشنطن", ["AFP"])
    assert article.paragraphs == [summary, *BODY]
    # Past the lead, a place without an agency is not taken for a dateline.
    article = parse_page("عنوان", [summary, "القاهرة - " + BODY[0]])
    assert article.dateline is None


def test_parse_page_read_more_links_sources_and_repeats() -> None:
    paragraphs = [
        BODY[0],
        "اقرأ أيضا: ما الذي يحدث عندما تغلق الحكومة أبوابها؟",
        "اقرأ أيضاً",
        "• رابط إلى خبر آخر",
        "• رابط ثان",
        BODY[1],
        "أخبار ذات صلة",
        "مزارعو الغاب يشكون من نقص الأسمدة",
        "أسعار الذهب تسجل مستوى قياسيا جديدا",
        BODY[0],
        "المصدر: الجزيرة + وكالات",
    ]
    article = parse_page("عنوان", paragraphs)
    assert article.paragraphs == BODY
    assert article.credits == ["الجزيرة + وكالات"]
    assert "مزارعو الغاب يشكون من نقص الأسمدة" in article.removed


def test_one_line_under_a_read_more_heading_is_a_subheading() -> None:
    article = parse_page("عنوان", [BODY[0], "قصص مقترحة", "توفير في المياه", BODY[1]])
    assert article.paragraphs == [BODY[0], "توفير في المياه", BODY[1]]


def test_parse_page_without_a_title_makes_one_from_the_lead() -> None:
    article = parse_page("", BODY)
    assert article.title_from_lead and article.title.startswith("قال مسؤولون")
    assert parse_page(None, []).paragraphs == []


def test_parse_page_sanitises_like_parse_article() -> None:
    article = parse_page("عنوان\u202e\x1b[2J", ["نص\x1b]0;x\x07 الخبر\u202e كاملا هنا."], site="موقع\u202e")
    assert (article.title, article.paragraphs, article.site) == ("عنوان", ["نص الخبر كاملا هنا."], "موقع")


def test_parse_article_and_parse_page_agree_on_the_body() -> None:
    text = (
        "عنوان الخبر\n\nكييف، أوكرانيا (أ ب)- "
        + BODY[0]
        + "\n\nقراءة المزيد:\n* رابط\n\n"
        + BODY[1]
        + "\n\nرويترز"
    )
    whole = parse_article(text)
    page = parse_page("عنوان الخبر", text.split("\n\n")[1:])
    assert (whole.title, whole.paragraphs, whole.dateline, whole.credits) == (
        page.title,
        page.paragraphs,
        page.dateline,
        page.credits,
    )


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("أبوظبي - سكاي نيوز عربية", ("أبوظبي", "سكاي نيوز عربية")),
        ("سكاي نيوز عربية - أبوظبي", ("أبوظبي", "سكاي نيوز عربية")),
        ("لندن: «الشرق الأوسط»", ("لندن", "الشرق الأوسط")),
        ("بيروت (رويترز)", ("بيروت", "Reuters")),
        ("القاهرة - أ ش أ", ("القاهرة", "MENA")),
        ("الخطة - الأولى", None),
        ("الحرب في غزة - تحليل", None),
    ],
)
def test_dateline_on_a_line_of_its_own(line: str, expected: tuple[str, str] | None) -> None:
    assert dateline_line(line, ("سكاي نيوز عربية", "الشرق الأوسط")) == expected


def test_parse_page_takes_a_dateline_line_above_the_lead() -> None:
    article = parse_page("عنوان", ["عنوان", "سكاي نيوز عربية - أبوظبي", *BODY], site="سكاي نيوز عربية")
    assert (article.dateline, article.credits, article.paragraphs) == ("أبوظبي", ["سكاي نيوز عربية"], BODY)
