"""Shared fixtures for the spine tests: a `kg` command runner, constructed articles, stores.

All article texts below were written for these tests. The people and places are real, the
events are invented. Facts the tests assert about them are ones any sane extractor must get
(names, types, the date a weekday resolves to, who met whom) - not incidental details.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "constructed_en_geneva_talks.txt"
KG_BIN = ROOT / ".venv" / "bin" / "kg"
SCHEMA_FILE = ROOT / "schemas" / "extraction.schema.json"

# Wednesday 19 March 2025: "am Montag" is Monday 17 March 2025.
DE_MERZ = """Merz empfängt Macron in Berlin

Stand: 19.03.2025 14:30 Uhr

Bundeskanzler Friedrich Merz traf am Montag in Berlin den französischen Präsidenten Emmanuel Macron. Die beiden Politiker berieten über die Unterstützung der Ukraine.
"""

# Friday 4 April 2025: "on Tuesday" is 1 April 2025.
EN_ZELENSKY = """Zelensky and Duda meet in Warsaw

April 4, 2025

Ukrainian President Volodymyr Zelensky met Polish President Andrzej Duda in Warsaw on Tuesday. The two leaders discussed air defence and grain exports.

Zelensky thanked Poland for its support, his office said.
"""

# Friday 16 May 2025: "on Wednesday" is 14 May 2025.
EN_ZELENSKY_BERLIN = """Zelensky visits Berlin

May 16, 2025

Ukrainian President Volodymyr Zelensky met German Chancellor Friedrich Merz in Berlin on Wednesday. Merz promised further air defence systems.
"""

# Monday 10 February 2025: "am Sonntag" is 9 February 2025.
DE_BAERBOCK = """Baerbock reist nach Kiew

Stand: 10.02.2025 09:15 Uhr

Außenministerin Annalena Baerbock traf am Sonntag in Kiew den ukrainischen Außenminister Andrij Sybiha. Sie sicherte der Ukraine weitere Hilfe zu.
"""

# Friday 20 June 2025: "on Thursday" is 19 June 2025.
EN_SANCTIONS = """EU agrees new sanctions against Russia

June 20, 2025

The European Union agreed on Thursday a new package of sanctions against Russia, EU foreign policy chief Kaja Kallas said in Brussels.
"""

# German text with umlauts and ß, to be written as Latin-1 (Windows-1252) bytes.
DE_LATIN1 = """Außenministerin Baerbock grüßt die Ukraine

Stand: 12.02.2025 11:00 Uhr

Außenministerin Annalena Baerbock hat am Dienstag in Berlin den ukrainischen Außenminister Andrii Sybiha empfangen. Sie versprach weitere Unterstützung für die Ukraine.
"""
DE_LATIN1_TITLE = "Außenministerin Baerbock grüßt die Ukraine"


def write(path: Path, text: str | bytes, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode(encoding))
    return path


@pytest.fixture(scope="session")
def extractor():
    """Loads the gazetteer and both spaCy pipelines once per test session; `get_pipeline` and
    `load_gazetteer` are cached per process, so every in-process `kg` call reuses them."""
    from kg.pipeline import Extractor

    ex = Extractor()
    ex.pipeline("de")
    ex.pipeline("en")
    return ex


@dataclass
class KG:
    """Runs the `kg` command in-process with KG_DB pointing at `db`."""

    db: Path
    runner: CliRunner

    def __call__(self, *args, input: str | bytes | None = None, env: dict | None = None) -> Result:
        from kg.cli import app

        result = self.runner.invoke(app, [str(a) for a in args], input=input,
                                    env={"KG_DB": str(self.db), "KG_NEO4J_URI": None, **(env or {})})
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            # a traceback is never an acceptable answer to a user: show it
            import traceback
            tb = "".join(traceback.format_exception(*result.exc_info))
            raise AssertionError(f"kg {' '.join(map(str, args))} crashed:\n{tb}\nstderr:\n{result.stderr}")
        return result

    def ok(self, *args, **kw) -> Result:
        result = self(*args, **kw)
        assert result.exit_code == 0, (f"kg {' '.join(map(str, args))} exited {result.exit_code}\n"
                                       f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}")
        return result

    def json(self, *args, **kw):
        return json.loads(self.ok(*args, **kw).stdout)

    def stats(self) -> dict:
        return self.json("stats", "--json")


@pytest.fixture
def kg(tmp_path, extractor) -> KG:
    return KG(db=tmp_path / "store" / "kg.sqlite", runner=CliRunner())


@pytest.fixture
def make_kg(extractor):
    """A KG runner for a store at a given path (for module-scoped stores)."""
    return lambda db: KG(db=Path(db), runner=CliRunner())


@pytest.fixture
def corpus(tmp_path) -> dict[str, Path]:
    """Three good articles (two German, one English) in one directory."""
    d = tmp_path / "articles"
    return {
        "merz": write(d / "de_merz.txt", DE_MERZ),
        "zelensky": write(d / "en_zelensky.txt", EN_ZELENSKY),
        "baerbock": write(d / "de_baerbock.txt", DE_BAERBOCK),
    }


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip()]


def summary_counts(stdout: str) -> dict[str, int]:
    """The numbers of `kg ingest`'s summary."""
    m = re.search(r"(\d+) article\(s\) read in [\d.]+s into .*?: (\d+) new, (\d+) re-extracted, (\d+) unchanged",
                  stdout)
    assert m, f"no ingest summary in:\n{stdout}"
    e = re.search(r"entities: (\d+) new, (\d+) updated; events: (\d+); edges: (\d+)", stdout)
    assert e, f"no entity/event counts in:\n{stdout}"
    return dict(zip(("read", "new", "replaced", "unchanged", "entities_new", "entities_updated", "events", "edges"),
                    map(int, m.groups()[:4] + e.groups())))
