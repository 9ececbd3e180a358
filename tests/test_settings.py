"""Settings: grouped, every field described, the flat `AA_` environment names unchanged."""

from __future__ import annotations

from core.settings import Settings, StorageSettings


def test_every_setting_is_described():
    assert [name for name, field in Settings.model_fields.items() if not field.description] == []


def test_groups_keep_the_flat_environment_names(monkeypatch, tmp_path):
    monkeypatch.setenv("AA_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("AA_TOP_K", "7")
    settings = Settings()
    assert isinstance(settings, StorageSettings)
    assert settings.top_k == 7 and settings.resolved_index_dir == tmp_path / "index"
