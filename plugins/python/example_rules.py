"""An example jixiao plugin in Python: two local rules a bureau might add.

    [[scoring.plugins]]
    command = ["python3", "plugins/python/example_rules.py"]
    params = { min_satisfaction = 90 }

PY1 时效指标: every project states at least one 时效指标 (2 points).
PY2 满意度目标值: a 满意度 indicator's target is at least ``min_satisfaction`` percent (2 points;
    not applicable to a project without one).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from jixiao_plugin import Plugin, deduct  # noqa: E402

plugin = Plugin(
    "python-example",
    "1.0",
    description="示例：时效指标与满意度目标值",
    params={
        "min_satisfaction": {
            "type": "number",
            "required": False,
            "description": "满意度目标值的下限（%），默认 90",
        }
    },
)


def project_name(record):
    return record.get("name") or "（未命名）"


@plugin.check("PY1", "时效指标", max_points=2, rule="每个项目至少一项时效指标")
def has_time_target(record, params, year):
    if any(i.get("level2") == "时效指标" for i in record.get("indicators", [])):
        return []
    return [deduct(2, project_name(record), "未设置时效指标（完成时间、进度等）")]


@plugin.check("PY2", "满意度目标值", max_points=2, rule="满意度指标的目标值不低于下限")
def satisfaction_floor(record, params, year):
    floor = float(params.get("min_satisfaction", 90))
    found = [i for i in record.get("indicators", []) if i.get("level1") == "满意度指标"]
    if not found:
        return None
    out = []
    for i in found:
        numbers = (i.get("parsed") or {}).get("numbers") or []
        if numbers and numbers[0] < floor:
            out.append(
                deduct(
                    1,
                    i.get("name", ""),
                    "满意度目标值 %g%% 低于 %g%%" % (numbers[0], floor),
                    text=i.get("value", ""),
                    line=i.get("line"),
                )
            )
    return out[:2]


if __name__ == "__main__":
    plugin.run()
