"""Print what each page of the built site weighs in a real browser, and (with --lighthouse) the
Lighthouse mobile scores of a chapter page. Figures to read, not a test:

    .venv/bin/python benchmarks/page_weight.py [--html _build/html] [--lighthouse]

Weight = HTML + every asset the browser loads for the page (uncompressed), measured in headless
Chromium on a local web server. Lighthouse (npm, installed on first use into
benchmarks/.lighthouse) runs with the system Chromium, offline.
"""
from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import subprocess
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"]


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Gzip(Quiet):
    """Like any real web host (GitHub Pages, a university web server): text is sent gzip-compressed."""

    TEXT = (".html", ".css", ".js", ".svg", ".json", ".txt")

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if "gzip" not in self.headers.get("Accept-Encoding", "") or path.suffix not in self.TEXT or not path.is_file():
            return super().do_GET()
        import gzip

        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=3600")
        self.end_headers()
        self.wfile.write(body)


def serve(html: Path, gzip: bool = False) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = Gzip if gzip else Quiet
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(html)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def weights(html: Path, base: str) -> dict[str, tuple[float, int]]:
    from playwright.sync_api import sync_playwright

    out = {}
    pages = sorted(p.relative_to(html).as_posix() for p in html.rglob("*.html")
                   if "_static" not in p.parts and "_downloads" not in p.parts)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROME_FLAGS[1:])
        page = browser.new_page()
        for url in pages:
            sizes: dict[str, int] = {}
            handler = lambda r: sizes.__setitem__(r.url, len(r.body()) if r.status < 300 else 0)
            page.on("response", handler)
            page.goto(f"{base}/{url}", wait_until="networkidle")
            page.remove_listener("response", handler)
            out[url] = (sum(sizes.values()) / 1024, len(sizes))
        browser.close()
    return out


def lighthouse(url: str) -> dict[str, float]:
    tool = ROOT / "benchmarks" / ".lighthouse"
    binary = tool / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        tool.mkdir(exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(tool), "--no-audit", "--no-fund", "--silent",
                        "lighthouse@13.5.0"], check=True)
    env = dict(os.environ, CHROME_PATH="/usr/bin/chromium")
    proc = subprocess.run([str(binary), url, "--quiet", "--output=json", "--output-path=stdout",
                           "--only-categories=performance,accessibility,best-practices",
                           f"--chrome-flags={' '.join(CHROME_FLAGS)}"], env=env, capture_output=True, text=True)
    if proc.returncode:
        raise SystemExit(f"lighthouse failed: {proc.stderr[-2000:]}")
    report = json.loads(proc.stdout)
    return {k: v["score"] for k, v in report["categories"].items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--html", default=str(ROOT / "_build" / "html"))
    ap.add_argument("--lighthouse", action="store_true")
    ap.add_argument("--page", default="chapters/05-supported-employment-ips.html")
    args = ap.parse_args()
    html = Path(args.html)
    server, base = serve(html)
    try:
        print(f"{'page':50} {'KB':>7} {'requests':>9}")
        for url, (kb, n) in weights(html, base).items():
            print(f"{url:50} {kb:7.0f} {n:9d}")
        if args.lighthouse:
            for name, score in lighthouse(f"{base}/{args.page}").items():
                print(f"lighthouse {name:20} {score:.2f}  ({args.page}, mobile, no compression)")
            gz_server, gz_base = serve(html, gzip=True)
            try:
                for name, score in lighthouse(f"{gz_base}/{args.page}").items():
                    print(f"lighthouse {name:20} {score:.2f}  ({args.page}, mobile, gzip as on a web host)")
            finally:
                gz_server.shutdown()
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
