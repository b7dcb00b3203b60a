"""Arabic and English words for every value a situation report carries, and the numbers.

:func:`label` turns a vocabulary word (``water``, ``breach_attempt``, ``promised``) into the
language of the report; a word can have a context-specific form (``roll.open`` reads
"جارٍ", an open incident "مفتوح", an open appeal "مفتوحة"). :func:`number` and
:func:`digits` write numbers with Arabic-Indic digits (٠-٩) and separators (٬ ٫) in Arabic,
which Babel does not emit. Identifiers (``R-0012``, a log root) keep their Latin form so a
reader can match them against the log.
"""

from __future__ import annotations

import math

LANGS = ("ar", "en")

#: word -> (Arabic, English). English forms are lower case as they read inside a sentence;
#: :func:`title` capitalises them where one begins.
WORDS: dict[str, tuple[str, str]] = {
    # resources and utilities
    "water": ("المياه", "water"),
    "power": ("الكهرباء", "power"),
    "fuel": ("الوقود", "fuel"),
    "food": ("الغذاء", "food"),
    "medicine": ("الأدوية", "medicine"),
    # units (the runway units of domain.supplies.units, and the report's own)
    "L": ("لتر", "L"),
    "mL": ("مل", "mL"),
    "kg": ("كغ", "kg"),
    "g": ("غ", "g"),
    "kcal": ("سعرة حرارية", "kcal"),
    "rations": ("حصة", "rations"),
    "doses": ("جرعة", "doses"),
    "days": ("يوم", "days"),
    "people": ("شخص", "people"),
    # utility states
    "out": ("لا يوجد", "none"),
    "low": ("منخفض", "low"),
    "ok": ("متوفر", "available"),
    "unknown": ("غير مسجَّل", "not recorded"),
    # runway measures
    "recent": ("الاستهلاك الأخير", "recent use"),
    "humane": ("الحد الأدنى الإنساني", "humane minimum"),
    "survival": ("حد البقاء", "survival minimum"),
    "at.recent": ("بمعدل الاستهلاك الأخير", "at recent use"),
    "at.humane": ("بالحد الأدنى الإنساني", "at humane minimum"),
    "at.survival": ("بحد البقاء", "at survival minimum"),
    "threshold": ("حد الإنذار", "alert threshold"),
    # people
    "detainee": ("المحتجزون", "detainees"),
    "staff": ("الموظفون", "staff"),
    "other": ("آخرون", "other"),
    "total": ("المجموع", "total"),
    # custody
    "inside": ("داخل الأسوار", "inside the walls"),
    "custody.out": ("خارج المنشأة مؤقتًا", "temporarily out"),
    "in_transit": ("قيد النقل", "in transit"),
    "in_custody": ("في العهدة", "in custody"),
    # incident kinds
    "attack": ("هجوم", "attack"),
    "breach_attempt": ("محاولة اختراق", "breach attempt"),
    "breach": ("اختراق", "breach"),
    "escape": ("فرار", "escape"),
    "riot": ("شغب", "riot"),
    "hostage": ("احتجاز رهائن", "hostage-taking"),
    "fire": ("حريق", "fire"),
    "injury": ("إصابة", "injury"),
    "death": ("وفاة", "death"),
    "water_loss": ("انقطاع المياه", "water loss"),
    "power_loss": ("انقطاع الكهرباء", "power loss"),
    "fuel_loss": ("نفاد الوقود", "fuel loss"),
    "communications_loss": ("انقطاع الاتصالات", "communications loss"),
    "medical_emergency": ("حالة طبية طارئة", "medical emergency"),
    "food_refusal": ("الامتناع عن الطعام", "food refusal"),
    # severities
    "minor": ("طفيف", "minor"),
    "moderate": ("متوسط", "moderate"),
    "serious": ("خطير", "serious"),
    "critical": ("حرج", "critical"),
    # incident statuses
    "open": ("مفتوح", "open"),
    "under_review": ("قيد المراجعة", "under review"),
    "reopened": ("أُعيد فتحه", "reopened"),
    "closed": ("مغلق", "closed"),
    # roll statuses
    "roll.open": ("جارٍ", "open"),
    "roll.cleared": ("مكتمل ومطابق", "cleared"),
    "roll.none": ("لم يُجرَ عدّ", "no roll"),
    # appeal kinds
    "protection": ("الحماية", "protection"),
    "safe_corridor": ("ممر آمن", "safe corridor"),
    "resupply": ("إعادة الإمداد", "resupply"),
    "medical_evacuation": ("إجلاء طبي", "medical evacuation"),
    # appeal statuses and outcomes
    "sent": ("أُرسلت", "sent"),
    "acknowledged": ("أُقرّ باستلامها", "acknowledged"),
    "promised": ("وُعد بتلبيتها", "promised"),
    "fulfilled": ("لُبّيت", "fulfilled"),
    "refused": ("رُفضت", "refused"),
    "withdrawn": ("سُحبت", "withdrawn"),
    "appeal.open": ("مفتوحة", "open"),
    # appeal channels
    "radio": ("لاسلكي", "radio"),
    "phone": ("هاتف", "phone"),
    "letter": ("رسالة خطية", "letter"),
    "in_person": ("حضوريًا", "in person"),
    "email": ("بريد إلكتروني", "email"),
    # notifications
    "owed": ("مستحقة", "owed"),
    "overdue": ("متأخرة", "overdue"),
    "notification.sent": ("أُرسلت", "sent"),
    # misc
    "yes": ("نعم", "yes"),
    "no": ("لا", "no"),
    "none": ("غير محدد", "—"),
}

_ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_ARABIC_THOUSANDS = "٬"  # U+066C ARABIC THOUSANDS SEPARATOR
_ARABIC_DECIMAL = "٫"  # U+066B ARABIC DECIMAL SEPARATOR


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"language must be one of {', '.join(LANGS)}, not {lang!r}")
    return lang


def label(word: str | None, lang: str, context: str | None = None) -> str:
    """``word`` in ``lang`` (``ar`` or ``en``); ``context`` picks a specific form
    (``label("open", "ar", "roll")``). A word without a label is returned as it is, so
    a new value from the domain still shows rather than vanishing."""
    index = 0 if check_lang(lang) == "ar" else 1
    if word is None:
        return WORDS["none"][index]
    for key in (f"{context}.{word}" if context else None, word):
        if key is not None and key in WORDS:
            return WORDS[key][index]
    return word.replace("_", " ")


def title(text: str) -> str:
    """``text`` with its first letter capitalised (Arabic has no case: unchanged)."""
    return text[:1].upper() + text[1:]


def digits(text: str, lang: str) -> str:
    """``text`` with ASCII digits as Arabic-Indic digits (٠-٩) when ``lang`` is Arabic."""
    return text.translate(_ARABIC_DIGITS) if check_lang(lang) == "ar" else text


def number(value: float | None, lang: str, places: int | None = None) -> str:
    """``value`` grouped by thousands (``1,815`` / ``١٬٨١٥``); floats to ``places``
    decimals (default 1, trailing zeros kept so columns line up); ``None`` (not
    computable) as "—" / "غير محدد"."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return label(None, lang)
    if places is None:
        places = 0 if isinstance(value, int) else 1
    text = f"{value:,.{places}f}"
    if check_lang(lang) == "ar":
        text = (
            text.replace(",", "\0").replace(".", _ARABIC_DECIMAL).replace("\0", _ARABIC_THOUSANDS)
        )
    return digits(text, lang)


def quantity(value: float | None, unit: str, lang: str, places: int | None = None) -> str:
    """``value`` followed by its unit in ``lang`` (``1,200 L`` / ``١٬٢٠٠ لتر``)."""
    if value is None:
        return label(None, lang)
    return f"{number(value, lang, places)} {label(unit, lang)}"
