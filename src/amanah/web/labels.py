"""The words of the register as pages show them: each code the domain uses (a status, a
movement kind, a role) with its English message id; the catalogues translate them.

``N_`` marks a message for extraction without translating it here: the page translates it
in the reader's language when it is shown.
"""

from __future__ import annotations

from collections.abc import Mapping


def N_(message: str) -> str:  # noqa: N802 -- the gettext convention for "extract only"
    return message


LABELS: Mapping[str, Mapping[str, str]] = {
    "category": {
        "detainee": N_("detainee"),
        "staff": N_("staff"),
        "other": N_("other"),
    },
    "categories": {
        "detainee": N_("Detainees"),
        "staff": N_("Staff"),
        "other": N_("Others"),
        "total": N_("Total"),
    },
    "status": {
        "inside": N_("inside"),
        "out": N_("out (hospital, court)"),
        "in_transit": N_("in transit"),
        "transferred": N_("transferred"),
        "released": N_("released"),
        "dead": N_("dead"),
        "escaped": N_("escaped"),
    },
    "kind": {
        "admission": N_("admission"),
        "correction": N_("correction"),
        "cell": N_("cell move"),
        "out": N_("temporary absence"),
        "return": N_("return"),
        "transfer": N_("transfer out"),
        "receive": N_("received at destination"),
        "release": N_("release"),
        "death": N_("death"),
        "escape": N_("escape"),
        "recapture": N_("recapture"),
    },
    "place": {
        "facility": N_("facility"),
        "block": N_("block"),
        "wing": N_("wing"),
        "cell": N_("cell"),
        "post": N_("post"),
        "reception": N_("reception"),
        "hospital": N_("hospital"),
        "court": N_("court"),
        "outside": N_("outside"),
        "transit": N_("in transit"),
    },
    "tally": {
        "pending": N_("not counted yet"),
        "matched": N_("matches"),
        "recount": N_("count again"),
        "unresolved": N_("to resolve"),
        "resolved": N_("resolved"),
    },
    "roll": {
        "open": N_("open"),
        "cleared": N_("cleared"),
    },
    "outcome": {
        "found": N_("found in the place (missed by the count)"),
        "elsewhere": N_("found in another place"),
        "out": N_("out (hospital, court)"),
        "escaped": N_("escaped"),
        "dead": N_("dead"),
    },
    "role": {
        "administrator": N_("administrator"),
        "records_officer": N_("records officer"),
        "guard": N_("guard"),
        "medic": N_("medic"),
        "monitor": N_("monitor (guarantor)"),
        "receiving_officer": N_("receiving officer"),
    },
    "access": {
        "person.viewed": N_("viewed a record"),
        "register.searched": N_("searched the register"),
        "roster.viewed": N_("viewed a roster"),
        "export": N_("exported"),
        "login.succeeded": N_("logged in"),
        "login.failed": N_("failed login"),
        "logout": N_("logged out"),
        "denied": N_("denied"),
    },
    "figure": {
        "in_custody": N_("in custody"),
        "in_cells": N_("inside"),
        "out": N_("out (hospital, court)"),
        "in_transit": N_("in transit"),
        "arrived_today": N_("arrived today"),
        "left_today": N_("left today"),
        "unaccounted": N_("unaccounted"),
    },
    # -- under siege: supplies and appeals --
    "resource": {
        "water": N_("water"),
        "food": N_("food"),
        "fuel": N_("fuel"),
        "medicine": N_("medicine"),
        "generator": N_("generator"),
        "pump": N_("pump"),
    },
    "unit": {
        "L": N_("L"),
        "mL": N_("mL"),
        "kg": N_("kg"),
        "g": N_("g"),
        "kcal": N_("kcal"),
        "rations": N_("rations"),
        "doses": N_("doses"),
    },
    "measure": {
        "recent": N_("at recent consumption"),
        "humane": N_("at the humane minimum"),
        "survival": N_("at the survival minimum"),
    },
    "supply_entry": {
        "receive": N_("delivery"),
        "issue": N_("issue (consumption)"),
        "lose": N_("loss"),
        "count": N_("stock count"),
        "store_opened": N_("store opened"),
        "received": N_("delivery"),
        "issued": N_("issue (consumption)"),
        "lost": N_("loss"),
        "counted": N_("stock count"),
        "generator_installed": N_("generator installed"),
        "generator_started": N_("generator started"),
        "generator_stopped": N_("generator stopped"),
        "pump_installed": N_("pump installed"),
    },
    "supply_status": {
        "stocked": N_("stocked"),
        "empty": N_("empty"),
        "running": N_("running"),
        "stopped": N_("stopped"),
        "installed": N_("installed"),
    },
    "appeal_kind": {
        "protection": N_("protection"),
        "safe_corridor": N_("safe corridor"),
        "resupply": N_("resupply"),
        "medical_evacuation": N_("medical evacuation"),
    },
    "channel": {
        "radio": N_("radio"),
        "phone": N_("phone"),
        "letter": N_("letter"),
        "in_person": N_("in person"),
        "email": N_("email"),
        "message": N_("text message"),
    },
    "appeal_status": {
        "sent": N_("sent"),
        "acknowledged": N_("acknowledged"),
        "promised": N_("promised"),
        "fulfilled": N_("fulfilled"),
        "refused": N_("refused"),
        "withdrawn": N_("withdrawn"),
    },
    "appeal_outcome": {
        "fulfilled": N_("fulfilled"),
        "refused": N_("refused by the guarantor"),
        "withdrawn": N_("withdrawn by the facility"),
    },
    # -- under siege: incidents, notifications, the situation report --
    "incident_kind": {
        "attack": N_("attack"),
        "breach_attempt": N_("breach attempt"),
        "breach": N_("breach"),
        "escape": N_("escape"),
        "riot": N_("riot"),
        "hostage": N_("hostage-taking"),
        "fire": N_("fire"),
        "injury": N_("injury"),
        "death": N_("death"),
        "water_loss": N_("water cut"),
        "power_loss": N_("power cut"),
        "fuel_loss": N_("fuel run out"),
        "communications_loss": N_("communications cut"),
        "medical_emergency": N_("medical emergency"),
        "food_refusal": N_("food refusal"),
    },
    "severity": {
        "minor": N_("minor"),
        "moderate": N_("moderate"),
        "serious": N_("serious"),
        "critical": N_("critical"),
    },
    "incident_status": {
        "open": N_("open"),
        "under_review": N_("under review"),
        "closed": N_("closed"),
        "reopened": N_("reopened"),
    },
    "incident_role": {
        "victim": N_("victim"),
        "injured": N_("injured"),
        "deceased": N_("deceased"),
        "escapee": N_("escapee"),
        "suspect": N_("suspect"),
        "witness": N_("witness"),
        "hostage": N_("hostage"),
        "responder": N_("responder"),
        "reporter": N_("reporter"),
    },
    "incident_outcome": {
        "unharmed": N_("unharmed"),
        "injured": N_("injured"),
        "seriously_injured": N_("seriously injured"),
        "dead": N_("dead"),
        "escaped": N_("escaped"),
        "recaptured": N_("recaptured"),
        "released": N_("released"),
        "hospitalised": N_("in hospital"),
        "unknown": N_("not known"),
    },
    "recipient": {
        "family": N_("family"),
        "next_of_kin": N_("next of kin"),
        "independent_authority": N_("independent authority"),
    },
    "notification_reason": {
        "transfer": N_("transfer"),
        "serious_illness": N_("serious illness"),
        "serious_injury": N_("serious injury"),
        "death": N_("death"),
        "disappearance": N_("disappearance (escape)"),
    },
    "notification_status": {
        "owed": N_("owed"),
        "sent": N_("sent"),
        "acknowledged": N_("acknowledged"),
    },
    "utility": {
        "water": N_("water"),
        "power": N_("power"),
        "fuel": N_("fuel"),
        "food": N_("food"),
    },
    "utility_level": {
        "out": N_("out"),
        "low": N_("low"),
        "ok": N_("ok"),
        "unknown": N_("not recorded"),
    },
}

#: The record's sections and fields, in the order the person page shows them.
RECORD_FIELDS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        N_("Identity"),
        (
            ("name_ar", N_("Name (Arabic)")),
            ("name_latin", N_("Name (Latin letters)")),
            ("aliases", N_("Also known as")),
            ("gender", N_("Gender")),
            ("nationality", N_("Nationality")),
            ("birth_date", N_("Date of birth")),
            ("birth_date_approximate", N_("Date of birth is approximate")),
        ),
    ),
    (
        N_("Commitment"),
        (
            ("commitment.order_ref", N_("Commitment order")),
            ("commitment.grounds", N_("Grounds")),
            ("commitment.ordering_authority", N_("Ordering authority")),
            ("commitment.responsible_authority", N_("Responsible authority")),
        ),
    ),
    (
        N_("Arrest"),
        (
            ("arrest.time", N_("Time of arrest")),
            ("arrest.place", N_("Place of arrest")),
            ("arrest.authority", N_("Arresting authority")),
        ),
    ),
    (
        N_("Health at admission"),
        (
            ("health.visible_injuries", N_("Visible injuries")),
            ("health.ill_treatment_complaints", N_("Complaints of ill-treatment")),
            ("health.state", N_("State of health")),
        ),
    ),
    (
        N_("Staff"),
        (
            ("staff.role", N_("Role")),
            ("staff.post", N_("Post")),
            ("staff.unit", N_("Unit")),
            ("staff.rank", N_("Rank")),
        ),
    ),
    (
        N_("Other person"),
        (
            ("other.role", N_("Role")),
            ("other.organisation", N_("Organisation")),
        ),
    ),
)

#: Labels of the record's fields that hold times (shown in the facility's zone).
TIME_FIELDS = frozenset({N_("Time of arrest")})

#: The movement kinds a form is offered for, and the fields of each (name, label, required).
MOVE_FORMS: Mapping[str, tuple[tuple[str, str, bool], ...]] = {
    "cell": (("to", N_("To (cell, post or reception)"), True), ("reason", N_("Reason"), True)),
    "out": (
        ("to", N_("To (hospital, court or outside)"), True),
        ("purpose", N_("Purpose"), True),
        ("escort", N_("Escort"), False),
    ),
    "return": (("to", N_("Back to (cell, post or reception)"), True), ("note", N_("Note"), False)),
    "transfer": (
        ("destination", N_("Destination (place of detention)"), True),
        ("authority", N_("Authority responsible for the transfer"), True),
        ("reference", N_("Transfer order reference"), False),
        ("escort", N_("Escort"), False),
    ),
    "receive": (
        ("received_by", N_("Received by"), True),
        ("authority", N_("Authority now responsible"), True),
        ("note", N_("Note"), False),
    ),
    "release": (
        ("authority", N_("Authority that ordered the release"), True),
        ("reference", N_("Release order reference"), False),
        ("reason", N_("Reason"), False),
    ),
    "death": (
        ("place", N_("Place of death"), True),
        ("circumstances", N_("Circumstances"), True),
        ("cause", N_("Cause, when known"), False),
        ("remains", N_("Destination of the remains"), False),
    ),
    "escape": (("where", N_("Where"), True), ("last_seen", N_("Last seen (time)"), False)),
    "recapture": (
        ("to", N_("Into (cell or reception; default reception)"), False),
        ("where", N_("Where found"), False),
        ("note", N_("Note"), False),
    ),
}

#: Which form fields are places (the rest are the movement's details).
PLACE_FIELDS = frozenset({"to"})
