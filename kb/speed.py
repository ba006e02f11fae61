"""`hazardkb bench speed`: speed and memory, measured, with a keyword baseline.

Prints, for this machine:
- classify latency p50/p99 for one finding in-process (baseline: a plain BM25
  clause lookup of the same text);
- batch throughput in findings/s;
- search latency p50/p99 (baseline: the plain BM25 lookup);
- one-shot CLI cold start for one classification (median of several runs);
- API requests/s and p99 under load from a second process on loopback — wrk
  if installed (apt-get install wrk), else a Python load generator in a
  separate process — and the error count;
- index build time; resident memory of the process and of the server.
Targets (issue 9) are printed beside the figures. Nothing here is asserted in
tests: run it, read it, keep the figures in README with date and commit.
"""
from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {
    "classify_p50_ms": ("≤", 1.0), "classify_p99_ms": ("≤", 5.0), "batch_per_s": ("≥", 3000),
    "search_p99_ms": ("≤", 10.0), "cli_cold_s": ("≤", 0.8), "api_rps": ("≥", 800), "api_p99_ms": ("≤", 25.0),
    "api_errors": ("≤", 0),
}


def _pct(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]


def _rss_mb(pid="self") -> float:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants (uvicorn's workers)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        rss = _rss_mb(p)
        total += 0.0 if rss != rss else rss
        todo.extend(children.get(p, []))
    return total or float("nan")


def corpus(kb) -> list[str]:
    texts = []
    for r in kb.rules.values():
        for kind in ("major", "not_major"):
            for ex in r.examples.get(kind, []):
                texts.append(ex if isinstance(ex, str) else ex["text"])
    bench = ROOT / "tests" / "benchmark" / "findings.jsonl"
    if bench.is_file():
        for line in bench.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(json.loads(line)["text"])
    return texts


def _timed(fn, items, repeat=1):
    lat = []
    for _ in range(repeat):
        for x in items:
            t = time.perf_counter()
            fn(x)
            lat.append((time.perf_counter() - t) * 1000)
    return lat


def measure_inprocess(quick: bool) -> dict:
    from .classify import get_classifier
    from .search import Searcher
    clf = get_classifier()
    texts = corpus(clf.kb)
    if quick:
        texts = texts[:300]
    for t in texts[:50]:
        clf.classify(t)  # warm caches
    lat = _timed(clf.classify, texts, repeat=1 if quick else 3)
    t0 = time.perf_counter()
    for t in texts:
        clf.classify(t)
    batch = len(texts) / (time.perf_counter() - t0)
    cache = Path(tempfile.mkdtemp(prefix="hazardkb-bench-"))
    try:
        t0 = time.perf_counter()
        s = Searcher(clf.kb, cache_dir=cache)
        build = time.perf_counter() - t0
        queries = [t[:30] for t in texts[:400]]
        s.search(queries[0])
        slat = _timed(s.search, queries)
        blat = _timed(lambda q: s.plain_clause_search(q), queries)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    return {"findings": len(texts), "classify_p50_ms": _pct(lat, 50), "classify_p99_ms": _pct(lat, 99),
            "batch_per_s": batch, "search_p50_ms": _pct(slat, 50), "search_p99_ms": _pct(slat, 99),
            "baseline_bm25_p50_ms": _pct(blat, 50), "baseline_bm25_p99_ms": _pct(blat, 99),
            "index_build_s": build, "rss_mb": _rss_mb()}


def measure_cli(runs: int = 7) -> dict:
    cmd = [sys.executable, "-m", "kb.cli", "classify", "焊工没证在车间焊钢架", "--industry", "机械"]
    subprocess.run(cmd, cwd=ROOT, capture_output=True)  # warm the OS file cache once
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, capture_output=True, check=True)
        times.append(time.perf_counter() - t)
    return {"cli_cold_s": statistics.median(times)}


_LOADGEN = r"""
import http.client, json, sys, threading, time
port, seconds, conc, bodies = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), json.loads(sys.stdin.read())
lat, errors, lock = [], [0], threading.Lock()
stop = time.time() + seconds
def worker(k):
    c = http.client.HTTPConnection("127.0.0.1", port)
    i = k
    while time.time() < stop:
        b = bodies[i % len(bodies)].encode(); i += conc
        t = time.perf_counter()
        try:
            c.request("POST", "/v1/classify", b, {"Content-Type": "application/json"})
            r = c.getresponse(); r.read(); ok = r.status == 200
        except Exception:
            ok = False; c = http.client.HTTPConnection("127.0.0.1", port)
        d = (time.perf_counter() - t) * 1000
        with lock:
            lat.append(d)
            if not ok: errors[0] += 1
ts = [threading.Thread(target=worker, args=(k,)) for k in range(conc)]
t0 = time.time(); [t.start() for t in ts]; [t.join() for t in ts]
print(json.dumps({"n": len(lat), "seconds": time.time() - t0, "errors": errors[0], "lat": sorted(lat)}))
"""

_WRK_LUA = r"""
local bodies = {}
for line in io.lines(os.getenv("HAZARDKB_BODIES")) do bodies[#bodies + 1] = line end
local i = 0
request = function()
  i = i + 1
  return wrk.format("POST", "/v1/classify", {["Content-Type"] = "application/json"}, bodies[(i % #bodies) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %f %f\n", summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout,
    summary.duration, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


def measure_api(quick: bool, workers: int) -> dict:
    import socket
    from .classify import get_classifier
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    texts = corpus(get_classifier().kb)
    bodies = [json.dumps({"text": t}, ensure_ascii=False) for t in texts[:2000]]
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "api.main:app", "--port", str(port),
                               "--workers", str(workers), "--log-level", "warning", "--no-access-log"],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        import http.client
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
                c.request("GET", "/v1/version")
                if c.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        seconds = 5 if quick else 20
        wrk = shutil.which("wrk")
        if wrk:
            with tempfile.TemporaryDirectory() as d:
                (Path(d) / "b.txt").write_text("\n".join(bodies) + "\n", encoding="utf-8")
                (Path(d) / "s.lua").write_text(_WRK_LUA, encoding="utf-8")
                subprocess.run([wrk, "-t1", "-c16", "-d2s", "-s", str(Path(d) / "s.lua"), f"http://127.0.0.1:{port}"],
                               env=dict(os.environ, HAZARDKB_BODIES=str(Path(d) / "b.txt")), capture_output=True)
                out = subprocess.run([wrk, "-t2", "-c16", f"-d{int(seconds)}s", "--latency", "-s", str(Path(d) / "s.lua"),
                                      f"http://127.0.0.1:{port}"], capture_output=True, text=True,
                                     env=dict(os.environ, HAZARDKB_BODIES=str(Path(d) / "b.txt"))).stdout
            line = next(x for x in out.splitlines() if x.startswith("RESULT"))
            n, errors, dur_us, p50, p99 = line.split()[1:]
            result = {"api_tool": "wrk -t2 -c16", "api_requests": int(n), "api_errors": int(errors),
                      "api_rps": int(n) / (float(dur_us) / 1e6), "api_p50_ms": float(p50), "api_p99_ms": float(p99)}
        else:
            r = subprocess.run([sys.executable, "-c", _LOADGEN, str(port), str(seconds), "8"],
                               input=json.dumps(bodies), capture_output=True, text=True)
            d = json.loads(r.stdout)
            result = {"api_tool": "python http.client, 8 threads (install wrk for a stronger load)",
                      "api_requests": d["n"], "api_errors": d["errors"], "api_rps": d["n"] / d["seconds"],
                      "api_p50_ms": _pct(d["lat"], 50), "api_p99_ms": _pct(d["lat"], 99)}
        result["server_rss_mb"] = _tree_rss_mb(server.pid)   # all workers together
        result["api_workers"] = workers
        return result
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()


def run_speed(args) -> int:
    quick = getattr(args, "quick", False)
    res = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
           "date": time.strftime("%Y-%m-%d")}
    res.update(measure_inprocess(quick))
    res.update(measure_cli(3 if quick else 7))
    res.update(measure_api(quick, workers=int(os.environ.get("HAZARDKB_WORKERS", "2"))))
    if getattr(args, "json", False):
        print(json.dumps(res, ensure_ascii=False, indent=2))
        return 0
    print(f"机器：{res['machine']}，{res['date']}；评测语料 {res['findings']} 条")
    rows = [("classify p50 (ms)", "classify_p50_ms", "baseline_bm25_p50_ms"),
            ("classify p99 (ms)", "classify_p99_ms", "baseline_bm25_p99_ms"),
            ("batch (findings/s)", "batch_per_s", None),
            ("search p50 (ms)", "search_p50_ms", "baseline_bm25_p50_ms"),
            ("search p99 (ms)", "search_p99_ms", "baseline_bm25_p99_ms"),
            ("CLI cold start (s)", "cli_cold_s", None),
            ("API requests/s", "api_rps", None), ("API p50 (ms)", "api_p50_ms", None),
            ("API p99 (ms)", "api_p99_ms", None), ("API errors", "api_errors", None),
            ("index build (s)", "index_build_s", None), ("RSS in-process (MB)", "rss_mb", None),
            ("RSS server (MB)", "server_rss_mb", None)]
    print(f"{'':<22}{'measured':>12}{'baseline':>12}{'target':>12}")
    for label, key, bkey in rows:
        v = res.get(key)
        b = res.get(bkey) if bkey else None
        t = TARGETS.get(key)
        ok = ""
        if t is not None and v is not None:
            ok = " ok" if (v <= t[1] if t[0] == "≤" else v >= t[1]) else " MISSED"
        print(f"{label:<22}{_fmt(v):>12}{_fmt(b):>12}{(t[0] + str(t[1])) if t else '':>12}{ok}")
    print(f"API load: {res['api_tool']}, {res['api_requests']} requests, {res['api_workers']} uvicorn workers")
    return 0


def _fmt(v):
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:.3f}" if v < 100 else f"{v:.0f}"
    return str(v)
