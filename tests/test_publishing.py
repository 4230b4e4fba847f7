"""The publishing recipes of docs/publishing.md, proved without a network.

- The GitHub Pages workflow (docs/recipes/github-pages.yml) has the triggers, permissions,
  concurrency and steps Pages needs, and its `run:` commands, run here, write the folder it uploads.
- netlify.toml's build command, run here, writes the folder it publishes.
- The doc's `rsync` command, aimed at a local folder, mirrors site/ exactly, and `--delete`
  removes a page that is gone from site/; without the trailing slash it would not.
- A built site served under a sub-path by http.server, and opened from disk, has every local link
  resolve to a file under that sub-path (and every fragment to an id); with `base_url` set to the
  sub-path, canonical links and printed addresses are the pages' real addresses.

Commands from the recipes are mapped onto this checkout: `python` → the running interpreter
(the .venv's), `build.py` → this repository's build.py, `factsheet` → `python build.py`, and
`pip install` → `pip install --no-index --dry-run` (the requirements must already be satisfied;
nothing is fetched or changed). Any other command fails the test, so a recipe cannot gain an
untested step.
"""

from __future__ import annotations

import functools
import os
import re
import shlex
import shutil
import subprocess
import sys
import threading
import tomllib
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import pytest
import yaml

from conftest import ROOT, tree_digest

DOC = ROOT / "docs" / "publishing.md"
WORKFLOW = ROOT / "docs" / "recipes" / "github-pages.yml"
NETLIFY = ROOT / "docs" / "recipes" / "netlify.toml"
SUB_PATH = "/sub/path/"


# --- running a recipe's commands ----------------------------------------------------------------

def mapped(words: list[str]) -> list[str]:
    """One simple command of a recipe → the same command on this checkout, without network."""
    if words[:2] == ["pip", "install"] or words[:4] == ["python", "-m", "pip", "install"]:
        rest = words[2:] if words[0] == "pip" else words[4:]
        return [sys.executable, "-m", "pip", "install", "--no-index", "--dry-run", "--quiet",
                "--disable-pip-version-check", *rest]
    if words[:2] == ["python", "build.py"]:
        return [sys.executable, str(ROOT / "build.py"), *words[2:]]
    if words[0] == "factsheet":
        return [sys.executable, str(ROOT / "build.py"), *words[1:]]
    raise AssertionError(f"a recipe runs a command this test does not know: {shlex.join(words)}")


# What the hosts put in a command before running it: GitHub's expressions, Netlify's variables.
HOST_VALUES = {"${{ steps.pages.outputs.base_url }}": "https://user.github.io/repo",
               "$URL": "https://name.netlify.app"}


def run_recipe(script: str, repo: Path) -> list[list[str]]:
    """Run a shell snippet of a recipe (lines, `&&`) in `repo`, each command mapped; a failing
    command fails the test, as it would fail the deploy. Returns the commands as run, with the
    hosts' values (HOST_VALUES) in place; any other expression or variable fails the test."""
    for written, value in HOST_VALUES.items():
        script = script.replace(written, value)
    assert "$" not in script, f"a recipe uses a value this test does not know: {script!r}"
    commands: list[list[str]] = []
    for line in script.splitlines():
        words = shlex.split(line, comments=True)
        while words:
            cut = words.index("&&") if "&&" in words else len(words)
            commands.append(words[:cut])
            words = words[cut + 1:]
    assert commands, f"no command in {script!r}"
    env = {**os.environ, "NO_COLOR": "1"}
    for words in commands:
        done = subprocess.run(mapped(words), cwd=repo, env=env, capture_output=True, text=True,
                              timeout=60)
        assert done.returncode == 0, f"{shlex.join(words)} failed:\n{done.stdout}{done.stderr}"
    return commands


def repository_copy(root: Path) -> Path:
    """What a recipe sees at the top of a repository: the bundled briefing and requirements.txt
    (build.py and the theme are this checkout's, through `mapped`)."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copy2(ROOT / "requirements.txt", root / "requirements.txt")
    return root


def build(repo: Path, output: Path) -> Path:
    run_recipe(f"python build.py --strict --output {shlex.quote(str(output))}", repo)
    return output


@pytest.fixture(scope="module")
def built_site(tmp_path_factory) -> Path:
    """The bundled briefing built once (read-only for the tests: each copies it)."""
    repo = repository_copy(tmp_path_factory.mktemp("built") / "repo")
    return build(repo, repo / "site")


def fenced_blocks(markdown: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", markdown, re.S | re.M)


def section(markdown: str, heading: str) -> str:
    found = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", markdown, re.S | re.M)
    assert found, f"docs/publishing.md has no section '## {heading}'"
    return found.group(1)


# --- the doc shows the tested files --------------------------------------------------------------

def test_the_doc_shows_the_recipe_files_exactly():
    doc = DOC.read_text(encoding="utf-8")
    shown = fenced_blocks(section(doc, "GitHub Pages"), "yaml")
    assert WORKFLOW.read_text(encoding="utf-8") in shown
    assert NETLIFY.read_text(encoding="utf-8") in fenced_blocks(section(doc, "Netlify"), "toml")
    assert ".github/workflows/publish.yml" in doc


# --- GitHub Pages --------------------------------------------------------------------------------

def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def step(job: dict, action: str) -> tuple[int, dict]:
    """(position, step) of the job's one step using `action` (any version)."""
    found = [(n, s) for n, s in enumerate(job["steps"])
             if str(s.get("uses", "")).split("@")[0] == action]
    assert len(found) == 1, f"expected one step using {action}, found {len(found)}"
    return found[0]


def test_the_workflow_has_what_pages_needs():
    flow = workflow()
    triggers = flow.get("on", flow.get(True))  # YAML 1.1 reads a bare `on` key as true
    assert triggers["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in triggers
    assert flow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert flow["concurrency"] == {"group": "pages", "cancel-in-progress": False}

    build_job, deploy_job = flow["jobs"]["build"], flow["jobs"]["deploy"]
    checkout, _ = step(build_job, "actions/checkout")
    python_at, python = step(build_job, "actions/setup-python")
    upload_at, upload = step(build_job, "actions/upload-pages-artifact")
    runs = [n for n, s in enumerate(build_job["steps"]) if "run" in s]
    # A quoted version: unquoted, YAML would read 3.10 as 3.1.
    assert python["with"]["python-version"] == "3.11"
    assert checkout < python_at < min(runs) and max(runs) < upload_at
    assert upload["with"]["path"] == "site"
    for uses in (s["uses"] for s in build_job["steps"] + deploy_job["steps"] if "uses" in s):
        assert re.fullmatch(r"actions/[a-z-]+@v\d+", uses), uses

    assert deploy_job["needs"] == "build"
    assert deploy_job["environment"]["name"] == "github-pages"
    _, deploy = step(deploy_job, "actions/deploy-pages")
    assert deploy_job["environment"]["url"] == "${{ steps.%s.outputs.page_url }}" % deploy["id"]


def test_the_workflow_build_writes_the_folder_it_uploads(tmp_path):
    build_job = workflow()["jobs"]["build"]
    repo = repository_copy(tmp_path / "repo")
    commands = [words for s in build_job["steps"] if "run" in s
                for words in run_recipe(s["run"], repo)]
    assert any(words[:1] == ["pip"] for words in commands)
    assert any("--strict" in words for words in commands if "pip" not in words)
    _, upload = step(build_job, "actions/upload-pages-artifact")
    uploaded = repo / upload["with"]["path"]
    assert (uploaded / "index.html").is_file()
    assert (uploaded / ".factsheet-output").is_file()  # the folder is the build's output
    # The address Pages gives, from configure-pages (which runs before the build), is the base.
    pages_at, pages = step(build_job, "actions/configure-pages")
    build_at = max(n for n, s in enumerate(build_job["steps"]) if "run" in s)
    assert pages_at < build_at and pages["id"] == "pages"
    assert "https://user.github.io/repo/index.html" in sitemap_addresses(uploaded)
    # (and the cache of earlier builds beside it, which .gitignore lists and no upload takes)
    assert sorted(p.name for p in repo.iterdir()) == \
        [".factsheet-cache", "content", "requirements.txt", "site"]


def sitemap_addresses(site: Path) -> list[str]:
    root = ET.fromstring((site / "sitemap.xml").read_bytes())
    return [loc.text for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]


# --- Netlify -------------------------------------------------------------------------------------

def test_netlify_builds_the_folder_it_publishes(tmp_path):
    config = tomllib.loads(NETLIFY.read_text(encoding="utf-8"))
    python = config["build"]["environment"]["PYTHON_VERSION"]
    _, setup_python = step(workflow()["jobs"]["build"], "actions/setup-python")
    assert python == setup_python["with"]["python-version"] == "3.11"
    assert config["build"]["publish"] == "site"
    repo = repository_copy(tmp_path / "repo")
    commands = run_recipe(config["build"]["command"], repo)
    assert [words[0] for words in commands] == ["pip", "python"]
    assert "--strict" in commands[-1]
    assert (repo / config["build"]["publish"] / "index.html").is_file()
    # Netlify's $URL (no final slash) is the base: the sitemap has the home page under it.
    assert "https://name.netlify.app/index.html" in sitemap_addresses(repo / "site")


# --- rsync ---------------------------------------------------------------------------------------

def rsync_command() -> list[str]:
    """The doc's rsync line, from the sh block of its rsync section."""
    blocks = fenced_blocks(section(DOC.read_text(encoding="utf-8"), "Any server, with rsync"), "sh")
    lines = [line for block in blocks for line in block.splitlines() if line.startswith("rsync ")]
    assert len(lines) == 1, lines
    words = shlex.split(lines[0])
    assert words == ["rsync", "-a", "--delete", "site/", "user@host:/var/www/briefing/"], words
    return words


def rsync(words: list[str], cwd: Path, destination: Path) -> None:
    assert shutil.which("rsync"), "rsync is not installed (scripts/test.sh installs it)"
    remote = words[-1]
    assert re.fullmatch(r"[\w.-]+@[\w.-]+:/\S+/", remote), remote
    done = subprocess.run([*words[:-1], f"{destination}/"], cwd=cwd, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def folders(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_dir())


def test_rsync_mirrors_site_and_delete_removes_what_site_dropped(built_site, tmp_path):
    words = rsync_command()
    work, server = tmp_path / "work", tmp_path / "server" / "briefing"
    shutil.copytree(built_site, work / "site")
    server.mkdir(parents=True)

    rsync(words, work, server)
    assert tree_digest(server) == tree_digest(work / "site")
    assert (server / "index.html").is_file() and (server / ".factsheet-output").is_file()

    # A page gone from the next build (a fact removed): --delete removes it from the server.
    dropped = sorted((work / "site" / "facts").glob("*.html"))[-1]
    dropped.unlink()
    rsync(words, work, server)
    assert not (server / "facts" / dropped.name).exists()
    assert tree_digest(server) == tree_digest(work / "site")
    assert folders(server) == folders(work / "site")


def test_without_the_trailing_slash_rsync_copies_the_folder_itself(built_site, tmp_path):
    words = rsync_command()
    work, server = tmp_path / "work", tmp_path / "server" / "briefing"
    shutil.copytree(built_site, work / "site")
    server.mkdir(parents=True)
    (server / "index.html").write_text("the old home page", encoding="utf-8")

    rsync([w.rstrip("/") if w == "site/" else w for w in words], work, server)
    assert (server / "site" / "index.html").is_file()  # the site one folder too deep …
    old = (server / "index.html").read_text(encoding="utf-8")
    assert old == "the old home page"  # … and the old home page still served


# --- sub-paths and disk --------------------------------------------------------------------------

class Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []  # every href and src
        self.printed: list[tuple[str, str]] = []  # (href, data-print)
        self.canonical: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        self.links += [attributes[name] for name in ("href", "src") if attributes.get(name)]
        if attributes.get("data-print"):
            self.printed.append((attributes["href"], attributes["data-print"]))
        if tag == "link" and attributes.get("rel") == "canonical":
            self.canonical = attributes["href"]


def crawl(start: str, inside: str) -> dict[str, Links]:
    """Follow every local link from `start` (an http:// or file:// URL), as a browser resolves it:
    each must be relative (no root-relative link, no folder link), stay under `inside`, name a file
    that loads, and each fragment must be an id of its page. → {page URL: its links}."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: no proxy
    pages: dict[str, Links] = {}
    loaded: set[str] = set()
    queue: list[str] = [start]
    fragments: list[tuple[str, str, str, str]] = []  # (page, link, target page, fragment)
    problems: list[str] = []

    def load(url: str) -> bytes | None:
        try:
            with opener.open(url, timeout=10) as response:
                return response.read()
        except (urllib.error.URLError, OSError) as exc:
            problems.append(f"{url}: {exc}")
            return None

    while queue:
        url = queue.pop()
        if url in pages:
            continue
        body = load(url)
        if body is None:
            continue
        pages[url] = page = Links()
        page.feed(body.decode("utf-8"))
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                continue  # an address elsewhere (the source's original, Wikidata …)
            if link.startswith("/"):
                problems.append(f"{url}: {link} is relative to the domain's root")
            if parts.path.endswith("/"):
                problems.append(f"{url}: {link} names a folder, not a file")
            target, fragment = urldefrag(urljoin(url, link))
            if not urlsplit(target).path.startswith(urlsplit(inside).path):
                problems.append(f"{url}: {link} leaves {inside}")
                continue
            if fragment:
                fragments.append((url, link, target, unquote(fragment)))
            if target.endswith(".html"):
                queue.append(target)
            elif target not in loaded and load(target) is not None:
                loaded.add(target)
    for url, link, target, fragment in fragments:
        if target in pages and fragment not in pages[target].ids:
            problems.append(f"{url}: {link} → no id '{fragment}'")
    assert not problems, "\n".join(problems[:20])
    return pages


@pytest.fixture
def server(tmp_path):
    """http.server serving tmp_path/www on a free loopback port → (www folder, root URL)."""
    www = tmp_path / "www"
    www.mkdir()

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(www)))
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield www, f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


def html_files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def test_under_a_sub_path_every_link_and_address_is_right(server, tmp_path):
    www, origin = server
    base = origin + SUB_PATH
    repo = repository_copy(tmp_path / "repo")
    with (repo / "content" / "site.yaml").open("a", encoding="utf-8") as config:
        config.write(f"base_url: {base}\n")
    site = build(repo, www / SUB_PATH.strip("/"))

    pages = crawl(base, inside=base)
    reached = {url[len(base):] for url in pages if url != base}
    assert reached == html_files(site)  # every page is reached by a link, under the sub-path
    for url, page in pages.items():
        # canonical = base_url + the page's path: the address it is served at
        assert page.canonical == (url if url != base else base + "index.html"), url
        for href, printed in page.printed:  # the address printed on paper = the link's target
            assert printed == urldefrag(urljoin(url, href))[0], (url, href)
    # the folder address without its slash is redirected to the one the links resolve against
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(base.rstrip("/"), timeout=10) as response:
        assert response.geturl() == base


def test_opened_from_disk_every_link_resolves(built_site):
    start = built_site.resolve().as_uri() + "/index.html"
    pages = crawl(start, inside=built_site.resolve().as_uri() + "/")
    assert {urlsplit(url).path for url in pages} == {
        (built_site.resolve() / name).as_uri()[len("file://"):] for name in html_files(built_site)}
    # without base_url: no canonical link, and the address printed after a link is the path of
    # its page within the site (from the home page, the link itself)
    home = pages[start]
    assert home.canonical is None
    assert home.printed and all(printed == urldefrag(href)[0] for href, printed in home.printed)
