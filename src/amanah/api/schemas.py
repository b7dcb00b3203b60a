"""The API's request and response bodies (pydantic): what the OpenAPI document publishes.

Request models forbid unknown fields, so a misspelt field is an error, not silently
dropped. They check only shapes (types, lengths that no valid value exceeds); every rule
about the values is the domain's, so the API and the command line refuse the same things
with the same messages.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

# Generous bounds: no valid value comes near them; they keep a request's size sane.
Text = Field(max_length=2_000)
Line = Field(max_length=500)

Category = Literal["detainee", "staff", "other"]
MoveKind = Literal[
    "cell", "out", "return", "transfer", "receive", "release", "death", "escape", "recapture"
]
Outcome = Literal["found", "elsewhere", "out", "escaped", "dead"]


class In(BaseModel):
    """A request body: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")


# -- sessions and accounts ------------------------------------------------------------------


class LoginIn(In):
    username: str = Field(max_length=256)
    password: str = Field(max_length=1024)
    lang: Literal["ar", "en"] | None = None


class UserOut(BaseModel):
    username: str
    party: str
    name: str | None
    roles: list[str]
    facility: str | None
    blocks: list[str]
    disabled: bool
    created_at: str
    password_set_at: str


class MeOut(BaseModel):
    username: str
    party: str
    roles: list[str]
    facility: str | None
    blocks: list[str]
    lang: str
    actions: list[str] = Field(description="Every action the account's roles grant.")


class SessionOut(BaseModel):
    """A new session: ``token`` authenticates as ``Authorization: Bearer TOKEN`` (the
    cookie set alongside carries the same token for browsers, whose unsafe requests must
    also send ``csrf_token`` as the ``X-CSRF-Token`` header)."""

    token: str
    csrf_token: str
    user: MeOut


class PasswordIn(In):
    new_password: str = Field(max_length=1024)
    current_password: str | None = Field(
        default=None, max_length=1024, description="Required to change one's own password."
    )


class UserIn(In):
    username: str = Field(max_length=64)
    password: str = Field(max_length=1024)
    roles: list[str] = Field(max_length=10)
    facility: str | None = Field(default=None, max_length=200)
    blocks: list[str] = Field(default=[], max_length=100)
    name: str | None = Field(default=None, max_length=200)
    party: str | None = Field(default=None, max_length=200)


class RolesIn(In):
    roles: list[str] = Field(max_length=10)
    facility: str | None = Field(default=None, max_length=200)
    blocks: list[str] = Field(default=[], max_length=100)
    reason: str | None = Field(default=None, max_length=500)


class ReasonIn(In):
    reason: str | None = Field(default=None, max_length=500)


# -- writes -----------------------------------------------------------------------------------


class WriteOut(BaseModel):
    """What a write appended: its first entry, how many, the log's new size, and the ids it
    created (a person's number, a roll call's id)."""

    first_seq: int
    entries: int
    size: int
    created: list[str]


# -- places -----------------------------------------------------------------------------------


class LocationIn(In):
    id: str = Field(max_length=100)
    kind: str = Field(max_length=20)
    name_ar: str = Line
    name_en: str = Line
    parent: str | None = Field(default=None, max_length=100)
    certified: int | None = None
    working: int | None = None
    maximum: int | None = None
    adm1: str | None = Field(default=None, max_length=20)
    adm2: str | None = Field(default=None, max_length=20)
    lat: str | None = Field(default=None, max_length=30)
    lon: str | None = Field(default=None, max_length=30)


class CapacityIn(In):
    certified: int | None = None
    working: int | None = None
    maximum: int | None = None
    reason: str = Line


class StateIn(In):
    state: Literal["active", "out_of_order"]
    reason: str = Line


class LocationOut(BaseModel):
    id: str
    kind: str
    parent: str | None
    facility: str
    name_ar: str
    name_en: str
    certified: int | None
    working: int | None
    maximum: int | None
    state: str
    population: int
    by_category: dict[str, int]
    adm1: str | None = None
    adm2: str | None = None
    lat: str | None = None
    lon: str | None = None


# -- people -----------------------------------------------------------------------------------


class AdmitIn(In):
    """A detainee's admission (its record holds the commitment order) or another person's
    registration. ``record`` has the fields of the register (see docs/architecture.md)."""

    category: Literal["detainee", "other"] = "detainee"
    number: str | None = Field(default=None, max_length=40)
    record: dict[str, Any]
    location: str | None = Field(default=None, max_length=100, description="Default: reception.")
    time: str | None = Field(default=None, max_length=40, description="Default: now.")
    override: str | None = Field(default=None, max_length=500)


class StaffIn(In):
    """A member of staff: ``record.staff`` holds role (required), post, unit and rank."""

    number: str | None = Field(default=None, max_length=40)
    record: dict[str, Any]
    location: str | None = Field(default=None, max_length=100)
    time: str | None = Field(default=None, max_length=40)
    override: str | None = Field(default=None, max_length=500)


class CorrectionIn(In):
    field: str = Field(max_length=100)
    value: Any = None
    reason: str = Line


class PersonOut(BaseModel):
    number: str
    category: str
    status: str
    location: str | None
    facility: str
    since: str
    admitted_at: str
    record: dict[str, Any]


class MovementOut(BaseModel):
    seq: int
    person: str
    kind: str
    time: str
    origin: str | None
    destination: str | None
    details: dict[str, Any]


class PersonDetailOut(PersonOut):
    history: list[MovementOut]


class RosterOut(BaseModel):
    number: str
    category: str
    status: str
    location: str | None
    facility: str
    name_ar: str | None
    name_latin: str | None


class MoveIn(In):
    """One movement. ``to``: a place id or a standard place's name (reception, hospital,
    court, outside); ``origin``: where the caller says the person is (refused if the
    register disagrees); ``details``: the kind's fields (reason; purpose, escort;
    destination, authority, reference; received_by; place, circumstances, cause, remains;
    where, last_seen; note)."""

    kind: MoveKind
    to: str | None = Field(default=None, max_length=100)
    origin: str | None = Field(default=None, max_length=100)
    time: str | None = Field(default=None, max_length=40)
    details: dict[str, str] = Field(default={}, max_length=20)
    override: str | None = Field(default=None, max_length=500)


# -- roll calls ---------------------------------------------------------------------------------


class RollOpenIn(In):
    scope: str | None = Field(default=None, max_length=100, description="Default: the facility.")
    time: str | None = Field(default=None, max_length=40)


class CountIn(In):
    location: str = Field(max_length=100)
    counted: int
    counters: list[str] = Field(max_length=20)
    time: str | None = Field(default=None, max_length=40)


class ResolveIn(In):
    person: str = Field(max_length=40)
    outcome: Outcome
    location: str | None = Field(
        default=None, max_length=100, description="Where the register has them (default: there)."
    )
    found_in: str | None = Field(default=None, max_length=100)
    to: str | None = Field(default=None, max_length=100)
    details: dict[str, str] = Field(default={}, max_length=20)
    note: str | None = Field(default=None, max_length=500)
    time: str | None = Field(default=None, max_length=40)
    override: str | None = Field(default=None, max_length=500)


class RollOut(BaseModel):
    id: str
    facility: str
    scope: str
    status: str
    opened_at: str


class TallyOut(BaseModel):
    location: str
    status: str
    attempts: int
    expected: int | None
    counted: int


class RollPlaceOut(BaseModel):
    id: str
    kind: str
    parent: str | None
    name_ar: str
    name_en: str
    expected: int | None = Field(description="null for a blind counter, until counted right")
    tally: TallyOut | None


class RollDetailOut(BaseModel):
    roll: RollOut
    places: list[RollPlaceOut]


class CountOut(WriteOut):
    result: str = Field(description="matched, recount or unresolved")
    expected: int | None
    roll_cleared: bool


class ResolveOut(WriteOut):
    roll_cleared: bool


class Figures(BaseModel):
    in_custody: int
    in_cells: int
    out: int
    in_transit: int
    arrived_today: int
    left_today: int
    unaccounted: int
    transferred: int
    released: int
    dead: int
    escaped: int


class RollSummaryOut(BaseModel):
    id: str
    scope: str
    status: str
    opened_at: str
    places: int
    pending: int
    matched: int
    recount: int
    unresolved: int
    resolved: int


class LocationStatusOut(BaseModel):
    id: str
    kind: str
    name: str
    name_ar: str
    name_en: str
    state: str
    expected: int
    by_category: dict[str, int]
    counted: int | None
    expected_at_count: int | None
    places_counted: int
    places: int
    roll_status: str | None
    capacity: int | None
    working_capacity: int | None
    maximum_capacity: int | None
    vacancies: int | None
    overcrowded: bool


class FacilityOut(BaseModel):
    id: str
    name_ar: str
    name_en: str


class RollStatusOut(BaseModel):
    facility: FacilityOut
    as_of: str
    by_category: dict[str, Figures]
    total: Figures
    roll: RollSummaryOut | None
    locations: list[LocationStatusOut]


# -- occurrence book --------------------------------------------------------------------------


class OccurrenceIn(In):
    text: str = Field(max_length=20_000)
    by: str = Line
    at: str | None = Field(default=None, max_length=40)


class TranscribedIn(In):
    """One entry of a paper book: when it happened (required), what, and who wrote it."""

    time: str = Field(max_length=40)
    text: str = Field(max_length=20_000)
    by: str = Line


class OccurrenceImportIn(In):
    entries: list[TranscribedIn] = Field(min_length=1, max_length=100_000)


class OccurrenceOut(BaseModel):
    seq: int
    time: str
    by: str
    text: str
    source: str
    recorded_at: str


class RecordedOut(BaseModel):
    first_seq: int
    count: int
    size: int


# -- ledger -----------------------------------------------------------------------------------


class CosignatureOut(BaseModel):
    witness: str
    key_id: str
    time: str | None


class CheckpointOut(BaseModel):
    origin: str
    size: int
    root: str = Field(description="base64 of the Merkle tree head")
    note: str = Field(description="The signed checkpoint (C2SP signed-note), cosignatures included")
    cosignatures: list[CosignatureOut]


class AuditProblem(BaseModel):
    what: str
    index: int | None


class AuditOut(BaseModel):
    """As ``amanah ledger verify --json`` prints it."""

    ok: bool
    origin: str
    size: int
    checkpoints: int
    root: str
    first_bad_index: int | None
    problems: list[AuditProblem]


class WitnessRequestIn(In):
    old: int = Field(ge=0, description="The size the witness last cosigned (0: never).")


class CosignIn(In):
    cosignature: str = Field(max_length=100_000, description="The witness's response lines.")
    witness: list[str] = Field(min_length=1, max_length=20, description="Witness vkeys.")
    size: int | None = Field(default=None, ge=0)


class CosignOut(BaseModel):
    size: int
    stored: int


# -- access log -------------------------------------------------------------------------------


class AccessRecordOut(BaseModel):
    seq: int
    time: str
    kind: str
    user: str | None
    party: str | None
    facility: str | None
    subject: str | None
    client: str | None
    detail: str | None


class AccessVerifyOut(BaseModel):
    ok: bool
    size: int
    anchored: int
    anchors: int
    first_bad: int | None
    problems: list[dict[str, Any]]


# -- under siege: supplies, incidents, notifications, appeals, the situation report ----------

Time = Field(default=None, max_length=64, description="ISO 8601; facility time without offset")
OptLine = Field(default=None, max_length=500)
Note = Field(default="", max_length=2_000)


class StoreIn(In):
    id: str = Field(max_length=100)
    resource: str = Field(max_length=20)
    name: str = Line
    unit: str = Field(max_length=20)
    kcal_per_unit: int | None = None
    location: str | None = OptLine
    facility: str | None = Field(default=None, max_length=100)
    at: str | None = Time


class QuantityIn(In):
    """A quantity in any unit of the store's dimension (``"2.5"`` ``"L"``)."""

    amount: str = Field(max_length=40, description="A decimal number, such as 12000 or 2.5")
    unit: str = Field(max_length=20)
    at: str | None = Time


class ReceiptIn(QuantityIn):
    source: str = Line
    note: str = Note


class IssueIn(QuantityIn):
    to: str = Line
    note: str = Note


class LossIn(QuantityIn):
    reason: str = Line


class StockCountIn(QuantityIn):
    by: str = Line
    note: str = Note


class GeneratorIn(In):
    id: str = Field(max_length=100)
    kw: int
    fuel_store: str = Field(max_length=100)
    load_percent: int = 50
    hours_per_day: int = 24
    running: bool = True
    facility: str | None = Field(default=None, max_length=100)
    at: str | None = Time


class GeneratorSetIn(In):
    running: bool
    load_percent: int | None = None
    hours_per_day: int | None = None
    reason: str = Field(default="", max_length=500)
    at: str | None = Time


class PumpIn(In):
    id: str = Field(max_length=100)
    generator: str = Field(max_length=100)
    water_store: str = Field(max_length=100)
    litres_per_hour: int
    head_m: int
    pump_efficiency_percent: int = 50
    motor_efficiency_percent: int = 100
    facility: str | None = Field(default=None, max_length=100)
    at: str | None = Time


class Open(BaseModel):
    """A state whose fields depend on its kind: the documented ones, and the rest as is."""

    model_config = ConfigDict(extra="allow")


class SupplyOut(Open):
    id: str
    facility: str
    kind: str
    status: str
    time: str


class RunwayRowOut(BaseModel):
    resource: str
    unit: str
    stock: float
    daily_recent: float | None
    daily_humane: float | None
    daily_survival: float | None
    days_recent: float | None
    days_humane: float | None
    days_survival: float | None
    capped_by: str | None
    pumped_per_day: float | None
    fuel_days: float | None
    alert: bool


class RunwayOut(BaseModel):
    facility: str
    as_of: str
    population_inside: int
    threshold_days: int
    standards: dict[str, Any]
    resources: list[RunwayRowOut]
    alerts: list[dict[str, Any]]


class RationOut(BaseModel):
    resource: str
    unit: str
    days: float
    daily_total: float
    per_person: float | None
    humane_per_person: float | None
    survival_per_person: float | None
    under_humane: bool
    under_survival: bool


class PlanOut(BaseModel):
    population_inside: int
    plans: list[RationOut]


class AppealIn(In):
    kind: str = Field(max_length=40)
    recipient: str = Line
    channel: str = Field(max_length=40)
    text: str = Field(max_length=8_000)
    sitrep_sha256: str | None = Field(default=None, max_length=64)
    sitrep_name: str | None = OptLine
    facility: str | None = Field(default=None, max_length=100)
    at: str | None = Time


class AppealAckIn(In):
    by: str = Line
    note: str = Note
    at: str | None = Time


class AppealPromiseIn(In):
    action: str = Text
    deadline: str = Field(max_length=64)
    by: str = Line
    at: str | None = Time


class AppealRemindIn(In):
    channel: str = Field(max_length=40)
    text: str = Text
    at: str | None = Time


class AppealCloseIn(In):
    outcome: str = Field(max_length=40)
    note: str = Note
    at: str | None = Time


class AppealOut(Open):
    id: str
    facility: str
    kind: str
    recipient: str
    channel: str
    status: str
    time: str
    open: bool
    deadline: str | None
    reminder_due: bool


class LinkIn(In):
    person: str = Field(max_length=40)
    role: str = Field(max_length=40)
    outcome: str = Field(max_length=40)


class IncidentIn(In):
    kind: str = Field(max_length=40)
    severity: str = Field(max_length=20)
    summary: str = Field(max_length=8_000)
    location: str | None = OptLine
    people: list[LinkIn] = Field(default_factory=list, max_length=500)
    facility: str | None = Field(default=None, max_length=100)
    at: str | None = Time


class AddendumIn(In):
    text: str = Field(max_length=8_000)
    people: list[LinkIn] = Field(default_factory=list, max_length=500)
    at: str | None = Time


class IncidentStatusIn(In):
    status: str = Field(max_length=20)
    reason: str = Note
    at: str | None = Time


class IncidentOut(Open):
    id: str
    facility: str
    kind: str
    severity: str
    time: str
    location: str | None
    summary: str
    status: str
    people: list[dict[str, Any]]
    serious: bool
    open: bool


class NotificationSentIn(In):
    channel: str = Field(max_length=40)
    to: str = Line
    by: str = Line
    note: str = Note
    at: str | None = Time


class NotificationAckIn(In):
    by: str = Line
    note: str = Note
    at: str | None = Time


class NotificationOut(Open):
    id: str
    facility: str
    person: str
    recipient: str
    reason: str
    status: str
    time: str
    due: str
    overdue: bool


class SitrepOut(Open):
    """The situation report's figures (the text, PDF and HXL forms render these)."""

    facility: dict[str, Any]
    as_of: str
    population: dict[str, int]
    utilities: dict[str, str]
    supplies: list[dict[str, Any]]
    incidents: dict[str, Any]
    notifications: dict[str, int]
    appeals: list[dict[str, Any]]
