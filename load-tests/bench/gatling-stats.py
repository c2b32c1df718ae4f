#!/usr/bin/env python3
"""Prints one request's statistics from a Gatling report folder, as KEY=VALUE words.

    load-tests/bench/gatling-stats.py <report folder> "<request name>"
    -> total=6000 ok=6000 ko=0 ko_pct=0 rps=98.36 min=3 p50=6 p75=8 p95=14 p99=31 max=120 mean=7 stddev=5

Gatling 3.12 and later no longer write js/stats.json nor js/global_stats.json, and their
simulation.log is binary: the statistics table of index.html is what a report folder keeps in
text. Its columns are found by their header titles, not their positions. Response times
are those of Gatling's "Total" column: every request, failed ones (timeouts...) included.
Only the Python standard library is used.
"""
import sys
from html.parser import HTMLParser

HEADERS = {
    "Total": "total", "OK": "ok", "KO": "ko", "% KO": "ko_pct", "Cnt/s": "rps", "Min": "min",
    "50th pct": "p50", "75th pct": "p75", "95th pct": "p95", "99th pct": "p99", "Max": "max",
    "Mean": "mean", "Std Dev": "stddev",
}


class StatsTable(HTMLParser):
    def __init__(self):
        super().__init__()
        self.columns = {}   # "col-N" -> key
        self.rows = {}      # request name -> {key: value}
        self._th = None     # col id of the header cell being read
        self._cell = None   # col id of the body cell being read
        self._row = None
        self._name = None
        self._in_name = False
        self._text = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "th" and (a.get("id") or "").startswith("col-"):
            self._th, self._text = a["id"], []
        elif tag == "tr" and a.get("id"):
            self._row, self._name = {}, None
        elif tag == "span" and "ellipsed-name" in classes and self._row is not None:
            self._in_name, self._text = True, []
        elif tag == "td" and self._row is not None and "value" in classes:
            self._cell = next((c for c in classes if c.startswith("col-")), None)
            self._text = []

    def handle_data(self, data):
        if self._th or self._cell or self._in_name:
            self._text.append(data)

    def handle_endtag(self, tag):
        text = "".join(self._text).strip()
        if tag == "th" and self._th:
            if text in HEADERS:
                self.columns[self._th] = HEADERS[text]
            self._th = None
        elif tag == "span" and self._in_name:
            self._name, self._in_name = text, False
        elif tag == "td" and self._cell:
            if self._cell in self.columns:
                self._row[self.columns[self._cell]] = text
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._name:
                self.rows[self._name] = self._row
            self._row = None


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    folder, name = sys.argv[1], sys.argv[2]
    table = StatsTable()
    with open(f"{folder}/index.html", encoding="utf-8") as report:
        table.feed(report.read())
    row = table.rows.get(name)
    if not row:
        sys.exit(f"no request named {name!r} in {folder}/index.html (found: {', '.join(table.rows)})")
    print(" ".join(f"{key}={row.get(key, '-').replace(',', '')}" for key in HEADERS.values()))


if __name__ == "__main__":
    main()
