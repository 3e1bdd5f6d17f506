"""Running it for real: the Dockerfile, compose.yaml and the systemd units (docs/deploy.md).

Nothing here builds an image or needs a Docker daemon or systemd as PID 1; where a tool
is missing (docker, systemd-analyze) its test is skipped and says why. The scripts in
deploy/ are tested in test_deploy_scripts.py, the backups in test_deploy_backups.py.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from deploy_support import DEPLOY, SCRIPTS, VENV_BIN, assert_real_command

from dyadwatch.settings import Settings

from conftest import ROOT

# --- compose.yaml ----------------------------------------------------------------------

_VARIABLE = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}")


def interpolate(value: Any, env: dict[str, str]) -> Any:
    """Compose's ``${VAR}``, ``${VAR:-default}`` and ``${VAR:?error}`` on every string."""
    if isinstance(value, dict):
        return {k: interpolate(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, env) for v in value]
    if not isinstance(value, str):
        return value

    def substitute(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name, operator, argument = match.groups()
        found = env.get(name)
        missing = not found if operator and operator.startswith(":") else found is None
        if operator and operator.endswith("?") and missing:
            raise KeyError(f"{name}: {argument}")
        if operator and operator.endswith("-") and missing:
            return argument
        return found or ""

    return _VARIABLE.sub(substitute, value)


def compose(env: dict[str, str] | None = None) -> dict[str, Any]:
    raw = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    return interpolate(raw, {"POSTGRES_PASSWORD": "s3cret"} if env is None else env)


def services() -> dict[str, Any]:
    found: dict[str, Any] = compose()["services"]
    return found


def test_compose_matches_the_compose_specification() -> None:
    jsonschema_rs = pytest.importorskip("jsonschema_rs")
    schema = json.loads((ROOT / "tests" / "fixtures" / "compose-spec.json").read_text())
    validator = jsonschema_rs.validator_for(schema)
    assert [str(e) for e in validator.iter_errors(compose())] == []
    broken = compose()
    broken["services"]["app"]["healthcheck"]["intervall"] = "5s"  # the check can fail
    assert not validator.is_valid(broken)


def test_compose_needs_the_password_and_says_where_it_goes() -> None:
    with pytest.raises(KeyError, match="POSTGRES_PASSWORD: copy deploy/dyadwatch.env.example"):
        compose(env={})


def test_compose_services_share_one_image_and_volume() -> None:
    found = services()
    assert set(found) == {"init", "app", "update", "db"}
    assert set(compose()["volumes"]) == {"data", "pgdata"}
    ours = [found[name] for name in ("init", "app", "update")]
    assert {s["image"] for s in ours} == {"dyadwatch:local"}
    assert [name for name, s in found.items() if "build" in s] == ["app"]
    assert found["init"]["pull_policy"] == found["update"]["pull_policy"] == "never"
    for service in ours:
        assert service["volumes"] == ["data:/data"]
        assert service["environment"]["DYADWATCH_DB"] == "/data/dyadwatch.duckdb"
        assert service["env_file"] == ".env"
    assert found["db"]["image"] == "postgres:16"
    assert found["db"]["volumes"] == ["pgdata:/var/lib/postgresql/data"]
    assert "ports" not in found["db"]
    assert found["app"]["ports"] == ["127.0.0.1:8000:8000"]


def test_compose_starts_in_order() -> None:
    found = services()
    depends = {name: s.get("depends_on", {}) for name, s in found.items()}
    assert depends["init"] == {"db": {"condition": "service_healthy"}}
    assert depends["app"] == {
        "init": {"condition": "service_completed_successfully"},
        "db": {"condition": "service_healthy"},
    }
    assert depends["update"] == {"init": {"condition": "service_completed_successfully"}}
    assert found["init"]["restart"] == "no"
    assert {found[n]["restart"] for n in ("app", "update", "db")} == {"unless-stopped"}


def test_compose_health_checks() -> None:
    found = services()
    probe = found["app"]["healthcheck"]["test"]
    assert probe[:2] == ["CMD", "python"] and "http://127.0.0.1:8000/healthz" in probe[-1]
    assert "pg_isready -U dyadwatch -d dyadwatch" in found["db"]["healthcheck"]["test"][1]
    for name in ("init", "update"):  # the image's HEALTHCHECK probes a server they do not run
        assert found[name]["healthcheck"] == {"disable": True}


def test_the_health_check_url_is_a_route_of_the_app() -> None:
    from dyadwatch.web.pages import router

    assert "/healthz" in {getattr(route, "path", None) for route in router.routes}


def test_the_app_database_is_postgres_with_the_db_services_password() -> None:
    from sqlalchemy.engine import make_url

    found = services()
    url = make_url(found["app"]["environment"]["DYADWATCH_APP_DB"])
    db = found["db"]["environment"]
    assert url.drivername == "postgresql+psycopg"
    assert (url.host, url.port, url.database) == ("db", 5432, db["POSTGRES_DB"])
    assert (url.username, url.password) == (db["POSTGRES_USER"], db["POSTGRES_PASSWORD"])
    assert url.password == "s3cret"


def _dyadwatch_calls(text: str) -> list[list[str]]:
    """``dyadwatch …`` command lines in a script or unit (comments and messages left out)."""
    calls = []
    for line in text.splitlines():
        code = line.strip()
        if code.startswith(("#", "echo", "dyadwatch-")) or "dyadwatch " not in code:
            continue
        for match in re.finditer(r"(?:^|[\s/=])dyadwatch((?: [a-z][\w-]*| --\S+ \S+)+)", code):
            calls.append(match.group(1).split())
    return calls


def test_every_command_compose_runs_is_real() -> None:
    for name in ("init", "app", "update"):
        command = services()[name]["command"]
        if command[0] == "dyadwatch":
            assert_real_command(command[1:])
        else:
            assert command[0] in SCRIPTS, command
    assert services()["app"]["command"][1] == "serve"


@pytest.mark.parametrize("script", SCRIPTS)
def test_the_scripts_run_real_commands(script: str) -> None:
    calls = _dyadwatch_calls((DEPLOY / script).read_text(encoding="utf-8"))
    assert calls, script
    for call in calls:
        assert_real_command(call)
    assert os.access(DEPLOY / script, os.X_OK)


def test_the_environment_example_names_only_real_settings() -> None:
    text = (DEPLOY / "dyadwatch.env.example").read_text(encoding="utf-8")
    named = set(re.findall(r"^#? ?(DYADWATCH_[A-Z_]+)=", text, flags=re.M))
    fields = {f"DYADWATCH_{field.upper()}" for field in Settings.model_fields}
    assert named and named <= fields, named - fields
    assert re.search(r"^POSTGRES_PASSWORD=$", text, flags=re.M)  # no default secret


# --- Dockerfile ------------------------------------------------------------------------


def dockerfile() -> list[tuple[str, str]]:
    """The Dockerfile's instructions, continuation lines joined, comments left out."""
    joined = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text(encoding="utf-8"))
    steps = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            steps.append((keyword.upper(), rest.strip()))
    return steps


def dockerignored(path: str) -> bool:
    """Whether .dockerignore leaves ``path`` (relative, with /) out of the build context.
    Broader than Docker's matcher (``*`` crosses folders here), so it never misses one."""
    ignored = False
    for raw in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines():
        pattern = raw.strip()
        if not pattern or pattern.startswith("#"):
            continue
        negate = pattern.startswith("!")
        pattern = pattern.lstrip("!").rstrip("/").removeprefix("**/")
        parts = path.split("/")
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        if any(fnmatch.fnmatch(p, pattern) or fnmatch.fnmatch(p, f"*/{pattern}") for p in prefixes):
            ignored = not negate
    return ignored


def copy_sources() -> list[str]:
    sources = []
    for keyword, rest in dockerfile():
        if keyword == "COPY" and "--from" not in rest:
            sources += [s for s in shlex.split(rest)[:-1] if not s.startswith("--")]
    return sources


def test_every_copy_source_exists_and_is_in_the_build_context() -> None:
    sources = copy_sources()
    expected = {"pyproject.toml", "README.md", "requirements-parsers.txt", "dyadwatch"}
    assert expected | {f"deploy/{s}" for s in SCRIPTS} == set(sources)
    for source in sources:
        path = ROOT / source
        assert path.exists(), source
        files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
        kept = [f for f in files if "__pycache__" not in f.parts]
        assert kept, source
        excluded = [
            str(f.relative_to(ROOT)) for f in kept if dockerignored(str(f.relative_to(ROOT)))
        ]
        assert excluded == [], excluded


def test_dockerignore_keeps_secrets_and_state_out() -> None:
    for path in (
        ".env",
        "deploy/dyadwatch.env",
        "dyadwatch.duckdb",
        "x/dyadwatch.read.duckdb",
        "dyadwatch-app.sqlite",
        ".venv/bin/python",
        ".git/HEAD",
        "tests/conftest.py",
    ):
        assert dockerignored(path), path
    assert not dockerignored("deploy/dyadwatch.env.example")


def test_the_image_installs_like_the_makefile_and_runs_as_a_user() -> None:
    steps = dockerfile()
    keywords = [k for k, _ in steps]
    values = {k: v for k, v in steps}
    assert re.fullmatch(r"python:3\.11-slim(-\w+)?", values["FROM"])
    run = " ".join(v for k, v in steps if k == "RUN")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    parsers = "install --quiet --no-deps --require-hashes -r requirements-parsers.txt"
    assert parsers in makefile  # the Makefile's line, which the image repeats
    assert "pip install --no-deps --require-hashes -r /src/requirements-parsers.txt" in run
    assert run.index("'/src[postgres]'") < run.index("requirements-parsers.txt")
    assert "postgres" in _optional_dependencies()
    for library in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz0b", "libfontconfig1"):
        assert library in run  # WeasyPrint's ffi.py opens these
    user = values["USER"]
    assert user not in ("root", "0") and keywords.index("USER") > keywords.index("RUN")
    assert values["VOLUME"] == '["/data"]'
    env = " ".join(v for k, v in steps if k == "ENV")
    assert "DYADWATCH_DB=/data/dyadwatch.duckdb" in env
    assert "/healthz" in values["HEALTHCHECK"]
    cmd = json.loads(values["CMD"])
    assert cmd == ["dyadwatch", "serve", "--host", "0.0.0.0", "--port", "8000"]
    assert_real_command(cmd[1:])


# Files of the package that an installed copy may lack, and why.
NOT_INSTALLED = {
    # Alembic's template for writing a new migration: used in a checkout, never to run one.
    "dyadwatch/store/appdb/migrations/script.py.mako",
}


def test_the_installed_package_carries_every_file_it_reads() -> None:
    """The image installs the package, not a checkout: every module must be in a package
    (any folder, as packages.find takes namespace packages, unless told not to) and every
    other file matched by package-data."""
    import tomllib

    tool = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    patterns = tool["setuptools"]["package-data"]["dyadwatch"]
    namespaces = tool["setuptools"]["packages"]["find"].get("namespaces", True)
    package = ROOT / "dyadwatch"
    data = {p for pattern in patterns for p in package.glob(pattern) if p.is_file()}
    missing = []
    for path in package.rglob("*"):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        if path.suffix == ".py":
            folders = [ROOT / f for f in path.relative_to(ROOT).parents if f != Path(".")]
            kept = namespaces or all((f / "__init__.py").exists() for f in folders)
        else:
            kept = path in data
        if not kept:
            missing.append(str(path.relative_to(ROOT)))
    assert sorted(missing) == sorted(NOT_INSTALLED)


def _optional_dependencies() -> dict[str, list[str]]:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    extras: dict[str, list[str]] = project["project"]["optional-dependencies"]
    return extras


def _docker_daemon() -> str | None:
    """Why Docker cannot be used here, or None when it can."""
    if shutil.which("docker") is None:
        return "no docker program"
    info = subprocess.run(["docker", "info"], capture_output=True, text=True, timeout=60)
    if info.returncode != 0:
        return "no Docker daemon (docker info failed)"
    plugin = subprocess.run(["docker", "compose", "version"], capture_output=True, timeout=60)
    if plugin.returncode != 0:
        return "no Docker Compose plugin (docker compose version failed)"
    return None


def test_docker_compose_config_accepts_the_file() -> None:
    reason = _docker_daemon()
    if reason is not None:
        pytest.skip(f"{reason}: compose.yaml is checked against the schema instead")
    env = {**os.environ, "POSTGRES_PASSWORD": "s3cret"}
    result = subprocess.run(
        ["docker", "compose", "--env-file", os.devnull, "config", "--quiet"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


# --- systemd ---------------------------------------------------------------------------

UNITS = ("dyadwatch-web.service", "dyadwatch-update.service", "dyadwatch-update.timer")


def unit(name: str) -> dict[str, list[tuple[str, str]]]:
    """A unit file as section → (key, value) lines, in order (keys may repeat)."""
    sections: dict[str, list[tuple[str, str]]] = {}
    current = ""
    for raw in (DEPLOY / "systemd" / name).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            current = line.strip("[]")
            sections[current] = []
        else:
            key, _, value = line.partition("=")
            sections[current].append((key, value))
    return sections


def values(name: str, section: str, key: str) -> list[str]:
    return [v for k, v in unit(name)[section] if k == key]


def test_systemd_units_verify(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    for name in UNITS:  # the same units, pointed at this checkout and its environment
        text = (DEPLOY / "systemd" / name).read_text(encoding="utf-8")
        text = text.replace("/opt/dyadwatch/.venv/bin", str(VENV_BIN))
        text = text.replace("/opt/dyadwatch/deploy", str(DEPLOY))
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = subprocess.run(
        [analyze, "verify", *(str(tmp_path / n) for n in UNITS)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if "Failed to initialize" in result.stderr or "not been booted" in result.stderr:
        pytest.skip(f"systemd-analyze cannot run here: {result.stderr.strip()[:200]}")
    assert result.returncode == 0, result.stdout + result.stderr
    noise = [line for line in (result.stdout + result.stderr).splitlines() if "dyadwatch" in line]
    assert noise == []  # warnings (an unknown key, an unsafe user) fail too


@pytest.mark.parametrize("name", UNITS[:2])
def test_systemd_services_are_hardened_and_share_the_data_folder(name: str) -> None:
    service = dict(unit(name)["Service"])
    assert service["User"] == service["Group"] == "dyadwatch"
    assert values(name, "Service", "EnvironmentFile") == ["/etc/dyadwatch/dyadwatch.env"]
    env = dict(v.split("=", 1) for v in values(name, "Service", "Environment"))
    data = str(Path(env["DYADWATCH_DB"]).parent)
    assert data == "/var/lib/dyadwatch" == service["WorkingDirectory"]
    assert data in service["ReadWritePaths"].split()
    assert env["DYADWATCH_CACHE_DIR"] in service["ReadWritePaths"].split()
    for key, value in {
        "ProtectSystem": "strict",
        "NoNewPrivileges": "yes",
        "ProtectHome": "yes",
        "PrivateTmp": "yes",
        "PrivateDevices": "yes",
        "CapabilityBoundingSet": "",
    }.items():
        assert service[key] == value, key


def test_systemd_runs_serve_after_prepare_and_update_on_a_timer() -> None:
    web = dict(unit("dyadwatch-web.service")["Service"])
    assert web["ExecStartPre"] == "/opt/dyadwatch/deploy/dyadwatch-prepare demo"
    serve = shlex.split(web["ExecStart"])
    assert serve[0] == "/opt/dyadwatch/.venv/bin/dyadwatch" and serve[1] == "serve"
    assert_real_command(serve[1:])
    update = dict(unit("dyadwatch-update.service")["Service"])
    assert update["Type"] == "oneshot"
    assert shlex.split(update["ExecStart"]) == ["/opt/dyadwatch/.venv/bin/dyadwatch", "update"]
    assert_real_command(["update"])
    timer = dict(unit("dyadwatch-update.timer")["Timer"])
    assert timer["Persistent"] == "true" and timer["Unit"] == "dyadwatch-update.service"
    assert timer["OnCalendar"] == "*:0/15"
    assert unit("dyadwatch-update.timer")["Install"] == [("WantedBy", "timers.target")]
