"""`wiretrace serve`: browse a store in a web browser, and read it as JSON over HTTP.

Read-only by default (the DuckDB file is opened with read_only=True); writes (POST /api/ingest)
answer 403 unless the server was started with `--allow-writes`. Pages reuse report.html's
templates, carry no script, and every response has a strict Content-Security-Policy.
"""

from __future__ import annotations

from wiretrace.serve.app import create_app, run

__all__ = ["create_app", "run"]
