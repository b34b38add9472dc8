"""`make test` on a fresh machine: what it installs, what it names, what it skips."""

import subprocess

import pytest

from lms import syscheck


@pytest.fixture
def machine(monkeypatch):
    """A machine whose libraries, programs and privileges the test sets."""
    state = {"libraries": set(), "programs": set(), "root": False, "ran": []}
    monkeypatch.setattr(syscheck, "find_library", lambda name: f"lib{name}.so" if name in state["libraries"] else None)
    monkeypatch.setattr(syscheck.shutil, "which", lambda name: name if name in state["programs"] else None)
    monkeypatch.setattr(syscheck, "can_install", lambda: state["root"])
    monkeypatch.delenv("CI", raising=False)

    def apt(command, **kwargs):  # stands in for apt-get: installing is not for a test to do
        state["ran"].append(command)
        if command[:2] == ["apt-get", "install"]:
            state["libraries"].update({"pango-1.0", "pangoft2-1.0"})
            state["programs"].add("chromium")
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(syscheck.subprocess, "run", apt)
    return state


def test_missing_pango_is_explained_in_one_line(machine, capsys):
    assert syscheck.main(["--install"]) == 1
    message = capsys.readouterr().err.strip()
    assert message.count("\n") == 0
    assert "apt-get install libpango-1.0-0 libpangoft2-1.0-0" in message
    assert machine["ran"] == []


def test_missing_chromium_outside_ci_names_the_package_and_skips_the_browser_tests(machine, capsys):
    machine["libraries"].update({"pango-1.0", "pangoft2-1.0"})
    assert syscheck.main([]) == 0  # make run needs no browser
    assert syscheck.main(["--install", "--browser"]) == 0
    message = capsys.readouterr().err
    assert "apt-get install chromium" in message and "skipped" in message


def test_missing_chromium_in_ci_fails(machine, monkeypatch, capsys):
    machine["libraries"].update({"pango-1.0", "pangoft2-1.0"})
    monkeypatch.setenv("CI", "true")
    assert syscheck.main(["--install", "--browser"]) == 1
    assert "apt-get install chromium" in capsys.readouterr().err


def test_as_root_on_debian_make_test_installs_what_is_missing_and_says_so(machine, capsys):
    machine["root"] = True
    assert syscheck.main(["--install", "--browser"]) == 0
    assert machine["ran"][-1][:2] == ["apt-get", "install"]
    assert {"libpango-1.0-0", "libpangoft2-1.0-0", "chromium"} <= set(machine["ran"][-1])
    assert "installing libpango-1.0-0 libpangoft2-1.0-0 chromium with apt-get" in capsys.readouterr().err


def test_nothing_is_installed_when_nothing_is_missing(machine):
    machine.update(root=True, libraries={"pango-1.0", "pangoft2-1.0"}, programs={"chromium"})
    assert syscheck.main(["--install", "--browser"]) == 0
    assert machine["ran"] == []
