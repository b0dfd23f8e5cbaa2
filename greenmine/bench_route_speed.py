"""How fast `route` answers over HTTP, beside the raw engine round trip of the same traversal.

A real `greenmine serve` runs as its own process on loopback, on a fresh data directory (seeded
on start); an httpx client sends the `route` query again and again, one at a time, with
keep-alive. In this process, attached to the same graph, the same read the resolver makes
(`graph.routing.ROUTE_DETAILS` with the parameters those sentences produce) is timed straight on
the engine, and so are the in-process use case (matching + that read) and matching alone.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph import routing
from graph.engines import open_engine
from greenmine.config import Settings
from resolvers.routing import MATCHERS, details_params, matches

SENTENCES = (
    "尾矿库防渗没做，污染地下水",
    "排土场水土流失严重",
    "安全许可证过期还在生产",
    "绿色矿山投融资项目库怎么入库",
    "The tailings pond is leaking into the groundwater",
)

QUERY = """
query Route($text: String!) {
  route(text: $text) {
    department { code nameZh liaison { name } }
    score
    duty { code titleZh }
    removalCondition { number }
    matchedTerms
    explanation
    clause { ref textZh }
  }
}
"""

START_TIMEOUT_S = 90.0


@dataclass(frozen=True)
class Timing:
    name: str
    p50: float
    p99: float


@dataclass(frozen=True)
class SpeedReport:
    rows: list[Timing]
    raw_p50: float
    sentences: tuple[str, ...]
    engine: str


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def timing(name: str, samples: list[float]) -> Timing:
    return Timing(name, percentile(samples, 0.5), percentile(samples, 0.99))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _start_server(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "GREENMINE_DATA_DIR": str(data_dir), "HOST": "127.0.0.1"}
    return subprocess.Popen(
        [sys.executable, "-m", "greenmine", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _stop_server(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _http_samples(base: str, requests: int, warmup: int) -> list[float]:
    import httpx

    samples: list[float] = []
    with httpx.Client(base_url=base, timeout=10) as client:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                if client.get("/healthz").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("greenmine serve did not become healthy in time")
            time.sleep(0.1)
        for i in range(warmup + requests):
            text = SENTENCES[i % len(SENTENCES)]
            started = time.perf_counter()
            response = client.post("/graphql", json={"query": QUERY, "variables": {"text": text}})
            elapsed = (time.perf_counter() - started) * 1000
            body: dict[str, Any] = response.json()
            if response.status_code != 200 or body.get("errors"):
                raise RuntimeError(f"route failed over HTTP: {response.status_code} {body}")
            if i >= warmup:
                samples.append(elapsed)
    return samples


async def _timed(work: Callable[[str], Awaitable[object]], requests: int) -> list[float]:
    samples: list[float] = []
    for i in range(requests):
        text = SENTENCES[i % len(SENTENCES)]
        started = time.perf_counter()
        await work(text)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


async def _in_process_samples(
    settings: Settings, requests: int, warmup: int
) -> tuple[dict[str, list[float]], str]:
    engine = open_engine(settings, attach=True)
    try:
        matcher = await MATCHERS.get(engine)
        params = {t: details_params(matcher.match(t, 3)) for t in SENTENCES}

        async def raw(text: str) -> object:
            return await engine.read(routing.ROUTE_DETAILS, params[text])

        async def use_case(text: str) -> object:
            return await matches(engine, text, 3)

        async def match_only(text: str) -> object:
            return matcher.match(text, 3)

        for work in (raw, use_case):
            await _timed(work, warmup)
        return {
            "raw engine round trip (ROUTE_DETAILS)": await _timed(raw, requests),
            "in-process use case (match + 1 read)": await _timed(use_case, requests),
            "matching alone (segment + score)": await _timed(match_only, requests),
        }, engine.name
    finally:
        await engine.close()


def run(*, requests: int = 500, warmup: int = 50) -> SpeedReport:
    with tempfile.TemporaryDirectory(prefix="greenmine-bench-") as tmp:
        data_dir = Path(tmp)
        port = _free_port()
        server = _start_server(data_dir, port)
        try:
            http = _http_samples(f"http://127.0.0.1:{port}", requests, warmup)
            settings = Settings.from_environ({**os.environ, "GREENMINE_DATA_DIR": str(data_dir)})
            local, engine = asyncio.run(_in_process_samples(settings, requests, warmup))
        finally:
            _stop_server(server)
    raw_name = "raw engine round trip (ROUTE_DETAILS)"
    rows = [timing(raw_name, local[raw_name])]
    rows += [timing(name, samples) for name, samples in local.items() if name != raw_name]
    rows.append(timing("route over HTTP (uvicorn + Strawberry)", http))
    return SpeedReport(rows, rows[0].p50, SENTENCES, engine)
