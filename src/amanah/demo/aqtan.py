"""A synthetic week in al-Aqtan prison, Raqqa (OCHA P-codes SY11 / SY1101), as commands.

Synthetic data: every name, number and event here is generated; none is a real person.
بيانات اصطناعية: كل اسم ورقم وحدث هنا مولَّد آلياً، ولا يعود أي منها إلى شخص حقيقي.

:func:`scenario` returns the domain commands that :meth:`FacilityService.run
<amanah.services.facility.FacilityService.run>` records in one transaction: the facility and
its eight blocks, cells and staff posts; 312 staff at their posts and a visiting medical
team; 1,500 detainees with full admission records; and a week of history (2026-01-12 to
2026-01-19, facility time Asia/Damascus): arrivals through reception, cell moves, hospital
runs, a court appearance, releases, a transfer, a death in hospital, a dormitory closed for
repairs, a corrected spelling, two routine roll calls and one that did not clear until its
differences were resolved person by person.

Names are put together from the name parts below (Arabic script and Latin transliteration
in pairs, so the two scripts of a name always agree). The generator keeps its own picture of
who is where, so that every count it records is the register's number at that moment and no
place goes over its maximum capacity. The same seed always gives the same commands; run them
with a clock at or after :data:`AS_OF`.
"""

from __future__ import annotations

import heapq
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import partial
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import pycountry

from amanah.domain.movements.commands import Move
from amanah.domain.registry.commands import (
    AddLocation,
    Admit,
    Correct,
    SetCapacity,
    SetLocationState,
)
from amanah.domain.rollcount.commands import OpenRoll, RecordCount, Resolve
from amanah.services.facility import ResolveWith

__all__ = [
    "AS_OF",
    "DETAINEES",
    "FACILITY",
    "NOTICE",
    "OTHERS",
    "SEED",
    "STAFF",
    "ZONE",
    "DemoCommand",
    "Scenario",
    "scenario",
]

NOTICE = (
    "Synthetic data: every name, number and event here is generated; none is a real person. "
    "بيانات اصطناعية: كل اسم ورقم وحدث هنا مولَّد آلياً، ولا يعود أي منها إلى شخص حقيقي."
)
SEED = 2026
ZONE = ZoneInfo("Asia/Damascus")
FACILITY = "AQ"
DETAINEES = 1500
STAFF = 312
OTHERS = 6
#: A clock for running the commands: after the last event of the week.
AS_OF = datetime(2026, 1, 20, 8, 0, tzinfo=ZONE)

_DAY0 = datetime(2026, 1, 12, tzinfo=ZONE)
_END = datetime(2026, 1, 19, 18, 0, tzinfo=ZONE)  # nothing later is recorded
_ARRIVALS = (0, 26, 21, 19, 22, 17, 15, 0)  # detainees arriving through reception, per day
_INITIAL = DETAINEES - sum(_ARRIVALS)  # on the register from the first morning

DemoCommand = (
    AddLocation
    | SetCapacity
    | SetLocationState
    | Admit
    | Correct
    | Move
    | OpenRoll
    | RecordCount
    | Resolve
    | ResolveWith
)

T = TypeVar("T")
Part = tuple[str, str]  # (Arabic script, Latin transliteration)


@dataclass(frozen=True, slots=True)
class Scenario:
    """The commands in order, what they contain, and the synthetic-data notice."""

    commands: tuple[DemoCommand, ...]
    summary: dict[str, Any]
    notice: str = NOTICE


# --- Name parts -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Culture:
    male: tuple[Part, ...]
    female: tuple[Part, ...]
    family: tuple[Part, ...]
    with_father: bool = False  # given name, father's name, family name
    feminine: Part | None = None  # added to a woman's family name (Russian -a)


_ARAB_MALE: tuple[Part, ...] = (
    ("أحمد", "Ahmad"), ("محمد", "Muhammad"), ("محمود", "Mahmud"), ("خالد", "Khalid"),
    ("عبد الله", "Abdullah"), ("عبد الرحمن", "Abd al-Rahman"), ("عبد الكريم", "Abd al-Karim"),
    ("عبد العزيز", "Abd al-Aziz"), ("علي", "Ali"), ("عمر", "Umar"), ("عثمان", "Uthman"),
    ("حسن", "Hasan"), ("حسين", "Husayn"), ("إبراهيم", "Ibrahim"), ("إسماعيل", "Ismail"),
    ("يوسف", "Yusuf"), ("يونس", "Yunus"), ("موسى", "Musa"), ("عيسى", "Isa"),
    ("سليمان", "Sulayman"), ("صالح", "Salih"), ("سالم", "Salim"), ("سعيد", "Said"),
    ("سعد", "Saad"), ("فيصل", "Faysal"), ("فارس", "Faris"), ("فواز", "Fawwaz"),
    ("جاسم", "Jasim"), ("حمد", "Hamad"), ("حمود", "Hammud"), ("خلف", "Khalaf"),
    ("خليل", "Khalil"), ("جمعة", "Jumaa"), ("رمضان", "Ramadan"), ("شعبان", "Shaban"),
    ("عواد", "Awwad"), ("عبود", "Abbud"), ("مصطفى", "Mustafa"), ("ياسر", "Yasir"),
    ("ياسين", "Yasin"), ("طه", "Taha"), ("زياد", "Ziyad"), ("نايف", "Nayif"), ("ماجد", "Majid"),
    ("مهند", "Muhannad"), ("وليد", "Walid"), ("بشير", "Bashir"), ("نواف", "Nawwaf"),
    ("هلال", "Hilal"), ("غازي", "Ghazi"), ("عدنان", "Adnan"), ("قاسم", "Qasim"),
    ("راشد", "Rashid"), ("حامد", "Hamid"), ("عامر", "Amir"), ("منصور", "Mansur"),
    ("دحام", "Dahham"), ("مشعل", "Mishal"), ("ضاري", "Dari"), ("عزيز", "Aziz"),
)  # fmt: skip
_ARAB_FEMALE: tuple[Part, ...] = (
    ("فاطمة", "Fatima"), ("عائشة", "Aisha"), ("خديجة", "Khadija"), ("مريم", "Maryam"),
    ("زينب", "Zaynab"), ("نور", "Nur"), ("هدى", "Huda"), ("أمينة", "Amina"), ("سلمى", "Salma"),
    ("ليلى", "Layla"), ("رقية", "Ruqayya"), ("حليمة", "Halima"), ("صبحة", "Subha"),
    ("وضحة", "Wadha"), ("هيفاء", "Hayfa"), ("نجلاء", "Najla"), ("سميرة", "Samira"),
    ("جميلة", "Jamila"), ("رحاب", "Rihab"), ("أسماء", "Asma"), ("حنان", "Hanan"),
    ("غالية", "Ghaliya"), ("شمسة", "Shamsa"), ("عبير", "Abir"),
)  # fmt: skip
_SYRIAN_FAMILY: tuple[Part, ...] = (
    ("الحمد", "al-Hamad"), ("الخلف", "al-Khalaf"), ("العلي", "al-Ali"), ("الحسن", "al-Hasan"),
    ("الحسين", "al-Husayn"), ("الجاسم", "al-Jasim"), ("المحمد", "al-Muhammad"),
    ("الأحمد", "al-Ahmad"), ("الصالح", "al-Salih"), ("العبد الله", "al-Abdullah"),
    ("الخضر", "al-Khidr"), ("العيسى", "al-Isa"), ("الموسى", "al-Musa"),
    ("الإبراهيم", "al-Ibrahim"), ("الحمود", "al-Hammud"), ("العواد", "al-Awwad"),
    ("الشيخ", "al-Shaykh"), ("الدرويش", "al-Darwish"), ("العبيد", "al-Ubayd"),
    ("الفرج", "al-Faraj"), ("الرمضان", "al-Ramadan"), ("الظاهر", "al-Zahir"),
    ("النايف", "al-Nayif"), ("الهلال", "al-Hilal"), ("السالم", "al-Salim"),
    ("الخليف", "al-Khalif"), ("العجيل", "al-Ujayl"), ("الحميد", "al-Hamid"),
    ("الشواخ", "al-Shawwakh"), ("المطر", "al-Matar"), ("العليوي", "al-Ulaywi"),
    ("الجدعان", "al-Jadaan"), ("الهويدي", "al-Huwaydi"), ("البكري", "al-Bakri"),
    ("الذياب", "al-Dhiyab"), ("الكردي", "al-Kurdi"), ("الحاج", "al-Hajj"),
    ("العساف", "al-Assaf"), ("الفياض", "al-Fayyad"), ("المصطفى", "al-Mustafa"),
)  # fmt: skip
_IRAQI_FAMILY: tuple[Part, ...] = (
    ("الجبوري", "al-Juburi"), ("الدليمي", "al-Dulaymi"), ("العبيدي", "al-Ubaydi"),
    ("الزبيدي", "al-Zubaydi"), ("الجنابي", "al-Janabi"), ("العاني", "al-Ani"),
    ("الراوي", "al-Rawi"), ("المشهداني", "al-Mashhadani"), ("الشمري", "al-Shammari"),
    ("العزاوي", "al-Azzawi"), ("السامرائي", "al-Samarrai"), ("الكبيسي", "al-Kubaysi"),
    ("الحديثي", "al-Hadithi"), ("البياتي", "al-Bayati"),
)  # fmt: skip
_ARAB_FAMILY: tuple[Part, ...] = (
    ("العتيبي", "al-Utaybi"), ("القحطاني", "al-Qahtani"), ("الحربي", "al-Harbi"),
    ("الزهراني", "al-Zahrani"), ("عبد الفتاح", "Abd al-Fattah"), ("السيد", "al-Sayyid"),
    ("الشافعي", "al-Shafii"), ("الخطيب", "al-Khatib"), ("الزعبي", "al-Zoubi"),
    ("حداد", "Haddad"), ("النابلسي", "al-Nabulsi"), ("المصري", "al-Masri"),
)  # fmt: skip
_MAGHREB = _Culture(
    male=(
        ("محمد", "Mohamed"), ("أحمد", "Ahmed"), ("يوسف", "Youssef"), ("حمزة", "Hamza"),
        ("أيوب", "Ayoub"), ("بلال", "Bilel"), ("أنيس", "Anis"), ("مهدي", "Mehdi"),
        ("رضا", "Ridha"), ("سفيان", "Sofiane"), ("أمين", "Amine"), ("نبيل", "Nabil"),
        ("إلياس", "Ilyes"), ("وليد", "Walid"), ("كريم", "Karim"), ("عادل", "Adel"),
        ("هشام", "Hichem"), ("طارق", "Tarek"),
    ),
    female=(
        ("فاطمة", "Fatma"), ("مريم", "Meriem"), ("خديجة", "Khadija"), ("سارة", "Sarra"),
        ("إيمان", "Imen"), ("أسماء", "Asma"), ("نادية", "Nadia"), ("سلمى", "Selma"),
    ),
    family=(
        ("بن صالح", "Ben Salah"), ("بن يوسف", "Ben Youssef"), ("الطرابلسي", "Trabelsi"),
        ("الجبالي", "Jebali"), ("الحمامي", "Hammami"), ("الشريف", "Cherif"),
        ("بوزيد", "Bouzid"), ("العلوي", "Alaoui"), ("الإدريسي", "Idrissi"),
        ("بنعيسى", "Benaissa"), ("الزياني", "Ziani"), ("بلحاج", "Belhaj"),
        ("العمراني", "Amrani"), ("الفاسي", "Fassi"), ("السعيدي", "Saidi"),
        ("المنصوري", "Mansouri"), ("بن عمر", "Ben Amor"), ("الغربي", "Gharbi"),
    ),
)  # fmt: skip
_TURKISH = _Culture(
    male=(
        ("أمره", "Emre"), ("بوراك", "Burak"), ("مصطفى", "Mustafa"), ("مراد", "Murat"),
        ("كمال", "Kemal"), ("هاكان", "Hakan"), ("سركان", "Serkan"), ("يوسف", "Yusuf"),
        ("عمر", "Ömer"), ("فرقان", "Furkan"), ("أنس", "Enes"), ("أوغوز", "Oğuz"),
    ),
    female=(("زينب", "Zeynep"), ("أليف", "Elif"), ("مروة", "Merve"), ("عائشة", "Ayşe")),
    family=(
        ("يلماز", "Yılmaz"), ("كايا", "Kaya"), ("دمير", "Demir"), ("تشيليك", "Çelik"),
        ("شاهين", "Şahin"), ("يلدز", "Yıldız"), ("آيدن", "Aydın"), ("أوزتورك", "Öztürk"),
        ("أرسلان", "Arslan"), ("دوغان", "Doğan"), ("كوتش", "Koç"),
    ),
)  # fmt: skip
_CENTRAL_ASIAN = _Culture(
    male=(
        ("روسلان", "Ruslan"), ("تيمور", "Timur"), ("أنزور", "Anzor"), ("ماغوميد", "Magomed"),
        ("إسلام", "Islam"), ("بكزود", "Bekzod"), ("جمشيد", "Jamshid"), ("رستم", "Rustam"),
        ("شامل", "Shamil"), ("دالر", "Daler"), ("أخمد", "Akhmed"), ("فرهود", "Farhod"),
        ("ساردور", "Sardor"),
    ),
    female=(
        ("مدينة", "Madina"), ("زارينا", "Zarina"), ("ديلنوزا", "Dilnoza"), ("آسيا", "Asiya"),
        ("كاميلا", "Kamila"),
    ),
    family=(
        ("ماغوميدوف", "Magomedov"), ("علييف", "Aliyev"), ("كريموف", "Karimov"),
        ("رحيموف", "Rakhimov"), ("نزاروف", "Nazarov"), ("يوسوبوف", "Yusupov"),
        ("سعيدوف", "Saidov"), ("تورسونوف", "Tursunov"), ("عمروف", "Umarov"),
        ("خاسانوف", "Khasanov"), ("إبراهيموف", "Ibragimov"), ("ميرزاييف", "Mirzayev"),
    ),
    feminine=("ا", "a"),
)  # fmt: skip
_FRENCH = _Culture(
    male=(
        ("جوليان", "Julien"), ("توما", "Thomas"), ("ماكسيم", "Maxime"), ("كيفن", "Kevin"),
        ("نيكولا", "Nicolas"), ("رومان", "Romain"), ("مهدي", "Mehdi"), ("كريم", "Karim"),
        ("ياسين", "Yassine"), ("بلال", "Bilal"),
    ),
    female=(("كاميّ", "Camille"), ("مانون", "Manon"), ("سارة", "Sarah"), ("إيناس", "Inès")),
    family=(
        ("موريل", "Morel"), ("لوفيفر", "Lefèvre"), ("جيرار", "Girard"), ("فونتين", "Fontaine"),
        ("ميرسييه", "Mercier"), ("بونيه", "Bonnet"), ("بن علي", "Benali"),
        ("العمراني", "El Amrani"), ("حداد", "Haddad"), ("مارتان", "Martin"),
    ),
)  # fmt: skip
_GERMAN = _Culture(
    male=(
        ("لوكاس", "Lukas"), ("يوناس", "Jonas"), ("توبياس", "Tobias"), ("فلوريان", "Florian"),
        ("دينيس", "Dennis"), ("ماركو", "Marco"), ("يوسف", "Yusuf"), ("أمره", "Emre"),
    ),
    female=(("لينا", "Lena"), ("لاورا", "Laura"), ("سابرينا", "Sabrina")),
    family=(
        ("بيكر", "Becker"), ("شنايدر", "Schneider"), ("هوفمان", "Hoffmann"),
        ("فاغنر", "Wagner"), ("كروغر", "Krüger"), ("شولتس", "Schulz"), ("أوزتورك", "Öztürk"),
    ),
)  # fmt: skip
_ENGLISH = _Culture(
    male=(
        ("دانيال", "Daniel"), ("رايان", "Ryan"), ("آدم", "Adam"), ("توماس", "Thomas"),
        ("جاك", "Jack"), ("عبدول", "Abdul"),
    ),
    female=(("إيما", "Emma"), ("عائشة", "Aisha")),
    family=(
        ("هيوز", "Hughes"), ("ووكر", "Walker"), ("أحمد", "Ahmed"), ("خان", "Khan"),
        ("كلارك", "Clarke"), ("إيفانز", "Evans"),
    ),
)  # fmt: skip
_DUTCH = _Culture(
    male=(("بيتر", "Pieter"), ("سفين", "Sven"), ("دان", "Daan"), ("محمد", "Mohamed")),
    female=(("سانه", "Sanne"), ("فاطمة", "Fatima")),
    family=(
        ("فيسر", "Visser"), ("باكر", "Bakker"), ("دي فريس", "de Vries"),
        ("يانسنس", "Janssens"), ("الإدريسي", "El Idrissi"),
    ),
)  # fmt: skip
_SWEDISH = _Culture(
    male=(("لارس", "Lars"), ("إريك", "Erik"), ("أوسكار", "Oskar"), ("علي", "Ali")),
    female=(("إيلين", "Elin"), ("سارا", "Sara")),
    family=(
        ("نيلسون", "Nilsson"), ("ليندكفيست", "Lindqvist"), ("يوهانسون", "Johansson"),
        ("كارلسون", "Karlsson"),
    ),
)  # fmt: skip
_SYRIAN = _Culture(_ARAB_MALE, _ARAB_FEMALE, _SYRIAN_FAMILY, with_father=True)
_IRAQI = _Culture(_ARAB_MALE, _ARAB_FEMALE, _IRAQI_FAMILY, with_father=True)
_ARAB = _Culture(_ARAB_MALE, _ARAB_FEMALE, _ARAB_FAMILY, with_father=True)

#: Nationality, the names its people are generated from, and its weight among detainees.
_NATIONALITIES: tuple[tuple[str, _Culture, int], ...] = (
    ("SY", _SYRIAN, 780), ("IQ", _IRAQI, 100), ("unknown", _SYRIAN, 3),
    ("stateless", _SYRIAN, 2), ("TR", _TURKISH, 10), ("TN", _MAGHREB, 14),
    ("MA", _MAGHREB, 12), ("DZ", _MAGHREB, 6), ("EG", _ARAB, 8), ("JO", _ARAB, 6),
    ("LB", _ARAB, 4), ("SA", _ARAB, 6), ("RU", _CENTRAL_ASIAN, 14), ("UZ", _CENTRAL_ASIAN, 10),
    ("TJ", _CENTRAL_ASIAN, 8), ("KZ", _CENTRAL_ASIAN, 5), ("AZ", _CENTRAL_ASIAN, 3),
    ("FR", _FRENCH, 10), ("BE", _FRENCH, 3), ("DE", _GERMAN, 7), ("NL", _DUTCH, 4),
    ("GB", _ENGLISH, 5), ("SE", _SWEDISH, 3),
)  # fmt: skip
_LOCAL = ("SY", "IQ", "unknown", "stateless")  # everyone else is held in block G
_AGES: tuple[tuple[tuple[int, int], int], ...] = (((18, 30), 50), ((31, 45), 35), ((46, 68), 15))

_TOWNS: tuple[tuple[str, str, int], ...] = (
    ("الرقة", "Raqqa", 30), ("الطبقة", "al-Tabqa", 10), ("المنصورة", "al-Mansura", 5),
    ("الكرامة", "al-Karama", 5), ("معدان", "Maadan", 4), ("عين عيسى", "Ayn Issa", 5),
    ("تل أبيض", "Tal Abyad", 5), ("سلوك", "Suluk", 3), ("الجرنية", "al-Jurniya", 3),
    ("حزيمة", "Hazima", 3), ("كسرة", "Kasrat", 3), ("السبخة", "al-Sabkha", 3),
    ("الرصافة", "al-Rusafa", 2), ("حمام التركمان", "Hammam al-Turkman", 2),
    ("الحمرات", "al-Hamrat", 2),
)  # fmt: skip
_CAMP = "a camp in al-Hasakah governorate"
_RAQQA_QUARTERS = ("al-Mashlab", "al-Firdaws", "al-Thakana", "al-Dariya", "al-Rumaila")
_ARREST_SPOTS = (
    "at home in {town}",
    "at the checkpoint at the entrance to {town}",
    "in the market of {town}",
    "on the road between {town} and Raqqa",
    "at a farm outside {town}",
)


@dataclass(frozen=True, slots=True)
class _Name:
    """A person's name from its parts; ``family`` is the family name as the men carry it."""

    gender: str
    given: Part
    father: Part | None
    family: Part
    ending: Part = ("", "")  # added to a woman's family name (Russian -a)

    @classmethod
    def of(
        cls, culture: _Culture, gender: str, given: Part, father: Part | None, family: Part
    ) -> _Name:
        ending = culture.feminine if gender == "female" and culture.feminine else ("", "")
        return cls(gender, given, father, family, ending)

    def _script(self, i: int) -> str:
        parts = [self.given[i], *([self.father[i]] if self.father else [])]
        return " ".join([*parts, self.family[i] + self.ending[i]])

    @property
    def ar(self) -> str:
        return self._script(0)

    @property
    def latin(self) -> str:
        return self._script(1)

    @property
    def both(self) -> str:
        """Both scripts on one line, as a relative's name is written."""
        return f"{self.ar} / {self.latin}"


# --- Orders, grounds, records ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Order:
    ref: str  # format with year and serial
    authorities: tuple[str, ...]
    grounds: tuple[str, ...]
    arrested_by: tuple[str, ...]  # may name {town}
    first_arrest: datetime  # earliest arrest for someone already held on the first day


_CRIMES = (
    "Theft from a shop; detained pending trial.",
    "Armed robbery on the Raqqa-Tabqa road; detained pending trial.",
    "Smuggling people across the line of contact.",
    "Possession of narcotic (captagon) tablets for sale.",
    "Assault causing injury in a family dispute.",
    "Forgery of identity documents.",
    "Murder; investigation pending.",
    "Kidnapping for ransom; investigation pending.",
    "Fuel smuggling.",
    "Possession of an unlicensed weapon.",
    "Fraud in the sale of farmland.",
)
_ORDERS: dict[str, _Order] = {
    "security": _Order(
        "CT-RAQ/{year}/{serial:05d}",
        ("Counter-terrorism court, Raqqa (investigating chamber)",),
        (
            "Suspected membership of an armed group; detained pending investigation.",
            "Suspected financing of an armed group; detained pending investigation.",
            "Suspected participation in armed attacks; case before the investigating chamber.",
            "Possession of explosives and military equipment; detained pending trial.",
            "Suspected recruitment for an armed group; detained pending investigation.",
            "Surrendered during military operations; held for screening and investigation.",
        ),
        ("Counter-terrorism unit, Raqqa", "Internal security, {town}", "Military police, Raqqa"),
        datetime(2019, 3, 1, tzinfo=ZONE),
    ),
    "judge": _Order(
        "RQ-INV-{year}-{serial:04d}",
        (
            "Investigating judge, Raqqa (1st chamber)",
            "Investigating judge, Raqqa (2nd chamber)",
            "Investigating judge, al-Tabqa",
        ),
        _CRIMES,
        ("Internal security, {town}", "Criminal police, Raqqa", "Anti-narcotics unit, Raqqa"),
        datetime(2025, 3, 1, tzinfo=ZONE),
    ),
    "prosecution": _Order(
        "PP/RAQ/{serial}/{year}",
        ("Public prosecutor, Raqqa", "Public prosecutor, al-Tabqa"),
        _CRIMES,
        ("Internal security, {town}", "Criminal police, Raqqa"),
        datetime(2025, 6, 1, tzinfo=ZONE),
    ),
    "transfer": _Order(
        "TRF/{year}/{serial:04d}",
        ("Directorate of detention facilities, Raqqa (transfer order)",),
        (
            "Transferred from the al-Tabqa holding centre pending trial.",
            "Transferred from the Ayn Issa holding centre pending trial.",
            "Transferred from the Raqqa police headquarters cells pending trial.",
        ),
        ("Internal security, {town}", "Military police, Raqqa"),
        datetime(2023, 1, 1, tzinfo=ZONE),
    ),
}
_ORDER_WEIGHTS = {  # by group of detainees
    "men": (("security", 40), ("judge", 30), ("prosecution", 18), ("transfer", 12)),
    "women": (("security", 60), ("judge", 25), ("prosecution", 15)),
    "foreign": (("security", 85), ("transfer", 15)),
}
_RESPONSIBLE = "Administration of al-Aqtan prison, Raqqa"

_HEALTH = (
    "fair",
    "thin; weighed 52 kg on admission",
    "type 2 diabetes; needs daily medication",
    "high blood pressure; on medication",
    "asthma; uses an inhaler",
    "old shrapnel wound to the left thigh, healed",
    "walks with a crutch (old fracture of the right leg)",
    "lower right leg amputated; uses a prosthesis",
    "persistent cough; referred for tuberculosis screening",
    "scabies; treated on admission",
    "kidney failure; needs dialysis twice a week",
    "epilepsy; on medication",
)
_INJURIES = (
    "bruising to the left forearm",
    "abrasions on both wrists",
    "healing cut above the right eye",
    "swelling of the left ankle",
    "bruising across the upper back",
    "fresh stitches on the scalp (sutured before arrival)",
)
_COMPLAINTS = (
    "reports being beaten at the point of arrest; photographed and seen by the medical team",
    "reports being kept in stress positions during questioning; referred to the medical team",
)
_PROPERTY: tuple[tuple[str, int], ...] = (
    ("mobile phone", 1), ("wallet", 1), ("identity card", 1), ("wristwatch", 1), ("belt", 1),
    ("prayer beads", 1), ("ring (white metal)", 1), ("keys", 4), ("cigarette packets", 3),
    ("lighter", 1), ("banknotes, Syrian pounds (sealed envelope)", 1), ("jacket", 1),
    ("reading glasses", 1), ("family photographs", 5), ("notebook", 1), ("medication packs", 3),
)  # fmt: skip
_FOREIGN_PROPERTY: tuple[tuple[str, int], ...] = (
    ("passport", 1), ("banknotes, US dollars (sealed envelope)", 1),
)  # fmt: skip


# --- Places ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Block:
    letter: str
    letter_ar: str
    group: str  # who is held here: men (SY, IQ), foreign (other nationalities), women
    cells: int
    certified: int  # per cell
    working: int
    maximum: int
    weight: int  # share of the men's blocks
    note_ar: str = ""
    note_en: str = ""


_BLOCKS = (
    _Block("A", "أ", "men", 14, 12, 16, 22, 20),
    _Block("B", "ب", "men", 14, 12, 16, 22, 20),
    _Block("C", "ج", "men", 12, 14, 18, 22, 17),
    _Block("D", "د", "men", 12, 16, 18, 22, 15),
    _Block("E", "هـ", "men", 12, 16, 18, 22, 14),
    _Block("F", "و", "men", 12, 16, 18, 22, 14),
    _Block("G", "ز", "foreign", 12, 14, 18, 22, 0, " (الرعايا الأجانب)", " (foreign nationals)"),
    _Block("H", "ح", "women", 8, 10, 12, 16, 0, " (النساء)", " (women)"),
)

Roles = tuple[tuple[str, str | None, int], ...]  # role, rank, how many


@dataclass(frozen=True, slots=True)
class _Post:
    id: str
    parent: str
    name_ar: str
    name_en: str
    unit: str
    roles: Roles
    room: int = 0  # places for others (the visiting medical team)


_BLOCK_OFFICE: Roles = (
    ("block commander", "lieutenant", 1),
    ("shift supervisor", "sergeant", 4),
    ("block guard", "corporal", 7),
    ("block guard", "guard", 10),
)
_TOWER: Roles = (
    ("tower commander", "sergeant", 1),
    ("tower guard", "corporal", 3),
    ("tower guard", "guard", 4),
)
_POSTS: tuple[_Post, ...] = (
    _Post("AQ-ADM", "AQ", "الإدارة", "Administration", "Administration", (
        ("director", "colonel", 1), ("deputy director", "lieutenant colonel", 1),
        ("records officer", "lieutenant", 2), ("registry clerk", None, 4),
        ("legal officer", None, 1), ("interpreter", None, 3), ("administrative clerk", None, 2),
    )),
    _Post("AQ-GATE", "AQ", "البوابة الرئيسية", "Main gate", "Gate and search section", (
        ("gate commander", "captain", 1), ("search officer", "sergeant", 5),
        ("gate guard", "corporal", 10), ("gate guard", "guard", 14),
    )),
    _Post("AQ-CTRL", "AQ", "غرفة العمليات", "Control room", "Operations", (
        ("duty officer", "lieutenant", 4), ("radio operator", "corporal", 6),
    )),
    *(
        _Post(f"AQ-TW{n}", "AQ", f"برج المراقبة {n}", f"Watchtower {n}", "Perimeter", _TOWER)
        for n in range(1, 7)
    ),
    _Post("AQ-INF", "AQ", "المستوصف", "Infirmary", "Medical section", (
        ("nurse", None, 3), ("medical orderly", None, 4), ("pharmacist", None, 1),
    ), room=OTHERS),
    _Post("AQ-KIT", "AQ", "المطبخ", "Kitchen", "Services", (
        ("head cook", None, 1), ("cook", None, 9), ("kitchen hand", None, 6),
    )),
    _Post("AQ-MNT", "AQ", "الصيانة والنقل", "Maintenance and transport", "Services", (
        ("electrician", None, 2), ("mechanic", None, 2), ("plumber", None, 1),
        ("driver", "corporal", 5),
    )),
    *(
        _Post(
            f"{b.letter}-OFF", b.letter, f"مكتب الجناح {b.letter_ar}", f"Block {b.letter} office",
            f"Block {b.letter} guard", _BLOCK_OFFICE,
        )
        for b in _BLOCKS
    ),
)  # fmt: skip

_MEDICAL_TEAM: tuple[tuple[str, str, _Culture, str], ...] = (  # role, nationality, names, gender
    ("doctor (general practice)", "SY", _SYRIAN, "male"),
    ("doctor (surgery)", "FR", _FRENCH, "female"),
    ("nurse", "SY", _SYRIAN, "female"),
    ("nurse", "JO", _ARAB, "male"),
    ("mental health counsellor", "SY", _SYRIAN, "female"),
    ("medical coordinator", "SY", _SYRIAN, "male"),
)
_MEDICAL_ORGANISATION = "Visiting mobile medical team"

_HOSPITAL_PURPOSES: tuple[tuple[str, int, int], ...] = (  # purpose, shortest, longest stay (h)
    ("X-ray and orthopaedic review of a suspected wrist fracture", 3, 6),
    ("dialysis session", 4, 6),
    ("dental extraction", 2, 4),
    ("ophthalmology consultation", 3, 5),
    ("review of an old shrapnel wound by a surgeon", 4, 7),
    ("admitted to the medical ward with pneumonia", 40, 80),
    ("admitted to the surgical ward with suspected appendicitis", 60, 120),
)
#: Hospital runs: day, hour, minute, purpose (index above; None: any). On the last day two
#: detainees are admitted to hospital, so they are still out when the week ends.
_HOSPITAL_RUNS = (
    (1, 9, 15, None), (1, 13, 40, None), (2, 10, 5, None), (3, 9, 50, None),
    (3, 14, 20, None), (5, 11, 30, None), (6, 9, 40, None), (6, 15, 0, None),
    (7, 10, 30, 5), (7, 12, 10, 6),
)  # fmt: skip
_ESCORTS = (
    "2 guards; prison ambulance",
    "3 guards; transport vehicle 1",
    "2 guards and a nurse; prison ambulance",
)
_RETURN_NOTES = (
    "returned; prescription filed with the infirmary",
    "returned; follow-up appointment in two weeks",
    "returned; no further treatment needed",
    "discharged from hospital; returned with a medical report",
)
_MOVE_REASONS = {
    "crowding": "moved to relieve overcrowding in {src}",
    "dispute": "separated from cell-mates after a dispute",
    "stairs": "cannot climb stairs after a leg injury; moved to a ground-floor dormitory",
    "relative": "moved at his request to be held with a relative",
    "protection": "threatened by other detainees; moved for his protection",
}
_GONE = {"receive": "transferred", "release": "released", "death": "dead"}
_RESPELLINGS = {"Muhammad": "Mohammed", "Husayn": "Hussein", "Umar": "Omar", "Yusuf": "Youssef"}
_RELEASE_REASONS = (
    "released on bail by order of the investigating judge",
    "charges dropped for lack of evidence",
    "released after serving the sentence",
    "released on the guarantee of family elders, by court order",
)


# --- The simulation -------------------------------------------------------------------------


@dataclass
class _Place:
    id: str
    kind: str  # cell, post, reception, or an away place (hospital, court, outside, transit)
    block: str | None
    group: str | None  # for cells: who the block holds
    maximum: int | None = None
    active: bool = True
    people: list[str] = field(default_factory=list)

    @property
    def holding(self) -> bool:
        return self.kind in ("cell", "post", "reception")

    def has_room(self) -> bool:
        return self.active and (self.maximum is None or len(self.people) < self.maximum)


@dataclass(frozen=True, slots=True)
class _Detainee:
    number: str
    group: str
    gender: str
    order: str  # key of _ORDERS
    order_ref: str
    authority: str
    age: int


class _Week:
    """Emits the commands in time order and keeps its own picture of who is where."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.commands: list[DemoCommand] = []
        self.places: dict[str, _Place] = {}
        self.where: dict[str, str] = {}  # person in custody -> place
        self.category: dict[str, str] = {}
        self.detainees: dict[str, _Detainee] = {}
        self.names: dict[str, str] = {}  # person -> Latin name
        self.gone: dict[str, str] = {}  # person -> status after leaving custody
        self.home: dict[str, str] = {}  # person out at hospital or court -> cell they left
        self.movements: Counter[str] = Counter()
        self.nationalities: Counter[str] = Counter()
        self.counters: dict[str, list[str]] = {}  # block letter or facility -> counters' names
        self.rolls: list[str] = []
        self.troubled_rolls: list[str] = []
        self.used_names: set[str] = set()
        self.serials: Counter[str] = Counter()
        self.queue: list[tuple[datetime, int, Callable[[datetime], None]]] = []
        self.queued = 0
        self.admitted = 0

    # -- plumbing -------------------------------------------------------------------------

    def at(self, moment: datetime, action: Callable[[datetime], None]) -> None:
        heapq.heappush(self.queue, (moment, self.queued, action))
        self.queued += 1

    def run(self) -> None:
        while self.queue:
            moment, _, action = heapq.heappop(self.queue)
            if moment > _END:
                continue
            action(moment)

    def emit(self, command: DemoCommand) -> None:
        self.commands.append(command)

    def pick(self, weighted: Sequence[tuple[T, int]]) -> T:
        return self.rng.choices([w[0] for w in weighted], [w[1] for w in weighted])[0]

    # -- places ---------------------------------------------------------------------------

    def add_place(self, command: AddLocation, block: str | None, group: str | None) -> None:
        self.emit(command)
        self.places[command.id] = _Place(command.id, command.kind, block, group, command.maximum)
        if command.kind == "facility":
            for suffix in ("reception", "hospital", "court", "outside", "transit"):
                self.places[f"{command.id}:{suffix}"] = _Place(
                    f"{command.id}:{suffix}", suffix, None, None
                )

    def cells(self, group: str, block: str | None = None) -> list[_Place]:
        return [
            p
            for p in self.places.values()
            if p.kind == "cell" and p.group == group and (block is None or p.block == block)
        ]

    def roomiest(self, group: str, block: str | None = None, avoid: str = "") -> _Place | None:
        """The least occupied active cell with room (in ``block``, else the group's)."""
        for scope in (block, None) if block else (None,):
            free = [c for c in self.cells(group, scope) if c.has_room() and c.id != avoid]
            if free:
                return min(free, key=lambda c: len(c.people))
        return None

    def allocate(self, group: str) -> _Place:
        """A cell for a newly admitted detainee: the group's block (a men's block by weight;
        a foreign man goes to a men's block when block G is full)."""
        block = None
        if group == "men":
            block = self.pick([(b.letter, b.weight) for b in _BLOCKS if b.group == "men"])
        cell = self.roomiest(group, block)
        if cell is None and group == "foreign":
            cell = self.roomiest("men")
        if cell is None:
            raise RuntimeError("the synthetic facility is full")  # the capacities prevent it
        return cell

    def inmates(self, group: str | None = None) -> list[str]:
        """Detainees inside a cell now (of ``group``, if given)."""
        return [
            n
            for p in self.places.values()
            if p.kind == "cell"
            for n in p.people
            if self.category[n] == "detainee" and (group is None or p.group == group)
        ]

    # -- people ---------------------------------------------------------------------------

    def name(self, culture: _Culture, gender: str) -> _Name:
        """A name not drawn before (unless 50 draws in a row all collide)."""
        for _ in range(50):
            name = _Name.of(
                culture,
                gender,
                self.rng.choice(culture.female if gender == "female" else culture.male),
                self.rng.choice(culture.male) if culture.with_father else None,
                self.rng.choice(culture.family),
            )
            if name.latin not in self.used_names:
                break
        self.used_names.add(name.latin)
        return name

    def relative(
        self, culture: _Culture, gender: str, father: Part | None, family: Part | None = None
    ) -> str:
        """A relative's name in both scripts (father's and family name given, or drawn)."""
        given = self.rng.choice(culture.female if gender == "female" else culture.male)
        family = family or self.rng.choice(culture.family)
        return _Name.of(culture, gender, given, father, family).both

    def admit(
        self, number: str, category: str, record: dict[str, Any], place: str, moment: datetime
    ) -> None:
        self.emit(Admit(number, category, record, place, moment))
        self.names[number] = record["name_latin"]
        self.category[number] = category
        self.where[number] = place
        self.places[place].people.append(number)

    def move(
        self, kind: str, person: str, moment: datetime, to: str | None, **details: str
    ) -> None:
        """Move ``person`` from where they are now (the command names it as the origin)."""
        self.emit(Move(kind, person, moment, to, self.where[person], details))
        self.relocate(person, to, kind)

    def relocate(self, person: str, to: str | None, kind: str) -> None:
        self.places[self.where.pop(person)].people.remove(person)
        if to is None:
            self.gone[person] = _GONE[kind]
        else:
            self.where[person] = to
            self.places[to].people.append(person)
        self.movements[kind] += 1

    # -- the facility ---------------------------------------------------------------------

    def build(self) -> None:
        self.add_place(
            AddLocation(
                FACILITY,
                "facility",
                "سجن الأقطان",
                "al-Aqtan prison",
                adm1="SY11",
                adm2="SY1101",
                lat="36.0392",
                lon="38.9694",
            ),
            None,
            None,
        )
        for b in _BLOCKS:
            self.add_place(
                AddLocation(
                    b.letter,
                    "block",
                    f"الجناح {b.letter_ar}{b.note_ar}",
                    f"Block {b.letter}{b.note_en}",
                    parent=FACILITY,
                ),
                b.letter,
                b.group,
            )
            for i in range(1, b.cells + 1):
                self.add_place(
                    AddLocation(
                        f"{b.letter}-{i:02d}",
                        "cell",
                        f"المهجع {b.letter_ar}-{i:02d}",
                        f"Dormitory {b.letter}-{i:02d}",
                        parent=b.letter,
                        certified=b.certified,
                        working=b.working,
                        maximum=b.maximum,
                    ),
                    b.letter,
                    b.group,
                )
        for post in _POSTS:
            staff = sum(n for _, _, n in post.roles) + post.room
            self.add_place(
                AddLocation(
                    post.id,
                    "post",
                    post.name_ar,
                    post.name_en,
                    parent=post.parent,
                    certified=staff + 4,
                    working=staff + 4,
                    maximum=staff + 10,
                ),
                post.parent if post.parent != FACILITY else None,
                None,
            )

    def hire(self, moment: datetime) -> None:
        """Staff at their posts, and the visiting medical team at the infirmary."""
        serial = 0
        for post in _POSTS:
            block = post.parent if post.parent != FACILITY else FACILITY
            for role, rank, count in post.roles:
                for _ in range(count):
                    serial += 1
                    women = post.id == "H-OFF" or (
                        role in ("nurse", "registry clerk", "interpreter")
                        and self.rng.random() < 0.5
                    )
                    gender = "female" if women else "male"
                    name = self.name(_SYRIAN, gender)
                    staff: dict[str, str] = {"role": role, "post": post.name_en, "unit": post.unit}
                    if rank:
                        staff["rank"] = rank
                    record = {
                        "name_ar": name.ar,
                        "name_latin": name.latin,
                        "gender": gender,
                        "nationality": "SY",
                        "birth_date": str(2026 - self.rng.randint(21, 58)),
                        "staff": staff,
                    }
                    when = moment + timedelta(seconds=10 * serial)
                    number = f"S-{serial:06d}"
                    self.at(when, partial(self.admit, number, "staff", record, post.id))
                    if role in ("block commander", "shift supervisor", "duty officer"):
                        self.counters.setdefault(block, []).append(name.latin)
        for i, (role, nationality, culture, gender) in enumerate(_MEDICAL_TEAM, start=1):
            name = self.name(culture, gender)
            record = {
                "name_ar": name.ar,
                "name_latin": name.latin,
                "gender": gender,
                "nationality": nationality,
                "other": {"role": role, "organisation": _MEDICAL_ORGANISATION},
            }
            when = moment + timedelta(minutes=55, seconds=20 * i)
            self.at(when, partial(self.admit, f"V-{i:06d}", "other", record, "AQ-INF"))

    # -- detainees ------------------------------------------------------------------------

    def detainee(self, moment: datetime, arriving: bool) -> tuple[str, dict[str, Any], str]:
        """A new detainee's number, admission record and group."""
        self.admitted += 1
        number = f"D-{self.admitted:06d}"
        nationality, culture = self.pick([((n, c), w) for n, c, w in _NATIONALITIES])
        self.nationalities[nationality] += 1
        gender = "female" if self.rng.random() < 0.04 else "male"
        group = "women" if gender == "female" else "men" if nationality in _LOCAL else "foreign"
        name = self.name(culture, gender)
        age = self.rng.randint(*self.pick(_AGES))

        order_key = self.pick(_ORDER_WEIGHTS[group])
        order = _ORDERS[order_key]
        if arriving:
            arrested = moment - timedelta(
                days=self.rng.randint(1, 5), hours=self.rng.randint(1, 20)
            )
        else:
            span = (datetime(2026, 1, 10, tzinfo=ZONE) - order.first_arrest).total_seconds()
            arrested = order.first_arrest + timedelta(seconds=self.rng.randrange(int(span)))
        self.serials[order_key] += self.rng.randint(1, 7)
        order_ref = order.ref.format(year=arrested.year, serial=self.serials[order_key])
        authority = self.rng.choice(order.authorities)
        town_ar, town, _ = self.pick([(t, t[2]) for t in _TOWNS])
        spot = self.rng.choice(_ARREST_SPOTS).format(town=f"{town} ({town_ar})")
        if town == "Raqqa" and self.rng.random() < 0.5:
            spot = f"in the {self.rng.choice(_RAQQA_QUARTERS)} quarter of Raqqa (الرقة)"

        record: dict[str, Any] = {
            "name_ar": name.ar,
            "name_latin": name.latin,
            "gender": gender,
            "nationality": nationality,
            "commitment": {
                "order_ref": order_ref,
                "grounds": self.rng.choice(order.grounds),
                "ordering_authority": authority,
                "responsible_authority": _RESPONSIBLE,
            },
            "arrest": {
                "time": arrested.replace(second=0, microsecond=0).strftime("%Y-%m-%dT%H:%M"),
                "place": spot,
                "authority": self.rng.choice(order.arrested_by).format(town=town),
            },
        }
        if self.rng.random() < 0.7:
            record["birth_date"] = self.birth_date(age)
        if self.rng.random() < 0.15:
            son = self.rng.choice(culture.male)
            kin = ("أم", "Umm") if gender == "female" else ("أبو", "Abu")
            record["aliases"] = [f"{kin[0]} {son[0]}", f"{kin[1]} {son[1]}"]
        record["health"] = self.health()
        property_ = self.belongings(group == "foreign")
        if property_:
            record["property"] = property_
        home = town
        if nationality not in _LOCAL:
            home = _CAMP if self.rng.random() < 0.4 else _country(nationality)
        family = self.family(culture, name, age, home)
        if family:
            record["family"] = family
        record["next_of_kin"] = self.next_of_kin(family, culture, name, town, nationality)
        if nationality in _LOCAL and self.rng.random() < 0.2:
            record["emergency_contact"] = {
                "name": f"the mukhtar of {town}",
                "relation": "community representative",
                "contact": f"the mukhtar's office, {town}",
            }
        self.detainees[number] = _Detainee(
            number, group, gender, order_key, order_ref, authority, age
        )
        return number, record, group

    def birth_date(self, age: int) -> str:
        year = 2026 - age - 1
        shape = self.rng.random()
        if shape < 0.45:
            return str(year)
        month = self.rng.randint(1, 12)
        if shape < 0.7:
            return f"{year}-{month:02d}"
        return f"{year}-{month:02d}-{self.rng.randint(1, 28):02d}"

    def health(self) -> dict[str, str]:
        health = {"state": "good" if self.rng.random() < 0.7 else self.rng.choice(_HEALTH)}
        if self.rng.random() < 0.08:
            health["visible_injuries"] = self.rng.choice(_INJURIES)
            if self.rng.random() < 0.4:
                health["ill_treatment_complaints"] = self.rng.choice(_COMPLAINTS)
        return health

    def belongings(self, foreign: bool) -> list[dict[str, Any]]:
        items = _PROPERTY + (_FOREIGN_PROPERTY if foreign else ())
        chosen = self.rng.sample(items, self.rng.randint(0, 5))
        return [{"item": item, "quantity": self.rng.randint(1, most)} for item, most in chosen]

    def family(self, culture: _Culture, own: _Name, age: int, home: str) -> list[dict[str, Any]]:
        """Some of the family: spouse and children, mother, a brother held elsewhere.
        Foreigners' wives and children are often held in a camp."""
        if self.rng.random() < 0.4:
            return []
        members: list[dict[str, Any]] = []
        held = {"custody": "held in the camp"} if home == _CAMP else {}
        if age >= 20 and self.rng.random() < 0.7:
            woman = own.gender == "female"
            spouse = self.name(culture, "male" if woman else "female")
            husband = spouse if woman else own
            members.append(
                {
                    "name": spouse.both,
                    "relation": "husband" if woman else "wife",
                    "location": home,
                }
                | held
            )
            father = husband.given if culture.with_father else None
            for _ in range(self.rng.randint(0, min(4, (age - 18) // 3))):
                child = self.rng.choice(("male", "female"))
                members.append(
                    {
                        "name": self.relative(culture, child, father, husband.family),
                        "relation": "daughter" if child == "female" else "son",
                        "age": self.rng.randint(0, min(17, age - 18)),
                        "location": home,
                    }
                    | held
                )
        if self.rng.random() < 0.5:
            mothers_family = own.family if culture.feminine else None  # else her father's
            members.append(
                {
                    "name": self.relative(culture, "female", None, mothers_family),
                    "relation": "mother",
                    "location": home,
                }
            )
        if self.rng.random() < 0.15:
            members.append(
                {
                    "name": self.relative(culture, "male", own.father, own.family),
                    "relation": "brother",
                    "custody": "also detained; whereabouts unknown",
                }
            )
        return members

    def next_of_kin(
        self,
        members: list[dict[str, Any]],
        culture: _Culture,
        own: _Name,
        town: str,
        nationality: str,
    ) -> dict[str, str]:
        free = [m for m in members if "custody" not in m and m.get("age", 99) >= 18]
        if free:
            kin = self.rng.choice(free)
            name, relation = kin["name"], kin["relation"]
        else:
            name, relation = self.relative(culture, "male", None, own.family), "uncle"
        if nationality in _LOCAL:
            contact = self.rng.choice(
                (
                    f"through the mukhtar of {town}",
                    f"family home, {town}",
                    "through the Red Crescent family-links service",
                )
            )
        else:
            where = _country(nationality)
            contact = f"through the family-links service; family believed to be in {where}"
        return {"name": name, "relation": relation, "contact": contact}

    def admit_detainee(self, moment: datetime) -> None:
        number, record, group = self.detainee(moment, arriving=False)
        self.admit(number, "detainee", record, self.allocate(group).id, moment)

    def arrive(self, moment: datetime) -> None:
        """A detainee brought in through reception; a cell is allotted later in the day."""
        number, record, _ = self.detainee(moment, arriving=True)
        self.admit(number, "detainee", record, f"{FACILITY}:reception", moment)

    def allot(self, number: str, moment: datetime) -> None:
        cell = self.allocate(self.detainees[number].group)
        reason = "allotted a cell after reception, search and medical screening"
        self.move("cell", number, moment, cell.id, reason=reason)

    # -- the week's events ----------------------------------------------------------------

    def plan(self) -> None:
        day0 = _DAY0.replace(hour=7)
        self.hire(day0)
        for i in range(_INITIAL):
            self.at(_DAY0.replace(hour=8) + timedelta(seconds=25 * i), self.admit_detainee)
        for day, count in enumerate(_ARRIVALS):
            if count:
                start = _at(day, 11, self.rng.randint(0, 120))
                for i in range(count):
                    self.at(start + timedelta(minutes=4 * i), self.arrive)
                self.at(start + timedelta(minutes=4 * count + 60), self.allot_reception)
        moves = (0, 5, 7, 6, 6, 5, 6, 4)
        for day, count in enumerate(moves):
            for _ in range(count):
                self.at(_at(day, self.rng.randint(8, 17), self.rng.randint(0, 59)), self.cell_move)
        for day, hour, minute, purpose in _HOSPITAL_RUNS:
            self.at(_at(day, hour, minute), partial(self.hospital, purpose))
        self.at(_at(1, 6, 30), partial(self.roll_call, trouble=False))
        self.at(_at(4, 6, 30), partial(self.roll_call, trouble=False))
        self.at(_at(7, 6, 30), partial(self.roll_call, trouble=True))
        self.at(_at(2, 8, 0), self.bunks)
        self.at(_at(3, 8, 30), self.court)
        self.at(_at(3, 10, 0), partial(self.close_cell, "C-12"))
        self.at(_at(4, 4, 40), self.emergency)
        self.at(_at(4, 9, 0), self.transfer)
        self.at(_at(5, 7, 45), self.reassign)
        self.at(_at(2, 9, 30), self.correct_spelling)
        for day, hour in ((2, 12), (4, 13), (5, 12), (7, 14)):
            self.at(_at(day, hour, self.rng.randint(0, 59)), self.release)

    def allot_reception(self, moment: datetime) -> None:
        waiting = list(self.places[f"{FACILITY}:reception"].people)
        for i, number in enumerate(waiting):
            self.at(moment + timedelta(minutes=3 * i), partial(self.allot, number))

    def cell_move(self, moment: datetime) -> None:
        why = self.rng.choice(list(_MOVE_REASONS))
        if why == "crowding":
            cells = [c for c in self.cells("men") if c.active]
            src = max(cells, key=lambda c: len(c.people))
            person = self.rng.choice([n for n in src.people if self.category[n] == "detainee"])
            dst = self.roomiest("men", src.block, avoid=src.id)
        else:
            person = self.rng.choice(self.inmates())
            src = self.places[self.where[person]]
            group = src.group or "men"
            if why in ("relative", "protection") and group == "men":
                choices = [c for c in self.cells(group) if c.has_room() and c.block != src.block]
            else:
                choices = [c for c in self.cells(group, src.block) if c.has_room() and c != src]
            dst = self.rng.choice(choices) if choices else None
        if dst is None:
            return
        reason = _MOVE_REASONS[why].format(src=src.id)
        if self.detainees[person].gender == "female":
            reason = reason.replace(" his ", " her ")
        self.move("cell", person, moment, dst.id, reason=reason)

    def go_out(self, person: str, moment: datetime, to: str, purpose: str, escort: str) -> None:
        self.home[person] = self.where[person]
        self.move("out", person, moment, f"{FACILITY}:{to}", purpose=purpose, escort=escort)

    def come_back(self, person: str, note: str | None, moment: datetime) -> None:
        """Back to the cell they left, or the roomiest of its block if it has filled up."""
        home = self.places[self.home.pop(person)]
        if not home.has_room():
            home = self.roomiest(home.group or "men", home.block) or home
        note = note or self.rng.choice(_RETURN_NOTES)
        self.move("return", person, moment, home.id, note=note)

    def hospital(self, purpose: int | None, moment: datetime) -> None:
        """A hospital run; the return is dropped if it falls after the end of the week."""
        if purpose is None:
            purpose = self.rng.randrange(len(_HOSPITAL_PURPOSES))
        why, shortest, longest = _HOSPITAL_PURPOSES[purpose]
        person = self.rng.choice(self.inmates())
        self.go_out(person, moment, "hospital", why, self.rng.choice(_ESCORTS))
        stay = timedelta(minutes=self.rng.randint(60 * shortest, 60 * longest))
        self.at(moment + stay, partial(self.come_back, person, None))

    def court(self, moment: datetime) -> None:
        candidates = [n for n in self.inmates("men") if self.detainees[n].order == "judge"]
        person = self.rng.choice(candidates)
        d = self.detainees[person]
        purpose = f"court hearing: {d.authority}, file {d.order_ref}"
        self.go_out(person, moment, "court", purpose, "4 guards; transport vehicle 2")
        note = "returned after the hearing; next hearing set for 2026-02-09"
        self.at(moment.replace(hour=15, minute=10), partial(self.come_back, person, note))

    def emergency(self, moment: datetime) -> None:
        """Night-time chest pain: to hospital, where he dies the next night."""
        older = [n for n in self.inmates("men") if self.detainees[n].age >= 50]
        person = self.rng.choice(older or self.inmates("men"))
        purpose = "chest pain and shortness of breath; emergency transfer"
        self.go_out(person, moment, "hospital", purpose, "2 guards and a nurse; prison ambulance")
        self.at(moment + timedelta(hours=21, minutes=35), partial(self.death, person, moment))

    def death(self, person: str, taken: datetime, moment: datetime) -> None:
        arrest = moment - timedelta(minutes=25)
        circumstances = (
            f"Taken to hospital on {taken:%Y-%m-%d} at {taken:%H:%M} with chest pain. Cardiac "
            f"arrest in the ward at {arrest:%H:%M} on {arrest:%Y-%m-%d}; resuscitation failed. "
            f"Death certified by the attending physician at {moment:%H:%M}, in the presence of "
            "the prison's duty officer."
        )
        self.home.pop(person, None)
        self.move(
            "death",
            person,
            moment,
            None,
            place="civil hospital, Raqqa (secure ward)",
            circumstances=circumstances,
            cause="acute myocardial infarction (preliminary; forensic examination requested)",
            remains="forensic medicine department, Raqqa; family informed through the mukhtar",
        )

    def release(self, moment: datetime) -> None:
        candidates = [
            n for n in self.inmates() if self.detainees[n].order in ("judge", "prosecution")
        ]
        person = self.rng.choice(candidates)
        self.serials["release"] += self.rng.randint(1, 9)
        self.move(
            "release",
            person,
            moment,
            None,
            authority=self.detainees[person].authority,
            reference=f"REL/2026/{self.serials['release']:04d}",
            reason=self.rng.choice(_RELEASE_REASONS),
        )

    def transfer(self, moment: datetime) -> None:
        people = self.rng.sample(self.inmates("foreign"), 2)
        for i, person in enumerate(people):
            self.move(
                "transfer",
                person,
                moment + timedelta(minutes=i),
                f"{FACILITY}:transit",
                destination="central prison, al-Hasakah",
                authority="Directorate of detention facilities, Raqqa",
                reference="TRF-OUT/2026/0007",
                escort="military police convoy",
            )
            self.at(moment + timedelta(hours=7, minutes=30 + i), partial(self.received, person))

    def received(self, person: str, moment: datetime) -> None:
        self.move(
            "receive",
            person,
            moment,
            None,
            received_by="duty officer, central prison, al-Hasakah",
            authority="Directorate of detention facilities, al-Hasakah",
            note="receipt signed; copy filed with the registry",
        )

    def reassign(self, moment: datetime) -> None:
        guards = self.places["B-OFF"].people + self.places["E-OFF"].people
        for i, person in enumerate(self.rng.sample(guards, 2)):
            reason = "reassigned to the main gate for the family visit day"
            self.move("cell", person, moment + timedelta(minutes=i), "AQ-GATE", reason=reason)

    def correct_spelling(self, _: datetime) -> None:
        """The registry corrects a Latin spelling after checking an identity card."""
        for person in self.inmates("men"):
            name = self.names[person]
            given, _sep, rest = name.partition(" ")
            if given in _RESPELLINGS:
                self.emit(
                    Correct(
                        person,
                        "name_latin",
                        f"{_RESPELLINGS[given]} {rest}",
                        "Latin spelling as on the identity card",
                    )
                )
                return

    def bunks(self, _: datetime) -> None:
        block = next(b for b in _BLOCKS if b.letter == "G")
        for cell in self.cells("foreign", "G"):
            self.emit(
                SetCapacity(
                    cell.id, block.certified, 20, block.maximum, "two-tier bunks fitted in block G"
                )
            )

    def close_cell(self, cell_id: str, moment: datetime) -> None:
        """A burst pipe floods a dormitory: everyone moves out, then it is out of order."""
        cell = self.places[cell_id]
        reason = f"dormitory {cell_id} closed: a burst water pipe flooded the floor"
        for i, person in enumerate(list(cell.people)):
            dst = self.roomiest(cell.group or "men", cell.block, avoid=cell_id)
            if dst is None:
                raise RuntimeError("the synthetic facility is full")  # the capacities prevent it
            self.move("cell", person, moment + timedelta(minutes=2 * i), dst.id, reason=reason)
        cell.active = False
        self.emit(SetLocationState(cell_id, "out_of_order", "burst water pipe; floor flooded"))

    # -- roll calls -----------------------------------------------------------------------

    def roll_call(self, moment: datetime, *, trouble: bool) -> None:
        """A roll call of the whole facility; with ``trouble``, two cells' counts are off by
        one (a detainee slept in the next dormitory) and a third misses a detainee who was
        there all along; the recounts agree with the first counts, and the differences are
        resolved person by person."""
        roll = f"R-{len(self.rolls) + 1:04d}"
        self.rolls.append(roll)
        self.emit(OpenRoll(roll, FACILITY, moment))
        shift = len(self.rolls)
        off: dict[str, int] = {}
        if trouble:
            self.troubled_rolls.append(roll)
            src = self.rng.choice([c for c in self.cells("men") if c.active and c.people])
            dst = self.rng.choice(
                [c for c in self.cells("men", src.block) if c.has_room() and c != src]
            )
            found = self.rng.choice(
                [c for c in self.cells("men") if c.active and c.people and c.block != src.block]
            )
            stray = self.rng.choice(src.people)
            present = self.rng.choice(found.people)
            off = {src.id: -1, dst.id: 1, found.id: -1}
            recount = moment + timedelta(minutes=35)
            for i, (place_id, wrong) in enumerate(off.items()):
                pair = tuple(self.counters[self.places[place_id].block or FACILITY][:2])
                self.at(
                    recount + timedelta(minutes=2 * i),
                    partial(self.count, roll, place_id, wrong, pair),
                )
            note = f"found asleep in {dst.id}; he had stayed there overnight after the evening meal"
            elsewhere = Resolve(roll, stray, src.id, "elsewhere", moment, dst.id, note)
            self.at(moment + timedelta(minutes=50), partial(self.resolve, elsewhere))
            note = "present all along: in the washroom at the back of the dormitory at both counts"
            there = Resolve(roll, present, found.id, "found", moment, None, note)
            self.at(moment + timedelta(minutes=56), partial(self.resolve, there))
        counted = [p for p in self.places.values() if p.holding and p.active]
        per_block: Counter[str] = Counter()
        for place in counted:
            key = place.block or FACILITY
            per_block[key] += 1
            step = 90 if place.kind == "cell" else 60
            if place.kind == "reception":
                when = moment + timedelta(seconds=30)
            else:
                when = moment + timedelta(seconds=step * per_block[key])
            names = self.counters[key]
            counters = (names[shift % len(names)],)
            self.at(when, partial(self.count, roll, place.id, off.get(place.id, 0), counters))

    def count(
        self, roll: str, place: str, off: int, counters: tuple[str, ...], moment: datetime
    ) -> None:
        here = len(self.places[place].people)
        self.emit(RecordCount(roll, place, here + off, counters, moment))

    def resolve(self, planned: Resolve, moment: datetime) -> None:
        """Account for one person (``planned``, dated ``moment``); someone found elsewhere
        is recorded as moved there."""
        command = replace(planned, time=moment)
        if command.found_in is not None:
            reason = f"found in {command.found_in} at roll call {command.roll}; moved there"
            self.emit(ResolveWith(command, details={"reason": reason}))
            self.relocate(command.person, command.found_in, "cell")
        else:
            self.emit(command)

    # -- summary --------------------------------------------------------------------------

    def summary(self) -> dict[str, Any]:
        in_custody = Counter(self.category[n] for n in self.where)
        gone = Counter(self.gone.values())
        times = self.times()
        return {
            "detainees": sum(1 for c in self.category.values() if c == "detainee"),
            "staff": sum(1 for c in self.category.values() if c == "staff"),
            "others": sum(1 for c in self.category.values() if c == "other"),
            "blocks": len(_BLOCKS),
            "cells": sum(1 for p in self.places.values() if p.kind == "cell"),
            "cells_out_of_order": sum(
                1 for p in self.places.values() if p.kind == "cell" and not p.active
            ),
            "posts": len(_POSTS),
            "nationalities": dict(self.nationalities.most_common()),
            "women": sum(1 for d in self.detainees.values() if d.gender == "female"),
            "admitted_during_week": sum(_ARRIVALS),
            "movements": dict(sorted(self.movements.items())),
            "corrections": sum(1 for c in self.commands if isinstance(c, Correct)),
            "rolls": len(self.rolls),
            "rolls_with_differences": list(self.troubled_rolls),
            "in_custody": {c: in_custody.get(c, 0) for c in ("detainee", "staff", "other")},
            "out_at_end": sum(
                1 for p in self.where.values() if self.places[p].kind in ("hospital", "court")
            ),
            "deaths": gone.get("dead", 0),
            "released": gone.get("released", 0),
            "transferred": gone.get("transferred", 0),
            "first_time": min(times).isoformat(),
            "last_time": max(times).isoformat(),
            "commands": len(self.commands),
        }

    def times(self) -> list[datetime]:
        """The times of the commands that have one."""
        times = [getattr(c, "time", None) for c in self.commands]
        times += [c.resolve.time for c in self.commands if isinstance(c, ResolveWith)]
        return [t for t in times if isinstance(t, datetime)]


def _country(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    return str(country.name) if country else code


def _at(day: int, hour: int, minute: int) -> datetime:
    return _DAY0 + timedelta(days=day, hours=hour, minutes=minute)


def scenario(seed: int = SEED) -> Scenario:
    """The commands of the synthetic week at al-Aqtan, generated from ``seed``.

    Run them in one call to :meth:`FacilityService.run
    <amanah.services.facility.FacilityService.run>` with the facility's time zone
    :data:`ZONE` and a clock at or after :data:`AS_OF`.
    """
    week = _Week(seed)
    week.build()
    week.plan()
    week.run()
    return Scenario(tuple(week.commands), week.summary(), NOTICE)
