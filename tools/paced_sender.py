#!/usr/bin/env python3
"""The least a real-time sender can do, as a CPU floor for tools/bench-cpu.sh: accept CLIENTS connections, then
every FRAME_MS milliseconds (on a schedule counted from the start, like streamer's pacing clock) send each of
them one frame of 48 kHz stereo s16 zeros. No file, no framing, no protocol: one sleep and one send per frame.

  paced_sender.py PORT CLIENTS FRAME_MS
"""
import socket
import sys
import time


def main() -> None:
    port, clients, frame_ms = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(clients)
    listener.settimeout(30)  # a client that never comes must not leave an idle process posing as the floor
    print("listening", flush=True)
    peers = []
    for _ in range(clients):
        peer, _ = listener.accept()
        peer.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        peers.append(peer)
    frame = bytes(48 * 4 * frame_ms)
    due = time.monotonic()
    while True:
        due += frame_ms / 1000
        wait = due - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        for peer in peers:
            peer.sendall(frame)


if __name__ == "__main__":
    try:
        main()
    except (KeyboardInterrupt, BrokenPipeError, ConnectionResetError):
        pass
    except socket.timeout:
        sys.exit("paced_sender.py: a client did not connect within 30 s")
