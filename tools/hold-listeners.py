# Holds N Streamer protocol listeners on 127.0.0.1:PORT (reads and discards everything) to measure a server per listener.
# usage: hold-listeners.py PORT N SECONDS [CODEC]; prints "ALL CONNECTED N" once every listener is past its hello.
import asyncio, struct, sys, time

def mp_str(s):
    b = s.encode()
    return bytes([0xa0 | len(b)]) + b

def hello(codec):
    payload = bytes([0x84]) + mp_str("version") + bytes([1]) + mp_str("role") + mp_str("play") + mp_str("agent") + mp_str("py") + mp_str("codecs") + bytes([0x91]) + mp_str(codec)
    header = bytes([0x94, 1, 0, 0, 0])
    return struct.pack(">Q", len(header) + len(payload)) + header + payload

async def listener(port, codec, stats, gate):
    await gate.acquire()
    released = False
    try:
        r, w = await asyncio.open_connection("127.0.0.1", port)
    except OSError as e:
        stats["failed"] += 1
        stats.setdefault("err", str(e))
        gate.release()
        return
    w.write(hello(codec)); await w.drain()
    stats["connected"] += 1
    try:
        while True:
            b = await r.read(65536)
            if not released:
                released = True; gate.release()
            if not b: break
            stats["bytes"] += len(b)
    except OSError:
        pass
    stats["closed"] += 1

async def main():
    port, n, seconds, codec = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4] if len(sys.argv) > 4 else "pcm"
    stats = {"connected": 0, "failed": 0, "bytes": 0, "closed": 0}
    tasks = []
    gate = asyncio.Semaphore(8)
    for i in range(n):
        tasks.append(asyncio.create_task(listener(port, codec, stats, gate)))
    t0 = time.time()
    while stats["connected"] < n and time.time() - t0 < 60:
        await asyncio.sleep(0.2)
    print("ALL CONNECTED" if stats["connected"] >= n else "NOT ALL", stats["connected"], flush=True)
    await asyncio.sleep(seconds)
    print(stats, flush=True)
    for t in tasks: t.cancel()

asyncio.run(main())
