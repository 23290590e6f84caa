"""jixiao_plugin — write a jixiao scoring plugin in Python (standard library only).

A plugin declares checks; jixiao starts it as a child process (``command = ["python3", "rules.py"]``
in ``[[scoring.plugins]]``) and sends it one record at a time over the JSON Lines protocol v1
(docs/plugins.md). This module speaks the protocol; you write the rules::

    from jixiao_plugin import Plugin, deduct

    plugin = Plugin("my-rules", "1.0", description="本局自定规则")

    @plugin.check("MY1", "时效指标", max_points=2, rule="每个项目至少一项时效指标")
    def has_time_target(record, params, year):
        if any(i.get("level2") == "时效指标" for i in record["indicators"]):
            return []                                   # full points
        return [deduct(2, record.get("name") or "", "缺少时效指标")]

    plugin.run()

A check function gets the record (the canonical record, docs/record.schema.json), the plugin's
``params`` from pipeline.toml and the budget year. It returns:

- ``None``: the check does not apply to this record (reported as "not applicable");
- a list of ``deduct(...)``: the points lost, each with its evidence (empty list = full points);
  a deduction always needs a reason — jixiao refuses points lost without one.

``raise NotScored("未填写培训人数")`` marks the record's checks "not scored" with that reason (printed in
the packet). Any other exception does the same with a generic reason in the packet; its message and
traceback go to stderr, which jixiao copies into its log. ``print()`` also goes to stderr:
stdout belongs to the protocol.
"""

import io
import json
import sys
import traceback

PROTOCOL = 1

__all__ = ["Plugin", "deduct", "NotScored", "PROTOCOL"]


class NotScored(Exception):
    """Raise from a check when the record cannot be scored; the message (in Chinese, for the
    department) is printed on the record's not-scored checks: ``raise NotScored("未填写培训人数")``."""


def deduct(points, subject, reason, text="", line=None):
    """One deduction: ``points`` lost on ``subject`` (an indicator's name, a field), because of
    ``reason``; ``text`` quotes the cell, ``line`` is its line in the source file."""
    if not reason:
        raise ValueError("a deduction needs a reason")
    return {
        "subject": str(subject),
        "text": str(text),
        "line": line,
        "reason": str(reason),
        "deduction": float(points),
    }


class Plugin:
    """A set of checks served to jixiao."""

    def __init__(self, name, version, description="", params=None, thread_safe=True):
        self.name = name
        self.version = version
        self.description = description
        # {"key": {"type": "string|number|integer|boolean|string_array|array|object",
        #          "required": bool, "description": str}}
        self.params = params or {}
        self.thread_safe = thread_safe
        self._checks = []

    def check(self, id, title, max_points, rule=""):
        """Decorator: registers ``fn(record, params, year)`` as check ``id``."""

        def register(fn):
            if any(c["id"] == id for c, _ in self._checks):
                raise ValueError("check id %s declared twice" % id)
            self._checks.append(
                ({"id": id, "title": title, "max_points": float(max_points), "rule": rule}, fn)
            )
            return fn

        return register

    def manifest(self):
        return {
            "name": self.name,
            "version": self.version,
            "description": self.description,
            "checks": [c for c, _ in self._checks],
            "params": self.params,
            "thread_safe": self.thread_safe,
        }

    def score(self, request):
        """The results for one score request (also handy in your own tests)."""
        record = request["record"]
        params = request.get("params") or {}
        year = request.get("year")
        results = []
        for check, fn in self._checks:
            deductions = fn(record, params, year)
            if deductions is None:
                continue
            lost = sum(d["deduction"] for d in deductions)
            points = max(0.0, check["max_points"] - lost)
            results.append({"id": check["id"], "points": round(points, 2), "evidence": deductions})
        return results

    def run(self, stdin=None, stdout=None):
        """Serves jixiao until it closes stdin."""
        # The protocol is UTF-8 whatever the locale (a Windows code page, a C locale).
        stdin = stdin or io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8")
        out = stdout or io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="\n")
        # Anything the rules print goes to stderr, never into the protocol.
        sys.stdout = sys.stderr

        def send(message):
            out.write(json.dumps(message, ensure_ascii=False) + "\n")
            out.flush()

        for line in stdin:
            if not line.strip():
                continue
            try:
                message = json.loads(line)
            except ValueError as e:
                send({"type": "error", "message": "not a protocol message: %s" % e})
                return
            kind = message.get("type")
            if kind == "hello":
                if message.get("protocol") != PROTOCOL:
                    send({
                        "type": "error",
                        "message": "this plugin speaks protocol v%d, jixiao sent v%s"
                        % (PROTOCOL, message.get("protocol")),
                    })
                    return
                send({"type": "manifest", "protocol": PROTOCOL, "manifest": self.manifest()})
            elif kind == "score":
                request_id = message.get("id")
                try:
                    results = self.score(message["request"])
                    send({"type": "result", "id": request_id, "results": results})
                except NotScored as e:
                    send({"type": "error", "id": request_id, "message": str(e)})
                except Exception as e:  # the record is not scored; the plugin goes on
                    traceback.print_exc(file=sys.stderr)
                    send({"type": "error", "id": request_id, "message": "%s: %s" % (type(e).__name__, e)})
            else:
                send({"type": "error", "message": "unknown message type %r" % kind})
