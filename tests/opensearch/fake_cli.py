"""`newsdesk` with the fake extractor of tests/fake_extraction.py (no spaCy), for the OpenSearch
tests that run writers as separate processes: ``python tests/opensearch/fake_cli.py index …``."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from newsdesk.index import build as index_build  # noqa: E402
from newsdesk.index.extract import analyze as index_analyze  # noqa: E402
from newsdesk.tui.cli import main  # noqa: E402
from tests.fake_extraction import fake_batch  # noqa: E402

index_analyze.analyze_batch = fake_batch  # type: ignore[assignment]
index_build.extraction_mode = lambda: "fake"  # type: ignore[assignment]

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
