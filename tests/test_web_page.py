"""The officers' page at `/`, end to end in headless Chromium: Debian's `chromium` package driven
by Playwright's Python API (never a browser Playwright downloads), against a real
`greenmine serve` with a synthetic demo province. Screenshots go to test-artifacts/.

On a machine without Chromium the tests are skipped with what to install; under CI (CI set in
the environment) they fail instead, since `.ci/run` installs it.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from graph.engine import Engine
from graph.engines import open_engine
from greenmine.app import create_app
from greenmine.config import Settings
from greenmine.webpage import WEB_DIR
from tests.test_command_line import free_port
from tests.test_embedded_engine import wait_until
from tests.test_http import client_for

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
GREENMINE = [sys.executable, "-m", "greenmine"]
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
PROBLEM = "尾矿库渗漏，下游地下水超标"
DEMO_MINES = 30


def referenced_files() -> set[str]:
    """Every file the page names: in index.html (href, src) and in the modules' imports."""
    html = (WEB_DIR / "index.html").read_text(encoding="utf-8")
    paths = set(re.findall(r'(?:href|src)="(/web/[^"]+)"', html))
    for module in (WEB_DIR / "js").glob("*.js"):
        for name in re.findall(r'from "\./([\w.-]+\.js)"', module.read_text(encoding="utf-8")):
            paths.add(f"/web/js/{name}")
    return paths


async def test_the_page_and_every_file_it_names_are_served_from_the_app(
    seeded_graph: Engine, settings: Settings
) -> None:
    app = create_app(settings, open_engine(settings, attach=True))
    files = referenced_files()
    assert {"/web/style.css", "/web/js/main.js", "/web/js/chart.js"} <= files
    async with app.router.lifespan_context(app), client_for(app) as client:
        page = await client.get("/")
        served = {path: await client.get(path) for path in sorted(files)}
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert 'lang="zh-CN"' in page.text
    for path, response in served.items():
        assert response.status_code == 200, path
    assert "javascript" in served["/web/js/main.js"].headers["content-type"]
    # no file of the page reaches outside the server (it must work on an intranet); the SVG
    # namespace is a name, not an address
    for path in WEB_DIR.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8").replace("http://www.w3.org/2000/svg", "")
            assert not re.search(r"https?://", text), path


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    missing = "the browser test needs Debian's chromium package: sudo apt-get install chromium"
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{missing} (.ci/run installs it; CI must run this test)")
        pytest.skip(missing)
    return found


@dataclass(frozen=True)
class Server:
    base: str
    admin_token: str

    def gql(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = httpx.post(
            f"{self.base}/graphql",
            json={"query": query, "variables": variables or {}},
            headers={"authorization": f"Bearer {self.admin_token}"},
            timeout=30,
        )
        body = response.json()
        assert "errors" not in body, body
        data: dict[str, Any] = body["data"]
        return data


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    chromium_path()  # skip before starting anything when there is no browser
    data_dir = tmp_path_factory.mktemp("web-graph")
    token = secrets.token_urlsafe(24)
    port = free_port()
    env = {
        **os.environ,
        "GREENMINE_DATA_DIR": str(data_dir),
        "PORT": str(port),
        "GREENMINE_ADMIN_TOKEN": token,
    }
    env.pop("NEO4J_URI", None)
    seeded = subprocess.run(
        [*GREENMINE, "seed", "--demo", "--mines", str(DEMO_MINES)],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert seeded.returncode == 0, seeded.stderr
    process = subprocess.Popen(
        [*GREENMINE, "serve"], env=env, cwd=ROOT, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"

    def ready() -> bool:
        try:
            return httpx.get(f"{base}/readyz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        assert wait_until(lambda: process.poll() is not None or ready(), timeout=90)
        assert process.poll() is None, process.stdout.read() if process.stdout else ""
        yield Server(base, token)
    finally:
        process.terminate()
        process.wait(timeout=30)
        if process.stdout:
            process.stdout.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="greenmine-chromium-")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=executable,
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport={"width": 1280, "height": 900},
            locale="zh-CN",
        )
        try:
            yield context
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(browser: Any, server: Server) -> Iterator[Any]:
    """A fresh tab on the page, in Chinese, without a token; page errors fail the test."""
    tab = browser.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.goto(f"{server.base}/")
    tab.evaluate("localStorage.clear()")
    tab.reload()
    tab.wait_for_selector("#mine-prefecture option[value=jinchang]", state="attached")
    yield tab
    tab.close()
    assert errors == []


def set_token(tab: Any, token: str) -> None:
    tab.click("#signin summary")
    tab.fill("#token-input", token)
    tab.press("#token-input", "Enter")


def route(tab: Any, text: str) -> None:
    """Type a problem and submit it from the keyboard, as an officer would."""
    tab.click("#route-text")
    tab.keyboard.type(text)
    tab.keyboard.press("Control+Enter")
    tab.wait_for_selector("#route-results .route-card, #route-results .notice")


def screenshot(tab: Any, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    tab.screenshot(path=str(path), full_page=True)
    return path


def expected_route(server: Server) -> dict[str, Any]:
    query = """query($t: String!) { route(text: $t) {
        department { code nameZh nameEn liaison { name } } clause { ref textZh } } }"""
    matches: list[dict[str, Any]] = server.gql(query, {"t": PROBLEM})["route"]
    return matches[0]


def test_a_chinese_problem_shows_the_competent_department_with_liaison_and_clause(
    page: Any, server: Server
) -> None:
    expected = expected_route(server)
    assert expected["department"]["nameZh"] == "甘肃省生态环境厅"
    route(page, PROBLEM)
    first = page.locator(".route-card").first
    assert first.locator(".dept").inner_text() == "甘肃省生态环境厅"
    card = first.inner_text()
    assert expected["department"]["liaison"]["name"] in card
    assert expected["clause"]["ref"] in card and expected["clause"]["textZh"] in card
    assert "后续步骤" in card and "联络人" in card
    assert page.locator(".route-card .steps li").count() >= 3
    shot = screenshot(page, "web-route-zh.png")
    assert shot.stat().st_size > 10_000


def test_english_switch_changes_labels_and_data_names_and_back(page: Any, server: Server) -> None:
    expected = expected_route(server)
    route(page, PROBLEM)
    assert page.inner_text("#route-heading") == "问题转办：由哪个部门负责？"
    page.click("#lang-switch")
    assert page.get_attribute("html", "lang") == "en"
    assert page.inner_text("#route-heading") == "Referral: which department handles it?"
    first = page.locator(".route-card").first
    assert first.locator(".dept").inner_text() == expected["department"]["nameEn"]
    assert "Liaison" in first.inner_text() and "Next steps" in first.inner_text()
    assert page.inner_text("#lang-switch") == "中文"
    screenshot(page, "web-route-en.png")
    page.click("#lang-switch")
    assert page.get_attribute("html", "lang") == "zh-CN"
    assert page.locator(".route-card .dept").first.inner_text() == "甘肃省生态环境厅"


def test_text_outside_the_mechanism_says_no_department_was_found(page: Any) -> None:
    route(page, "食堂饭菜太咸")
    assert page.locator(".route-card").count() == 0
    assert "没有找到对应的部门" in page.inner_text("#route-results")


def test_a_mine_looked_up_by_licence_number_shows_its_status_and_history(
    page: Any, server: Server
) -> None:
    query = """{ mines(first: 1, filter: {statuses: [LISTED]}) { edges { node {
        licenceNumber name history { action } } } } }"""
    [edge] = server.gql(query)["mines"]["edges"]
    mine = edge["node"]
    set_token(page, server.admin_token)
    page.fill("#mine-number", mine["licenceNumber"])
    page.press("#mine-number", "Enter")
    page.wait_for_selector(".history tbody tr")
    detail = page.inner_text("#mine-detail")
    assert mine["name"] in detail and "已列入名录" in detail
    assert page.locator(".history tbody tr").count() == len(mine["history"])
    assert page.locator(".history tbody tr th").first.inner_text() in ("矿山登记", "申请纳入名录")
    screenshot(page, "web-mine.png")


def test_without_a_token_a_listed_mine_shows_and_its_history_asks_for_one(
    page: Any, server: Server
) -> None:
    query = "{ mines(first: 1, filter: {statuses: [LISTED]}) { edges { node { licenceNumber } } } }"
    number = server.gql(query)["mines"]["edges"][0]["node"]["licenceNumber"]
    page.fill("#mine-number", number)
    page.press("#mine-number", "Enter")
    page.wait_for_selector(".mine-card")
    assert page.locator(".history").count() == 0
    assert "需要令牌" in page.inner_text("#mine-detail")


def test_listing_a_prefecture_pages_through_its_mines(page: Any, server: Server) -> None:
    query = """{ prefectures { code nameZh }
      mines(first: 100) { edges { node { prefecture { code } } } } }"""
    data = server.gql(query)
    counts: dict[str, int] = {}
    for edge in data["mines"]["edges"]:
        code = edge["node"]["prefecture"]["code"]
        counts[code] = counts.get(code, 0) + 1
    code = max(counts, key=lambda c: counts[c])
    set_token(page, server.admin_token)
    page.select_option("#mine-prefecture", code)
    page.click("#mine-search button[type=submit]")
    page.wait_for_selector(".mine-row")
    assert f"共 {counts[code]} 座矿山" in page.inner_text("#mine-list")
    assert page.locator(".mine-row").count() == min(counts[code], 20)
    page.locator(".mine-row").first.click()
    page.wait_for_selector(".history")


def test_the_targets_dashboard_charts_shares_against_the_2028_targets(
    page: Any, server: Server
) -> None:
    # the targets are public aggregates: the chart shows without a token
    page.wait_for_selector("#targets-view svg.chart")
    targets = server.gql("{ targets { byScale { scale share target } } }")["targets"]
    large = next(line for line in targets["byScale"] if line["scale"] == "LARGE")
    assert large["target"] == 0.9
    charts = page.locator("#targets-view svg.chart")
    assert charts.count() == 2
    # a bar per scale with licensed producing mines; a target marker on the large and medium ones
    drawn = [line for line in targets["byScale"] if line["share"] is not None]
    assert charts.first.locator("rect.bar").count() == len(drawn)
    marked = [line for line in drawn if line["target"] is not None]
    assert charts.first.locator("line.target").count() == len(marked)
    stat = page.locator(".stat").first.inner_text()
    assert "大型" in stat and "目标 90%" in stat
    if large["share"] is not None:
        assert f"{round(large['share'] * 1000) / 10:g}%" in stat
    assert "目标线" in page.inner_text(".legend")
    page.locator("#targets").scroll_into_view_if_needed()
    screenshot(page, "web-dashboard.png")


def test_errors_show_their_code_and_message(page: Any, server: Server) -> None:
    page.fill("#mine-number", "C0000000000000")
    page.press("#mine-number", "Enter")
    page.wait_for_selector("#mine-error:not([hidden])")
    shown = page.inner_text("#mine-error")
    assert "NOT_FOUND" in shown and "C0000000000000" in shown
    set_token(page, "gm_not_a_token")
    page.click("#targets-form button[type=submit]")
    page.wait_for_selector("#targets-error:not([hidden])")
    assert "UNAUTHENTICATED" in page.inner_text("#targets-error")


def test_a_graph_that_is_down_shows_a_503_with_its_code(page: Any) -> None:
    unavailable = (
        '{"data":null,"errors":[{"message":"the graph database is not answering; try again '
        'shortly","extensions":{"code":"SERVICE_UNAVAILABLE"}}]}'
    )
    page.route(
        "**/graphql",
        lambda r: r.fulfill(status=503, body=unavailable, content_type="application/json"),
    )
    page.fill("#route-text", PROBLEM)
    page.click("#route-form button[type=submit]")
    page.wait_for_selector("#route-error:not([hidden])")
    shown = page.inner_text("#route-error")
    assert "HTTP 503" in shown and "SERVICE_UNAVAILABLE" in shown and "稍后重试" in shown
    assert page.locator(".route-card").count() == 0


def test_the_page_fits_a_phone_screen_and_loads_nothing_from_elsewhere(
    browser: Any, server: Server
) -> None:
    tab = browser.new_page()
    tab.set_viewport_size({"width": 390, "height": 844})
    requests: list[str] = []
    tab.on("request", lambda request: requests.append(request.url))
    try:
        tab.goto(f"{server.base}/")
        set_token(tab, server.admin_token)
        route(tab, PROBLEM)
        tab.wait_for_selector("#targets-view svg.chart")
        width = tab.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1]
        screenshot(tab, "web-phone.png")
    finally:
        tab.close()
    assert requests and all(url.startswith(server.base) for url in requests)
