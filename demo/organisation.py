"""The demo city of `manage.py seed_demo`: bureaus, departments, teams and officials.
The other parts of the city live beside it in this app (demo/logins.py: one login per role;
demo/reports.py: a year of reports; demo/surveys.py, demo/petitions.py: petitions,
happy-calls and surveys; demo/rankings.py: published rankings).

Everything here is a function of a `random.Random(seed)`: the same seed gives the same city.
Each step writes by natural key (bureau name, department code, department + team name,
employee number, username), so running it again updates the demo rows to the seeded values
instead of adding new ones. Reports are the exception: filed through the services, each
with its receipt number and history, they are seeded once and left alone afterwards.
"""

from __future__ import annotations

import datetime
import json
import random
from dataclasses import dataclass, replace
from pathlib import Path

from django.utils import timezone

from demo.names import name_maker
from kindness.models import Bureau, Department, EmploymentType, Official, OfficialAssignment, Team

# 실·국·본부 -> 과 -> 팀, in the order the codes D001, D002, ... are given out: the demo
# city's organisation chart, kept as data (demo/data/organisation.json).
ORGANISATION: dict[str, dict[str, list[str]]] = json.loads(
    (Path(__file__).parent / "data" / "organisation.json").read_text(encoding="utf-8")
)

TOTAL_OFFICIALS = 350
INACTIVE_OFFICIALS = 5
PHONE_PREFIX = "052-229-"
# Each department owns a block of 100 extensions: D001 has 2000-2099, D002 2100-2199, ...
PHONE_FIRST_EXTENSION = 2000

# The department whose head, and the bureau whose chief, sign in as the demo heads.
DEMO_DEPARTMENT_CODE = "D001"

BUREAU_CHIEF = "국장"
DEPARTMENT_HEAD = "과장"
TEAM_LEADER = "팀장"
STAFF = "주무관"
SUPPORT_POSITIONS = ("사무보조원", "사회복무요원")

# --- Plans: what the city looks like, computed without the database ------------------------


@dataclass(frozen=True)
class DepartmentPlan:
    code: str
    name: str
    bureau: str
    teams: tuple[str, ...]


@dataclass(frozen=True)
class OfficialPlan:
    employee_no: str
    name: str
    position: str
    employment_type: str
    department_code: str
    team: str  # "" for bureau chiefs and department heads, who belong to no team
    phone: str
    active: bool
    started_on: datetime.date


def department_plans() -> list[DepartmentPlan]:
    plans: list[DepartmentPlan] = []
    for bureau, departments in ORGANISATION.items():
        for name, teams in departments.items():
            code = f"D{len(plans) + 1:03d}"
            plans.append(DepartmentPlan(code=code, name=name, bureau=bureau, teams=tuple(teams)))
    return plans


def plan_officials(
    rng: random.Random, departments: list[DepartmentPlan], *, today: datetime.date
) -> list[OfficialPlan]:
    """TOTAL_OFFICIALS officials: a 국장 per bureau (in its first department), a 과장 per
    department, a 팀장 per team and at least one member in every team.

    Employee numbers are slots E00001... given out in organisation order, so every seed
    fills the same numbers and seeding again with another seed updates the same rows.
    """
    teams = [(d, team) for d in departments for team in d.teams]
    heads = len(ORGANISATION) + len(departments) + len(teams)
    members = dict.fromkeys(teams, 1)
    for _ in range(TOTAL_OFFICIALS - heads - len(teams)):
        members[rng.choice(teams)] += 1

    new_name = name_maker(rng)
    extensions = {d.code: PHONE_FIRST_EXTENSION + 100 * i for i, d in enumerate(departments)}
    plans: list[OfficialPlan] = []

    def add(department: DepartmentPlan, position: str, team: str = "", employment=None):
        extension = extensions[department.code]
        extensions[department.code] += 1
        plans.append(
            OfficialPlan(
                employee_no=f"E{len(plans) + 1:05d}",
                name=new_name(),
                position=position,
                employment_type=employment or EmploymentType.REGULAR,
                department_code=department.code,
                team=team,
                phone=f"{PHONE_PREFIX}{extension:04d}",
                active=True,
                started_on=today - datetime.timedelta(days=rng.randint(1, 365)),
            )
        )

    seen_bureaus: set[str] = set()
    for department in departments:
        if department.bureau not in seen_bureaus:
            seen_bureaus.add(department.bureau)
            add(department, BUREAU_CHIEF)
        add(department, DEPARTMENT_HEAD)
        for team in department.teams:
            add(department, TEAM_LEADER, team)
            for _ in range(members[(department, team)]):
                roll = rng.random()
                if roll < 0.84:
                    add(department, STAFF, team)
                elif roll < 0.93:
                    add(department, STAFF, team, EmploymentType.FIXED_TERM)
                else:
                    add(department, rng.choice(SUPPORT_POSITIONS), team, EmploymentType.SUPPORT)

    # A few members have left (heads stay active: the demo logins hang on them).
    members_only = [i for i, p in enumerate(plans) if p.team and p.position != TEAM_LEADER]
    leavers = rng.sample(members_only, INACTIVE_OFFICIALS)
    for i in leavers:
        plans[i] = replace(plans[i], active=False)
    return plans


# --- Writes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Organisation:
    """What seed_organisation wrote, for the steps after it."""

    bureaus: dict[str, Bureau]  # by name
    departments: dict[str, Department]  # by code, each with its bureau loaded
    teams: dict[tuple[int, str], Team]  # by (department id, name)
    officials: list[Official]  # in employee number order
    department_heads: dict[str, Official]  # 과장, by department code
    bureau_chiefs: dict[str, Official]  # 국장, by bureau name


def seed_organisation(rng: random.Random, *, today: datetime.date | None = None) -> Organisation:
    """Bureaus, departments, teams and officials of the demo city, each official with one open
    department assignment. Safe to repeat: rows are found by natural key and updated."""
    today = today or timezone.localdate()
    department_list = department_plans()
    official_list = plan_officials(rng, department_list, today=today)

    bureaus = _upsert(Bureau, {name: {} for name in ORGANISATION}, key="name")
    departments = _upsert(
        Department,
        {
            d.code: {"name": d.name, "bureau_id": bureaus[d.bureau].pk, "active": True}
            for d in department_list
        },
        key="code",
    )
    teams = _upsert_teams(
        [(departments[d.code], team) for d in department_list for team in d.teams]
    )

    def team_id(plan: OfficialPlan) -> int | None:
        return teams[(departments[plan.department_code].pk, plan.team)].pk if plan.team else None

    officials = _upsert(
        Official,
        {
            p.employee_no: {
                "name": p.name,
                "position": p.position,
                "employment_type": p.employment_type,
                "department_id": departments[p.department_code].pk,
                "team_id": team_id(p),
                "phone": p.phone,
                "active": p.active,
            }
            for p in official_list
        },
        key="employee_no",
        touch="updated_at",
    )
    _seed_open_assignments([(officials[p.employee_no], p.started_on) for p in official_list])

    bureau_of = {d.code: d.bureau for d in department_list}
    return Organisation(
        bureaus=bureaus,
        departments=departments,
        teams=teams,
        officials=list(officials.values()),
        department_heads={
            p.department_code: officials[p.employee_no]
            for p in official_list
            if p.position == DEPARTMENT_HEAD
        },
        bureau_chiefs={
            bureau_of[p.department_code]: officials[p.employee_no]
            for p in official_list
            if p.position == BUREAU_CHIEF
        },
    )


def _upsert(model, wanted: dict[str, dict], *, key: str, touch: str = "") -> dict:
    """Make the rows of `model` whose `key` is in `wanted` carry exactly the wanted values:
    create the missing ones, update the ones that differ (setting `touch` to now, since
    bulk_update skips auto_now), leave the rest alone. Returns the rows by key, in the
    order of `wanted`, with their foreign keys loaded."""
    keys = list(wanted)
    existing = {getattr(row, key): row for row in model.objects.filter(**{f"{key}__in": keys})}
    fields = sorted({field for values in wanted.values() for field in values})
    created, changed = [], []
    for value, values in wanted.items():
        row = existing.get(value)
        if row is None:
            created.append(model(**{key: value}, **values))
        elif any(getattr(row, field) != new for field, new in values.items()):
            for field, new in values.items():
                setattr(row, field, new)
            if touch:
                setattr(row, touch, timezone.now())
            changed.append(row)
    model.objects.bulk_create(created, batch_size=500)
    # bulk_update and select_related want field names: "department", not "department_id".
    names = [field.removesuffix("_id") for field in fields]
    if changed:
        model.objects.bulk_update(changed, names + ([touch] if touch else []), batch_size=500)
    # Read back rather than rely on bulk_create setting primary keys on every backend.
    related = [name for name, field in zip(names, fields, strict=True) if name != field]
    rows = model.objects.filter(**{f"{key}__in": keys})
    if related:
        rows = rows.select_related(*related)
    by_key = {getattr(row, key): row for row in rows}
    return {value: by_key[value] for value in keys}


def _upsert_teams(wanted: list[tuple[Department, str]]) -> dict[tuple[int, str], Team]:
    keys = {(department.pk, name) for department, name in wanted}
    department_ids = {department.pk for department, _name in wanted}
    existing = {
        (t.department_id, t.name) for t in Team.objects.filter(department_id__in=department_ids)
    }
    Team.objects.bulk_create(
        [Team(department=d, name=name) for d, name in wanted if (d.pk, name) not in existing]
    )
    teams = Team.objects.filter(department_id__in=department_ids)
    return {(t.department_id, t.name): t for t in teams if (t.department_id, t.name) in keys}


def _seed_open_assignments(wanted: list[tuple[Official, datetime.date]]) -> None:
    """Give each official one open assignment matching their department and team. A demo
    re-seed corrects the open assignment in place rather than recording a transfer: the
    demo city has no history to keep."""
    open_ = {
        a.official_id: a
        for a in OfficialAssignment.objects.filter(
            official__in=[o for o, _day in wanted], ended_on__isnull=True
        )
    }
    created, changed = [], []
    for official, started_on in wanted:
        values = {
            "department_id": official.department_id,
            "team_id": official.team_id,
            "started_on": started_on,
        }
        assignment = open_.get(official.pk)
        if assignment is None:
            created.append(OfficialAssignment(official=official, **values))
        elif any(getattr(assignment, f) != v for f, v in values.items()):
            for field, value in values.items():
                setattr(assignment, field, value)
            changed.append(assignment)
    OfficialAssignment.objects.bulk_create(created, batch_size=500)
    OfficialAssignment.objects.bulk_update(
        changed, ["department", "team", "started_on"], batch_size=500
    )
