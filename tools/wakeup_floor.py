#!/usr/bin/env python3
"""The floor under any paced-null sync figure on this machine: one thread that sleeps on a fixed schedule, as
paced-null's card thread does (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME) to each period's due time, the call
MonotonicSleeper makes), recording how late each wake-up came. tools/bench-sync.sh runs two of these, in two
processes like its two listeners, on the same schedule and at the same time, and compares them period by period.

    wakeup_floor.py START_NS PERIOD_US SECONDS OUT.csv

START_NS is the first due time on CLOCK_MONOTONIC (both processes get the same); the CSV has one row a period:
index,late_us.
"""
import ctypes
import sys
import time

CLOCK_MONOTONIC = 1
TIMER_ABSTIME = 1
EINTR = 4


class Timespec(ctypes.Structure):
    _fields_ = [("tv_sec", ctypes.c_long), ("tv_nsec", ctypes.c_long)]


def main():
    start_ns, period_us, seconds, out = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    sleep = libc.clock_nanosleep
    sleep.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.POINTER(Timespec), ctypes.c_void_p]
    period_ns = period_us * 1000
    count = int(seconds * 1e6 / period_us)
    late = [0] * count
    until = Timespec()
    for i in range(count):
        due = start_ns + int(round(i * period_ns))
        until.tv_sec, until.tv_nsec = divmod(due, 1_000_000_000)
        while sleep(CLOCK_MONOTONIC, TIMER_ABSTIME, ctypes.byref(until), None) == EINTR:
            pass
        late[i] = time.clock_gettime_ns(time.CLOCK_MONOTONIC) - due
    with open(out, "w") as f:
        f.write("index,late_us\n")
        f.writelines(f"{i},{v / 1000:.1f}\n" for i, v in enumerate(late))


if __name__ == "__main__":
    main()
