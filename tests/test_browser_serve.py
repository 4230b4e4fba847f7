"""The edit loop: `build.py serve`, a page open in Chromium, edits to the bundled briefing; the
server's log, its port, and the error page's links to the lines of the problems."""

from __future__ import annotations

import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from browser_support import ROOT
from factsheet.pipeline import NO_BASE_URL


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return  # the server answers (an error page is an answer)
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{url} did not answer within {seconds} s")


class Served:
    def __init__(self, root: Path, port: int):
        self.root, self.port = root, port
        self.url = f"http://127.0.0.1:{port}/"
        self.log = open(root / "serve.log", "w+")
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "serve", "--port", str(port),
             "--templates", "templates", "--assets", "assets"],
            cwd=root, stdout=self.log, stderr=subprocess.STDOUT)
        wait_for_http(self.url)

    def output(self) -> str:
        self.log.flush()
        return (self.root / "serve.log").read_text()

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                return self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                raise
        return self.process.returncode


@pytest.fixture
def served(tmp_path):
    for folder in ("content", "templates", "assets"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    server = Served(tmp_path, free_port())
    yield server
    server.stop()


def first_fact(content: Path) -> tuple[Path, str]:
    """(file, id) of the first fact in the bundled briefing's first fact file."""
    path = sorted((content / "facts").glob("*.yaml"))[0]
    for line in path.read_text().splitlines():
        if line.lstrip("- ").startswith("id:"):
            return path, line.split("id:")[1].strip()
    raise AssertionError(f"no fact in {path}")


def with_claim(text: str, claim: str) -> str:
    """The YAML text with its first fact's claim replaced, folded continuation lines included."""
    lines = text.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("claim:"))
    indent = len(lines[at]) - len(lines[at].lstrip())
    end = at + 1
    while end < len(lines) and lines[end].strip() and \
            len(lines[end]) - len(lines[end].lstrip()) > indent:
        end += 1
    return "".join(lines[:at] + [" " * indent + f"claim: {claim}\n"] + lines[end:])


class LivePage:
    """A served page. It follows the server's build counter (factsheet/reload.py): it reloads for
    any build later than the one it was served with, so a save needs no waiting for the page to
    be ready, even one made in the instant of a reload."""

    def __init__(self, page, url: str):
        self.page = page
        page.goto(url)

    def save(self, path: Path, text: str) -> None:
        path.write_text(text)

    def shows_claim(self, claim: str, timeout: float = 20000) -> None:
        self.page.wait_for_function(
            "claim => document.querySelector('main h1') && "
            "document.querySelector('main h1').textContent === claim", arg=claim, timeout=timeout)


def test_edit_break_and_fix_in_the_open_page(served, browser):
    path, fact_id = first_fact(served.root / "content")
    original = path.read_text()
    page = browser.new_page()
    live = LivePage(page, served.url + f"facts/{fact_id}.html")
    assert page.locator("main h1").count() == 1

    live.save(path, with_claim(original, "Edited in the live loop."))
    live.shows_claim("Edited in the live loop.")

    broken = path.read_text().replace("status:", "statsu:", 1)
    live.save(path, broken)
    page.wait_for_selector("#build-failed", timeout=20000)
    problems = page.locator(".problems").inner_text()
    assert f"{path.relative_to(served.root)}:" in problems
    assert "unknown key 'statsu'" in problems and "did you mean 'status'?" in problems
    assert "unknown key 'statsu'" in served.output()  # the terminal says it too

    # the problem's link opens its file at its line, in a view of the server's own
    view = browser.new_page()
    view.goto(page.url)
    view.locator(f".problems a[href*='{path.name}']").first.click()
    view.wait_for_selector("#source")
    line = view.evaluate("location.hash")
    assert re.fullmatch(r"#L\d+", line)
    marked = view.locator("tr.at")
    assert marked.get_attribute("id") == line[1:]
    assert "statsu:" in marked.inner_text()
    assert view.evaluate("document.querySelector(':target') === document.querySelector('tr.at')")
    view.close()

    live.save(path, broken.replace("statsu:", "status:", 1))
    live.shows_claim("Edited in the live loop.")
    page.close()


def test_no_save_is_lost_in_bursts_or_during_a_rebuild(served, browser):
    """50 saves in ten bursts: five 20 ms apart (one build for the lot), or five 150 ms apart
    (saves landing while the last one rebuilds, and in the instant of a reload). Each burst
    ends with the open page showing its last save."""
    path, fact_id = first_fact(served.root / "content")
    original = path.read_text()
    page = browser.new_page()
    live = LivePage(page, served.url + f"facts/{fact_id}.html")
    saved = 0
    for burst in range(10):
        for _ in range(5):
            saved += 1
            live.save(path, with_claim(original, f"Save number {saved}."))
            time.sleep(0.02 if burst % 2 == 0 else 0.15)
        live.shows_claim(f"Save number {saved}.")
    assert "Traceback" not in served.output()
    page.close()


def test_reload_script_is_served_but_never_published(served):
    served_html = urllib.request.urlopen(served.url + "index.html").read().decode()
    assert "/__factsheet__/build?since=" in served_html
    for page in (served.root / "site").rglob("*.html"):
        assert "__factsheet__" not in page.read_text()


@pytest.mark.parametrize("path", ["../content/site.yaml", "%2e%2e/content/site.yaml",
                                  "..%2fcontent/site.yaml", "//etc/passwd", "/etc/passwd"])
def test_nothing_outside_site_is_served(served, path):
    with socket.create_connection(("127.0.0.1", served.port)) as sock:
        target = path if path.startswith("/") else "/" + path  # sent raw, not normalised
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    status = reply.split(b"\r\n", 1)[0]
    assert b" 404 " in status, status
    assert b"title:" not in reply and b"root:" not in reply


def test_port_in_use_and_ctrl_c_are_clean(served, tmp_path):
    second = subprocess.run([sys.executable, str(ROOT / "build.py"), "serve", "--port",
                             str(served.port)], cwd=served.root, capture_output=True, text=True,
                            timeout=60)
    assert second.returncode == 1
    # said at once, before building anything: the one line, nothing else
    assert second.stdout == ""
    assert second.stderr == (f"Port {served.port} on 127.0.0.1 is already in use: stop the "
                             f"other server or choose another with --port\n")
    assert served.stop() == 0
    assert "Traceback" not in served.output()
    assert "Stopped." in served.output()


def listening_addresses(port: int) -> set[str]:
    """Local IPv4 addresses with a socket listening on `port`, read from /proc/net/tcp."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, hex_port = local.split(":")
        if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
            found.add(socket.inet_ntoa(bytes.fromhex(address)[::-1]))
    return found


def test_serve_binds_to_loopback_only_by_default(served):
    assert listening_addresses(served.port) == {"127.0.0.1"}


def test_a_stylesheet_change_is_applied_without_a_full_reload(served, browser):
    page = browser.new_page()
    live = LivePage(page, served.url + "index.html")
    page.evaluate("window.stillTheSamePage = true")
    css = served.root / "assets" / "style.css"
    live.save(css, css.read_text() + "\nbody { background: rgb(1, 2, 3); }\n")
    page.wait_for_function("getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)'",
                           timeout=20000)
    assert page.evaluate("window.stillTheSamePage === true")
    assert "background: rgb(1, 2, 3)" in (served.root / "site/assets/style.css").read_text()
    page.close()


def wait_for_log(served: Served, pattern: str, seconds: float = 20) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = re.search(pattern, served.output(), re.MULTILINE)
        if found:
            return found.group(0)
        time.sleep(0.05)
    raise AssertionError(f"no line matching {pattern!r} in the log:\n{served.output()}")


OUR_LINES = [r"Built \d+ pages into site/ with \d+ warnings? in [\d.]+ s\.",
             r"Serving site/ on http://127\.0\.0\.1:\d+/ \(Ctrl-C to stop\)",
             r"\d\d:\d\d:\d\d content/\S+ changed: \d+ pages built, \d+ changed \(\d+ ms\)",
             r"\d\d:\d\d:\d\d content/\S+ changed: build failed, 1 error, 0 warnings "
             r"\(\d+ ms\); site/ left as it was",
             r"1\. content/\S+: error \[statsu\]: .*", r"    hint: .*",
             r"Serving the error page until the next good build\.", r"Stopped\.",
             r"\d\d:\d\d:\d\d search index updated \([\d.]+ s\)",
             re.escape(NO_BASE_URL)]


def test_the_log_is_ours_alone_with_the_file_and_time_of_each_rebuild(served):
    path, _ = first_fact(served.root / "content")
    relative = path.relative_to(served.root).as_posix()
    urls = [served.url + "nope.html", served.url + "index.html", served.url + "facts/"]
    original = path.read_text()
    path.write_text(original.replace("status:", "statsu:", 1))
    wait_for_log(served, rf"^\d\d:\d\d:\d\d {re.escape(relative)} changed: build failed")
    codes = []
    for url in urls:  # a missing page and two pages of the broken site: 404, 500, 500
        try:
            codes.append(urllib.request.urlopen(url).status)
        except urllib.error.HTTPError as error:
            codes.append(error.code)
    assert codes == [404, 500, 500]
    path.write_text(original)
    wait_for_log(served, rf"^\d\d:\d\d:\d\d {re.escape(relative)} changed: \d+ pages built")
    assert served.stop() == 0
    lines = served.output().splitlines()
    strangers = [line for line in lines if not any(re.fullmatch(p, line) for p in OUR_LINES)]
    assert strangers == [], served.output()
    assert not any(re.match(r"\[[IWE] \d{6}", line) or "GET /" in line for line in lines)
