"""Names across scripts: «زيلينسكي» finds "Zelensky", "Sudzha" finds «سودجا».

Transliterating Arabic letter by letter (زيلينسكي -> zylynsky) and comparing
strings joins under half of real name pairs, so both scripts are read as one
*phonetic skeleton* instead, and a pair of words whose skeletons agree is
then checked slot by slot.

Symbols
    A word is read as a string of symbols. Consonants are upper-case phonemes
    both scripts can write: B (b p ب), F (f v ph ف), T (t ت ط), Θ (th ث),
    D (d د ض), Ð (dh ذ), S (s س ص), Š (sh ش), Č (ch, Arabic تش), Z (z ز ظ),
    J (j dj dzh ج, Arabic دج), K (k c ك), Q (q ق), X (kh خ), G (g gh غ),
    H (h ه ح), L, M, N, R. Vowels are lower-case *slots*: Latin a e i o u y w,
    Arabic ا (a), و (u), ي (i), ع/ء ('), a final ه (h: the ta marbuta, a
    final -a/-e), and ā for the article read as part of a name.

Keys: :func:`name_key`, :func:`name_keys`
    The key keeps the consonants, each folded into a coarse class where
    transliterations waver: Θ->T, Ð->D, Š/Č/Z->S (Guterres غوتيريش, Collins
    كولينز), J->G (Egyptian ج for g), Q/X->K; a symbol repeated is counted
    once. «زيلينسكي» and "zelensky" both give ``SLNSK``, «سودجا» and
    "sudzha" ``SG``. Latin spelling is ambiguous where Arabic is not — w is a
    vowel in William and ف in Wagner, ch is تش, ش or خ, j is ج, ي or خ, c is ك,
    س, تش or (Turkish) ج, a French final consonant may be silent — so a Latin
    word has a few other readings (at most 16, each costing a little), each
    with its key; the first is the usual one. An Arabic word with the article
    is read without it (الاسد is Assad, الكرملين Kremlin) and, at a cost, as
    written (الكسندر is Alexander). Words that cannot be names get no key:
    shorter than three letters, with digits, or in :data:`COMMON_ARABIC` /
    :data:`COMMON_LATIN` (function words and the commonest words of news, in
    both scripts; an Arabic common word behind the article too).

Verification: :func:`same_name`, :func:`name_score`
    Between and around the consonants, the vowel gaps of the two words are
    aligned by a small edit distance: a vowel letter Arabic writes must be
    heard in the Latin spelling (ا ~ a/e, و ~ o/u/w, ي ~ i/e/y; اي ~ English
    i, a final ي ~ a for ى), an initial vowel must be written in Arabic (by
    ا or ع; an initial ي is y/i/e, an initial و w/o/u), a final Latin vowel
    other than a silent e must be written too; a Latin short vowel Arabic
    leaves out costs a little, more alone than inside ou/ee/ie. Fine
    consonant differences under one class (س/ش, ك/ق/خ, ج/غ) cost a little.
    The penalty allowed grows with the consonants the key agrees on and the
    vowel letters the Arabic spelling writes (:data:`_ALLOWED`), the
    evidence that this is a transliteration at all: a match with a
    vowel-less native word (حسن, قدر, شرب) must be near exact, one with
    زيلينسكي has room. The table was set on three public transliteration
    corpora against thousands of common words of both languages.

Places: :func:`cldr_names`
    Exonyms whose spellings no skeleton joins (Kyiv/كييف, Jerusalem/القدس,
    Egypt/مصر, Germany/ألمانيا) come from CLDR's localized territory names
    and time-zone exemplar cities, Arabic against English, through Babel,
    plus a short table of our own for places CLDR has no zone for
    (Beijing/بكين, Geneva/جنيف). Kept in ``data/exonyms.tsv`` (made by
    ``dev/names.py --cldr-out``), read in a millisecond on first use.

Search: :func:`cross_script`, :class:`NameIndex`
    ``cross_script`` scans a vocabulary; ``NameIndex`` keeps the words of a
    library by key so that a lookup only checks the words with a key in
    common. Both match across scripts only and rank exonyms, then the
    closest spellings, first.

Everything here takes and returns words in the normalised form of
:func:`store.analysis.arabic.normalise` and matches single words: a
multi-word name is matched word by word by the search engine, which also
strips clitics (و، ب، ل…) before asking.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from store.analysis.arabic import STOPWORDS, fold, is_arabic, normalise

__all__ = [
    "COMMON_ARABIC",
    "COMMON_LATIN",
    "NAMES_VERSION",
    "NameIndex",
    "cldr_names",
    "cross_script",
    "name_key",
    "name_keys",
    "name_score",
    "same_name",
]

#: Bump when the keys of any word change: a stored table of keys is then rebuilt.
NAMES_VERSION = 1

# --------------------------------------------------------------------------
# Symbols and classes

#: Fine consonant symbol -> coarse key class.
_COARSE = {
    "B": "B",
    "F": "F",
    "T": "T",
    "Θ": "T",
    "D": "D",
    "Ð": "D",
    "S": "S",
    "Š": "S",
    "Č": "S",
    "Z": "S",
    "J": "G",
    "G": "G",
    "K": "K",
    "Q": "K",
    "X": "K",
    "H": "H",
    "L": "L",
    "M": "M",
    "N": "N",
    "R": "R",
}

# Arabic letter -> symbol ("" for letters that carry nothing here).
_ARABIC_LETTERS = {
    "ا": "a",
    "و": "u",
    "ي": "i",
    "ى": "i",
    "ء": "'",
    "ع": "'",
    "ئ": "'",
    "ؤ": "'",
    "أ": "a",
    "إ": "a",
    "آ": "a",
    "ب": "B",
    "پ": "B",
    "ت": "T",
    "ط": "T",
    "ث": "Θ",
    "ج": "J",
    "ژ": "J",
    "چ": "Č",
    "ح": "H",
    "ه": "H",
    "ة": "h",
    "خ": "X",
    "د": "D",
    "ض": "D",
    "ذ": "Ð",
    "ر": "R",
    "ز": "Z",
    "ظ": "Z",
    "س": "S",
    "ص": "S",
    "ش": "Š",
    "غ": "G",
    "ف": "F",
    "ڤ": "F",
    "ق": "Q",
    "ك": "K",
    "گ": "G",
    "ل": "L",
    "م": "M",
    "ن": "N",
}
_ARTICLE = "ال"
#: Cost of reading the article as part of a name (الكسندر Alexander, rarer than الاسد Assad).
_ARTICLE_WRITTEN = 0.3

# Latin letters that normalise leaves outside a-z.
_LATIN_FOLD = str.maketrans(
    {
        "ł": "l",
        "ø": "o",
        "æ": "ae",
        "œ": "oe",
        "ß": "ss",
        "þ": "th",
        "ð": "d",
        "đ": "d",
        "ı": "i",
        "ħ": "h",
        "ŋ": "ng",
    }
)
_NOT_LATIN = re.compile("[^a-z]")
_VOWEL_LETTERS = frozenset("aeiouy")

# Latin graphemes, longest first. Each maps to its readings, the usual one
# first; a reading is a string of symbols, "ə" being a vowel slot that Arabic
# may or may not write (the a of "Mc").
_LATIN_GRAPHEME = re.compile(
    "tsch|sch|tch|tsh|dzh|dsh|ch|sh|zh|kh|gh|ph|th|dh|dj|dz|ck|cq|qu|cz|sz|dt|cc|ll|eu|[a-z]"
)
_GRAPHEMES: dict[str, tuple[str, ...]] = {
    "a": ("a",),
    "e": ("e",),
    "i": ("i",),
    "o": ("o",),
    "u": ("u",),
    "eu": ("eu", "oi"),
    "y": ("y",),
    "w": ("w", "F"),
    "b": ("B",),
    "p": ("B",),
    "f": ("F",),
    "v": ("F",),
    "ph": ("F",),
    "t": ("T",),
    "dt": ("T", "DT"),
    "th": ("Θ", "TH", "Ð"),
    "d": ("D",),
    "dh": ("Ð", "DH", "Z"),
    "s": ("S",),
    "z": ("Z", "TS"),
    "sh": ("Š",),
    "sch": ("Š",),
    "sz": ("Š",),
    "ch": ("Č", "X", "Š"),
    "tch": ("Č",),
    "tsh": ("Č",),
    "tsch": ("Č",),
    "cz": ("Č",),
    "zh": ("J", "Z"),
    "j": ("J", "y", "X"),
    "dj": ("J",),
    "dz": ("DZ", "J"),
    "dzh": ("J",),
    "dsh": ("J",),
    "g": ("G",),
    "gh": ("G", ""),
    "k": ("K",),
    "ck": ("K",),
    "cq": ("K",),
    "kh": ("X",),
    "q": ("Q",),
    "qu": ("Qw", "K"),
    "x": ("KS",),
    "c": ("K", "Č", "S", "J"),
    "cc": ("K",),
    "h": ("H",),
    "l": ("L",),
    "ll": ("L", "y"),
    "m": ("M",),
    "n": ("N",),
    "r": ("R",),
}
_FRONT_VOWELS = frozenset("eiy")
# French final consonants that are not heard (Rocard, Piaget, Breaux).
_SILENT_FINALS = frozenset(("t", "d", "s", "x", "z"))
_DOUBLE_CONSONANT = re.compile(r"([bdfghjkmnpqrstvwz])\1")
#: Cost of a reading other than the usual one, per choice.
_OTHER_READING = 0.15
_SILENT_FINAL = 0.4
_MAX_READINGS = 16

# --------------------------------------------------------------------------
# Words that are never names


def _words(text: str) -> frozenset[str]:
    # fold() folds a text as normalise() folds each of its words, in one pass.
    return frozenset(fold(text).split())


#: Frequent Arabic words (normalised on load): function words, the commonest
#: verbs, nouns and adjectives of news. None of them gets a key, nor does
#: the same word behind the article.
COMMON_ARABIC = STOPWORDS | _words(
    """
    من إلى الى على علي في عن مع حول حين دون بين عبر ضد لدى لدي منذ خلال أمام وراء
    فوق تحت قرب نحو عند عندما حيث بينما لكن لكنه لكنها بل أو أم أن إن أنه أنها إنه
    إنها إذا إذ لو كي لكي لأن حتى ثم أي كل كلا بعض غير سوى مثل مثلا أيضا جدا فقط
    هل ما ماذا متى أين كيف كم لماذا هنا هناك هنالك الآن اليوم أمس غدا قد لقد سوف لن لم
    لا نعم ليس ليست لست لسنا هو هي هم هن هما نحن أنا أنت أنتم أنتن هذا هذه هذان هاتان
    ذلك تلك أولئك الذي التي الذين اللذين اللتين اللواتي اللاتي له لها لهم لهما لنا لي لك
    لكم به بها بهم بنا بي بك فيه فيها فيهم فينا منه منها منهم منا مني عنه عنها عنهم عنا
    عليه عليها عليهم علينا إليه إليها إليهم إلينا معه معها معهم معنا بعد قبل أثناء خارج
    داخل جانب حسب وفق وفقا نحو طوال طيلة إثر عقب جراء بسبب رغم برغم إزاء تجاه لدى كأن
    كانت يكون تكون كانوا يكونون تكن يكن كن صار أصبح أصبحت أضحى ظل ظلت بات باتت مازال
    مازالت لايزال لاتزال زال زالت يزال تزال عاد عادت يعود تعود
    قال قالت قالوا يقول تقول يقولون نقول أقول قيل يقال قول أكد أكدت يؤكد تؤكد أعلن أعلنت
    يعلن تعلن أضاف أضافت يضيف أشار أشارت يشير تشير أوضح أوضحت يوضح ذكر ذكرت يذكر أفاد
    أفادت يفيد اعتبر اعتبرت يعتبر طالب طالبت يطالب دعا دعت يدعو تدعو هدد هددت يهدد حذر
    حذرت يحذر نفى نفت ينفي رفض رفضت يرفض قرر قررت يقرر بدأ بدأت يبدأ تبدأ بدا يبدو تبدو
    استمر استمرت يستمر تمكن حاول حاولت يحاول وصل وصلت يصل تصل غادر زار زارت التقى بحث
    ناقش وقع وقعت يقع تقع شارك شاركت يشارك شن شنت يشن قصف قصفت استهدف أصاب أصيب قتل
    قتلت يقتل قتلوا جرح اعتقل سقط سقطت أطلق أطلقت ضرب دمر احتل سيطر انسحب تقدم هاجم
    دافع فاز فازت خسر خسرت حصل حصلت يحصل بلغ بلغت يبلغ ارتفع ارتفعت انخفض تراجع زاد
    زادت يزيد تزيد جاء جاءت يأتي تأتي أتى ذهب ذهبت خرج خرجت دخل دخلت رأى يرى ترى سمع
    سمعت علم عرف عرفت يعرف فهم كتب كتبت يكتب قرأ نشر نشرت ينشر بث بثت ظهر ظهرت يظهر
    أظهر كشف كشفت يكشف تم يتم تمت جرى جرت يجري تجري وضع جعل ترك فعل عمل عملت يعمل تعمل
    أراد أرادت يريد تريد نريد أريد يجب يمكن ينبغي يستطيع تستطيع قام قامت يقوم تقوم أخذ أعطى
    أعطت سأل طلب طلبت يطلب أرسل أرسلت تلقى استقبل أجرى أجرت شهد شهدت يشهد تشهد بقي يبقى
    أدى أدت يؤدي وجد وجدت يوجد توجد نجح فشل مات ماتت توفي يموت عاش يعيش أحب حب
    يوم أيام اليوم يومين سنة سنوات سنين عام أعوام شهر أشهر شهور أسبوع أسابيع ساعة ساعات
    دقيقة دقائق ثانية لحظة وقت أوقات فترة مرحلة مدة زمن عصر قرن صباح مساء ليل ليلة نهار
    فجر ظهر عصرا الأحد الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت أحد اثنين ثلاثاء أربعاء خميس جمعة سبت
    دولة دول بلد بلاد حكومة حكومات رئيس رؤساء رئيسة وزير وزيرة وزراء وزارة مجلس برلمان
    نائب نواب حزب أحزاب جيش جيوش قوات قوة قوى شعب شعوب ناس أمة أمم مدينة مدن عاصمة قرية
    قرى منطقة مناطق إقليم محافظة ولاية ولايات أرض أراض بحر بحار نهر جبل جبال طريق طرق
    شارع باب بيت بيوت دار منزل منازل مبنى مبان مكتب مكان أماكن موقع مواقع سوق أسواق مال
    أموال سعر أسعار نفط غاز ماء مياه كهرباء طاقة حرب حروب سلم سلام أمن هجوم هجمات غارة
    غارات معركة معارك صاروخ صواريخ طائرة طائرات مسيرة مسيرات دبابة دبابات سلاح أسلحة
    جندي جنود ضابط قائد قادة قتيل قتلى جريح جرحى أسير أسرى لاجئ لاجئين ضحايا ضحية
    خبر أخبار تقرير تقارير بيان مصدر مصادر وكالة صحيفة قناة إذاعة تلفزيون مؤتمر اجتماع
    لقاء زيارة محادثات مفاوضات اتفاق اتفاقية قرار قرارات خطة مشروع عمل أعمال عملية عمليات
    شركة شركات بنك مصرف اقتصاد تجارة صناعة زراعة تعليم صحة مستشفى مدرسة جامعة طالب طلاب
    طبيب أطباء شرطة محكمة قاض قانون دستور انتخابات انتخاب صوت أصوات رأي موقف سياسة
    مسؤول مسؤولين مسؤولون مصدر متحدث ناطق خبير خبراء مراقب مراقبين
    كبير كبيرة كبار صغير صغيرة جديد جديدة جدد قديم قديمة أول أولى أوائل آخر أخرى أخير
    أخيرة ثاني ثانية ثالث ثالثة رابع خامس واحد واحدة اثنان اثنين اثنتين ثلاث ثلاثة أربع
    أربعة خمس خمسة ست ستة سبع سبعة ثمان ثماني ثمانية تسع تسعة عشر عشرة عشرين ثلاثين
    أربعين خمسين مئة مائة مئات ألف آلاف مليون ملايين مليار مليارات نصف ربع ثلث
    كثير كثيرة قليل قليلة عديد عديدة عدة أكثر أقل أكبر أصغر أفضل أسوأ مهم مهمة هام هامة
    كامل كاملة عام عامة خاص خاصة رئيسي رئيسية أساسي أساسية حالي حالية سابق سابقة مقبل
    مقبلة قادم قادمة ماضي ماضية الماضي المقبل دولي دولية عربي عربية غربي غربية شرقي
    شرقية شمالي شمالية جنوبي جنوبية شمال جنوب شرق غرب وسط أوسط عسكري عسكرية سياسي
    سياسية اقتصادي اقتصادية رسمي رسمية وطني وطنية محلي محلية إسلامي إسلامية أمني أمنية
    إنساني إنسانية اجتماعي اجتماعية شعبي شعبية عالمي عالمية مختلف مختلفة طويل طويلة
    قصير قصيرة قريب قريبة بعيد بعيدة سريع سريعة بطيء جيد جيدة سيء صعب صعبة سهل سهلة
    ممكن ضروري واضح واضحة حقيقي حقيقية كافي كافية مباشر مباشرة أبيض أسود أحمر أخضر أزرق
    ابن بن بنت أب أم أخ أخت أبناء أولاد ولد زوج زوجة رجل رجال امرأة نساء طفل أطفال
    شاب شباب فتاة عائلة أسرة أهل صديق أصدقاء إنسان بشر شخص أشخاص أحد عضو أعضاء
    حال حالة أمر أمور شيء أشياء كلام رأس يد عين قلب وجه جسم دم اسم أسماء شكل جزء
    نوع أنواع عدد أعداد نسبة مستوى حجم حق حقوق دور أثر سبب أسباب نتيجة هدف أهداف
    مشكلة مشاكل أزمة قضية قضايا مسألة فكرة كلمة كلمات صورة صور فيلم كتاب رسالة سؤال جواب
    حياة موت علاقة علاقات مجال مجتمع نظام دعم مساعدة مساعدات خدمة خدمات فرصة فرص
    مساء صباحا ليلا نهارا حينا أحيانا دائما أبدا مرة مرات ربما لاسيما خاصة عادة غالبا
    تقريبا حاليا سابقا لاحقا مؤخرا فورا معا وحده أكثر أخيرا أولا ثانيا ثالثا أيضا كذلك
    كنت كنا كنتم بان فان ذات صور صورة وليس مزيد وأنت موت انظر أنك عرض خارجية مني رئيسية
    وصول خير موسم كأس صوت كرة وبين معك ملك وسائل وسيلة عنك مثال اسمه سيدي طول أوسط معنى
    أريد أفراد تعرض أقول باي لأي أصل مات أساس تعني صنع رياضية زال معينة سفر سيدة عمال
    قبول توتر سيد لله عندي عندك عنده عندها عندهم عندنا لدينا لديه لديها لديهم إلا ألا إذن إذا كيفما
    الله عبد بلا ولا وما ومن وفي وعلى وعن ومع وهو وهي وقد ولم وأن وإن وكان
    وكانت فإن فقد كما بما مما عما لما إنما أما إما حتى بعدما قبلما كلما طالما ريثما
    """
)

#: Frequent English words (and a few French, Spanish and German ones seen in
#: news), normalised. None of them gets a key.
COMMON_LATIN = _words(
    """
    a about above across act action add added after again against age ago agree ahead aid air
    all allow almost alone along already also although always am among amount an and anger
    angry animal another answer any anyone anything appear apply are area arm army around arrive
    art as aside ask asked at attack attempt away baby back bad bag ball bank bar base based
    basic battle be bean bear beat beautiful became because become bed been before began begin
    behind being believe bell below benefit best better between beyond big bill billion bit
    black blood blue board boat body bone book border born both bottom box boy brain break bring
    broad brother brought build building built burn business busy but buy by call called calls
    came camp campaign can cannot capital car card care career carry case cash cast cause cell
    center central century certain chair challenge chance change changed chapter charge cheap
    check chief child children choice choose church citizen city civil claim class clean clear
    climate close coach coal coast cold collect college come comes coming common community
    company complete concern condition consider contain continue control cook cool copy core
    corner cost could council count country county couple course court cover crash cream
    create crime crisis cross crowd cry culture cup current cut daily damage dance danger dark
    data date daughter day days dead deal dear death debate decade decide decision deep defense
    degree deliver demand deny department depend describe design despite detail develop did die
    died difference different difficult dinner direct director discover discuss disease do
    doctor does dog doing dollar done door double doubt down draw dream dress drink drive drop
    drug due during duty each early earn earth ease easily east easy eat economic economy edge
    effect effort eight either election else email employee end ends enemy energy enjoy enough
    ensure enter entire equal escape especially even evening event ever every everyone evidence
    exactly example expect experience explain eye face fact factor fail fair faith fall family
    famous far farm fast father fear feature federal feel feet fell felt few field fight figure
    fill film final finally find fine finger finish fire firm first fish five floor fly focus
    follow food foot for force foreign forget form former forward four free fresh friend from
    front fruit full fund future gain game garden gas gate gave general get gift girl give given
    glass go goal god going gold golden gone good got government great green ground group grow
    growth guard guess gun guy hair half hall hand hang happen happy hard has hat hate have he
    head health hear heard heart heat heavy held hell help her here herself high hill him
    himself hire his history hit hold hole home hope horse hospital host hot hotel hour house
    how however huge human hundred hurt husband i idea if ill image imagine impact important
    improve in inc include income increase indeed industry information inside instead interest
    into invest involve is issue issued it item its itself job join joined judge jump june just
    justice keep kept key kid kill killed kind king kitchen knew know knowledge known labor lack
    lady land language large last late later laugh law lay lead leader learn least leave led
    left leg legal less let letter level lie life light like likely limit line list listen
    little live living load loan local long look lose loss lost lot love low lower machine made
    magazine mail main maintain major make male mall man manage many map market
    marriage mass match matter may maybe me mean measure meat media medical meet meeting member
    memory men mention message metal method middle might mile military milk million mind mine
    minister minute miss missed mission model modern moment money month mood more morning most
    mother mouth move movement movie much murder museum music must my myself name nation
    national natural nature near nearly need network never new news next nice night nine no
    none nor normal north not note nothing notice now number occur of off offer offered office
    officer official often oil ok old on once one only onto open opened operation opinion option
    or order other others our out outside over own owner page paid pain paper parent park part
    party pass past patient pay peace people per perform perhaps period person phone pick
    picture piece place plan plane plant play player please point police policy political poor
    popular population position positive possible post pound power practice prepare present
    president press pressure pretty prevent price private probably problem process produce
    product program project property protect prove provide public pull push put quality
    question quick quickly quiet quit quite race radio rain raise ran range rate rather reach
    read ready real reality really reason receive recent record red reduce region remain remove
    report require research resource respond rest result return reveal rich ride right rise
    risk river road rock role roll room rose rule run safe said sale same save saw say scene
    school science score sea season seat second secret section security see seek seem seen
    sell send sense series serious serve service set seven several sex shake shall shape share
    she ship shoot shop short shot should shoulder show side sides sign simple simply since sing
    single sir sister sit site six size skill skin small smile snow so social society soldier
    some someone something sometimes son song soon sorry sort sound source south space speak
    special speech spend sport spring staff stage stand standard star start state statement
    station stay step still stock stop store story strategy street strong structure student
    study stuff style subject success such sudden suffer suggest summer sun support sure surface
    system table take taken talk tall task tax teach teacher team tell ten term test than thank
    that the their them themselves then theory there these they thing think third this those
    though thought thousand threat three through throw thus time tiny to today together told
    tone too took tool top total touch tough toward town trade training travel treat tree trial
    trip trouble true trust truth try turn twice two type under understand union unit until up
    upon us use used uses usual usually value various very victim video view visit voice vote
    wait walk wall want wanted war watch water way we weapon wear week weight welcome well went
    were west what whatever when where whether which while white who whole whom whose why wide
    wife will win wind window wish with within without woman women wonder wont word work worker
    world worry worse would write writer wrong yard yeah year years yes yet you young your
    yourself
    cable bay beer bare bee boon bore buy cap cone cop cut cute den din dine dim dune fan fat fin fit
    fun hail heal hen hire hit hot hut ham hem hum kin lad lane lean led lid lit loan lone lot
    lute mad maid mat mate meal met mid mild mode mole mud mule nail net nil nod node nut pan
    pet pit pot rail ram rat red rid rim rod rot rub rum rut sad sat sail seal seed sin sip sir
    sod sole soul sum sun tab tan tap tea teen tin tip toe ton tub wake wild wit
    acid anyway apart asset assume aware bearing bones boring briefly calling carried cheaper
    claiming committed curious elsewhere fired firing genius ghost laughing measures planet
    produced raised reached scary secure secured selling severe showing sites suffered swing
    times wearing wheels bills wells comic cities changes changed coffee comes
    celle celles comme encore juste leur mere mesure parce pense pourrait puis chez seule cadre
    jeunes bonnes mettre matiere maitre heure assez monsieur carte marque presse projet sommes
    jeder bereich anderes weniger bereit zeitung schwer keine menge herz bereits werde sehr
    parece corte corazon feliz fueron pues mejores quieres cuestion seguir banco
    """
)


# --------------------------------------------------------------------------
# Reading a word as symbols


class _Reading(NamedTuple):
    """One way to read a word: its key, consonant groups, vowel gaps and how unusual it is."""

    key: str
    groups: tuple[str, ...]
    gaps: tuple[str, ...]
    cost: float
    vowels: int  # vowel letters written (Arabic; the ا carrying an initial vowel not counted)


def _fold_latin(word: str) -> str:
    word = word.translate(_LATIN_FOLD)
    if not word.isascii():
        word = "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))
        word = word.translate(_LATIN_FOLD)
    return _NOT_LATIN.sub("", word)


def _latin_units(word: str) -> list[tuple[str, ...]]:
    """The word's graphemes, each as its readings (usual one first)."""
    word = _DOUBLE_CONSONANT.sub(r"\1", word)
    graphemes = _LATIN_GRAPHEME.findall(word)
    units: list[tuple[str, ...]] = []
    last = len(graphemes) - 1
    for index, grapheme in enumerate(graphemes):
        following = graphemes[index + 1] if index < last else ""
        previous = graphemes[index - 1] if index else ""
        after_vowel = previous[-1:] in _VOWEL_LETTERS
        options = _GRAPHEMES[grapheme]
        if grapheme in ("c", "cc", "g"):
            if following[:1] in _FRONT_VOWELS:
                options = {"c": ("S", "Č", "J"), "cc": ("Č", "KS"), "g": ("G",)}[grapheme]
            elif grapheme == "g" and previous == "n" and following and following[:1] not in _VOWEL_LETTERS:
                options = ("G", "")  # -ngt-: نغ or ن (Washington)
        elif grapheme == "h":
            if index == 0:
                options = ("H", "")
            elif not after_vowel:
                options = ("", "H")  # bh, lh, rh...: mostly silent
            elif index == last:
                options = ("h", "H")  # final -ah: a vowel like Arabic final ه, or ح (Fattah)
            else:
                options = ("H", "")
        elif (
            grapheme in ("a", "i")
            and index + 2 <= last
            and graphemes[index + 2] == "e"
            and following[:1] not in _VOWEL_LETTERS
        ):
            options = (grapheme, "ei" if grapheme == "a" else "ai")  # Kate كيت, Facebook, Mike مايك
        elif grapheme == "m" and index == 0 and following == "c":
            options = ("Mə",)
        elif grapheme == "x" and index == 0:
            options = ("Z", "Š", "KS")
        if index == last and after_vowel and grapheme in _SILENT_FINALS and index >= 3:
            options = (*options, "")
        units.append(options)
    return units


def _latin_primary(word: str) -> str:
    return "".join(unit[0] for unit in _latin_units(word))


def _latin_sequences(word: str) -> list[tuple[str, float]]:
    """(symbols, cost) of a Latin word: the usual reading, then readings with one, two… other choices."""
    units = _latin_units(word)
    picked = [unit[0] for unit in units]
    sequences = {"".join(picked): 0.0}
    ambiguous = [(i, unit[1:]) for i, unit in enumerate(units) if len(unit) > 1]
    last = len(units) - 1
    for changes in range(1, len(ambiguous) + 1):
        for positions in itertools.combinations(ambiguous, changes):
            for options in itertools.product(*(others for _, others in positions)):
                variant = list(picked)
                cost = 0.0
                for (i, _), option in zip(positions, options, strict=True):
                    variant[i] = option
                    silent = i == last and option == "" and units[i][0] not in ("", "G")
                    cost += _SILENT_FINAL if silent else _OTHER_READING
                sequence = "".join(variant)
                if sequence not in sequences:
                    sequences[sequence] = cost
                    if len(sequences) >= _MAX_READINGS:
                        return list(sequences.items())
    return list(sequences.items())


def _arabic_sequence(word: str) -> str:
    """Symbols of a normalised Arabic word."""
    out: list[str] = []
    last = len(word) - 1
    index = 0
    while index <= last:
        letter = word[index]
        following = word[index + 1] if index < last else ""
        if letter == "ت" and following == "ش":
            out.append("Č")
            index += 2
            continue
        if letter == "د" and following == "ج":
            out.append("J")
            index += 2
            continue
        if letter == "ه" and index == last and index:
            out.append("h")
        else:
            out.append(_ARABIC_LETTERS.get(letter, ""))
        index += 1
    return "".join(out)


def _skeleton(sequence: str) -> str:
    """Coarse consonant classes of a symbol string, a repeated symbol counted once."""
    out: list[str] = []
    previous = ""
    for symbol in sequence:
        coarse = _COARSE.get(symbol)
        if coarse is None:
            previous = ""
        elif symbol != previous:
            out.append(coarse)
            previous = symbol
    return "".join(out)


def _reading(sequence: str, cost: float) -> _Reading:
    """Split a symbol string into consonants and the vowel gaps around them."""
    key: list[str] = []
    groups: list[str] = []
    gaps: list[str] = [""]
    previous = ""
    for symbol in sequence:
        coarse = _COARSE.get(symbol)
        if coarse is None:
            gaps[-1] += symbol
            previous = ""
        elif symbol != previous:
            key.append(coarse)
            groups.append(symbol)
            gaps.append("")
            previous = symbol
    first = gaps[0]
    vowels = sum(1 for gap in gaps for symbol in gap if symbol in "aiu'h")
    if len(first) > 1 and first[0] == "a":
        vowels -= 1
    return _Reading("".join(key), tuple(groups), tuple(gaps), cost, vowels)


# --------------------------------------------------------------------------
# Keys

_MIN_CONSONANTS = 1


def _candidate(word: str) -> bool:
    return len(word) >= 3 and not any(c.isdigit() for c in word)


def _arabic_spellings(word: str) -> tuple[str, ...]:
    """Symbol strings of an Arabic word: without its article first, then as written.

    The article as written is "ā", a vowel slot only a Latin a/e/i/o/u can
    fill («الكسندر» is Alexander, not William). A word whose bare form is
    a common word is a common word too.
    """
    if word in COMMON_ARABIC or not _candidate(word):
        return ()
    if word.startswith(_ARTICLE) and len(word) >= 4:
        bare = word[2:]
        if bare in COMMON_ARABIC:
            return ()
        written = "ā" + _arabic_sequence(word[1:])
        return (_arabic_sequence(bare), written) if len(bare) >= 3 else (written,)
    return (_arabic_sequence(word),)


@lru_cache(maxsize=20_000)
def _arabic_readings(word: str) -> tuple[_Reading, ...]:
    """Readings of an Arabic word: without the article first, then as written."""
    readings = (_reading(s, _ARTICLE_WRITTEN if s[:1] == "ā" else 0.0) for s in _arabic_spellings(word))
    return tuple(r for r in readings if len(r.key) >= _MIN_CONSONANTS)


def _latin_word(word: str) -> str | None:
    """The word as plain a-z, or None if it cannot be a name."""
    if word in COMMON_LATIN or not _candidate(word):
        return None
    folded = _fold_latin(word)
    if len(folded) < 3 or folded in COMMON_LATIN:
        return None
    return folded


@lru_cache(maxsize=20_000)
def _latin_readings(word: str) -> tuple[_Reading, ...]:
    folded = _latin_word(word)
    if folded is None:
        return ()
    readings = (_reading(s, cost) for s, cost in _latin_sequences(folded))
    return tuple(r for r in readings if len(r.key) >= _MIN_CONSONANTS)


def _readings(word: str) -> tuple[_Reading, ...]:
    return _arabic_readings(word) if is_arabic(word) else _latin_readings(word)


def name_keys(word: str) -> tuple[str, ...]:
    """Every key of a normalised word (its other readings), the usual one first."""
    return tuple(dict.fromkeys(r.key for r in _readings(word)))


@lru_cache(maxsize=100_000)
def name_key(word: str) -> str | None:
    """The script-independent consonant skeleton of a normalised word.

    The key of the word's usual reading (``name_keys(word)[0]``). None when
    the word cannot be a name worth matching across scripts: shorter than
    three letters, with digits, a function word or a common word of either
    language (:data:`COMMON_ARABIC`, :data:`COMMON_LATIN`), or no consonant.
    """
    if is_arabic(word):
        spellings = _arabic_spellings(word)
        if not spellings:
            return None
        key = _skeleton(spellings[0])
    else:
        folded = _latin_word(word)
        if folded is None:
            return None
        key = _skeleton(_latin_primary(folded))
    return key if len(key) >= _MIN_CONSONANTS else None


# --------------------------------------------------------------------------
# Verification

# Cost of an Arabic vowel slot heard as a Latin vowel letter.
_VOWEL_COST = {
    ("a", "a"): 0.0,
    ("a", "e"): 0.4,
    ("a", "o"): 0.6,
    ("a", "u"): 0.3,
    ("a", "ə"): 0.0,
    ("ā", "a"): 0.0,
    ("ā", "e"): 0.0,
    ("ā", "i"): 0.0,
    ("ā", "o"): 0.0,
    ("ā", "u"): 0.0,
    ("a", "i"): 1.0,
    ("a", "y"): 1.0,
    ("u", "o"): 0.0,
    ("u", "u"): 0.0,
    ("u", "w"): 0.0,
    ("u", "a"): 1.2,
    ("u", "e"): 1.2,
    ("i", "i"): 0.0,
    ("i", "e"): 0.0,
    ("i", "y"): 0.0,
    ("i", "a"): 1.6,
    ("i", "o"): 1.5,
    ("i", "u"): 1.5,
    ("h", "a"): 0.0,
    ("h", "e"): 0.0,
    ("h", "h"): 0.0,
    ("h", "o"): 0.8,
    ("h", "i"): 0.8,
    ("h", "y"): 0.8,
}
_UNMATCHED = 9.0
_GLOTTAL_COST = 0.1
_ARABIC_UNHEARD = {"a": 2.0, "u": 2.0, "i": 2.0, "'": 0.5, "h": 0.8, "ā": _UNMATCHED}
_DIPHTHONG_ALEF = 0.15  # the ا of اي heard as English i/y (Mike, Pyle)
_LATIN_UNWRITTEN = {"ə": 0.0, "h": 0.1, "w": 0.3, "y": 0.3}
_SHORT_VOWEL = 0.35
_CLUSTER_VOWEL = 0.12  # a letter of ou, ee, ie... beside the one Arabic writes
_FINAL_MAQSURA = 0.2
_EPENTHESIS = 0.5
_INITIAL_VOWEL_UNWRITTEN = 3.0
_FINAL_VOWEL_UNWRITTEN = 1.5
_HEARD_VOWELS = frozenset("aeiouyw")
_INITIAL_MISMATCH = {"i": frozenset("aouw"), "u": frozenset("aeiy")}


def _latin_skips(latin: str, final: bool) -> list[float]:
    """Cost of leaving each Latin vowel letter of a gap unwritten in Arabic."""
    cols = len(latin)
    skips = []
    for j, letter in enumerate(latin):
        if final and j == cols - 1 and letter == "e":
            skips.append(0.0)  # silent final e
        elif letter == "u" and j and latin[j - 1] == "o":
            skips.append(0.0)  # French ou is one vowel (Youssef, Mourad, Noureddine)
        elif letter in _LATIN_UNWRITTEN:
            skips.append(
                min(_LATIN_UNWRITTEN[letter], _CLUSTER_VOWEL) if cols > 1 else _LATIN_UNWRITTEN[letter]
            )
        elif cols > 1:
            skips.append(_CLUSTER_VOWEL)
        else:
            skips.append(_SHORT_VOWEL)
    return skips


@lru_cache(maxsize=50_000)
def _gap_cost(arabic: str, latin: str, position: str) -> float:
    """Cost of aligning the vowel slots of one gap; position is 'start', 'middle' or 'end'."""
    start = position == "start"
    if arabic[:1] == "ā" and latin[:1] not in ("a", "e", "i", "o", "u"):
        return _UNMATCHED  # the article: the Latin word starts al-, el-...
    if (
        start
        and arabic[:1] in ("i", "u")
        and arabic[:2] != "iu"
        and latin[:1] in _INITIAL_MISMATCH[arabic[0]]
    ):
        return _UNMATCHED  # an initial ي is y/i/e (Yasser, Evgeny), an initial و w/o/u
    if start and len(arabic) > 1 and arabic[0] == "a":
        arabic = arabic[1:]  # ا carrying the initial vowel of او/اي
    if not arabic:
        if not latin:
            return 0.0
        if start and not _HEARD_VOWELS.isdisjoint(latin):
            return _INITIAL_VOWEL_UNWRITTEN
        if position == "end" and not _HEARD_VOWELS.isdisjoint(latin.removesuffix("e")):
            return _FINAL_VOWEL_UNWRITTEN
    cols = len(latin)
    final = position == "end"
    skips = _latin_skips(latin, final)
    # Edit-distance alignment of Arabic slots against Latin letters.
    previous_row = [0.0] * (cols + 1)
    for j in range(cols):
        previous_row[j + 1] = previous_row[j] + skips[j]
    for i, a in enumerate(arabic):
        following = arabic[i + 1] if i + 1 < len(arabic) else ""
        if a == "a" and following == "i":
            unheard = _DIPHTHONG_ALEF
        elif a == "h" and i:
            unheard = 0.2  # ه after a written vowel: يه, اه
        elif start and a == "i" and following == "u":
            unheard = 0.2  # يو for an initial u (يونسكو UNESCO, يورو euro)
        else:
            unheard = _ARABIC_UNHEARD.get(a, 2.0)
        row = [previous_row[0] + unheard] + [0.0] * cols
        for j in range(cols):
            letter = latin[j]
            if a == "'":
                match = _GLOTTAL_COST
            elif start and a == "a" and letter in _HEARD_VOWELS and i == 0:
                match = 0.0  # an initial ا carries any vowel
            elif final and a == "i" and letter == "a" and i == len(arabic) - 1:
                match = _FINAL_MAQSURA  # ى, normalised to ي, is a final a (يحيى Yahya, موسى Musa)
            else:
                match = _VOWEL_COST.get((a, letter), _UNMATCHED)
            row[j + 1] = min(previous_row[j] + match, previous_row[j + 1] + unheard, row[j] + skips[j])
        previous_row = row
    return previous_row[cols]


# Fine consonant differences inside one coarse class.
_CONSONANT_COST = {
    frozenset("SŠ"): 0.3,
    frozenset("SČ"): 0.5,
    frozenset("ŠČ"): 0.3,
    frozenset("KQ"): 0.2,
    frozenset("KX"): 0.4,
    frozenset("QX"): 0.6,
    frozenset("TΘ"): 0.2,
    frozenset("DÐ"): 0.2,
    frozenset("SZ"): 0.2,
    frozenset("ŠZ"): 0.5,
    frozenset("ČZ"): 0.5,
    frozenset("GJ"): 0.1,  # Egyptian g for ج (Gamal, Naguib, Maged) as common as j
}


def _group_cost(arabic: str, latin: str) -> float:
    a, lat = arabic[0], latin[0]
    if a == lat:
        return 0.0
    return _CONSONANT_COST.get(frozenset((a, lat)), 0.5)


# Penalty a match may have, by the consonants it agrees on (rows: 2, 3, 4, 5
# or more) and the vowel letters the Arabic spelling writes (columns: 0 to 4
# or more). Written vowels are evidence: زيلينسكي writes three, a native
# word such as «حسن» none, and most chance agreements are with such words.
_ALLOWED = (
    (0.05, 0.05, 0.1, 0.2, 0.3),
    (0.1, 0.35, 0.4, 0.5, 0.7),
    (0.45, 0.6, 0.75, 0.8, 1.5),
    (1.2, 1.3, 1.8, 2.3, 2.8),
    (1.4, 2.6, 2.6, 2.8, 2.8),
)


def _allowed(arabic: _Reading) -> float:
    """Penalty a match with this Arabic reading may have."""
    return _ALLOWED[min(len(arabic.key), 5) - 1][min(arabic.vowels, 4)]


def _penalty(arabic: _Reading, latin: _Reading) -> float:
    last = len(arabic.gaps) - 1
    total = latin.cost + arabic.cost
    for index, (a_gap, l_gap) in enumerate(zip(arabic.gaps, latin.gaps, strict=True)):
        position = "start" if index == 0 else "end" if index == last else "middle"
        if index == 1 and a_gap == "i" and not l_gap and not latin.gaps[0] and index < last:
            total += _EPENTHESIS  # an initial cluster opened by ي: Dmitry ديمتري
        else:
            total += _gap_cost(a_gap, l_gap, position)
    for a_group, l_group in zip(arabic.groups, latin.groups, strict=True):
        total += _group_cost(a_group, l_group)
    return total


def name_score(arabic: str, latin: str) -> float | None:
    """How far ``latin`` is from being a spelling of ``arabic``; None when no keys agree.

    The penalty of the best pair of readings divided by what its number of
    consonants allows: at most 1 is a match.
    """
    best: float | None = None
    latin_readings = _latin_readings(latin)
    for a_reading in _arabic_readings(arabic):
        for l_reading in latin_readings:
            if l_reading.key != a_reading.key:
                continue
            score = _penalty(a_reading, l_reading) / _allowed(a_reading)
            if best is None or score < best:
                best = score
    return best


def same_name(arabic: str, latin: str) -> bool:
    """Whether the normalised Arabic word and Latin word can spell the same name."""
    if not is_arabic(arabic) or is_arabic(latin):
        return False
    score = name_score(arabic, latin)
    return score is not None and score <= 1.0


# --------------------------------------------------------------------------
# Search


def _rank(word: str, candidates: Iterable[str]) -> list[str]:
    """The candidates (other-script words) that name what ``word`` names, best first."""
    arabic = is_arabic(word)
    exonyms = cldr_names().get(word, frozenset())
    keys = set(name_keys(word))
    found: dict[str, float] = {}
    for other in candidates:
        if not other or other in found or is_arabic(other) == arabic:
            continue
        if other in exonyms:
            found[other] = -1.0
            continue
        if not keys or keys.isdisjoint(name_keys(other)):
            continue
        score = name_score(word, other) if arabic else name_score(other, word)
        if score is not None and score <= 1.0:
            found[other] = score
    return sorted(found, key=lambda w: (found[w], w))


def cross_script(word: str, vocabulary: Iterable[str]) -> list[str]:
    """The words of the other script in ``vocabulary`` that name what ``word`` names, best first.

    Exonyms from :func:`cldr_names` come first, then phonetic matches (a key
    in common and :func:`same_name`), closest first. This scans the whole
    vocabulary; over a library's vocabulary, keep a :class:`NameIndex`.
    """
    return _rank(word, vocabulary)


class NameIndex:
    """Words of a library by name key and exonym, for :func:`cross_script` without a scan.

    ``index.lookup(word)`` equals ``cross_script(word, words)`` for the words
    added, at the cost of a few dictionary lookups and a :func:`same_name`
    check per candidate with a key in common.
    """

    def __init__(self, words: Iterable[str] = ()) -> None:
        self._by_key: dict[str, set[str]] = {}
        self._words: set[str] = set()
        for word in words:
            self.add(word)

    def add(self, word: str) -> None:
        if not word or word in self._words:
            return
        self._words.add(word)
        for key in name_keys(word):
            self._by_key.setdefault(key, set()).add(word)

    def __contains__(self, word: object) -> bool:
        return word in self._words

    def __len__(self) -> int:
        return len(self._words)

    def lookup(self, word: str) -> list[str]:
        candidates: set[str] = set()
        for key in name_keys(word):
            candidates |= self._by_key.get(key, set())
        candidates.update(w for w in cldr_names().get(word, ()) if w in self._words)
        return _rank(word, candidates)


# --------------------------------------------------------------------------
# CLDR


# Exonyms in the news that CLDR has no time zone or territory for, and
# spellings it does not give (Kiev beside Kyiv). Arabic, then Latin forms.
_EXONYMS = """
بكين beijing peking
جنيف geneva
ميونخ munich
البندقية venice
فلورنسا florence
نابولي naples
ميلانو milan
تورينو turin
كولونيا cologne
فرانكفورت frankfurt
هامبورغ hamburg
ستراسبورغ strasbourg
مرسيليا marseille marseilles
لاهاي hague
برشلونة barcelona
إشبيلية seville
غرناطة granada
قرطبة cordoba cordova
دافوس davos
كييف kiev kyiv
أوديسا odessa odesa
خاركيف kharkiv kharkov
القرم crimea
دونباس donbas donbass
زابوريجيا zaporizhzhia zaporozhye
مكة mecca makkah
المدينة medina
جدة jeddah jiddah
حلب aleppo
الموصل mosul
البصرة basra basrah
أربيل erbil irbil
أنقرة ankara
إسطنبول istanbul constantinople
الإسكندرية alexandria
الأقصر luxor
سيناء sinai
رفح rafah
نابلس nablus
جنين jenin
الجولان golan
أصفهان isfahan esfahan
مشهد mashhad
الفاتيكان vatican
البحرين bahrain
الأردن jordan
الخليل hebron
فلسطين palestine
تركيا turkey
"""


def _single_word(name: str) -> str | None:
    """A CLDR name as one normalised word, or None if it is several."""
    if not name or any(c in name for c in " -'’.()"):
        return None
    word = normalise(name)
    return word if len(word) >= 3 else None


def _add_exonym(table: dict[str, set[str]], arabic: str, latin: str) -> None:
    a, lat = _single_word(arabic), _single_word(latin)
    if a is None or lat is None or not is_arabic(a) or is_arabic(lat):
        return
    if a in COMMON_ARABIC or lat in COMMON_LATIN:
        return
    forms = [a]
    # القاهرة is found with its article, and as قاهره once the engine strips it. Only a
    # plain alef starts the article: ألمانيا is not ال + مانيا.
    if arabic.startswith(_ARTICLE) and len(a) >= 5 and a[2:] not in COMMON_ARABIC:
        forms.append(a[2:])
    for form in forms:
        table.setdefault(form, set()).add(lat)
        table.setdefault(lat, set()).add(form)


#: Place names of both scripts, as :func:`build_cldr_names` makes them
#: (``dev/names.py --cldr-out`` writes it): read instead of loading Babel.
EXONYMS_PATH = Path(__file__).with_name("data") / "exonyms.tsv"


@lru_cache(maxsize=1)
def cldr_names() -> Mapping[str, frozenset[str]]:
    """Normalised name in one script -> normalised names in the other.

    Read from :data:`EXONYMS_PATH` (a millisecond); built by
    :func:`build_cldr_names` when the file is missing.
    """
    try:
        text = EXONYMS_PATH.read_text(encoding="utf-8")
    except OSError:
        return build_cldr_names()
    table: dict[str, set[str]] = {}
    for line in text.splitlines():
        if line and line[0] != "#":
            arabic, _, latin = line.partition("\t")
            table.setdefault(arabic, set()).add(latin)
            table.setdefault(latin, set()).add(arabic)
    return {word: frozenset(others) for word, others in table.items()}


def build_cldr_names() -> Mapping[str, frozenset[str]]:
    """Normalised name in one script -> normalised names in the other.

    From CLDR through Babel: territory names (مصر/Egypt, ألمانيا/Germany) and
    time-zone exemplar cities (كييف/Kyiv, القدس/Jerusalem, القاهرة/Cairo),
    Arabic against English; plus :data:`_EXONYMS`. Only single words: the
    search engine matches words. Built on first use (a few tens of
    milliseconds, most of it Babel loading two locales), then kept.
    Language names are left out: they are adjectives (العربية is "Arabic"
    and "the Arab one"), not names.
    """
    table: dict[str, set[str]] = {}
    try:
        from babel import Locale
        from babel.core import get_global
    except ImportError:  # pragma: no cover - babel is a dependency; names still work without it
        pass
    else:
        arabic, english = Locale("ar"), Locale("en")
        arabic_zones, english_zones = arabic.time_zones, english.time_zones
        for zone in get_global("zone_territories"):
            city = arabic_zones.get(zone, {}).get("city")
            if city:
                # English exemplar cities are mostly left to the zone's own name.
                latin = english_zones.get(zone, {}).get("city") or zone.rsplit("/", 1)[-1].replace("_", " ")
                _add_exonym(table, city, latin)
        english_territories = english.territories
        for code, name in arabic.territories.items():
            if not code.isdigit() and code in english_territories:
                _add_exonym(table, name, english_territories[code])
    for line in _EXONYMS.strip().splitlines():
        arabic_name, *latin_names = line.split()
        for latin_name in latin_names:
            _add_exonym(table, arabic_name, latin_name)
    return {word: frozenset(others) for word, others in table.items()}


# --------------------------------------------------------------------------
# Keys of many words at once (for a library's table of keys)

# Arabic letters to one ASCII character per fine symbol, "." for a vowel slot:
# the same reading as _arabic_sequence, done by C-level passes over a batch.
_FAST_SYMBOL = {"Θ": "Y", "Ð": "W", "Š": "C", "Č": "V"}
_FAST_ARABIC = str.maketrans(
    {
        letter: "." if symbol in ("a", "u", "i", "'", "h") else _FAST_SYMBOL.get(symbol, symbol)
        for letter, symbol in _ARABIC_LETTERS.items()
        if symbol
    }
)
_FAST_COARSE = str.maketrans(
    {**{v: _COARSE[k] for k, v in _FAST_SYMBOL.items()}, "Z": "S", "J": "G", "Q": "K", "X": "K", ".": None}
)
_FAST_JUNK_RE = re.compile("[^A-Z.\n]")
# Words of Arabic letters only, three or more: the Arabic words worth a key.
_PLAIN_ARABIC_RE = re.compile("[\u0621-\u064a]{3,}")
_NOT_A_NAME_RE = re.compile(
    # وال فال وبال وكال فبال فكال, لل ولل فلل, بال كال
    "^(?:[\u0648\u0641][\u0628\u0643]?\u0627\u0644|[\u0648\u0641]?\u0644\u0644|[\u0628\u0643]\u0627\u0644)"
    "|(?:\u0647\u0645|\u0647\u0645\u0627|\u0643\u0645|\u0643\u0645\u0627|\u0647\u0646)$"  # هم هما كم كما هن
    "|^[^\u0627\u0648\u064a\u0649\u0621\u0626\u0624\u0639]{3}$"  # three letters, no vowel letter
)
_FAST_REPEAT_RE = re.compile(r"([A-Z])\1+")
_FAST_FINAL_HEH_RE = re.compile("(?<=[^\n])\u0647\n")


def _fast_arabic_skeletons(words: list[str]) -> list[str]:
    """The key of each normalised Arabic word's reading as written (no article rule)."""
    if not words:
        return []
    text = "\n".join(words) + "\n"
    text = text.replace("\u062a\u0634", "V").replace("\u062f\u062c", "J")  # تش, دج
    text = _FAST_FINAL_HEH_RE.sub(".\n", text)  # a final ه is a vowel slot
    text = _FAST_JUNK_RE.sub("", text.translate(_FAST_ARABIC))
    text = _FAST_REPEAT_RE.sub(r"\1", text).translate(_FAST_COARSE)
    return text.split("\n")[:-1]


def key_rows(words: Iterable[str], *, min_consonants: int = 2) -> list[tuple[str, str]]:
    """(tagged key, word) rows for a library's table of name keys.

    A key is tagged with the word's script ("a:" Arabic, "l:" Latin), so a
    look-up asks only for words of the other script. The keys are those of
    :func:`name_keys`, computed for Arabic words in a few C-level passes over
    the whole batch (a microsecond a word: an import keys every new word).
    Keys shorter than ``min_consonants`` are left out.
    """
    arabic: list[str] = []
    rows: list[tuple[str, str]] = []
    plain_arabic = _PLAIN_ARABIC_RE.fullmatch
    for word in words:
        if plain_arabic(word):
            arabic.append(word)
        elif _candidate(word) and not is_arabic(word):
            rows.extend(("l:" + key, word) for key in name_keys(word) if len(key) >= min_consonants)
    # Not worth a row: a common word; the article behind a conjunction or a
    # preposition («والكرملين»: the search adds those forms to «الكرملين»
    # itself); a plural pronoun at the end («قادتهم»); three letters and no
    # vowel letter («قتل», «حكم»: a Latin spelling's vowels could never be
    # heard in it, see _ALLOWED).
    skip = _NOT_A_NAME_RE.search
    arabic = [word for word in arabic if word not in COMMON_ARABIC and not skip(word)]
    # Arabic: the word without its article (when it has one), then as written.
    batch: list[str] = []
    owners: list[str] = []
    for word in arabic:
        if word.startswith(_ARTICLE) and len(word) >= 4:
            bare = word[2:]
            if bare in COMMON_ARABIC:
                continue
            if len(bare) >= 3:
                batch.append(bare)
                owners.append(word)
            batch.append(word[1:])  # the article read as a vowel and ل
        else:
            batch.append(word)
        owners.append(word)
    for key, word in zip(_fast_arabic_skeletons(batch), owners, strict=True):
        if len(key) >= min_consonants:
            rows.append(("a:" + key, word))
    return rows
