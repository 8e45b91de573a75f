"""scripts/setup on a stock Debian 12, where `python3` is the only Python and pip refuses to
install outside a virtual environment (PEP 668): it makes `.venv` itself and installs there.
apt-get, dpkg-query and python3 are stand-ins that record how they are called; the `.venv`
that the stand-in python3 makes holds a stand-in python that records its calls too."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from tests.conftest import REPO


def stock_debian(tmp_path: Path, has_venv_module: bool) -> tuple[Path, Path, dict[str, str]]:
    """A copy of scripts/setup, a PATH of stand-ins and an environment without a venv."""
    checkout = tmp_path / "checkout"
    (checkout / "scripts").mkdir(parents=True)
    shutil.copy(REPO / "scripts" / "setup", checkout / "scripts" / "setup")
    shims, calls = tmp_path / "bin", tmp_path / "calls"
    shims.mkdir()
    recorder = f'echo "$0 $*" >> "{calls}"\n'
    venv_python = ("#!/bin/sh\n" + recorder).replace("$0", ".venv/bin/python")
    import_check = "" if has_venv_module else 'case "$*" in *ensurepip*) exit 1;; esac\n'
    (shims / "python3").write_text(
        "#!/bin/sh\n" + import_check + recorder.replace("$0", "python3")
        + 'if [ "$1 $2" = "-m venv" ]; then mkdir -p "$3/bin"; cat > "$3/bin/python" <<"X"\n'
        + venv_python + "X\nchmod +x \"$3/bin/python\"; fi\n")
    (shims / "apt-get").write_text("#!/bin/sh\n" + recorder.replace("$0", "apt-get"))
    (shims / "dpkg-query").write_text(  # everything is installed but python3-venv
        '#!/bin/sh\ncase "$*" in *python3-venv*) exit 1;; esac\necho "install ok installed"\n')
    for shim in shims.iterdir():
        shim.chmod(0o755)
    env = {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"}
    env["PATH"] = f"{shims}:/usr/bin:/bin"
    return checkout, calls, env


def test_setup_makes_and_uses_dot_venv_where_no_environment_is_active(tmp_path: Path) -> None:
    checkout, calls, env = stock_debian(tmp_path, has_venv_module=False)
    ran = subprocess.run(["bash", "scripts/setup"], cwd=checkout, env=env, capture_output=True,
                         text=True, timeout=60)
    assert ran.returncode == 0, ran.stderr
    recorded = calls.read_text().splitlines()
    apt_install = next(line for line in recorded
                       if line.startswith("apt-get") and " install " in line)
    assert "python3-venv" in apt_install.split()  # Debian's venv module came first
    assert "python3 -m venv .venv" in recorded
    assert recorded.index("python3 -m venv .venv") > recorded.index(apt_install)
    assert '.venv/bin/python -m pip install --quiet -e .[test]' in recorded
    assert recorded[-1] == ".venv/bin/python -m onevoice build"
    assert not any(line.startswith("python3 -m pip") for line in recorded)
    assert ". .venv/bin/activate" in ran.stdout


def test_setup_reuses_dot_venv_and_asks_for_no_venv_package_when_python_has_it(
        tmp_path: Path) -> None:
    checkout, calls, env = stock_debian(tmp_path, has_venv_module=True)
    for _ in range(2):
        ran = subprocess.run(["bash", "scripts/setup", "--no-build"], cwd=checkout, env=env,
                             capture_output=True, text=True, timeout=60)
        assert ran.returncode == 0, ran.stderr
    recorded = calls.read_text().splitlines()
    assert recorded.count("python3 -m venv .venv") == 1  # the second run used it as it was
    assert not any(line.startswith("apt-get") for line in recorded)
    assert recorded.count('.venv/bin/python -m pip install --quiet -e .[test]') == 2


def test_the_repository_and_a_new_project_ignore_dot_venv() -> None:
    for ignore in (REPO / ".gitignore", REPO / "src" / "onevoice" / "starter" / "gitignore"):
        assert any(line.strip("/") == ".venv" for line in ignore.read_text().splitlines()), ignore
