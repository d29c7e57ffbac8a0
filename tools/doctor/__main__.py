"""`python -m tools.doctor`: print one line per check, what to fix under each problem;
exit 1 when a check failed (warnings alone exit 0)."""

from __future__ import annotations

import os
import sys

from tools.doctor.checks import Finding, Status, all_checks

MARKS = {Status.OK: "ok  ", Status.WARN: "warn", Status.FAIL: "FAIL"}


def report(findings: list[Finding]) -> str:
    lines = []
    for finding in findings:
        lines.append(f"  {MARKS[finding.status]}  {finding.check:<10} {finding.detail}")
        if finding.fix:
            lines.append(f"        {'':<10} -> {finding.fix}")
    failed = sum(finding.status is Status.FAIL for finding in findings)
    warned = sum(finding.status is Status.WARN for finding in findings)
    lines.append(
        f"doctor: {failed} to fix, {warned} to look at" if failed or warned else "doctor: all good"
    )
    return "\n".join(lines)


def main() -> int:
    findings = all_checks(dict(os.environ))
    print(report(findings))
    return 1 if any(finding.status is Status.FAIL for finding in findings) else 0


if __name__ == "__main__":
    sys.exit(main())
