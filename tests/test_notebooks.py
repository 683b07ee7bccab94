"""Every notebook in notebooks/ runs from top to bottom without a cell error.

Needs the `notebooks` extra (nbclient, ipykernel, matplotlib): ``pip install -e '.[notebooks]'``.
Without it the test is skipped with the reason.
"""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _requirements():
    missing = []
    for module in ("nbformat", "nbclient", "ipykernel", "matplotlib"):
        try:
            __import__(module)
        except ImportError:
            missing.append(module)
    return missing


def test_the_explore_notebook_is_there():
    assert ROOT / "notebooks" / "explore.ipynb" in NOTEBOOKS


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_without_errors(path):
    missing = _requirements()
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (the notebooks extra: pip install -e '.[notebooks]')")
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.read(path, as_version=4)
    assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code"), \
        f"{path.name} is committed with outputs; clear them"
    client = NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=False,
                            resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute()
    except CellExecutionError as exc:
        pytest.fail(f"{path.name}: a cell failed:\n{exc}")
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    if path.name == "explore.ipynb":
        text = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
        assert "3 article(s) read" in text and "0 re-extracted" in text
        assert "Volodymyr Zelensky" in text  # centrality table, ego network
        assert "cypher/queries/met_between.cypher" in text
        images = [o for o in outputs if "image/png" in o.get("data", {})]
        assert len(images) >= 2, "the ego network and the timeline plots"
        frames = [o for o in outputs if "srcdoc=" in o.get("data", {}).get("text/html", "")]
        assert frames, "the pyvis page shown inline"
