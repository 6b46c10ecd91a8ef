"""axe-core in the browser tests: inject the vendored copy into a page and list what it finds.

axe is injected by the tests only (never served in a page), so the browser context must let an injected
script past the pages' Content-Security-Policy: modules that use this helper set ``bypass_csp`` in
``browser_context_args``."""

from pathlib import Path

AXE = Path(__file__).resolve().parent.parent / "static" / "vendor" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")


def axe_violations(page) -> list[str]:
    """Every serious or critical violation on the page as loaded, one line each with the first few nodes."""
    page.add_script_tag(path=AXE)
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{page.url} {rule['id']} ({rule['impact']}): {rule['help']} — "
        + "; ".join(
            " ".join(node["target"]) + (f" [{node['any'][0]['message']}]" if node["any"] else "")
            for node in rule["nodes"][:4]
        )
        + (f" …及另外 {len(rule['nodes']) - 4} 处" if len(rule["nodes"]) > 4 else "")
        for rule in result["violations"]
        if rule["impact"] in BLOCKING
    ]
