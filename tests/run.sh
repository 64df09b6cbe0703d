#!/usr/bin/env bash
# Set everything up and run every check: the README's test command, and what .ci/run calls.
#   - a virtual environment in .venv with newsdesk and its dev tools (created when missing)
#   - ruff (lint and format), mypy, import-linter (the layers and the engine seam)
#   - pytest, the whole suite
#   - the store and search tests again with whoosh-reloaded 2.7.5 in .venv-reloaded, to keep it a
#     drop-in for whoosh3 (both install the `whoosh` package, so they need their own venvs)
# Extra arguments go to the first pytest run, e.g. `bash tests/run.sh -k search`.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
pipq() { "$1"/bin/python -m pip install -q --disable-pip-version-check "${@:2}"; }

if [ ! -x .venv/bin/python ]; then "$PY" -m venv .venv; fi
pipq .venv -e '.[dev]'

echo "== ruff"; .venv/bin/ruff check index tui tests && .venv/bin/ruff format --check index tui tests
# mypy reads the code under its installed names through a tree of links (see pyproject's [tool.mypy])
mkdir -p .typecheck/newsdesk && ln -sfn ../../index .typecheck/newsdesk/index && ln -sfn ../../tui .typecheck/newsdesk/tui
echo "== mypy"; .venv/bin/mypy
echo "== import-linter"; .venv/bin/lint-imports
echo "== pytest"; .venv/bin/python -m pytest -q "$@"

if [ -z "${NEWSDESK_SKIP_RELOADED:-}" ]; then
  if [ ! -x .venv-reloaded/bin/python ]; then "$PY" -m venv .venv-reloaded; fi
  pipq .venv-reloaded -e '.[dev]'
  .venv-reloaded/bin/python -m pip uninstall -q -y whoosh3
  pipq .venv-reloaded whoosh-reloaded==2.7.5
  .venv-reloaded/bin/python -c 'import whoosh; print("== pytest -m store with whoosh", whoosh.versionstring())'
  .venv-reloaded/bin/python -m pytest -q -m "store and not opensearch" -p no:cacheprovider
fi
