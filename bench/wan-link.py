#!/usr/bin/env python3
"""A WAN link in front of a local server, for benchmarks: a TCP proxy that delays every byte by half the round-trip
time in each direction and lets at most RATE bytes per second flow towards the clients, shared by every connection
(one FIFO bottleneck, as a site's link to a remote registry such as Docker Hub is). Requests towards the server are
only delayed: they are small.

Usage: wan-link.py LISTEN_PORT TARGET_PORT [--mbit 100] [--rtt-ms 20]
Prints "ready" on stdout once it listens on 127.0.0.1:LISTEN_PORT; runs until killed.

Model: a chunk read from the server takes the link after every chunk already queued (from any connection), for
len/RATE seconds, and reaches the client rtt/2 after that. Each connection keeps at most QUEUE chunks in flight, so a
slow client or a long queue holds the server back (TCP backpressure) rather than filling this process's memory.
"""
import asyncio
import sys

CHUNK = 64 << 10
QUEUE = 8


class Link:
    def __init__(self, rate, delay):
        self.rate, self.delay, self.free_at = rate, delay, 0.0

    def arrival(self, now, size):
        """When a chunk of SIZE bytes sent now reaches the far side."""
        self.free_at = max(self.free_at, now) + size / self.rate
        return self.free_at + self.delay


async def pump(reader, writer, link, delay):
    """Copies reader to writer; through LINK when there is one, else only delayed."""
    loop = asyncio.get_running_loop()
    queue = asyncio.Queue(QUEUE)

    async def deliver():
        while True:
            at, data = await queue.get()
            wait = at - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            if not data:
                break
            writer.write(data)
            await writer.drain()
        if writer.can_write_eof():
            writer.write_eof()

    sender = asyncio.ensure_future(deliver())
    try:
        while True:
            data = await reader.read(CHUNK)
            now = loop.time()
            await queue.put((link.arrival(now, len(data)) if link and data else now + delay, data))
            if not data:
                break
        await sender
    except (ConnectionError, asyncio.CancelledError):
        sender.cancel()
    finally:
        writer.close()


async def main():
    args = sys.argv[1:]
    listen, target = int(args[0]), int(args[1])
    mbit = float(args[args.index("--mbit") + 1]) if "--mbit" in args else 100.0
    rtt = float(args[args.index("--rtt-ms") + 1]) / 1000 if "--rtt-ms" in args else 0.020
    down = Link(mbit * 1e6 / 8, rtt / 2)

    async def connection(client_r, client_w):
        try:
            server_r, server_w = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", target), 10)
        except (OSError, asyncio.TimeoutError):
            client_w.close()
            return
        await asyncio.sleep(rtt)  # the TCP handshake's round trip
        await asyncio.gather(pump(client_r, server_w, None, rtt / 2), pump(server_r, client_w, down, 0),
                             return_exceptions=True)

    server = await asyncio.start_server(connection, "127.0.0.1", listen)
    print("ready", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
