"""`manage.py check` names the missing renderer dependency and the package to install."""

from documents import checks


def test_installed_dependencies_pass():
    assert checks.renderer_dependencies(None) == []


def test_missing_dependencies_are_errors(monkeypatch):
    monkeypatch.setattr(checks, "harfbuzz_subset_loadable", lambda: False)
    monkeypatch.setattr(checks, "FONTS", {**checks.FONTS, "No Such Font SC": "fonts-no-such"})
    errors = {e.id: e for e in checks.renderer_dependencies(None)}
    assert set(errors) == {"documents.E001", "documents.E002"}
    assert "libharfbuzz-subset0" in errors["documents.E001"].hint
    assert "fonts-no-such" in errors["documents.E002"].hint and "No Such Font SC" in errors["documents.E002"].msg
