#!/usr/bin/env python3
"""The seed lesson's WAV-over-TCP pipeline (struct 'Q' length + pickle per 1024-frame chunk), kept as a
baseline for tools/bench-throughput.sh. Playback is replaced by discarding; everything else follows the lesson.

  seed_pipeline.py serve FILE.wav PORT     # sends the file to the first client, then exits
  seed_pipeline.py play HOST PORT          # receives until the server closes, prints bytes received
"""
import pickle
import socket
import struct
import sys
import wave

CHUNK = 1024


def serve(path, port):
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", port))
    server.listen(5)
    print("listening", flush=True)
    client, _ = server.accept()
    wf = wave.open(path, "rb")
    data = wf.readframes(CHUNK)
    while data:
        frame = pickle.dumps(data)
        client.sendall(struct.pack("Q", len(frame)) + frame)
        data = wf.readframes(CHUNK)
    client.close()
    server.close()


def play(host, port):
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    client.connect((host, port))
    data = b""
    payload_size = struct.calcsize("Q")
    received = 0
    while True:
        try:
            while len(data) < payload_size:
                packet = client.recv(4 * 1024)
                if not packet:
                    break
                data += packet
            packed_msg_size = data[:payload_size]
            data = data[payload_size:]
            msg_size = struct.unpack("Q", packed_msg_size)[0]
            while len(data) < msg_size:
                data += client.recv(4 * 1024)
            frame_data = data[:msg_size]
            data = data[msg_size:]
            frame = pickle.loads(frame_data)
            received += len(frame)  # the lesson plays it here; we discard it
        except Exception:
            break
    client.close()
    print(received)


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(sys.argv[2], int(sys.argv[3]))
    else:
        play(sys.argv[2], int(sys.argv[3]))
