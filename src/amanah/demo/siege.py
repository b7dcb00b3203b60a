"""The siege of the synthetic al-Aqtan week: supplies falling, the fuel running out and the
pumps stopping with it, attacks on the perimeter, and the appeals to guarantors.

The story follows what the real facility told the world in January 2026: about 1,800
people inside, no water, no electricity, no fuel, food nearly gone, repeated attacks, an
appeal for protection under international guarantees and one for a safe corridor for the
guards. Every figure is synthetic. Run after :func:`amanah.demo.aqtan.scenario`'s commands
(incidents name staff it registered) with :meth:`SiegeService.run
<amanah.services.siege.SiegeService.run>`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from amanah.demo.aqtan import FACILITY, ZONE
from amanah.domain.appeals import commands as ac
from amanah.domain.incidents import commands as ic
from amanah.domain.supplies import commands as sc
from amanah.services.siege import SiegeCommand

_DAY0 = datetime(2026, 1, 12, tzinfo=ZONE)

#: Synthetic: what the stores held on the first morning, in base units.
WATER_TANK_L = 40_000
FOOD_KG = 10_500
FOOD_KCAL_PER_KG = 3_500  # wheat flour, rice and lentils, mixed
FUEL_L = 4_200
MEDICINE_DOSES = 4_000
#: Until the fuel ran out: pumped from the well into the tank, and drawn from it, a day.
PUMPED_L = 26_000
DRAWN_L = 25_000
#: Rationed once the pumps stopped.
RATIONED_L = 9_000
FOOD_KG_A_DAY = (1_150, 1_100, 1_050, 1_000, 950, 900, 850, 800)
FUEL_L_A_DAY = 1_000  # the 200 kW set at 75 % load, 24 hours
MEDICINE_A_DAY = 140


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return _DAY0 + timedelta(days=day, hours=hour, minutes=minute)


def supplies() -> list[SiegeCommand]:
    """The stores, the generator and pump, and the week's deliveries and consumption."""
    f = FACILITY
    out: list[SiegeCommand] = [
        sc.OpenStore("water-tank", f, "water", "Main water tank", "L", at(0, 6), None, "AQ"),
        sc.OpenStore("food-store", f, "food", "Dry food store", "kg", at(0, 6), FOOD_KCAL_PER_KG),
        sc.OpenStore("diesel", f, "fuel", "Diesel tank", "L", at(0, 6)),
        sc.OpenStore("pharmacy", f, "medicine", "Clinic pharmacy", "doses", at(0, 6)),
        sc.Receive("water-tank", WATER_TANK_L * 1000, at(0, 6, 5), "opening balance"),
        sc.Receive("food-store", FOOD_KG * 1000, at(0, 6, 5), "opening balance"),
        sc.Receive("diesel", FUEL_L * 1000, at(0, 6, 5), "opening balance"),
        sc.Receive("pharmacy", MEDICINE_DOSES, at(0, 6, 5), "opening balance"),
        sc.InstallGenerator("generator-1", f, 200, "diesel", 75, 24, at(0, 6, 10)),
        sc.InstallPump(
            "well-pump", f, "generator-1", "water-tank", 1_300, 40, 50, 90, at(0, 6, 15)
        ),
    ]
    tank = WATER_TANK_L
    fuel = FUEL_L
    for day in range(8):  # each store's entries in the order they happened
        pumping = fuel > 0
        drawn = DRAWN_L if pumping else RATIONED_L
        drawn = min(tank if day == 7 else drawn, tank)  # day 7: the last of it
        if drawn:
            out.append(sc.Issue("water-tank", drawn * 1000, at(day, 8), "blocks and kitchen"))
            tank -= drawn
        if pumping:
            used = min(FUEL_L_A_DAY, fuel)
            out.append(sc.Issue("diesel", used * 1000, at(day, 7), "generator-1"))
            fuel -= used
            pumped = PUMPED_L * used // FUEL_L_A_DAY  # as long as the fuel lasted that day
            out.append(sc.Receive("water-tank", pumped * 1000, at(day, 20), "well pump"))
            tank += pumped
            if fuel == 0:
                out.append(
                    sc.SetGenerator(
                        "generator-1", at(day, 23, 40), False, reason="out of fuel; pumping stopped"
                    )
                )
        out.append(sc.Issue("food-store", FOOD_KG_A_DAY[day] * 1000, at(day, 9), "kitchen"))
        if day == 5:
            out.append(sc.Lose("food-store", 180_000, at(5, 22, 30), "store room hit by shelling"))
        if day == 7:
            out.append(sc.CountStock("food-store", 2_450_000, at(7, 17), "Storekeeper Faris"))
        out.append(sc.Issue("pharmacy", MEDICINE_A_DAY, at(day, 10), "clinic"))
    return out


PROTECTION_TEXT = (
    "About 1,800 people are inside al-Aqtan prison: some 1,500 detainees and more than 300 "
    "guards. We have no water, no electricity and no fuel; food is nearly gone. The perimeter "
    "has been attacked repeatedly. We ask the international coalition to take over the "
    "protection of the prison under international guarantees for the safety of detainees and "
    "staff alike."
)
CORRIDOR_TEXT = (
    "We ask for a safe corridor, under guarantee, for the guards of al-Aqtan prison to leave "
    "once protection of the detainees has been handed over."
)


def appeals() -> list[SiegeCommand]:
    f = FACILITY
    return [
        ac.SendAppeal(
            "AP-0001",
            f,
            "protection",
            "International coalition liaison officer",
            "radio",
            PROTECTION_TEXT,
            at(6, 11),
        ),
        ac.SendAppeal(
            "AP-0002",
            f,
            "safe_corridor",
            "ICRC delegation, Qamishli",
            "phone",
            CORRIDOR_TEXT,
            at(6, 15),
        ),
        ac.Acknowledge("AP-0002", at(6, 18), "ICRC duty officer", "passed to the delegation"),
        ac.Promise(
            "AP-0002",
            at(7, 9),
            "Delegation to visit and discuss the corridor with all sides",
            at(7, 16),
            "ICRC head of sub-delegation",
        ),
    ]


def incidents() -> list[SiegeCommand]:
    """Attacks on the perimeter, the loss of fuel, power and water, and food refused."""
    f = FACILITY

    def hurt(number: str, outcome: str = "injured") -> ic.LinkedPerson:
        return ic.LinkedPerson(number, "injured", outcome)

    return [
        ic.ReportIncident(
            "I-0001",
            f,
            "attack",
            "serious",
            at(2, 22, 10),
            "north perimeter wall",
            "Small-arms fire on the north wall for about forty minutes; no breach.",
        ),
        ic.ReportIncident(
            "I-0002",
            f,
            "breach_attempt",
            "serious",
            at(4, 3, 40),
            "east gate",
            "Armed group tried to force the east gate; driven back by the gate guard.",
            (hurt("S-000041"), ic.LinkedPerson("S-000042", "responder", "unharmed")),
        ),
        ic.ReportIncident(
            "I-0003",
            f,
            "fuel_loss",
            "critical",
            at(4, 23, 40),
            "generator house",
            "The last diesel is burnt; generator-1 stopped.",
        ),
        ic.ReportIncident(
            "I-0004",
            f,
            "power_loss",
            "critical",
            at(4, 23, 45),
            "whole facility",
            "No electricity anywhere in the facility; lighting by torch only.",
        ),
        ic.ReportIncident(
            "I-0005",
            f,
            "water_loss",
            "critical",
            at(5, 6),
            "well pump",
            "The well pump has no power: water only from what is left in the tank, rationed.",
        ),
        ic.ReportIncident(
            "I-0006",
            f,
            "attack",
            "critical",
            at(5, 22, 25),
            "south-west corner tower",
            "Mortar rounds hit the south-west tower and the food store; a guard badly hurt.",
            (hurt("S-000063", "seriously_injured"),),
        ),
        ic.AddAddendum(
            "I-0006",
            at(6, 8),
            "The guard was treated by the visiting medical team; stable.",
            (hurt("S-000063", "hospitalised"),),
        ),
        ic.ReportIncident(
            "I-0007",
            f,
            "food_refusal",
            "moderate",
            at(6, 12),
            "block B",
            "Block B refused the midday meal in protest at the reduced ration.",
        ),
        ic.ReportIncident(
            "I-0008",
            f,
            "attack",
            "serious",
            at(6, 23, 50),
            "north perimeter wall",
            "Renewed fire on the north wall; no breach.",
        ),
        ic.ReportIncident(
            "I-0009",
            f,
            "communications_loss",
            "serious",
            at(7, 14),
            "radio room",
            "Mobile network down; radio on battery, a few hours left.",
        ),
        ic.ChangeStatus("I-0007", "closed", at(7, 9), "meal served; block calm"),
    ]


def commands() -> list[SiegeCommand]:
    """Every siege command of the week, in one series."""
    return supplies() + incidents() + appeals()
