#!/usr/bin/env python3
"""UDP syslog receiver for the httplog scenario: counts the datagrams it gets on
127.0.0.1:PORT and, twice a second, writes "COUNT\\nLAST-LINE" to STATEFILE (the
sanity check reads it). Discards everything else. usage: syslog-sink.py PORT STATEFILE"""
import os
import socket
import sys
import time

port, state = int(sys.argv[1]), sys.argv[2]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
s.bind(("127.0.0.1", port))
s.settimeout(0.5)
buf = bytearray(4096)
count, last_len, written = 0, 0, time.monotonic()
while True:
    try:
        last_len = s.recv_into(buf)
        count += 1
    except socket.timeout:
        pass
    now = time.monotonic()
    if now - written >= 0.5:
        written = now
        with open(state + ".tmp", "wb") as f:
            f.write(b"%d\n" % count + bytes(buf[:last_len]))
        os.replace(state + ".tmp", state)
