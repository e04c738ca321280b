"""The seed backend's live-stream design, rebuilt for the fan-out benchmark (the peer target).

FastAPI on uvicorn; every client of `GET /api/trading/stream/{model}` gets its own asyncio.Queue;
publishing puts the event on every watcher's queue; each client's generator takes events off its
queue and serialises each with json.dumps before yielding it as an SSE `data:` frame, with a
keep-alive comment after 30 s of quiet. No authentication (the naive target has none either: it is
paid once per connection, not per delivery).

Driven by bench/src/stream-fanout/peer-server.ts over stdin/stdout, one JSON object per line, with
the same messages as the Node targets' server process: setup, settle, start (the event source runs
here, as the seed's trading agents do), exit.
"""

import asyncio
import gc
import json
import math
import os
import socket
import sys
import time
from datetime import datetime, timezone

import uvicorn
from fastapi import FastAPI
from fastapi.responses import StreamingResponse

HOST = "127.0.0.1"
KEEPALIVE_S = 30

app = FastAPI()
watchers: list[set[asyncio.Queue]] = []
seq = 0


def now_ms() -> float:
    """CLOCK_MONOTONIC in ms: the clock Node's process.hrtime reads in the client processes."""
    return time.clock_gettime(time.CLOCK_MONOTONIC) * 1000


def iso_now() -> str:
    return datetime.now(timezone.utc).isoformat()


def trade_data(n: int, emitted_at: float) -> dict:
    """The benchmark's event data, as bench/src/stream-fanout/protocol.ts tradeData builds it."""
    quantity = 1 + n % 50
    price = 100 + (n % 997) / 100
    amount = round(quantity * price * 100) / 100
    return {
        "message": f"AI executing BUY order: {quantity} SIMA @ {price:.2f}",
        "action": "buy",
        "date": "2026-10-30",
        "symbol": "SIMA",
        "quantity": quantity,
        "price": price,
        "amount": amount,
        "commission": 0,
        "cash_after": 10_000 - amount,
        "status": "filled",
        "reason": None,
        "emitted_at": emitted_at,
    }


@app.get("/api/trading/stream/{model}")
async def stream(model: int):
    queue: asyncio.Queue = asyncio.Queue()
    subscribers = watchers[model]
    subscribers.add(queue)

    async def events():
        try:
            connected = {"type": "connected", "timestamp": iso_now(), "data": {"model_id": model + 1, "message": "Connected to trading stream"}}
            yield f"data: {json.dumps(connected)}\n\n"
            while True:
                try:
                    event = await asyncio.wait_for(queue.get(), timeout=KEEPALIVE_S)
                except asyncio.TimeoutError:
                    yield ": keep-alive\n\n"
                    continue
                yield f"data: {json.dumps(event)}\n\n"
        finally:
            subscribers.discard(queue)

    return StreamingResponse(events(), media_type="text/event-stream", headers={"Cache-Control": "no-cache", "Connection": "keep-alive"})


def publish(model: int, data: dict) -> None:
    global seq
    seq += 1
    event = {"id": str(seq), "type": "trade", "timestamp": iso_now(), "model_id": model + 1, "run_id": None, "data": data}
    for queue in watchers[model]:
        queue.put_nowait(event)


def rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


async def settled_rss() -> int:
    for _ in range(3):
        gc.collect()
        await asyncio.sleep(0.1)
    return rss()


def connections() -> int:
    return sum(len(s) for s in watchers)


async def emit(rate_per_model: float, measure_from: float, end_at: float) -> dict:
    """Round-robin over the models at `rate_per_model` each until `end_at`; counts and CPU from `measure_from` on."""
    models = len(watchers)
    per_ms = models * rate_per_model / 1000
    tick_ms = max(1.0, min(10.0, 1 / per_ms))
    emitted = [0] * models
    start = now_ms()
    sent = 0
    rss_peak = 0
    cpu_start = None
    measure_start = 0.0
    last_sample = 0.0
    now = start
    while now < end_at:
        if cpu_start is None and now >= measure_from:
            cpu_start, measure_start = time.process_time(), now
        due = math.floor((min(now, end_at) - start) * per_ms)
        while sent < due:
            model = sent % models
            emitted_at = now_ms()
            publish(model, trade_data(sent, emitted_at))
            if emitted_at >= measure_from:
                emitted[model] += 1
            sent += 1
        if now - last_sample >= 200:
            rss_peak, last_sample = max(rss_peak, rss()), now
        await asyncio.sleep(tick_ms / 1000)
        now = now_ms()
    cpu_ms = (time.process_time() - (cpu_start if cpu_start is not None else 0)) * 1000
    return {
        "type": "done",
        "emitted": emitted,
        "scheduled": round((end_at - measure_from) * per_ms),
        "cpuMs": cpu_ms,
        "wallMs": now_ms() - (measure_start if cpu_start is not None else start),
        "rssPeak": max(rss_peak, rss()),
        "connections": connections(),
        "publishErrors": 0,
    }


def reply(msg: dict) -> None:
    sys.stdout.write(json.dumps(msg) + "\n")
    sys.stdout.flush()


async def main() -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    server = None
    serving = None
    while line := await reader.readline():
        msg = json.loads(line)
        if msg["type"] == "setup":
            watchers.extend(set() for _ in range(msg["models"]))
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((HOST, 0))
            config = uvicorn.Config(app, log_level="error", access_log=False, lifespan="off", loop="asyncio", http="h11", backlog=4096)
            server = uvicorn.Server(config)
            server.install_signal_handlers = lambda: None
            serving = asyncio.create_task(server.serve(sockets=[sock]))
            while not server.started:
                await asyncio.sleep(0.01)
            paths = [f"/api/trading/stream/{i}" for i in range(msg["models"])]
            reply({"type": "ready", "port": sock.getsockname()[1], "paths": paths, "rssBase": await settled_rss()})
        elif msg["type"] == "settle":
            reply({"type": "settled", "rss": await settled_rss(), "connections": connections()})
        elif msg["type"] == "start":
            reply(await emit(msg["ratePerModel"], msg["measureFrom"], msg["endAt"]))
        elif msg["type"] == "exit":
            break
    if server is not None:
        server.should_exit = True
        server.force_exit = True
        await asyncio.wait([serving], timeout=3)


if __name__ == "__main__":
    asyncio.run(main())
