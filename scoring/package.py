"""The publication package (SPEC section 5, "A publication anyone can re-check"): a zip
built once, when a run is published, from the run's stored tallies and rows, and served
byte for byte ever after. It holds no personal data: department rows and the department
responses' tallies only.

Files, UTF-8 with a byte-order mark, text cells formula-safe: rules.json, departments.csv,
inputs.csv, city.csv, README.txt and verify.py (standard-library Python 3, which recomputes
every department's numbers from inputs.csv and rules.json).
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

from django.utils import timezone

from kindness.exports import csv_text
from scoring import exports, funnel, intervals
from scoring.compute import DEPARTMENT_COMPONENTS
from scoring.models import RankingRun, RunPackage, RunTallies

VERIFY = Path(__file__).with_name("package_verify.py")
BOM = "\ufeff"
FLAG_COLUMNS = ("v_flag", "t_flag", "h_flag")

README = """\
친절도 순위 공표 자료 / Kindness rankings publication
{period} · run #{number} · rule set v{version}

[한국어]
이 묶음은 공표된 부서 순위를 누구나 다시 계산해 볼 수 있도록 만든 자료입니다.
개인정보는 없습니다. 압축을 풀고 그 폴더에서 `python3 verify.py`를 실행하면
"N of N departments match"가 나와야 합니다.

계산식 (규칙 값은 rules.json):
- V(방문 응대), T(전화 응대, 받지 않은 전화는 0점), H(해피콜 만족도)는 각 부서
  응답 점수의 평균이며, 시 전체 평균 쪽으로 당겨 씁니다:
  보정값 = (n·평균 + k·시 평균) / (n + k). 응답이 없으면 시 평균을 씁니다.
  시 전체에 응답이 없는 요소는 빼고 나머지 가중치를 합이 1이 되게 조정합니다.
- 기본 점수 = wV·V' + wT·T' + wH·H'; 칭찬 가점(건당, 상한 있음)을 더하고
  불친절 감점(공제 기간의 건당)을 뺀 뒤 0-100으로 자르고, 소수 둘째 자리에서
  반올림(0.5는 올림)합니다. 같은 점수는 같은 순위(1, 2, 2, 4)입니다.

파일:
- rules.json: 사용한 규칙 값 전부, 규칙 버전, 부트스트랩 반복 수 B와 시드
- departments.csv: 공표된 부서 행(순위 구간 rank_low, rank_high 포함)과
  요소별 시 평균 대비 표시(v_flag, t_flag, h_flag: above 뚜렷이 높음,
  below 뚜렷이 낮음, within 범위 안, 빈칸 응답 없음)
- inputs.csv: 부서 코드별, 요소별 서로 다른 응답 점수(기약분수 p/q)와 그 수;
  praise, unkind 행은 계산에 들어간 칭찬 수와 불친절 수
- city.csv: 요소별 시 전체 응답 수와 평균(p/q)
- verify.py: 표준 라이브러리만 쓰는 검증 프로그램

순위 구간(rank_low-rank_high)은 각 부서의 응답을 복원추출로 B번 다시 뽑아 얻은
순위의 5-95 백분위수입니다. 무작위 추출의 결과이므로 verify.py는 다시 계산하지
않습니다(같은 자료와 시드로는 같은 결과가 나옵니다).

[English]
This package lets anyone re-check the published department rankings. It holds no
personal data. Unzip it and run `python3 verify.py` in that folder: it should print
"N of N departments match".

Formulas (the values are in rules.json):
- V (visitor reception), T (telephone, unanswered calls as 0) and H (happy-call
  satisfaction) are the means of a department's response scores, each pulled toward the
  city mean: adjusted = (n·mean + k·city mean) / (n + k); with no responses, the city
  mean. A component with no response in the whole city is left out and the other weights
  are scaled to sum to 1.
- base = wV·V' + wT·T' + wH·H'; plus the praise bonus (per praise, capped), minus the
  unkindness deduction (per report in the deduction window), kept between 0 and 100 and
  rounded half-up to 2 decimals. Equal scores share a rank (1, 2, 2, 4).

Files:
- rules.json: every rule value used, the rule-set version, B and the bootstrap seed
- departments.csv: the published department rows (with the rank interval rank_low,
  rank_high) and per component whether the department is clearly above or below the city
  (v_flag, t_flag, h_flag: above, below, within; empty for no responses)
- inputs.csv: per department code and component, each distinct response score (an exact
  fraction p/q) with its count; the praise and unkind rows count the reports counted
- city.csv: per component, the city's number of responses and their mean (p/q)
- verify.py: the check, standard-library Python 3

Rank intervals (rank_low-rank_high) are the 5th to 95th percentile of a department's
rank over B bootstrap replicates, each resampling every department's own responses with
replacement. They are random draws, so verify.py does not recompute them (the same data
and seed give the same intervals).
"""


def _csv(header: list[str], rows) -> bytes:
    """UTF-8 with a byte-order mark, text cells formula-safe (the core's writer)."""
    return csv_text(rows, header=header, lineterminator="\n", bom=True).encode("utf-8")


def _department_rows(run: RankingRun):
    flags = {
        code: breakdown.get("components", {})
        for code, breakdown in run.departments.values_list("code", "breakdown")
    }
    for cells in exports.rows(run, officials=False):
        components = flags.get(cells[exports.COLUMNS.index("code")], {})
        yield [*cells, *((components.get(name) or {}).get("flag") for name in "vth")]


def _inputs_rows(tallies: dict):
    for code in sorted(tallies["departments"]):
        owner = tallies["departments"][code]
        for name in DEPARTMENT_COMPONENTS:
            for score, count in owner.get(name, []):
                yield [code, name, score, count]
        for kind in ("praise", "unkind"):
            if owner.get(kind):
                yield [code, kind, None, len(owner[kind])]


def _city_rows(tallies: dict):
    for name in DEPARTMENT_COMPONENTS:
        pools = [
            intervals.tally_of(owner.get(name, [])) for owner in tallies["departments"].values()
        ]
        pools.append(
            intervals.tally_of(tallies.get("unowned", {}).get("departments", {}).get(name, []))
        )
        pool = funnel.Pool.of(pools)
        mean = None if pool.mean is None else intervals.fraction_text(pool.mean)
        yield [name, pool.n, mean]


def package_build(run: RankingRun) -> bytes | None:
    """The zip of a run, from its stored tallies and rows; None for a run computed before
    runs kept their tallies (it has no package)."""
    stored = RunTallies.objects.filter(run=run).first()
    if stored is None:
        return None
    tallies = stored.data
    rules_json = {
        "period": run.period.code,
        "run": run.number,
        "rule_set_version": run.rules.get("version"),
        "rules": run.rules,
        "bootstrap_replicates": stored.replicates,
        "bootstrap_seed": stored.seed,
        "seed_from": "SHA-256 of the canonical JSON of the period code, the rule-set version "
        "and the run's tallies; its first 8 bytes, big-endian",
    }
    published = timezone.localtime(run.published_at or timezone.now())
    stamp = published.timetuple()[:6]
    files = {
        "rules.json": (
            BOM + json.dumps(rules_json, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        ).encode("utf-8"),
        "departments.csv": _csv([*exports.COLUMNS, *FLAG_COLUMNS], _department_rows(run)),
        "inputs.csv": _csv(["code", "component", "score", "count"], _inputs_rows(tallies)),
        "city.csv": _csv(["component", "n", "mean"], _city_rows(tallies)),
        "README.txt": (
            BOM
            + README.format(
                period=run.period.code, number=run.number, version=run.rules.get("version")
            )
        ).encode("utf-8"),
        "verify.py": (BOM + VERIFY.read_text(encoding="utf-8")).encode("utf-8"),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (0o755 if name == "verify.py" else 0o644) << 16
            archive.writestr(info, content)
    return out.getvalue()


def package_store(run: RankingRun) -> RunPackage | None:
    """Build and keep the run's package (inside the publishing transaction)."""
    content = package_build(run)
    if content is None:
        return None
    return RunPackage.objects.create(
        run=run, content=content, sha256=hashlib.sha256(content).hexdigest()
    )


def package_of(run: RankingRun) -> bytes | None:
    package = RunPackage.objects.filter(run=run).only("content").first()
    return None if package is None else bytes(package.content)
