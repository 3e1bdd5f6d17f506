"""The community against a real uvicorn server: Debian's Chromium (through Playwright) sees
XSS payloads as text and walks the whole reader's path, and 20 concurrent reaction attempts
by one user leave exactly one row.

Screenshots go to ``test-artifacts/community-*.png``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from community_support import PASSWORD, community_settings, csrf_of, make_app, register, serve
from playwright.sync_api import Browser, Dialog, Page
from sqlalchemy import func, select

from dyadwatch.store.appdb import NewBrief, publish
from dyadwatch.store.appdb.models import Reaction

from conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
XSS = '<script>alert("comment")</script><img src=x onerror=alert(1)>'
NAME_XSS = "<img src=x onerror=alert('name')>"
USER_XSS = "<svg onload=alert('user')>"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[str, Any]]:
    """A real server on a fresh app database holding three briefs: (base URL, app)."""
    app = make_app(community_settings(tmp_path))
    db = app.state.community.db
    for i, period in enumerate(["2025-01", "2025-02", "2025-03"], start=1):
        body = f"<p>Body of brief {i}.</p>"
        publish(db, NewBrief(period=period, title=f"Brief {i}", lead=f"Lead {i}", html=body))
    with serve(app) as url:
        yield url, app


def test_twenty_concurrent_reactions_by_one_user_leave_one_row(site: tuple[str, Any]) -> None:
    url, app = site
    with httpx.Client(base_url=url) as client:
        register(client, "alice")
        token = csrf_of(client.get("/briefs/2").text)
        cookies = dict(client.cookies)
    barrier, statuses = threading.Barrier(20), []
    kinds = ["like", "insightful", "concerned", "agree", "disagree"] * 4

    def attempt(kind: str) -> None:
        accept = {"accept": "application/json"}
        with httpx.Client(base_url=url, cookies=cookies, headers=accept, timeout=60) as one:
            barrier.wait()
            data = {"kind": kind, "csrf_token": token}
            statuses.append(one.post("/briefs/2/react", data=data).status_code)

    threads = [threading.Thread(target=attempt, args=(k,)) for k in kinds]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [201] + [409] * 19
    with app.state.community.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Reaction)) == 1


def test_behind_a_tls_proxy_the_session_cookie_is_secure(site: tuple[str, Any]) -> None:
    """uvicorn trusts X-Forwarded-Proto from a loopback proxy (docs/community.md)."""
    url, _ = site
    with httpx.Client(base_url=url, headers={"x-forwarded-proto": "https"}) as client:
        form = client.get("/register")
        anonymous = form.headers["set-cookie"]
        assert anonymous.startswith("dw_csrf=") and "; secure" in anonymous.lower()
        data = {"username": "alice", "email": "a@example.org", "password": PASSWORD}
        response = client.post(  # httpx sends no Secure cookie over plain http: by hand
            "/register",
            data={**data, "csrf_token": csrf_of(form.text)},
            headers={"cookie": anonymous.split(";")[0]},
        )
        cookie = response.headers["set-cookie"].lower()
        assert cookie.startswith("dw_session=") and "; secure" in cookie and "httponly" in cookie


# --- the browser ----------------------------------------------------------------------------

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="Debian's Chromium is not at /usr/bin/chromium (.ci/run installs it with apt)",
)


class Watch:
    """Dialogs, console errors and page errors of one page, and its screenshots."""

    def __init__(self, page: Page, name: str) -> None:
        self.page, self.name, self.shots = page, name, 0
        self.dialogs: list[str] = []
        self.problems: list[str] = []
        page.on("dialog", self.on_dialog)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on(
            "console",
            lambda m: self.problems.append(f"console: {m.text}") if m.type == "error" else None,
        )

    def on_dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def shot(self, label: str) -> None:
        self.page.wait_for_load_state("networkidle")
        self.shots += 1
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"community-{self.name}-{self.shots:02d}-{label}.png"
        self.page.screenshot(path=str(path), full_page=True)


@pytest.fixture
def watch(
    browser: Browser, site: tuple[str, Any], request: pytest.FixtureRequest
) -> Iterator[Watch]:
    context = browser.new_context(base_url=site[0], viewport={"width": 1200, "height": 900})
    watched = Watch(context.new_page(), request.node.name.removeprefix("test_").replace("_", "-"))
    yield watched
    context.close()
    assert watched.dialogs == [], watched.dialogs
    assert watched.problems == [], watched.problems


def _fill_register(page: Page, username: str, email: str) -> None:
    page.goto("/register?next=/briefs/2")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Register").click()
    page.wait_for_url("**/briefs/2")


@needs_chromium
def test_xss_payloads_are_inert_in_chromium(watch: Watch) -> None:
    page = watch.page
    _fill_register(page, USER_XSS, "x@example.org")
    form = page.locator("form.comment-form")
    form.get_by_label("Comment").fill(XSS)
    form.get_by_label("Name").fill(NAME_XSS)
    form.get_by_role("button", name="Post comment").click()
    page.wait_for_selector(".comment-text")
    watch.shot("after-comment")
    assert page.locator(".comment-text").first.inner_text() == XSS
    assert page.locator(".comment-name").first.inner_text() == NAME_XSS
    assert page.locator(".account .username").inner_text() == USER_XSS
    assert page.locator("main img, main svg[onload]").count() == 0
    page.reload()
    page.wait_for_timeout(300)  # time for any handler that would fire


@needs_chromium
def test_a_reader_registers_reacts_comments_browses_and_logs_out(watch: Watch) -> None:
    page = watch.page
    page.goto("/briefs/2")
    assert page.get_by_text("Please log in or register to react").is_visible()
    watch.shot("anonymous")
    _fill_register(page, "reader1", "reader1@example.org")
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/briefs")
    page.goto("/login?next=/briefs/2")
    page.get_by_label("Username").fill("reader1")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/briefs/2")
    count = page.locator('[data-count="insightful"]').first
    assert count.inner_text() == "0"
    page.locator('button[data-kind="insightful"]').click()
    page.wait_for_url("**/briefs/2#reactions")
    assert page.locator('[data-count="insightful"]').first.inner_text() == "1"
    watch.shot("reacted")
    page.locator('button[data-kind="like"]').click()
    assert page.get_by_text("Already reacted for this post").is_visible()
    form = page.locator("form.comment-form")
    assert form.get_by_label("Name").input_value() == "reader1"
    assert form.get_by_label("Email").input_value() == "reader1@example.org"
    form.get_by_label("Comment").fill("A first comment from the browser.")
    form.get_by_role("button", name="Post comment").click()
    page.wait_for_selector("text=A first comment from the browser.")
    watch.shot("commented")
    page.locator('a[rel="next"]').first.click()
    page.wait_for_url("**/briefs/3")
    assert page.locator("h1").inner_text() == "Brief 3"
    page.locator('a[rel="prev"]').first.click()
    page.wait_for_url("**/briefs/2")
    page.locator('a[rel="prev"]').first.click()
    page.wait_for_url("**/briefs/1")
    watch.shot("previous")
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/briefs")
    assert page.locator(".account").get_by_role("link", name="Log in").is_visible()
    watch.shot("logged-out")
