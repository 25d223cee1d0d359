# Re-check a Kindness rankings publication (SPEC section 5, "A publication anyone can
# re-check"). Standard-library Python 3 only. In the unzipped folder:
#
#     python3 verify.py
#
# It checks city.csv against inputs.csv, recomputes every department's v, t, h, n_v, n_t,
# n_h, bonus, deduction, score, rank and bureau_rank from inputs.csv and rules.json, and
# compares them with departments.csv. Exit 0: "N of N departments match". Exit 1: one line
# per differing department, starting with its code. Exit 2: a file missing or garbled.
# The rank intervals are random draws and are not recomputed.

import csv
import json
import sys
from fractions import Fraction
from pathlib import Path

HERE = Path(__file__).resolve().parent
COMPONENTS = ("v", "t", "h")
# A department's score, its components and its adjustments, as each file and page orders them.
SCORE_COLUMNS = ("score", *COMPONENTS, "bonus", "deduction")
DEPARTMENT_COLUMNS = (
    "level",
    "rank",
    "bureau_rank",
    "code",
    "name",
    "bureau",
    *SCORE_COLUMNS,
    "n_v",
    "n_t",
    "n_h",
)
CHECKED = ("v", "t", "h", "n_v", "n_t", "n_h", "bonus", "deduction", "score", "rank")


class Garbled(Exception):
    """A file is missing or cannot be read as the package describes it."""


def read_table(name, columns):
    path = HERE / name
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in columns if c not in (reader.fieldnames or [])]
            if missing:
                raise Garbled(f"{name}: the columns {', '.join(missing)} are missing")
            rows = list(reader)
    except FileNotFoundError:
        raise Garbled(f"{name} is missing: unzip the whole package into one folder") from None
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise Garbled(f"{name} cannot be read: {error}") from None
    for number, row in enumerate(rows, start=2):
        if None in row or any(row.get(c) is None for c in columns):
            raise Garbled(f"{name}, line {number}: the row does not have every column")
    return rows


def fraction(text, where):
    numerator, slash, denominator = text.partition("/")
    try:
        value = Fraction(int(numerator), int(denominator)) if slash else None
    except (ValueError, ZeroDivisionError):
        value = None
    if value is None:
        raise Garbled(f"{where}: {text!r} is not a fraction p/q")
    return value


def whole(text, where):
    if not text.isdigit() or not text.isascii():
        raise Garbled(f"{where}: {text!r} is not a whole number")
    return int(text)


def setting(rules, name):
    try:
        return Fraction(str(rules[name]))
    except (KeyError, ValueError) as error:
        raise Garbled(f"rules.json: the setting {name} is missing or not a number") from error


def half_up(value):
    """Round half away from zero to 2 decimals, exactly, as text ("76.43")."""
    cents, rest = divmod(abs(value.numerator) * 100, value.denominator)
    if 2 * rest >= value.denominator:
        cents += 1
    sign = "-" if value < 0 and cents else ""
    return f"{sign}{cents // 100}.{cents % 100:02d}"


def competition_ranks(scores):
    """Equal scores share a rank and the next rank skips (1, 2, 2, 4)."""
    return {
        key: 1 + sum(other > value for other in scores.values()) for key, value in scores.items()
    }


def load():
    try:
        with open(HERE / "rules.json", encoding="utf-8-sig") as handle:
            package_rules = json.load(handle)
        rules = package_rules["rules"]
    except FileNotFoundError:
        raise Garbled("rules.json is missing: unzip the whole package into one folder") from None
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
        raise Garbled(f"rules.json cannot be read: {error}") from None
    if not isinstance(rules, dict):
        raise Garbled("rules.json: 'rules' is not an object")
    departments = read_table("departments.csv", DEPARTMENT_COLUMNS)
    inputs = read_table("inputs.csv", ("code", "component", "score", "count"))
    city = read_table("city.csv", ("component", "n", "mean"))
    return rules, departments, inputs, city


def tallies_of(inputs):
    """Per code: per component a list of (score, count); praise and unkind counts."""
    tallies = {}
    for number, row in enumerate(inputs, start=2):
        where = f"inputs.csv, line {number}"
        owner = tallies.setdefault(row["code"], {"praise": 0, "unkind": 0})
        count = whole(row["count"], where)
        if row["component"] in COMPONENTS:
            owner.setdefault(row["component"], []).append((fraction(row["score"], where), count))
        elif row["component"] in ("praise", "unkind"):
            owner[row["component"]] += count
        else:
            raise Garbled(f"{where}: unknown component {row['component']!r}")
    return tallies


def city_of(tallies):
    """Per component: (n, mean or None) over every department's responses."""
    pools = {}
    for name in COMPONENTS:
        n = sum(c for owner in tallies.values() for _s, c in owner.get(name, []))
        total = sum(
            (s * c for owner in tallies.values() for s, c in owner.get(name, [])), Fraction(0)
        )
        pools[name] = (n, total / n if n else None)
    return pools


def city_differences(city_rows, pools):
    lines = []
    published = {row["component"]: row for row in city_rows}
    for name in COMPONENTS:
        n, mean = pools[name]
        row = published.get(name)
        if row is None:
            lines.append(f"city.csv: no row for component {name}")
            continue
        where = f"city.csv, component {name}"
        shown_mean = fraction(row["mean"], where) if row["mean"] else None
        if whole(row["n"], where) != n or shown_mean != mean:
            recomputed = "none" if mean is None else f"{mean.numerator}/{mean.denominator}"
            lines.append(
                f"city.csv: component {name} has n {row['n']}, mean {row['mean'] or 'none'}; "
                f"inputs.csv gives n {n}, mean {recomputed}"
            )
    return lines


def recompute(rules, departments, tallies, pools):
    """Every department's figures as the published file writes them."""
    k = setting(rules, "prior_k")
    weights = {name: setting(rules, f"weight_{name}") for name in COMPONENTS}
    present = {name for name in COMPONENTS if pools[name][0]}
    weight_sum = sum((weights[name] for name in present), Fraction(0))
    if not weight_sum:
        raise Garbled("inputs.csv: no component has any response")
    scaled = {
        name: (weights[name] / weight_sum if name in present else Fraction(0))
        for name in COMPONENTS
    }
    praise_bonus, praise_cap = setting(rules, "praise_bonus"), setting(rules, "praise_cap")
    unkind_deduction = setting(rules, "unkind_deduction")
    figures, finals = {}, {}
    for row in departments:
        code = row["code"]
        owner = tallies.get(code, {"praise": 0, "unkind": 0})
        out, base = {}, Fraction(0)
        for name in COMPONENTS:
            n = sum(c for _s, c in owner.get(name, []))
            total = sum((s * c for s, c in owner.get(name, [])), Fraction(0))
            out[f"n_{name}"] = str(n)
            city_mean = pools[name][1]
            if city_mean is None:
                out[name] = ""
                continue
            adjusted = city_mean if not n else (total + k * city_mean) / (n + k)
            out[name] = half_up(adjusted)
            base += scaled[name] * adjusted
        bonus = min(owner["praise"] * praise_bonus, praise_cap)
        deduction = owner["unkind"] * unkind_deduction
        final = max(Fraction(0), min(Fraction(100), base + bonus - deduction))
        out["bonus"], out["deduction"], out["score"] = (
            half_up(bonus),
            half_up(deduction),
            half_up(final),
        )
        figures[code], finals[code] = out, Fraction(out["score"])
    for code, rank in competition_ranks(finals).items():
        figures[code]["rank"] = str(rank)
    bureaus = {}
    for row in departments:
        bureaus.setdefault(row["bureau"], {})[row["code"]] = finals[row["code"]]
    for members in bureaus.values():
        for code, rank in competition_ranks(members).items():
            figures[code]["bureau_rank"] = str(rank)
    return figures


def main():
    try:
        rules, departments, inputs, city = load()
        tallies = tallies_of(inputs)
        pools = city_of(tallies)
        problems = city_differences(city, pools)
        codes = [row["code"] for row in departments]
        if len(set(codes)) != len(codes):
            raise Garbled("departments.csv: a department code appears twice")
        figures = recompute(rules, departments, tallies, pools)
    except Garbled as error:
        print(f"Cannot check this package: {error}")
        return 2
    matching = 0
    for row in departments:
        mine = figures[row["code"]]
        differing = [
            f"{column} {row[column] or 'empty'} (recomputed {mine[column] or 'empty'})"
            for column in (*CHECKED, "bureau_rank")
            if row[column] != mine[column]
        ]
        if differing:
            problems.append(f"{row['code']}: " + "; ".join(differing))
        else:
            matching += 1
    for code in sorted(set(tallies) - {row["code"] for row in departments}):
        problems.append(f"{code}: in inputs.csv but not in departments.csv")
    if problems:
        for line in problems:
            print(line)
        return 1
    print(f"{matching} of {len(departments)} departments match")
    return 0


if __name__ == "__main__":
    sys.exit(main())
