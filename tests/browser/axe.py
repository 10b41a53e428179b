"""Run axe-core (vendored under vendor/, MPL-2.0, test-only) on the page a Playwright page shows.

The pages send ``script-src 'self'``, so a ``<script>`` tag with axe's text would be refused; axe is
evaluated through the DevTools protocol instead (``page.evaluate``), which the page's CSP does not
govern. Nothing is served to users: the file never leaves tests/.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

AXE_PATH = Path(__file__).parent / "vendor" / "axe.min.js"
# The impacts that fail a page (no serious or critical violations on any page); minor and moderate ones are
# reported in the failure message of another violation but do not fail on their own.
BLOCKING_IMPACTS = frozenset({"serious", "critical"})
# WCAG 2.2 A and AA plus axe's best practices (landmarks, one h1, region).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@cache
def _axe_source() -> str:
    return AXE_PATH.read_text(encoding="utf-8")


def axe_run(page: Any) -> list[dict[str, Any]]:
    """All violations axe finds on the page, each ``{id, impact, help, nodes: [{target, summary}]}``."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    result: dict[str, Any] = page.evaluate(
        """async (tags) => {
            const results = await window.axe.run(document, {
                runOnly: {type: 'tag', values: tags},
                // Off by default in axe 4.x: WCAG 2.2's 24 by 24 px minimum for pointer targets.
                rules: {'target-size': {enabled: true}},
            });
            return results.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map((n) => ({target: n.target.join(' '), summary: n.failureSummary})),
            }));
        }""",
        AXE_TAGS,
    )
    return list(result)


def blocking(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [violation for violation in violations if violation["impact"] in BLOCKING_IMPACTS]


def describe(violations: list[dict[str, Any]]) -> str:
    """A readable list for an assertion message: rule, impact, help and the first few elements."""
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    {node['target']}: {summary[:240]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    ... and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)
