"""A built site served on 127.0.0.1 for tests and benchmarks (never another address)."""
from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import mimetypes
import os
import threading
from pathlib import Path
from urllib.parse import urlsplit

# What a web server compresses: text. Images, fonts, zips and PDFs go as they are.
COMPRESSED_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")
GZIP_LEVEL = 6  # zlib's default, and Apache's and most hosts'


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test and bench output readable
        pass


class _GzipHandler(_QuietHandler):
    """Text files gzip-compressed for a client that accepts it, as a web host serves them:
    what a reader's browser transfers, for the bench's byte counts."""

    cache: dict = {}

    def do_GET(self):
        body = self._compressed()
        if body is None:
            return super().do_GET()
        ctype, data = body
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _compressed(self):
        if "gzip" not in self.headers.get("Accept-Encoding", ""):
            return None
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not urlsplit(self.path).path.endswith("/"):
                return None  # the handler's redirect to the folder
            path = os.path.join(path, "index.html")
        if not os.path.isfile(path):
            return None
        ctype = self.guess_type(path)
        if not ctype.startswith(COMPRESSED_TYPES):
            return None
        stat = os.stat(path)
        key = (path, stat.st_mtime_ns, stat.st_size)
        data = self.cache.get(key)
        if data is None:
            data = gzip.compress(Path(path).read_bytes(), GZIP_LEVEL, mtime=0)
            self.cache[key] = data
        return ctype, data


mimetypes.add_type("application/javascript", ".js")
mimetypes.add_type("application/json", ".json")


@contextlib.contextmanager
def serve(directory: Path, compress: bool = False):
    """Yield the base URL (ending in '/') of `directory` served on a free loopback port;
    `compress`: text files gzip-compressed for clients that accept it."""
    handler = type("_Handler", (_GzipHandler,), {"cache": {}}) if compress else _QuietHandler
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
