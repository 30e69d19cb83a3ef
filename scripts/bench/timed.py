#!/usr/bin/env python3
"""Runs one command and reports what it cost: wall time, CPU time, peak memory, contention.

usage: timed.py OUT_TXT [--stdout FILE] [--env NAME=VALUE]... -- CMD ARG...

Writes to OUT_TXT (key value lines): wall_s, user_s, sys_s, maxrss_kb (the largest resident set
of the command and its descendants, from wait4's rusage: bin/megrad execs java, so this is the
JVM's own peak, the number -Xmx is meant to bound), other_share (the share of the machine that
other processes used meanwhile: busy CPU time from /proc/stat minus the command's own, over all
cores and the wall time), rc. Exits with the command's status. Python rather than /usr/bin/time,
which is not installed everywhere; /proc polling would miss a short peak.
"""
import os
import resource
import subprocess
import sys
import time


def busy_ticks():
    with open("/proc/stat") as f:
        for line in f:
            if line.startswith("cpu "):
                v = [int(x) for x in line.split()[1:]]
                return v[0] + v[1] + v[2] + v[5] + v[6]   # user, nice, system, irq, softirq
    return 0


args = sys.argv[1:]
out = args.pop(0)
stdout = None
env = dict(os.environ)
while args and args[0] != "--":
    opt = args.pop(0)
    if opt == "--stdout":
        stdout = args.pop(0)
    elif opt == "--env":
        k, v = args.pop(0).split("=", 1)
        env[k] = v
    else:
        sys.exit(f"timed.py: unknown option {opt}")
cmd = args[1:]

hz = os.sysconf("SC_CLK_TCK")
ncpu = os.cpu_count() or 1
b0 = busy_ticks()
t0 = time.monotonic()
with open(stdout, "w") if stdout else open(os.devnull, "w") as so:
    proc = subprocess.Popen(cmd, stdout=so, env=env)
    _, status, ru = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)   # reaped here, not by Popen
t1 = time.monotonic()
b1 = busy_ticks()
rc = proc.returncode
wall = t1 - t0
own = ru.ru_utime + ru.ru_stime
other = max(0.0, ((b1 - b0) / hz - own) / (wall * ncpu)) if wall > 0 else 0.0
with open(out, "w") as f:
    f.write(f"wall_s {wall:.3f}\nuser_s {ru.ru_utime:.3f}\nsys_s {ru.ru_stime:.3f}\n"
            f"maxrss_kb {ru.ru_maxrss}\nother_share {other:.4f}\nrc {rc}\n")
sys.exit(rc)
