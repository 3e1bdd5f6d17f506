"""The community on the web app (in process, on a real SQLite file): the form contract,
CSRF on every form, escaping, permissions, rate-limited login, fresh session ids,
reactions, comments, publishing and the JSON twins."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from community_support import (
    PASSWORD,
    TestClient,
    community_settings,
    csrf_of,
    free_port,
    make_app,
    register,
)
from markupsafe import escape

from dyadwatch.store.appdb import NewBrief, publish, set_role

XSS = '<script>alert("xss")</script><img src=x onerror=alert(1)>'
USER_XSS = "<img src=x onerror=alert(2)>"
SQL_INJECTION = "Robert'); DROP TABLE comments;--"


@pytest.fixture
def app(tmp_path: Path) -> Any:
    return make_app(community_settings(tmp_path))


@pytest.fixture
def client(app: Any) -> Iterator[TestClient]:
    with TestClient(app) as client:
        for i, period in enumerate(["2025-01", "2025-02", "2025-03"], start=1):
            new = NewBrief(period=period, title=f"Brief {i}", lead=f"Lead {i}", html=f"<p>B{i}</p>")
            publish(app.state.community.db, new)
        yield client


def token(client: TestClient, path: str = "/briefs/2") -> str:
    return csrf_of(client.get(path).text)


def other_client(app: Any) -> TestClient:
    return TestClient(app)


# --- the contract -------------------------------------------------------------------------


def test_register_and_login_forms_have_the_contract_fields(client: TestClient) -> None:
    for path, fields in (
        ("/register", ["username", "email", "password"]),
        ("/login", ["username", "password"]),
    ):
        text = client.get(path).text
        assert re.search(r'<input type="hidden" name="csrf_token" value="[^"]+">', text)
        for field in fields:
            assert f'name="{field}"' in text
    assert 'name="email"' not in client.get("/login").text


def test_every_form_on_a_brief_page_has_a_csrf_token(app: Any, client: TestClient) -> None:
    register(client, "alice")
    set_role(app.state.community.db, "alice", "analyst")
    post = client.post(
        "/briefs/2/comments",
        data={"name": "a", "email": "a@example.org", "text": "t", "csrf_token": token(client)},
    )
    text = post.text
    forms = re.findall(r"<form\b.*?</form>", text, flags=re.S)
    assert len(forms) >= 6 + 3  # six reactions, log out, comment, delete, hide
    assert all('name="csrf_token"' in form for form in forms)


# --- CSRF ---------------------------------------------------------------------------------

POSTS = [
    ("/register", {"username": "mallory", "email": "m@example.org", "password": PASSWORD}),
    ("/login", {"username": "alice", "password": PASSWORD}),
    ("/logout", {}),
    ("/briefs/2/react", {"kind": "like"}),
    ("/briefs/2/comments", {"name": "m", "email": "m@example.org", "text": "spam"}),
    ("/comments/1/delete", {}),
    ("/comments/1/hide", {}),
    ("/briefs/publish", {"period": "2025-09", "title": "t", "body": "b"}),
    ("/events/x/annotations", {"text": "t"}),
    ("/users/alice/role", {"role": "admin"}),
]


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
def test_a_missing_or_wrong_csrf_token_is_403(
    app: Any, client: TestClient, signed_in: bool
) -> None:
    if signed_in:
        register(client, "alice")
        set_role(app.state.community.db, "alice", "admin")
    good = token(client)
    comment = {"name": "a", "email": "a@e.org", "text": "t", "csrf_token": good}
    client.post("/briefs/2/comments", data=comment)
    wrong = good[:-2] + ("AA" if not good.endswith("AA") else "BB")
    for path, data in POSTS:
        missing = client.post(path, data=data, follow_redirects=False)
        assert missing.status_code == 403, path
        bad = client.post(path, data={**data, "csrf_token": wrong}, follow_redirects=False)
        assert bad.status_code == 403, path
        empty = client.post(path, data={**data, "csrf_token": ""}, follow_redirects=False)
        assert empty.status_code == 403, path
    assert client.get("/briefs/2.json").json()["comments"]["total"] == 1
    assert client.get("/briefs.json").json()["total"] == 3


def test_another_browsers_token_is_403(app: Any, client: TestClient) -> None:
    register(client, "alice")
    with other_client(app) as other:
        register(other, "bob")
        theirs = token(other)
    response = client.post("/briefs/2/react", data={"kind": "like", "csrf_token": theirs})
    assert response.status_code == 403


def test_an_anonymous_form_without_its_cookie_is_403(app: Any, client: TestClient) -> None:
    good = token(client, "/login")
    with other_client(app) as fresh:  # the token, but not the cookie it was signed for
        data = {"username": "alice", "password": PASSWORD, "csrf_token": good}
        assert fresh.post("/login", data=data).status_code == 403


# --- escaping and injection ------------------------------------------------------------------


def test_xss_in_a_comment_a_name_and_a_username_is_escaped(client: TestClient) -> None:
    register(client, USER_XSS, email="x@example.org")
    data = {"name": XSS, "email": "x@example.org", "text": XSS, "csrf_token": token(client)}
    page = client.post("/briefs/2/comments", data=data).text
    assert page.count("&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;") == 2  # name, text
    assert "&lt;img src=x onerror=alert(2)&gt;" in page  # the username, signed in
    assert "<script>alert" not in page and "<img src=x" not in page
    listing = client.get("/briefs").text
    assert "<script>alert" not in listing


def test_sql_injection_strings_are_stored_and_shown_literally(client: TestClient) -> None:
    register(client, SQL_INJECTION, email="r@example.org")
    data = {"name": SQL_INJECTION, "email": "r@example.org", "text": SQL_INJECTION}
    client.post("/briefs/2/comments", data={**data, "csrf_token": token(client)})
    body = client.get("/briefs/2.json").json()
    assert [(c["name"], c["text"]) for c in body["comments"]["items"]] == [(SQL_INJECTION,) * 2]
    assert str(escape(SQL_INJECTION)) in client.get("/briefs/2").text
    client.post("/logout", data={"csrf_token": token(client)})
    login = {"username": SQL_INJECTION, "password": PASSWORD, "csrf_token": token(client, "/login")}
    assert client.post("/login", data=login, follow_redirects=False).status_code == 303


# --- accounts and sessions -----------------------------------------------------------------


def test_the_session_id_changes_at_login_and_the_old_one_dies(app: Any, client: TestClient) -> None:
    register(client, "alice")
    first = client.cookies["dw_session"]
    login = {"username": "alice", "password": PASSWORD, "csrf_token": token(client, "/login")}
    response = client.post("/login", data=login, follow_redirects=False)
    assert response.status_code == 303
    second = client.cookies["dw_session"]
    assert second != first
    with other_client(app) as stale:
        stale.cookies.set("dw_session", first)
        assert "Signed in as" not in stale.get("/briefs").text


def test_a_planted_session_cookie_is_replaced_at_login(app: Any, client: TestClient) -> None:
    register(client, "alice")
    client.post("/logout", data={"csrf_token": token(client)})
    client.cookies.set("dw_session", "attacker-chosen-value", domain="testserver.local")
    login = {"username": "alice", "password": PASSWORD, "csrf_token": token(client, "/login")}
    response = client.post("/login", data=login, follow_redirects=False)
    assert response.headers["set-cookie"].startswith("dw_session=")
    assert "attacker-chosen-value" not in response.headers["set-cookie"]
    assert client.cookies["dw_session"] != "attacker-chosen-value"


def test_session_cookie_flags(app: Any, tmp_path: Path) -> None:
    for base, secure in (("http://testserver", False), ("https://testserver", True)):
        with TestClient(app, base_url=base) as c:
            token_ = csrf_of(c.get("/register").text)
            name = "alice" if not secure else "bob"
            data = {"username": name, "email": f"{name}@example.org", "password": PASSWORD}
            response = c.post(
                "/register", data={**data, "csrf_token": token_}, follow_redirects=False
            )
            cookie = response.headers["set-cookie"].lower()
            assert "httponly" in cookie and "samesite=lax" in cookie
            assert ("secure" in cookie) is secure


def test_login_brute_force_gets_429_with_retry_after(client: TestClient) -> None:
    register(client, "alice")
    client.post("/logout", data={"csrf_token": token(client)})
    for _ in range(5):
        data = {
            "username": "alice",
            "password": "wrong guess",
            "csrf_token": token(client, "/login"),
        }
        response = client.post("/login", data=data)
        assert response.status_code == 400 and "wrong username or password" in response.text
    data = {"username": "alice", "password": PASSWORD, "csrf_token": token(client, "/login")}
    response = client.post("/login", data=data)
    assert response.status_code == 429
    assert 0 < int(response.headers["retry-after"]) <= 15 * 60


def test_registration_errors_are_shown_in_the_form(client: TestClient) -> None:
    data = {
        "username": "alice",
        "email": "nope",
        "password": PASSWORD,
        "csrf_token": token(client, "/register"),
    }
    response = client.post("/register", data=data)
    assert response.status_code == 400 and "email address" in response.text
    register(client, "alice")
    client.post("/logout", data={"csrf_token": token(client)})
    data = {
        "username": "Alice",
        "email": "z@example.org",
        "password": PASSWORD,
        "csrf_token": token(client, "/register"),
    }
    assert client.post("/register", data=data).status_code == 409


def test_next_after_login_stays_on_this_site(client: TestClient) -> None:
    form = client.get("/register?next=//evil.example/").text
    assert 'name="next" value="/briefs"' in form


# --- reactions ------------------------------------------------------------------------------


def test_anonymous_readers_see_counts_and_are_asked_to_log_in(client: TestClient) -> None:
    page = client.get("/briefs/2").text
    assert "Please log in or register to react" in page
    assert page.count('class="count"') == 6
    response = client.post("/briefs/2/react", data={"kind": "like", "csrf_token": token(client)})
    assert response.status_code == 401 and "Please log in or register to react" in response.text


def test_a_second_reaction_shows_already_reacted(client: TestClient) -> None:
    register(client, "alice")
    response = client.post("/briefs/2/react", data={"kind": "agree", "csrf_token": token(client)})
    assert response.status_code == 200 and 'data-count="agree">1<' in response.text
    again = client.post("/briefs/2/react", data={"kind": "like", "csrf_token": token(client)})
    assert again.status_code == 200 and "Already reacted for this post" in again.text
    as_json = client.post(
        "/briefs/2/react",
        data={"kind": "like", "csrf_token": token(client)},
        headers={"accept": "application/json"},
    )
    assert as_json.status_code == 409
    assert as_json.json()["error"] == "Already reacted for this post"
    counts = client.get("/briefs/2.json").json()["reactions"]
    assert counts["counts"]["agree"] == 1 and counts["counts"]["like"] == 0
    assert counts["mine"] == "agree"
    bad = client.post(
        "/briefs/2/react", data={"kind": "angry", "csrf_token": token(client, "/briefs/1")}
    )
    assert bad.status_code == 400


# --- comments ---------------------------------------------------------------------------------


def test_the_comment_form_marks_required_fields_and_prefills(client: TestClient) -> None:
    anonymous = client.get("/briefs/2").text
    assert "Your email address will not be published. Required fields are marked *" in anonymous
    assert "Name *" in anonymous and "Email *" in anonymous and "Comment *" in anonymous
    register(client, "alice", email="alice@example.org")
    signed_in = client.get("/briefs/2").text
    assert 'value="alice"' in signed_in and 'value="alice@example.org"' in signed_in


def test_emails_are_never_shown(client: TestClient) -> None:
    data = {"name": "n", "email": "secret@example.org", "text": "hello"}
    client.post("/briefs/2/comments", data={**data, "csrf_token": token(client)})
    assert "secret@example.org" not in client.get("/briefs/2").text
    assert "secret@example.org" not in client.get("/briefs/2.json").text


def test_comment_limits_are_enforced(client: TestClient) -> None:
    data = {"name": "n", "email": "n@example.org", "text": "x" * 4001, "csrf_token": token(client)}
    response = client.post("/briefs/2/comments", data=data)
    assert response.status_code == 400 and "at most 4000" in response.text


def test_a_user_cannot_delete_another_users_comment(app: Any, client: TestClient) -> None:
    register(client, "alice")
    data = {"name": "alice", "email": "a@example.org", "text": "mine", "csrf_token": token(client)}
    client.post("/briefs/2/comments", data=data)
    comment_id = client.get("/briefs/2.json").json()["comments"]["items"][0]["id"]
    with other_client(app) as bob:
        register(bob, "bob")
        response = bob.post(f"/comments/{comment_id}/delete", data={"csrf_token": token(bob)})
        assert response.status_code == 403
        hide = bob.post(f"/comments/{comment_id}/hide", data={"csrf_token": token(bob)})
        assert hide.status_code == 403
    assert client.get("/briefs/2.json").json()["comments"]["total"] == 1
    own = client.post(
        f"/comments/{comment_id}/delete", data={"csrf_token": token(client)}, follow_redirects=False
    )
    assert own.status_code == 303
    assert client.get("/briefs/2.json").json()["comments"]["total"] == 0


def test_analysts_hide_abusive_comments(app: Any, client: TestClient) -> None:
    data = {"name": "troll", "email": "t@example.org", "text": "abuse", "csrf_token": token(client)}
    client.post("/briefs/2/comments", data=data)
    register(client, "mod")
    set_role(app.state.community.db, "mod", "analyst")
    comment_id = client.get("/briefs/2.json").json()["comments"]["items"][0]["id"]
    client.post(f"/comments/{comment_id}/hide", data={"hidden": "1", "csrf_token": token(client)})
    assert "hidden by a moderator" in client.get("/briefs/2").text
    with other_client(app) as reader:
        assert "abuse" not in reader.get("/briefs/2").text


def test_comments_are_paginated(client: TestClient) -> None:
    for i in range(23):
        data = {"name": "n", "email": "n@example.org", "text": f"comment {i:02d}"}
        client.post("/briefs/2/comments", data={**data, "csrf_token": token(client)})
    first, second = client.get("/briefs/2").text, client.get("/briefs/2?page=2").text
    assert "comment 00" in first and "comment 20" not in first
    assert "comment 20" in second and "Page 2 of 2" in second


def test_comments_survive_a_restart(tmp_path: Path) -> None:
    settings = community_settings(tmp_path)
    with TestClient(make_app(settings)) as first:
        publish(
            first.app.state.community.db,
            NewBrief(period="2025-01", title="t", lead="", html="<p>x</p>"),
        )  # type: ignore[attr-defined]
        data = {"name": "n", "email": "n@example.org", "text": "still here"}
        first.post("/briefs/1/comments", data={**data, "csrf_token": token(first, "/briefs/1")})
    with TestClient(make_app(settings)) as second:
        assert "still here" in second.get("/briefs/1").text


# --- briefs and publishing -------------------------------------------------------------------


def test_brief_pages_link_previous_and_next(client: TestClient) -> None:
    page = client.get("/briefs/2").text
    assert 'rel="prev" href="/briefs/1"' in page and 'rel="next" href="/briefs/3"' in page
    assert 'rel="next"' not in client.get("/briefs/3").text
    assert client.get("/briefs/9").status_code == 404
    body = client.get("/briefs/2.json").json()
    assert body["previous"]["number"] == 1 and body["next"]["number"] == 3
    assert body["brief"]["title"] == "Brief 2" and "email" not in str(body["comments"])


def test_the_list_is_paginated(app: Any, client: TestClient) -> None:
    for month in range(4, 13):
        new = NewBrief(period=f"2025-{month:02d}", title=f"M{month}", lead="", html="<p>x</p>")
        publish(app.state.community.db, new)
    listing = client.get("/briefs.json").json()
    assert (
        listing["total"] == 12
        and len(listing["items"]) == 10
        and listing["items"][0]["number"] == 12
    )
    assert listing["next"] == "/briefs.json?page=2" and listing["previous"] is None
    second = client.get(listing["next"]).json()
    assert [b["number"] for b in second["items"]] == [2, 1]
    assert second["next"] is None and second["previous"] == "/briefs.json?page=1"
    assert 'rel="next" href="/briefs?page=2"' in client.get("/briefs").text


def test_only_analysts_publish_and_their_text_is_escaped(app: Any, client: TestClient) -> None:
    register(client, "alice")
    data = {"period": "2025-04", "title": "April", "lead": "L", "body": XSS}
    assert client.get("/briefs/publish").status_code == 403
    assert (
        client.post("/briefs/publish", data={**data, "csrf_token": token(client)}).status_code
        == 403
    )
    set_role(app.state.community.db, "alice", "analyst")
    response = client.post(
        "/briefs/publish", data={**data, "csrf_token": token(client)}, follow_redirects=False
    )
    assert response.status_code == 303 and response.headers["location"] == "/briefs/4"
    page = client.get("/briefs/4").text
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    bad = client.post(
        "/briefs/publish", data={**data, "period": "April", "csrf_token": token(client)}
    )
    assert bad.status_code == 400 and "YYYY-MM" in bad.text


def test_analysts_annotate_events(app: Any, client: TestClient) -> None:
    register(client, "alice")
    assert (
        client.post(
            "/events/e1/annotations", data={"text": "n", "csrf_token": token(client)}
        ).status_code
        == 403
    )
    set_role(app.state.community.db, "alice", "analyst")
    created = client.post(
        "/events/e1/annotations", data={"text": "checked", "csrf_token": token(client)}
    )
    assert created.status_code == 201
    notes = client.get("/events/e1/annotations.json").json()["annotations"]
    assert [(n["author"], n["text"]) for n in notes] == [("alice", "checked")]


def test_admins_change_roles(app: Any, client: TestClient) -> None:
    register(client, "root")
    with other_client(app) as bob:
        register(bob, "bob")
    assert (
        client.post(
            "/users/bob/role", data={"role": "analyst", "csrf_token": token(client)}
        ).status_code
        == 403
    )
    set_role(app.state.community.db, "root", "admin")
    response = client.post(
        "/users/bob/role",
        data={"role": "analyst", "csrf_token": token(client)},
        headers={"accept": "application/json"},
    )
    assert response.json() == {"username": "bob", "role": "analyst"}
    listing = client.get("/users").text
    assert "bob@example.org" in listing and '<option value="analyst" selected>' in listing
    form = {"role": "admin", "csrf_token": csrf_of(listing)}
    back = client.post("/users/bob/role", data=form, follow_redirects=False)
    assert back.status_code == 303 and back.headers["location"] == "/users"
    with other_client(app) as reader:
        register(reader, "carol")
        assert reader.get("/users").status_code == 403


# --- the app database at startup ------------------------------------------------------------


def test_the_app_database_is_migrated_at_startup(tmp_path: Path) -> None:
    settings = community_settings(tmp_path)
    with TestClient(make_app(settings)):
        assert (tmp_path / "app.sqlite").stat().st_size > 0


def test_an_unreachable_app_database_is_503_and_the_site_still_starts(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/none?connect_timeout=2"
    with TestClient(make_app(community_settings(tmp_path, url))) as client:
        response = client.get("/briefs.json")
        assert response.status_code == 503
        assert response.json()["error"] == "app database unavailable"
        assert "DYADWATCH_APP_DB" in response.json()["detail"]
    assert "could not be opened at startup" in caplog.text
