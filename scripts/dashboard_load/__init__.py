# Copyright (c) 2026 The taskstore authors.
# Distributed under the Boost Software License, Version 1.0 (see LICENSE).
"""The clients of `scripts/dashboard-bench … load`, each meant to run in a
process of its own (multiprocessing, fork) so that neither the event streams
nor the request schedule waits on the other:

- stream_clients(): holds N `/api/stream` connections open and counts the
  events each receives, in raw bytes (no JSON, no line splitting);
- generate(): sends its share of an open-loop schedule of GET requests over
  a pool of kept-alive HTTP/1.1 connections, and times each answer from its
  scheduled time and from its send.

Both talk to the parent over a multiprocessing Pipe (see their docstrings)
and use only the standard library.
"""

from .clients import generate, stream_clients  # noqa: F401
