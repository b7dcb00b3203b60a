"""The register's pure rules: person records, locations, admission and corrections."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from amanah.domain.registry import record as records
from amanah.domain.registry.commands import (
    AddLocation,
    Admit,
    Correct,
    SetCapacity,
    SetLocationState,
)
from amanah.domain.registry.errors import RegistryRefused
from amanah.domain.registry.events import (
    CapacitySet,
    LocationAdded,
    LocationStateSet,
    PersonAdmitted,
    PersonCorrected,
)
from amanah.domain.registry.model import (
    PersonView,
    apply_correction,
    decide_add_location,
    decide_admit,
    decide_correct,
    decide_set_capacity,
    decide_set_state,
)
from amanah.domain.shared import Place
from amanah.errors import InvalidInput, Refused

NOW = datetime(2026, 1, 20, 12, 0, tzinfo=UTC)
ADMITTED = "2026-01-20T06:00:00Z"


def detainee(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "name_ar": "سامر الحسن",
        "name_latin": "Samer al-Hassan",
        "gender": "male",
        "nationality": "SY",
        "commitment": {
            "order_ref": "CO-2026-001",
            "grounds": "synthetic grounds",
            "ordering_authority": "Court A",
            "responsible_authority": "Administration B",
        },
        "arrest": {"time": "2026-01-10T10:00:00Z", "place": "Raqqa", "authority": "Police"},
    }
    return base | changes


def staff(**changes: Any) -> dict[str, Any]:
    return {
        "name_latin": "Rana Haddad",
        "gender": "female",
        "nationality": "SY",
        "staff": {"role": "guard"},
    } | changes


def place(
    id_: str,
    kind: str,
    parent: str | None = "A",
    *,
    maximum: int | None = None,
    occupancy: int = 0,
    state: str = "active",
) -> Place:
    return Place(id_, kind, "AQ", parent, state, None, None, maximum, occupancy)


CELL = place("A-01", "cell", maximum=4, occupancy=1)
BLOCK = place("A", "block", "AQ", maximum=20, occupancy=1)
FACILITY = place("AQ", "facility", None, occupancy=1)
CHAIN = [CELL, BLOCK, FACILITY]


# --- records -------------------------------------------------------------------------------


def test_a_detainee_record_is_cleaned_and_kept() -> None:
    raw = detainee(name_ar="  سامر الحسن  ", nationality="sy", birth_date="1990")
    cleaned = records.validate("detainee", raw)
    assert cleaned["name_ar"] == "سامر الحسن"
    assert cleaned["nationality"] == "SY"
    assert cleaned["birth_date"] == "1990"
    assert cleaned["birth_date_approximate"] is True
    assert cleaned["commitment"]["order_ref"] == "CO-2026-001"


def test_a_full_birth_date_is_not_approximate() -> None:
    cleaned = records.validate("detainee", detainee(birth_date="1990-02-28"))
    assert "birth_date_approximate" not in cleaned


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (detainee(commitment=None), "commitment is required"),
        (detainee(commitment={}), "commitment is required"),
        (
            detainee(
                commitment={
                    "grounds": "g",
                    "ordering_authority": "o",
                    "responsible_authority": "r",
                }
            ),
            r"commitment\.order_ref is required",
        ),
        (
            detainee(
                commitment={
                    "order_ref": "   ",
                    "grounds": "g",
                    "ordering_authority": "o",
                    "responsible_authority": "r",
                }
            ),
            r"commitment\.order_ref is empty",
        ),
        (detainee(arrest=None), "arrest is required"),
        (detainee(nationality="Syria"), "not an ISO 3166 country code"),
        (detainee(nationality=""), "nationality is required"),
        (detainee(gender=None), "gender is required"),
        (detainee(birth_date="20-01-1990"), "is not YYYY, YYYY-MM or YYYY-MM-DD"),
        (detainee(birth_date="1990-13-01"), "is not a date"),
        (detainee(birth_date="1990-02-30"), "is not a date"),
        (detainee(birth_date="1850"), "not a plausible date of birth"),
        (detainee(birth_date=1990), "is not YYYY"),
        (detainee(name_ar=None, name_latin=None), "a name is required"),
        (detainee(name_ar="Samer"), "name_ar must be written in Arabic script"),
        (detainee(name_latin="سامر"), "name_latin must be written in Latin letters"),
        (detainee(shoe_size="44"), "unknown field shoe_size for a detainee"),
        (detainee(staff={"role": "guard"}), "unknown field staff for a detainee"),
        (detainee(name_latin="Samer\x07"), "control character"),
        (detainee(name_latin="Samer\nal-Hassan"), "must be on one line"),
        (detainee(name_latin="x" * 201), "the limit is 200"),
        (detainee(property=[{"item": "watch", "quantity": -1}]), "whole number from 0"),
        (detainee(property=[{"item": "watch", "quantity": True}]), "whole number from 0"),
        (detainee(property={"item": "watch"}), "property must be a list"),
        (detainee(property=[{"quantity": 1}]), r"property\[0\]\.item is required"),
        (detainee(birth_date_approximate="yes"), "must be true or false"),
        (detainee(arrest={"time": 5, "place": "p", "authority": "a"}), "must be a time"),
        (detainee(family=[{"name": "Ali"}] * 101), "more than 100 items"),
    ],
)
def test_a_malformed_detainee_record_is_refused(raw: dict[str, Any], message: str) -> None:
    with pytest.raises((RegistryRefused, InvalidInput), match=message):
        records.validate("detainee", raw)


def test_staff_and_others_need_their_role_and_no_commitment() -> None:
    assert records.validate("staff", staff())["staff"] == {"role": "guard"}
    with pytest.raises(RegistryRefused, match=r"staff\.role is required"):
        records.validate("staff", staff(staff={"post": "gate"}))
    with pytest.raises(RegistryRefused, match="unknown field commitment for a staff"):
        records.validate("staff", staff(commitment=detainee()["commitment"]))
    other = records.validate(
        "other",
        {"name_latin": "Dr Lina Saad", "gender": "female", "nationality": "unknown"}
        | {"other": {"role": "doctor", "organisation": "Synthetic Aid"}},
    )
    assert other["nationality"] == "unknown"
    with pytest.raises(RegistryRefused, match="other is required"):
        records.validate("other", {"name_latin": "X", "gender": "m", "nationality": "SY"})


def test_an_unknown_category_is_refused() -> None:
    with pytest.raises(RegistryRefused, match="category must be one of detainee, staff, other"):
        records.validate("prisoner", detainee())


def test_aliases_may_be_a_semicolon_list() -> None:
    cleaned = records.validate("detainee", detainee(aliases="Abu Omar; ;أبو عمر"))
    assert cleaned["aliases"] == ["Abu Omar", "أبو عمر"]


def test_empty_optional_groups_are_dropped() -> None:
    cleaned = records.validate("detainee", detainee(health={}, property=[], next_of_kin=None))
    assert not {"health", "property", "next_of_kin"} & cleaned.keys()


def test_normalise_times_reads_local_time_in_the_facility_zone() -> None:
    zone = timezone(timedelta(hours=3))
    raw = detainee(arrest={"time": "2026-01-10T10:00", "place": "p", "authority": "a"})
    assert records.normalise_times(raw, zone)["arrest"]["time"] == "2026-01-10T07:00:00Z"
    with_offset = detainee(
        arrest={"time": "2026-01-10T10:00+01:00", "place": "p", "authority": "a"}
    )
    assert records.normalise_times(with_offset, zone)["arrest"]["time"] == "2026-01-10T09:00:00Z"
    with pytest.raises(InvalidInput, match="not an ISO 8601 time"):
        records.normalise_times(
            detainee(arrest={"time": "10/01/2026", "place": "p", "authority": "a"}), zone
        )


def test_an_arrest_after_the_admission_is_refused() -> None:
    records.check_arrest_before(detainee(), ADMITTED)
    with pytest.raises(RegistryRefused, match=r"arrest .* is dated after the admission"):
        records.check_arrest_before(
            detainee(arrest={"time": "2026-01-21T00:00:00Z", "place": "p", "authority": "a"}),
            ADMITTED,
        )


def test_fields_are_read_and_set_by_dotted_path() -> None:
    rec = detainee()
    assert records.get_field(rec, "commitment.order_ref") == "CO-2026-001"
    assert records.get_field(rec, "health.state") is None
    changed = records.with_field(rec, "health.state", "good")
    assert changed["health"] == {"state": "good"}
    assert "health" not in rec  # a copy
    assert "health" not in records.with_field(changed, "health.state", None)
    assert "name_ar" not in records.with_field(rec, "name_ar", None)


@pytest.mark.parametrize(
    ("stored", "query"),
    [
        ("أحمد الحسن", "احمد"),
        ("احمد الحسن", "أحمد"),
        ("إبراهيم", "ابراهيم"),
        ("آمنة", "امنه"),
        ("سَامِر", "سامر"),
        ("سامر", "سَامِر"),
        ("مصطفى", "مصطفي"),
        ("سـامـر", "سامر"),
        ("Samer al-Hassan", "AL HASSAN"),
        ("Samer al-Hassan", "samer al hassan"),
        ("Samer Al Hassan", "al-hassan"),
        ("Samer al-Ḥasan", "al hasan"),
        ("Samir Ba'ath", "BA’ATH"),
    ],
)
def test_fold_matches_spelling_variants(stored: str, query: str) -> None:
    assert records.fold(query) in records.fold(stored)


def test_fold_keeps_different_names_apart() -> None:
    assert records.fold("سامر") not in records.fold("سمير")
    assert records.fold("hassan") not in records.fold("Husain")


def test_search_key_holds_number_names_and_aliases() -> None:
    key = records.search_key("D-000042", detainee(aliases=["Abu Omar"]))
    for query in ("D-000042", "d 000042", "سامر الحسن", "samer al hassan", "abu omar"):
        assert records.fold(query) in key
    assert key == "d000042 | سامرالحسن | sameralhassan | abuomar"


@pytest.mark.parametrize(
    ("stored", "query"),
    [
        # Latin transliteration: separators between name parts never prevent a match.
        ("al-Hassan", "alhassan"),
        ("Al Hassan", "alhassan"),
        ("Alhassan", "al hassan"),
        ("Alhassan", "AL-HASSAN"),
        ("al\u2011\u1e25asan", "alhasan"),  # non-breaking hyphen, h with dot below
        ("al\u2013Hasan", "al hasan"),  # en dash
        ("\u02bfAbd al-Ra\u1e25m\u0101n", "abd al rahman"),  # ayn mark, macron
        ("\u02bfAbd al-Ra\u1e25m\u0101n", "abdalrahman"),
        ("Mu\u02bcmin", "mumin"),  # modifier letter apostrophe
        ("Ba\u2019ath", "baath"),
        ("Ba'ath", "ba\u02bfath"),
        ("Abu.Omar", "abu omar"),
        ("Samer al-Hassan", "samer alhassan"),
        # Arabic: spaces between name parts, as typed both ways.
        ("عبد الله", "عبدالله"),
        ("عبدالله", "عبد الله"),
        ("أبو عمر", "ابوعمر"),
        # Arabic: hamza forms, wasla, alef maqsura, ta marbuta, tatweel, vowel marks.
        ("أسامة", "اسامه"),
        ("إسماعيل", "اسماعيل"),
        ("آمنة", "امنة"),
        ("ٱلحسن", "الحسن"),
        ("مؤمن", "مومن"),
        ("هانئ", "هاني"),
        ("موسى", "موسي"),
        ("عيسي", "عيسى"),
        ("فاطمة", "فاطمه"),
        ("مـحـمـد", "محمد"),
        ("مُحَمَّد", "محمد"),
        ("محمد", "مُحَمَّد"),
        ("رحمٰن", "رحمن"),  # superscript (dagger) alef
        ("علی", "علي"),  # Persian-keyboard ya
        # Numbers typed in Arabic-Indic digits; bidi marks pasted with Arabic text.
        ("D-000123", "٠٠٠١٢٣"),
        ("D-000123", "D-\u200f000123"),
    ],
)
def test_search_matches_whatever_separates_the_parts(stored: str, query: str) -> None:
    assert records.fold(query) in records.search_key("D-000123", {"name_latin": stored})


def test_fold_keeps_different_names_and_literal_punctuation_apart() -> None:
    assert records.fold("hasan") not in records.search_key("D-1", {"name_latin": "Hassan"})
    assert records.fold("حسن") not in records.search_key("D-1", {"name_ar": "حسين"})
    # Other punctuation is kept, to be matched literally (the store escapes LIKE wildcards).
    assert records.fold("%%") == "%%"
    assert records.fold("0%") == "0%"
    # Nothing but separators folds to nothing (the service asks for two letters or digits).
    assert records.fold(" - ' \u02bf . ") == ""


def test_a_folded_query_never_spans_two_names() -> None:
    key = records.search_key("D-1", {"name_latin": "Samer Ali", "aliases": ["Omar"]})
    assert records.fold("ali omar") not in key
    assert records.fold("ali | omar") not in key


def test_display_name_joins_both_scripts() -> None:
    assert records.display_name(detainee()) == "سامر الحسن / Samer al-Hassan"
    assert records.display_name({"name_latin": "Rana"}) == "Rana"


# --- locations ------------------------------------------------------------------------------


def test_a_facility_brings_reception_and_away_places() -> None:
    events = decide_add_location(
        AddLocation(
            "AQ", "facility", "سجن", "Prison", adm1="SY11", adm2="SY1101", lat="35.95", lon="39"
        ),
        exists=False,
        parent=None,
    )
    assert all(isinstance(ev, LocationAdded) for ev in events)
    assert [(ev.id, ev.kind, ev.parent, ev.facility) for ev in events] == [
        ("AQ", "facility", None, "AQ"),
        ("AQ:reception", "reception", "AQ", "AQ"),
        ("AQ:hospital", "hospital", "AQ", "AQ"),
        ("AQ:court", "court", "AQ", "AQ"),
        ("AQ:outside", "outside", "AQ", "AQ"),
        ("AQ:transit", "transit", "AQ", "AQ"),
    ]
    assert (events[0].adm1, events[0].lat, events[0].lon) == ("SY11", "35.95", "39")


def test_a_cell_goes_under_a_block_with_its_capacities() -> None:
    [ev] = decide_add_location(
        AddLocation("A-01", "cell", "زنزانة", "Cell", parent="A", certified=4, maximum=6),
        exists=False,
        parent=BLOCK,
    )
    assert (ev.id, ev.parent, ev.facility, ev.certified, ev.working, ev.maximum) == (
        "A-01",
        "A",
        "AQ",
        4,
        None,
        6,
    )


@pytest.mark.parametrize(
    ("command", "parent", "message"),
    [
        (AddLocation("A 1", "cell", "ز", "c", parent="A"), BLOCK, "location id 'A 1' must be"),
        (AddLocation("-A", "cell", "ز", "c", parent="A"), BLOCK, "must be 1-64"),
        (AddLocation("X", "hospital", "ز", "c", parent="AQ"), FACILITY, "kind must be one of"),
        (AddLocation("X", "transit", "ز", "c", parent="AQ"), FACILITY, "kind must be one of"),
        (AddLocation("X", "reception", "ز", "c", parent="AQ"), FACILITY, "kind must be one of"),
        (AddLocation("X", "outside", "ز", "c", parent="AQ"), FACILITY, "kind must be one of"),
        (AddLocation("X", "dungeon", "ز", "c", parent="AQ"), FACILITY, "kind must be one of"),
        (AddLocation("X", "cell", "ز", "c"), None, "a cell needs a parent location"),
        (AddLocation("X", "cell", "ز", "c", parent="Z"), None, "Z does not exist"),
        (AddLocation("X", "cell", "ز", "c", parent="AQ"), FACILITY, "cannot be inside a facility"),
        (AddLocation("X", "block", "ز", "c", parent="A"), BLOCK, "cannot be inside a block"),
        (AddLocation("X", "wing", "ز", "c", parent="A-01"), CELL, "cannot be inside a cell"),
        (AddLocation("X", "facility", "ز", "c", parent="A"), BLOCK, "a facility has no parent"),
        (AddLocation("X", "facility", "ز", "c", adm1="Syria"), None, "adm1 P-code 'Syria'"),
        (AddLocation("X", "facility", "ز", "c", lat="91"), None, "latitude '91' is outside"),
        (AddLocation("X", "facility", "ز", "c", lon="east"), None, "longitude 'east' is not"),
        (AddLocation("X", "facility", "ز", "c", lat="NaN"), None, "latitude 'NaN' is outside"),
        (AddLocation("X", "block", "ز", "c", parent="AQ", adm1="SY11"), FACILITY, "P-codes"),
        (AddLocation("X", "cell", "ز", "c", parent="A", maximum=-1), BLOCK, "from 0 to 1000000"),
        (
            AddLocation("X", "cell", "ز", "c", parent="A", certified=5, maximum=4),
            BLOCK,
            "certified capacity 5 is above the maximum capacity 4",
        ),
        (AddLocation("X", "cell", "", "c", parent="A"), BLOCK, "the Arabic name is empty"),
    ],
)
def test_a_bad_location_is_refused(
    command: AddLocation, parent: Place | None, message: str
) -> None:
    with pytest.raises((RegistryRefused, InvalidInput), match=message):
        decide_add_location(command, exists=False, parent=parent)


def test_a_location_that_exists_is_refused() -> None:
    with pytest.raises(RegistryRefused, match="location A-01 already exists"):
        decide_add_location(
            AddLocation("A-01", "cell", "ز", "c", parent="A"), exists=True, parent=BLOCK
        )


def test_capacity_is_set_with_a_reason() -> None:
    [ev] = decide_set_capacity(SetCapacity("A-01", 2, 2, 3, "  repairs "), CELL)
    assert ev == CapacitySet("A-01", 2, 2, 3, "repairs")
    with pytest.raises(RegistryRefused, match="location Z does not exist"):
        decide_set_capacity(SetCapacity("Z", 2, 2, 3, "r"), None)
    with pytest.raises(RegistryRefused, match="away place"):
        decide_set_capacity(
            SetCapacity("AQ:hospital", 2, 2, 3, "r"), place("AQ:hospital", "hospital", "AQ")
        )
    with pytest.raises(RegistryRefused, match="maximum capacity must be from 0"):
        decide_set_capacity(SetCapacity("A-01", None, None, -3, "r"), CELL)
    with pytest.raises(InvalidInput, match="the reason is empty"):
        decide_set_capacity(SetCapacity("A-01", 2, 2, 3, " "), CELL)


def test_a_place_goes_out_of_order_only_when_empty() -> None:
    empty = place("A-02", "cell")
    [ev] = decide_set_state(SetLocationState("A-02", "out_of_order", "flooded"), empty)
    assert ev == LocationStateSet("A-02", "out_of_order", "flooded")
    with pytest.raises(RegistryRefused, match="still holds 1 people"):
        decide_set_state(SetLocationState("A-01", "out_of_order", "flooded"), CELL)
    with pytest.raises(RegistryRefused, match="already active"):
        decide_set_state(SetLocationState("A-02", "active", "fixed"), empty)
    with pytest.raises(RegistryRefused, match="state must be one of"):
        decide_set_state(SetLocationState("A-02", "closed", "r"), empty)
    with pytest.raises(RegistryRefused, match="location Z does not exist"):
        decide_set_state(SetLocationState("Z", "active", "r"), None)


# --- admission -----------------------------------------------------------------------------


def admit(**changes: Any) -> Admit:
    base: dict[str, Any] = {
        "number": "D-000001",
        "category": "detainee",
        "record": detainee(),
        "location": "A-01",
        "time": datetime(2026, 1, 20, 6, 0, tzinfo=UTC),
    }
    return Admit(**(base | changes))


def test_an_admission_names_the_place_and_facility() -> None:
    [ev] = decide_admit(admit(), None, CHAIN, NOW)
    assert isinstance(ev, PersonAdmitted)
    assert (ev.number, ev.category, ev.time, ev.location, ev.facility, ev.override) == (
        "D-000001",
        "detainee",
        ADMITTED,
        "A-01",
        "AQ",
        None,
    )
    assert ev.record["commitment"]["order_ref"] == "CO-2026-001"


@pytest.mark.parametrize(
    ("command", "chain", "message"),
    [
        (admit(number="D 1"), CHAIN, "person number 'D 1' must be"),
        (admit(record=detainee(commitment=None)), CHAIN, "commitment is required"),
        (admit(category="visitor"), CHAIN, "category must be one of"),
        (admit(location="Z"), [], "location Z does not exist"),
        (admit(location="A"), [BLOCK, FACILITY], "not a block"),
        (admit(location="AQ:hospital"), [place("AQ:hospital", "hospital", "AQ")], "hospital"),
        (admit(time=NOW + timedelta(hours=1)), CHAIN, "after the current time"),
        (admit(time=datetime(1989, 12, 31, tzinfo=UTC)), CHAIN, "before 1990"),
        (admit(time=datetime(2026, 1, 9, tzinfo=UTC)), CHAIN, "dated after the admission"),
        (admit(record=detainee(birth_date="2026-02")), CHAIN, "date of birth is after"),
        (
            admit(),
            [place("A-01", "cell", maximum=1, occupancy=1), BLOCK, FACILITY],
            "location A-01 holds 1 of a maximum of 1; putting 1 more in needs an override",
        ),
        (
            admit(),
            [CELL, place("A", "block", "AQ", maximum=1, occupancy=1), FACILITY],
            "location A holds 1 of a maximum of 1",
        ),
        (admit(), [place("A-01", "cell", state="out_of_order"), BLOCK], "out of order"),
        (admit(override="  "), [place("A-01", "cell", maximum=0), BLOCK], "override reason"),
    ],
)
def test_a_bad_admission_is_refused(command: Admit, chain: list[Place], message: str) -> None:
    with pytest.raises((Refused, InvalidInput), match=message):
        decide_admit(command, None, chain, NOW)


def test_a_second_admission_of_the_same_number_is_refused() -> None:
    existing = PersonView("D-000001", "detainee", "released", {})
    with pytest.raises(RegistryRefused, match=r"D-000001 is already on the register \(detainee"):
        decide_admit(admit(), existing, CHAIN, NOW)


def test_admission_within_clock_skew_is_drift_not_a_lie() -> None:
    [ev] = decide_admit(admit(time=NOW + timedelta(minutes=9)), None, CHAIN, NOW)
    assert ev.time == "2026-01-20T12:09:00Z"


def test_a_full_place_takes_a_person_only_with_an_override_reason() -> None:
    full = [place("A-01", "cell", maximum=2, occupancy=2), BLOCK, FACILITY]
    [ev] = decide_admit(admit(override=" court order 17 "), None, full, NOW)
    assert ev.override == "court order 17"
    [ev] = decide_admit(admit(override="not needed"), None, CHAIN, NOW)
    assert ev.override is None


# --- corrections ---------------------------------------------------------------------------


def person(**changes: Any) -> PersonView:
    return PersonView("D-000001", "detainee", "inside", records.validate("detainee", detainee()))


def test_a_correction_is_an_event_with_the_old_value_and_a_reason() -> None:
    view = person()
    [ev] = decide_correct(Correct("D-000001", "name_latin", "Samir al-Hasan", "misspelt"), view)
    assert ev == PersonCorrected(
        "D-000001", "name_latin", "Samir al-Hasan", "Samer al-Hassan", "misspelt"
    )
    assert apply_correction(dict(view.record), ev)["name_latin"] == "Samir al-Hasan"


def test_a_correction_is_normalised_and_may_clear_an_optional_field() -> None:
    view = person()
    [ev] = decide_correct(Correct("D-000001", "nationality", "iq", "wrong country"), view)
    assert (ev.value, ev.previous) == ("IQ", "SY")
    [ev] = decide_correct(Correct("D-000001", "name_ar", "", "entered twice"), view)
    assert ev.value is None
    assert "name_ar" not in apply_correction(dict(view.record), ev)
    [ev] = decide_correct(Correct("D-000001", "health.state", "fever", "seen by doctor"), view)
    assert (ev.value, ev.previous) == ("fever", None)


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (Correct("D-000001", "category", "staff", "r"), "field 'category' cannot be corrected"),
        (Correct("D-000001", "name_latin", "X", " "), "the reason for the correction is empty"),
        (Correct("D-000001", "name_latin", "Samer al-Hassan", "r"), "already has that value"),
        (Correct("D-000001", "commitment.order_ref", "", "r"), "order_ref is required"),
        (Correct("D-000001", "nationality", "Narnia", "r"), "not an ISO 3166"),
        (Correct("D-000001", "birth_date", "1990-02-30", "r"), "is not a date"),
        (Correct("D-000001", "staff.role", "cook", "r"), "unknown field staff"),
        (Correct("D-000001", "name_latin", None, "r"), "a name is required"),
    ],
)
def test_a_bad_correction_is_refused(command: Correct, message: str) -> None:
    view = PersonView(
        "D-000001",
        "detainee",
        "inside",
        records.validate("detainee", detainee(name_ar=None)),
    )
    with pytest.raises((RegistryRefused, InvalidInput), match=message):
        decide_correct(command, view)


def test_a_correction_for_nobody_is_refused() -> None:
    with pytest.raises(RegistryRefused, match="no person D-000009 on the register"):
        decide_correct(Correct("D-000009", "name_latin", "X", "r"), None)


def test_a_correction_cannot_break_the_admission_rules() -> None:
    view = PersonView(
        "D-000001",
        "detainee",
        "inside",
        records.validate("detainee", detainee()),
        admitted_at=ADMITTED,
    )
    with pytest.raises(RegistryRefused, match="dated after the admission"):
        decide_correct(Correct("D-000001", "arrest.time", "2026-01-21T00:00:00Z", "typo"), view)
    with pytest.raises(RegistryRefused, match="date of birth is after the admission"):
        decide_correct(Correct("D-000001", "birth_date", "2026-02-01", "typo"), view)
    [ev] = decide_correct(Correct("D-000001", "arrest.time", "2026-01-19T23:00:00Z", "typo"), view)
    assert ev.previous == "2026-01-10T10:00:00Z"


# --- input of the wrong type: a refusal that names the problem, never a TypeError ----------

EAST_3 = timezone(timedelta(hours=3))
NAIVE = datetime(2026, 1, 20, 6, 0)  # noqa: DTZ001 (the naive time under test)


@pytest.mark.parametrize(
    ("moment", "message"),
    [
        (NAIVE, r"the time of the admission \(2026-01-20T06:00:00\) has no time zone"),
        ("2026-01-20T06:00:00Z", "the time of the admission must be a date and time, not str"),
        (None, "must be a date and time, not NoneType"),
    ],
)
def test_an_admission_time_without_a_zone_is_refused(moment: Any, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        decide_admit(admit(time=moment), None, CHAIN, NOW)
    [ev] = decide_admit(admit(time=datetime(2026, 1, 20, 9, 0, tzinfo=EAST_3)), None, CHAIN, NOW)
    assert ev.time == ADMITTED


@pytest.mark.parametrize("value", [2.5, 4.0, True, "4", [4]])
def test_a_capacity_that_is_not_a_whole_number_is_refused(value: Any) -> None:
    with pytest.raises(RegistryRefused, match="maximum capacity must be a whole number of people"):
        decide_set_capacity(SetCapacity("A-01", None, None, value, "survey"), CELL)
    with pytest.raises(RegistryRefused, match="certified capacity must be a whole number"):
        decide_add_location(
            AddLocation("A-09", "cell", "ز", "Z", parent="A", certified=value), False, BLOCK
        )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"id": 5}, "location id 5 must be"),
        ({"name_ar": None}, "the Arabic name must be text, not NoneType"),
        ({"name_en": 7}, "the English name must be text, not int 7"),
    ],
)
def test_a_location_with_fields_of_the_wrong_type_is_refused(
    changes: dict[str, Any], message: str
) -> None:
    fields: dict[str, Any] = {"id": "A-09", "kind": "cell", "name_ar": "ز", "name_en": "Z"}
    command = AddLocation(**(fields | changes), parent="A")
    with pytest.raises((RegistryRefused, InvalidInput), match=message):
        decide_add_location(command, False, BLOCK)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"lat": 35.95}, "latitude must be given as decimal text"),
        ({"lon": ["38"]}, "longitude must be given as decimal text"),
        ({"adm1": 11}, "adm1 P-code 11 is not like SY11"),
    ],
)
def test_facility_codes_of_the_wrong_type_are_refused(
    changes: dict[str, Any], message: str
) -> None:
    command = AddLocation(
        **({"id": "AQ", "kind": "facility", "name_ar": "ق", "name_en": "Q"} | changes)
    )
    with pytest.raises(RegistryRefused, match=message):
        decide_add_location(command, False, None)


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (admit(number=42), "person number 42 must be"),
        (admit(category=["detainee"]), "category must be one of"),
        (admit(record=[("name_latin", "Samer")]), "the record must be an object of named fields"),
        (admit(record="Samer"), "the record must be an object"),
        (admit(override=3), "the override reason must be text, not int 3"),
    ],
)
def test_an_admission_with_fields_of_the_wrong_type_is_refused(
    command: Admit, message: str
) -> None:
    full = [place("A-01", "cell", maximum=0), BLOCK, FACILITY]
    with pytest.raises((RegistryRefused, InvalidInput), match=message):
        decide_admit(command, None, full, NOW)


@pytest.mark.parametrize(
    "value", ["2026-01-10T10:00", "2026-01-10 10:00:00Z", "2026-02-30T10:00:00Z", "yesterday"]
)
def test_an_arrest_time_not_as_the_ledger_keeps_it_is_refused(value: str) -> None:
    """The service normalises arrest times to RFC 3339 UTC; a caller that skips it must not
    put a time on the register that sorts wrongly against the admission (compared as text,
    "2026-01-10 10:00:00Z" sorts before any "2026-01-10T..." time)."""
    raw = detainee(arrest={"time": value, "place": "p", "authority": "a"})
    message = r"arrest\.time '.*' is not a UTC time such as"
    with pytest.raises(RegistryRefused, match=message):
        decide_admit(admit(record=raw), None, CHAIN, NOW)
    view = PersonView(
        "D-000001", "detainee", "inside", records.validate("detainee", detainee()), ADMITTED
    )
    with pytest.raises(RegistryRefused, match=message):
        decide_correct(Correct("D-000001", "arrest.time", value, "typo"), view)


# --- places out of order: the place and every ancestor must be in use ----------------------


@pytest.mark.parametrize(
    ("chain", "message"),
    [
        (
            [place("A-01", "cell"), place("A", "block", "AQ", state="out_of_order"), FACILITY],
            "location A-01 is in block A, which is out of order; no one may be put there",
        ),
        (
            [
                place("A-W1-01", "cell", "A-W1"),
                place("A-W1", "wing", "A", state="out_of_order"),
                BLOCK,
                FACILITY,
            ],
            "location A-W1-01 is in wing A-W1, which is out of order",
        ),
        (
            [
                place("A-W1-01", "cell", "A-W1"),
                place("A-W1", "wing", "A"),
                place("A", "block", "AQ", state="out_of_order"),
                FACILITY,
            ],
            "location A-W1-01 is in block A, which is out of order",
        ),
        (
            [
                place("AQ:reception", "reception", "AQ"),
                place("AQ", "facility", None, state="out_of_order"),
            ],
            "location AQ:reception is in facility AQ, which is out of order",
        ),
    ],
)
def test_no_admission_into_a_place_under_one_out_of_order(chain: list[Place], message: str) -> None:
    with pytest.raises(RegistryRefused, match=message):
        decide_admit(admit(location=chain[0].id), None, chain, NOW)
    # An override is for capacity; it does not put a block back in use.
    with pytest.raises(RegistryRefused, match="which is out of order"):
        decide_admit(admit(location=chain[0].id, override="court order"), None, chain, NOW)


def test_an_out_of_order_cell_takes_no_one_even_with_an_override() -> None:
    broken = [place("A-01", "cell", state="out_of_order"), BLOCK, FACILITY]
    with pytest.raises(RegistryRefused, match="location A-01 is out of order"):
        decide_admit(admit(override="court order"), None, broken, NOW)
