#!/usr/bin/env python3
"""Describes one corpus process for the benchmark: points as plain text for the Fortran, C++ and
Java drivers, the reference |M|^2, a one-point JSON file for the start-up runs, and the Java side's
bench.properties.

usage: process.py CORPUS NAME OUTDIR

The "all inputs" gradient is every component of every final-state momentum plus three param-card
entries: the reference's own differentiated entries, padded (when it has fewer than three) with
entries of the sm/heft cards that the model reads.
"""
import json
import os
import re
import sys

PAD = ["MASS:6", "DECAY:6", "SMINPUTS:3", "MASS:23", "DECAY:23", "SMINPUTS:1", "SMINPUTS:2", "MASS:25"]

corpus, name, out = sys.argv[1], sys.argv[2], sys.argv[3]
ref = json.load(open(os.path.join(corpus, name, "reference.json")))
sub = ref["subprocesses"][0]
pts = sub["points"]
os.makedirs(out, exist_ok=True)

with open(os.path.join(out, "points.txt"), "w") as f:
    f.write(f"{len(pts)} {len(pts[0])}\n")
    for pt in pts:
        for p in pt:
            f.write(" ".join(repr(float(x)) for x in p) + "\n")
with open(os.path.join(out, "me.txt"), "w") as f:
    for v in sub["me_quad"]:
        f.write(repr(float(v)) + "\n")
with open(os.path.join(out, "point1.json"), "w") as f:
    json.dump({"points": [pts[0]]}, f)

params = [w for w in sub["grad"]["wrt"] if not w.startswith("p")][:3]
card = open(os.path.join(corpus, name, ref["param_card"])).read().upper()


def in_card(entry):
    block, key = entry.split(":")
    if block == "DECAY":
        return re.search(rf"^DECAY\s+{key}\s", card, re.M) is not None
    m = re.search(rf"^BLOCK\s+{block}\b(.*?)(?=^BLOCK|^DECAY|\Z)", card, re.M | re.S)
    return m is not None and re.search(rf"^\s*{key}\s", m.group(1), re.M) is not None


for p in PAD:
    if len(params) == 3:
        break
    if p not in params and in_card(p):
        params.append(p)

fortran = os.path.join(corpus, name, "fortran")
with open(os.path.join(out, "bench.properties"), "w") as f:
    f.write(f"dir={fortran}\n")
    f.write(f"points={os.path.join(out, 'points.txt')}\n")
    f.write(f"me={os.path.join(out, 'me.txt')}\n")
    f.write(f"params={','.join(params)}\n")
# For the shell: subprocess directories and the gradient's inputs.
print(f"fortran_dir={sub.get('fortran_dir') or ''}")
print(f"cpp_dir={sub.get('cpp_dir') or ''}")
print(f"params={','.join(params)}")
print(f"d={4 * (len(pts[0]) - 2) + len(params)}")
print(f"sqrt_s={ref['sqrt_s']:g}")
