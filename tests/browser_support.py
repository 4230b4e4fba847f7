"""Browser fixtures: the bundled briefing built once, served over HTTP at the root and under a
sub-path, and headless Chromium from Debian driven by Playwright.

Nothing here downloads a browser: Playwright is pointed at /usr/bin/chromium, which
scripts/test.sh installs. A missing browser fails the suite loudly rather than skipping it.
"""

from __future__ import annotations

import functools
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
from factsheet.pipeline import Paths, build

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SUB_PATH = "briefing"


@pytest.fixture(scope="session")
def bundled_site(tmp_path_factory) -> Path:
    """The bundled briefing, built with --strict into a temporary folder."""
    output = tmp_path_factory.mktemp("bundled") / "site"
    result = build(Paths(ROOT / "content", ROOT / "templates", ROOT / "assets", output),
                   strict=True)
    assert result.ok, "\n".join(d.format() for d in result.diagnostics.sorted())
    return output


MULTISOURCE = ROOT / "tests" / "sites" / "multisource" / "content"


@pytest.fixture(scope="session")
def multisource_site(tmp_path_factory) -> Path:
    """The multi-source fixture (content format v2), built into a temporary folder. Not --strict:
    its facts/warnings.yaml gives four warnings on purpose (tests/sites/multisource/README.md)."""
    output = tmp_path_factory.mktemp("multisource") / "site"
    result = build(Paths(MULTISOURCE, ROOT / "templates", ROOT / "assets", output))
    assert result.ok and not result.diagnostics.errors, \
        "\n".join(d.format() for d in result.diagnostics.sorted())
    return output


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output readable
        pass


def start_server(directory: Path) -> ThreadingHTTPServer:
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="session")
def site_urls(bundled_site, tmp_path_factory):
    """{"root": base URL serving site/ at /, "sub-path": base URL serving it at /briefing/,
    "file": file:// URL of the folder}."""
    www = tmp_path_factory.mktemp("www")
    shutil.copytree(bundled_site, www / SUB_PATH)
    root, nested = start_server(bundled_site), start_server(www)
    yield {"root": f"http://127.0.0.1:{root.server_address[1]}/",
           "sub-path": f"http://127.0.0.1:{nested.server_address[1]}/{SUB_PATH}/",
           "file": bundled_site.as_uri() + "/"}
    root.shutdown()
    nested.shutdown()


@pytest.fixture(scope="session")
def multisource_urls(multisource_site):
    """{"root": base URL serving the multi-source fixture's site at /}."""
    server = start_server(multisource_site)
    yield {"root": f"http://127.0.0.1:{server.server_address[1]}/"}
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: run scripts/test.sh, which installs it"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class WatchedPage:
    """A page that records console errors, uncaught exceptions and failed requests."""

    def __init__(self, page):
        self.page = page
        self.problems: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        page.on("pageerror", lambda e: self.problems.append(f"exception: {e}"))
        page.on("requestfailed", self.failed)
        page.on("response", lambda r: r.status >= 400 and self.problems.append(f"{r.status}: {r.url}"))

    def failed(self, request) -> None:
        # ERR_ABORTED is the browser cancelling a request because the test navigated on (the
        # favicon of a page left at once); a request the server failed shows as a status above.
        if "ERR_ABORTED" not in (request.failure or ""):
            self.problems.append(f"failed: {request.url} {request.failure}")

    def __getattr__(self, name):
        return getattr(self.page, name)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    watched = WatchedPage(context.new_page())
    yield watched
    context.close()


def page_kinds(site: Path) -> dict[str, str]:
    """One page of each kind in a built site: kind → path relative to the site."""
    def first(folder: str) -> str:
        return sorted(p.relative_to(site).as_posix() for p in (site / folder).glob("*.html")
                      if p.name != "index.html")[0]
    return {"home": "index.html", "timeline": "timeline.html", "prose": first("pages"),
            "fact index": "facts/index.html", "fact": first("facts"),
            "source index": "sources/index.html", "source": first("sources"),
            "entity index": "entities/index.html", "entity": first("entities")}


def all_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the page as loaded: "rule (impact): the
    first three targets" each."""
    assert AXE.is_file(), "axe-core missing: run scripts/test.sh (npm ci installs it)"
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]
