"""`python -m knowledge check | pin | review-needed`: exit codes, and pins rewrite only the pins."""

from __future__ import annotations

import difflib
import tomllib

from conftest import VALID_ENTRY
from typer.testing import CliRunner

from knowledge.cli import app

runner = CliRunner()


def test_check_exit_codes(tmp_path):
    good = tmp_path / "good.toml"
    good.write_text(VALID_ENTRY, encoding="utf-8")
    result = runner.invoke(app, ["check", "--entries", str(good)])
    assert result.exit_code == 0, result.output
    assert "1 entries, 0 with problems" in result.output

    bad = tmp_path / "bad.toml"
    bad.write_text(VALID_ENTRY.replace("Abs. 5 Satz 2", "Abs. 5 Satz 9"), encoding="utf-8")
    result = runner.invoke(app, ["check", "--entries", str(bad)])
    assert result.exit_code == 1
    assert "[test-arbeit-ungeklaerte-identitaet] spans[0].citation" in result.output

    broken = tmp_path / "broken.toml"
    broken.write_text("[[entry]\n", encoding="utf-8")
    result = runner.invoke(app, ["check", "--entries", str(broken)])
    assert result.exit_code == 2
    assert runner.invoke(app, ["check", "--entries", str(tmp_path / "missing.toml")]).exit_code == 2


def test_pin_rewrites_only_the_pins_and_review_needed(tmp_path):
    path = tmp_path / "kb.toml"
    original = "# comment kept\n" + VALID_ENTRY + VALID_ENTRY.replace("test-arbeit-ungeklaerte-identitaet", "second-entry").replace(
        '[entry.review]\nstatus = "draft"\n', ""
    )
    path.write_text(original, encoding="utf-8")
    assert runner.invoke(app, ["check", "--entries", str(path), "--require-pins"]).exit_code == 1

    result = runner.invoke(app, ["pin", "--entries", str(path)])
    assert result.exit_code == 0, result.output
    new = path.read_text(encoding="utf-8")
    diff = list(difflib.ndiff(original.splitlines(), new.splitlines()))
    assert not [line for line in diff if line.startswith("- ")]  # nothing removed or changed
    added = [line[2:].split(" = {")[0] for line in diff if line.startswith("+ ") and line[2:].strip()]
    assert added == ["pins", "[entry.review]", 'status = "draft"', "pins"]
    data = tomllib.loads(new)
    assert len(data["entry"][0]["review"]["pins"]["AufenthG § 60b Abs. 5 Satz 2"]) == 64
    assert runner.invoke(app, ["check", "--entries", str(path), "--require-pins"]).exit_code == 0
    assert runner.invoke(app, ["review-needed", "--entries", str(path)]).exit_code == 0

    # pinning again changes nothing; a stale pin is listed by review-needed
    assert runner.invoke(app, ["pin", "--entries", str(path)]).exit_code == 0
    assert path.read_text(encoding="utf-8") == new
    digest = data["entry"][0]["review"]["pins"]["AufenthG § 60b Abs. 5 Satz 2"]
    path.write_text(new.replace(digest, "0" * 64, 1), encoding="utf-8")
    result = runner.invoke(app, ["review-needed", "--entries", str(path)])
    assert result.exit_code == 1 and "test-arbeit-ungeklaerte-identitaet: the statute text" in result.output
