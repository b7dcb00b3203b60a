"""A synthetic occurrence book of a besieged prison's week, as JSONL (``{"time","text","by"}``).

Generated, deterministic (fixed seed): every name is invented and every event fictional,
modelled on the kind of entries a duty officer writes during a siege. Run as a module to
print it: ``python -m amanah.demo.occurrence_book > book.jsonl``.
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

SEED = 20260118
START = datetime(2026, 1, 18, 6, 0, tzinfo=timezone(timedelta(hours=3)))
DAYS = 7

# Synthetic duty officers (generated names, Arabic script with transliteration).
_GIVEN = ["سامر", "خليل", "رامي", "نزار", "فادي", "وسيم", "جود", "باسل", "مازن", "هادي"]
_GIVEN_LAT = ["Samer", "Khalil", "Rami", "Nizar", "Fadi", "Wasim", "Jud", "Basil", "Mazen", "Hadi"]
_FAMILY = ["الحسن", "العلي", "الخطيب", "السيد", "النجار", "الحمدان", "الشامي", "العمر"]
_FAMILY_LAT = [
    "al-Hasan",
    "al-Ali",
    "al-Khatib",
    "al-Sayyid",
    "al-Najjar",
    "al-Hamdan",
    "al-Shami",
    "al-Omar",
]

_ROUTINE = [
    "تعداد الصباح في المهجع {b}: العدد مطابق.",
    "تعداد المساء في المهجع {b}: العدد مطابق.",
    "توزيع الخبز على المهاجع {b} و{c}.",
    "جولة تفتيش على السور الشمالي، لا ملاحظات.",
    "Morning count block {b}: matches the roll.",
    "Evening count block {b}: matches the roll.",
    "Bread distributed to blocks {b} and {c}.",
    "Perimeter patrol, north wall: nothing to report.",
    "تسليم المناوبة إلى الضابط {o}.",
    "Shift handed over to officer {o}.",
]
_SIEGE = [
    "انقطاع الكهرباء عن المبنى الرئيسي؛ المولد يعمل بحمل {p}٪.",
    "مخزون الوقود يكفي {h} ساعة تقريباً.",
    "توقف ضخ المياه لانقطاع الوقود عن المضخة.",
    "Water pumping stopped: no fuel for the pump generator.",
    "Fuel stock estimated at {h} hours of generator time.",
    "Food stock checked: rice and flour for about {d} days at current rations.",
    "إطلاق نار على البوابة الجنوبية لمدة {m} دقيقة، لا إصابات بين الموجودين.",
    "Shelling near the east gate for {m} minutes; no injuries inside.",
    "نقل محتجز من المهجع {b} إلى العيادة بسبب الجفاف.",
    "Detainee from block {b} taken to the clinic for dehydration.",
    "اتصال لاسلكي مع الضامن الدولي لطلب الحماية؛ لم يصل رد بعد.",
    "Radio call to the guarantor requesting protection; awaiting reply.",
    "طلب ممر آمن لعناصر الحراسة أُرسل كتابياً.",
    "Written request for a safe corridor for the guards sent.",
]


def _officers(rng: random.Random) -> list[str]:
    names = []
    for _ in range(8):
        i = rng.randrange(len(_GIVEN))
        j = rng.randrange(len(_FAMILY))
        names.append(f"{_GIVEN[i]} {_FAMILY[j]} ({_GIVEN_LAT[i]} {_FAMILY_LAT[j]})")
    return names


def entries(seed: int = SEED, per_day: int = 48) -> Iterator[dict[str, str]]:
    """Yield ``per_day`` entries for each of seven days, in time order."""
    rng = random.Random(seed)
    officers = _officers(rng)
    blocks = "ABCDEFGH"
    for day in range(DAYS):
        siege_weight = 0.15 + 0.1 * day  # the siege tightens through the week
        minutes = sorted(rng.sample(range(24 * 60), per_day))
        for minute in minutes:
            moment = START + timedelta(days=day, minutes=minute)
            pool = _SIEGE if rng.random() < siege_weight else _ROUTINE
            text = rng.choice(pool).format(
                b=rng.choice(blocks),
                c=rng.choice(blocks),
                o=rng.choice(officers).split(" (")[0],
                p=rng.choice([25, 30, 40]),
                h=max(2, 96 - 14 * day + rng.randrange(-3, 4)),
                d=max(1, 9 - day),
                m=rng.randrange(5, 45),
            )
            yield {"time": moment.isoformat(), "text": text, "by": rng.choice(officers)}


def main() -> None:
    out = sys.stdout
    for entry in entries():
        out.write(json.dumps(entry, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
