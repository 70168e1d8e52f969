"""Serving the explorer and driving it in Debian's chromium, for the security and secrets tests.

``serve_app`` starts ``streamlit run app.py`` on a free 127.0.0.1 port with the environment a
test chooses (backend, password, HOME for ``~/.streamlit/secrets.toml``) and its log in a
file the test can read; ``open_browser`` launches chromium through playwright. Both clean up
after themselves. (tests/e2e/test_ui_browser.py keeps its own module fixtures.)
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from conftest import need

__all__ = ["serve_app", "open_browser", "page_texts", "choose_entity", "hover_graph", "script_effects", "settle",
           "PAGES", "FRAME", "CHROMIUM"]

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("GEOKG_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
FRAME = 'iframe[title="st.iframe"]'
PAGES = ["", "explore", "profile", "paths", "timeline", "map", "changes", "pair", "analytics", "cypher", "export", "ingest",
         "curate"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve_app(env: dict[str, str], log: Path) -> Iterator[str]:
    """The app's URL while it runs with exactly ``env`` (plus PATH); stdout and stderr go to ``log``."""
    port = _free_port()
    full = {"PATH": os.environ.get("PATH", ""), "HOME": str(log.parent), **env}
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
                                 "--server.port", str(port), "--server.address", "127.0.0.1",
                                 "--browser.gatherUsageStats", "false"], env=full, cwd=ROOT, stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextmanager
def open_browser():
    """A headless chromium (playwright), or a skip/fail (under CI=true) when there is none."""
    need(Path(CHROMIUM).exists(), f"no chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def settle(page) -> None:
    """Wait for the app's rerun to finish (the running indicator comes and goes)."""
    page.wait_for_timeout(700)
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=30_000)


def page_texts(page) -> str:
    """Everything the page holds: the HTML and visible text of the page and of every frame."""
    parts = []
    for frame in page.frames:
        try:
            parts += [frame.content(), frame.evaluate("() => document.body ? document.body.innerText : ''")]
        except Exception:  # a frame replaced by a rerun while we read: the next read sees its successor
            continue
    return "\n".join(parts)


def choose_entity(page, search: str) -> bool:
    """Search the page's first entity picker for ``search`` and pick the first match; False
    when the page has no picker."""
    page.locator("h1, [data-testid=stAlert]").first.wait_for(timeout=60_000)  # the page's title: its widgets are drawn
    settle(page)
    boxes = page.get_by_test_id("stTextInput").filter(has_text="Find")
    if not boxes.count():
        return False
    box = boxes.first.locator("input")
    box.fill(search)
    box.press("Enter")
    settle(page)
    page.get_by_test_id("stSelectbox").first.click()
    page.get_by_role("option").first.click()
    settle(page)
    return True


def hover_graph(page, limit: int = 40) -> int:
    """Hover every node of the page's network (up to ``limit``) long enough for its tooltip to
    open, finding each node where it is at that moment; returns how many were hovered."""
    frame = page.locator(FRAME)
    if not frame.count():
        return 0
    page.frame_locator(FRAME).first.locator("canvas").wait_for(timeout=30_000)
    page.wait_for_timeout(1500)  # let physics settle
    net = f"document.querySelector('{FRAME}').contentWindow.network"
    ids = page.evaluate(f"() => {net} ? {net}.body.data.nodes.getIds() : []")[:limit]
    for node in ids:
        box = page.frame_locator(FRAME).first.locator("canvas").bounding_box()  # node positions are canvas-relative
        spot = page.evaluate(f"id => {{ const n = {net}; return n.canvasToDOM(n.getPositions([id])[id]); }}", node)
        page.mouse.move(box["x"] + spot["x"] + 3, box["y"] + spot["y"] + 3)
        page.mouse.move(box["x"] + spot["x"], box["y"] + spot["y"], steps=3)
        page.wait_for_timeout(700)
    return len(ids)


def script_effects(page) -> list[str]:
    """Traces an injected script would leave, in the page and every frame: a ``__xss`` flag on
    any window, and links whose target is ``javascript:``."""
    found = []
    for frame in page.frames:
        try:
            flag, links = frame.evaluate("""() => [String(window.__xss ?? ''),
                Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'))
                     .filter(h => /^\\s*(javascript|data|vbscript):/i.test(h)).length]""")
        except Exception:
            continue
        found += [f"{frame.url[:40]} __xss={flag}"] if flag else []
        found += [f"{frame.url[:40]} {links} script links"] if links else []
    return found
