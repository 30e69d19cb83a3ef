#!/usr/bin/env bash
# Regenerates docs/PERFORMANCE.md, all of it: times MadGraph's own Fortran and C++ (built from the
# same corpus outputs with their shipped flags and with -O3 -march=native) and megrad's Java ports
# (primal, forward and reverse gradients, under JMH); megrad's native backend against the Java port
# (issue 4); `megrad eval` on 2 threads against 1 and streaming 10^7 points from CSV under -Xmx256m
# (issue 6); `megrad eval` start-up with an empty and a warm cache. Writes every number, ratio,
# target verdict and command into the document. One run, one machine.
#
# usage: scripts/bench.sh            (about 15 minutes on 2 cores, after waiting up to 5 min for the machine to go quiet)
# environment:
#   MEGRAD_CORPUS      corpus root (default: ../shared/madgraph next to the repository)
#   BENCH_PROCESSES    processes to time (default: "ee_mumu gg_ttxg uux_ttxgg")
#   BENCH_NATIVE_PROCESSES  processes of the native-vs-Java table (default: BENCH_PROCESSES)
#   CODIPACK_INCLUDE   CoDiPack 3's include directory: adds the CoDiPack forward/reverse columns
#                      to the native table (megrad does not ship CoDiPack; without it, built-in scalar only)
#   BENCH_NATIVE_SECS  seconds of timing per native build and mode, and per native-table cell (default 3)
#   BENCH_JMH_ARGS     JMH run options (default "-f 1 -wi 8 -w 1s -i 8 -r 1s")
#   BENCH_THREAD_POINTS  batch size of the 1- vs 2-thread runs (default 100000, the issue-6 target's)
#   BENCH_STREAM_POINTS  points streamed from CSV under -Xmx256m (default 10000000, the issue-6 target's;
#                      about 170 bytes of CSV per point, written into the work directory and deleted after)
#   BENCH_OUT          document to write (default docs/PERFORMANCE.md)
#   BENCH_KEEP=1       keep the work directory (default: removed on success)
#   BENCH_WAIT_QUIET   seconds to wait at most for other work on the machine to stop (default 300)
# The corpus is only read: every native build happens in a copy under a temporary directory.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="$(cd "${MEGRAD_CORPUS:-$root/../shared/madgraph}" && pwd)"
read -r -a processes <<< "${BENCH_PROCESSES:-ee_mumu gg_ttxg uux_ttxgg}"
native_secs="${BENCH_NATIVE_SECS:-3}"
jmh_args="${BENCH_JMH_ARGS:--f 1 -wi 8 -w 1s -i 8 -r 1s}"
out_doc="${BENCH_OUT:-$root/docs/PERFORMANCE.md}"
read -r -a native_processes <<< "${BENCH_NATIVE_PROCESSES:-${processes[*]}}"
thread_points="${BENCH_THREAD_POINTS:-100000}"
stream_points="${BENCH_STREAM_POINTS:-10000000}"
variants="primal,forward-4,forward-8,forward-all,reverse-4,reverse-8,reverse-all"
startup_process=gg_ttxg
startup_runs=3
threads_process=gg_ttxg   # as measured for issue 6: ~30 µs a point for |M|², ~300 µs with the gradient, so 10^5 points keep both threads busy
stream_process=ee_mumu    # the cheapest point: the run measures reading and writing, not |M|²
stream_heap=-Xmx256m

work="$(mktemp -d "${TMPDIR:-/tmp}/megrad-bench.XXXXXX")"
started=$(date +%s)
log() { printf '[bench %4ds] %s\n' $(($(date +%s) - started)) "$*" >&2; }
# On failure the work directory is kept for inspection, but not the streaming run's gigabytes of CSV.
fail() { log "error: $*"; rm -f "$work"/stream-*.csv; log "work directory kept: $work"; exit 1; }
trap 'fail "failed at line $LINENO"' ERR
# The makefiles take FFLAGS/CXXFLAGS from the environment when set; the shipped builds must not.
unset FFLAGS CXXFLAGS CFLAGS FC CXX LDFLAGS

# ---------------------------------------------------------------- quiet machine
# Busy CPU ticks of the whole machine (user, nice, system, irq, softirq) and stolen ticks.
busy_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat; }
steal_ticks() { awk '/^cpu / {print $9}' /proc/stat; }
quiet_wait="${BENCH_WAIT_QUIET:-300}"
waited=0
while :; do
  b0=$(busy_ticks); sleep 3; b1=$(busy_ticks)
  busy_pct=$(( (b1 - b0) * 100 / (3 * $(getconf CLK_TCK) * $(nproc)) ))
  [ "$busy_pct" -lt 10 ] && break
  if [ "$waited" -ge "$quiet_wait" ]; then
    log "machine still ${busy_pct}% busy after ${waited}s; measuring anyway (the document will say so)"
    break
  fi
  log "machine ${busy_pct}% busy with other work; waiting for it to go quiet (BENCH_WAIT_QUIET=$quiet_wait s)"
  sleep 12; waited=$((waited + 15))
done
t_start=$(date +%s.%N); busy_start=$(busy_ticks); steal_start=$(steal_ticks)

# ---------------------------------------------------------------- tools
if ! command -v gfortran >/dev/null; then
  log "installing gfortran"
  { apt-get install -y gfortran || { apt-get update && apt-get install -y gfortran; }; } > "$work/apt.log" 2>&1 \
    || fail "gfortran is missing and could not be installed (see $work/apt.log)"
fi
for tool in g++ java mvn python3 make; do
  command -v "$tool" >/dev/null || fail "$tool is required"
done
if [ -n "${CODIPACK_INCLUDE:-}" ] && [ ! -f "$CODIPACK_INCLUDE/codi.hpp" ]; then
  fail "CODIPACK_INCLUDE=$CODIPACK_INCLUDE is not CoDiPack's include directory (no codi.hpp in it)"
fi
# The streaming run writes its input and output CSV into the work directory (about 200 bytes a point).
need_kb=$((stream_points / 5)); avail_kb=$(df -Pk "$work" | awk 'NR == 2 {print $4}')
[ "$avail_kb" -gt "$need_kb" ] || fail "the streaming run needs about $((need_kb / 1024)) MiB free in $work (BENCH_STREAM_POINTS=$stream_points); $((avail_kb / 1024)) MiB are"

# ---------------------------------------------------------------- machine
env_file="$work/env.txt"
{
  echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)"
  echo "cpu_id=family $(lscpu | sed -n 's/^CPU family: *//p' | head -1), model $(lscpu | sed -n 's/^Model: *//p' | head -1)"
  echo "cpus=$(nproc)"
  echo "threads_per_core=$(lscpu | sed -n 's/^Thread(s) per core: *//p' | head -1)"
  echo "hypervisor=$(lscpu | sed -n 's/^Hypervisor vendor: *//p' | head -1)"
  echo "caches=$(lscpu | sed -n 's/^\(L[123][di]* cache\): *\(.*\)/\1 \2/p' | paste -sd ';' -)"
  echo "avx512=$(grep -q avx512f /proc/cpuinfo && echo yes || echo no)"
  echo "memory=$(free -g | awk '/^Mem:/ {print $2 " GiB"}')"
  echo "kernel=$(uname -r)"
  echo "os=$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")"
  echo "java=$(java -version 2>&1 | sed -n 2p)"
  echo "java_vm=$(java -version 2>&1 | sed -n 3p)"
  echo "mvn=$(mvn -v 2>/dev/null | head -1 | sed 's/\x1b\[[0-9;]*m//g')"
  echo "gfortran=$(gfortran --version | head -1)"
  echo "gxx=$(g++ --version | head -1)"
  echo "commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "dirty=$(git -C "$root" status --porcelain 2>/dev/null | grep -v '^??' | wc -l)"
  echo "load_start=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "native_secs=$native_secs"
  echo "jmh_args=$jmh_args"
  echo "processes=${processes[*]}"
  echo "native_processes=${native_processes[*]}"
  echo "codipack=$( [ -n "${CODIPACK_INCLUDE:-}" ] && sed -n 's/^#define CODI_\(MAJOR\|MINOR\|BUILD\)_VERSION \([0-9]*\).*/\2/p' "$CODIPACK_INCLUDE/codi.hpp" | paste -sd. -)"
  # This run's command, with the knobs it was given: the document prints it as the way to reproduce.
  knobs=""
  for v in MEGRAD_CORPUS BENCH_PROCESSES BENCH_NATIVE_PROCESSES CODIPACK_INCLUDE BENCH_NATIVE_SECS BENCH_JMH_ARGS \
           BENCH_THREAD_POINTS BENCH_STREAM_POINTS BENCH_WAIT_QUIET; do
    if [ -n "${!v+x}" ]; then
      case "${!v}" in *[!A-Za-z0-9_./:,=+-]*|"") knobs+="$v=\"${!v}\" " ;; *) knobs+="$v=${!v} " ;; esac
    fi
  done
  echo "command=${knobs}scripts/bench.sh"
  echo "thread_points=$thread_points"
  echo "stream_points=$stream_points"
} > "$env_file"
log "machine: $(grep '^cpu=' "$env_file" | cut -d= -f2-), $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------- build
log "building megrad (mvn -q -DskipTests package) and the JMH benchmarks"
(cd "$root" && mvn -q -DskipTests package) > "$work/mvn.log" 2>&1 || fail "megrad build failed (see $work/mvn.log)"
(cd "$root" && mvn -q -f scripts/bench/pom.xml package) >> "$work/mvn.log" 2>&1 || fail "benchmark build failed (see $work/mvn.log)"
# Snapshot what was built, so that a rebuild elsewhere during the run cannot change what is timed;
# bin/megrad finds its jar relative to itself, so the copy runs the same launcher.
snap="$work/megrad"
mkdir -p "$snap/bin" "$snap/cli/target"
cp "$root/bin/megrad" "$snap/bin/"
cp "$root/cli/target/megrad.jar" "$snap/cli/target/"
cp "$root"/codegen/target/megrad-codegen-*-SNAPSHOT.jar "$work/codegen.jar"
cp "$root/scripts/bench/target/benchmarks.jar" "$work/benchmarks.jar"
bench_cp="$work/benchmarks.jar:$work/codegen.jar"

# ---------------------------------------------------------------- native baselines
fortran_flags_shipped="-w -fPIC -ffixed-line-length-132"   # Source/make_opts: no -O at all
native_flags="-O3 -march=native"

# build_fortran PROCESS FLAVOUR FFLAGS|"" SUBDIR -> path of the driver binary on stdout
build_fortran() {
  local p=$1 flavour=$2 flags=$3 sub=$4 dir="$work/$1/fortran-$2"
  # (Called in a command substitution under ||, where set -e is off: every step checks itself.)
  cp -r "$corpus/$p/fortran" "$dir" && chmod -R u+w "$dir" && mkdir -p "$dir/lib" || return 1
  if [ -z "$flags" ]; then
    make -s -C "$dir/Source" > "$dir/build.log" 2>&1 || return 1
    flags="$fortran_flags_shipped"
  else
    make -s -C "$dir/Source" FFLAGS="$fortran_flags_shipped $flags" > "$dir/build.log" 2>&1 || return 1
    flags="$fortran_flags_shipped $flags"
  fi
  cp "$root/scripts/bench/drivers/bench_driver.f" "$dir/$sub/" || return 1
  (cd "$dir/$sub" && gfortran $flags -c matrix.f && gfortran $flags -c bench_driver.f \
    && gfortran $flags -o bench_driver bench_driver.o matrix.o -L../../lib -ldhelas -lmodel) >> "$dir/build.log" 2>&1 || return 1
  echo "$flags" > "$dir/flags.txt"
  echo "$dir/$sub"
}

# build_cpp PROCESS FLAVOUR CXXFLAGS|"" SUBDIR
build_cpp() {
  local p=$1 flavour=$2 flags=$3 sub=$4 dir="$work/$1/cpp-$2"
  cp -r "$corpus/$p/cpp" "$dir" && chmod -R u+w "$dir" && mkdir -p "$dir/lib" || return 1
  if [ -z "$flags" ]; then
    make -s -C "$dir/src" > "$dir/build.log" 2>&1 || return 1
    flags="$(sed -n 's/^CXXFLAGS *= *\(-O[^ ]*\).*/\1/p' "$dir/$sub/Makefile" | head -1)"   # -Ofast as shipped
  else
    make -s -C "$dir/src" CXXFLAGS="$flags -I." > "$dir/build.log" 2>&1 || return 1
  fi
  local lib; lib="$(basename "$(ls "$dir"/lib/libmodel_*.a | head -1)" .a)"
  cp "$root/scripts/bench/drivers/bench_driver.cpp" "$dir/$sub/" || return 1
  (cd "$dir/$sub" && g++ $flags -I../../src -I. -c CPPProcess.cc && g++ $flags -I../../src -I. -c bench_driver.cpp \
    && g++ $flags -o bench_driver bench_driver.o CPPProcess.o -L../../lib -l"${lib#lib}") >> "$dir/build.log" 2>&1 || return 1
  echo "$flags" > "$dir/flags.txt"
  echo "$dir/$sub"
}

# measured OUT DIR CMD...: runs CMD in DIR with stdout to OUT, then appends to OUT the share of the
# machine that other processes used meanwhile (machine busy time minus the command's own CPU time).
measured() {
  local out=$1 dir=$2; shift 2
  local b0 b1 tf="$out.time"
  b0=$(busy_ticks)
  { time (cd "$dir" && "$@" > "$out" 2> "$out.err"); } 2> "$tf" || return 1
  b1=$(busy_ticks)
  python3 -c 'import sys; r, u, s = map(float, open(sys.argv[1]).read().split()[-3:]); \
print(f"CONTENTION {max(0.0, (float(sys.argv[3]) - float(sys.argv[2])) / float(sys.argv[4]) - u - s) / (r * float(sys.argv[5])):.4f}")' \
    "$tf" "$b0" "$b1" "$(getconf CLK_TCK)" "$(nproc)" >> "$out"
}
TIMEFORMAT='%R %U %S'

for p in "${processes[@]}"; do
  [ -f "$corpus/$p/reference.json" ] || fail "no process $p in $corpus"
  mkdir -p "$work/$p"
  python3 "$root/scripts/bench/process.py" "$corpus" "$p" "$work/$p" > "$work/$p/process.txt"
  fsub="$(sed -n 's/^fortran_dir=//p' "$work/$p/process.txt")"
  csub="$(sed -n 's/^cpp_dir=//p' "$work/$p/process.txt")"
  if [ -n "$fsub" ] && [ -d "$corpus/$p/fortran" ]; then
    ncomb="$(grep -m1 -o 'NCOMB=[0-9]*' "$corpus/$p/fortran/$fsub/matrix.f" | cut -d= -f2)"
    for flavour in shipped native nofma; do
      flags=""; [ $flavour = native ] && flags="$native_flags"
      [ $flavour = nofma ] && flags="$native_flags -ffp-contract=off"   # diagnostic: what FMA contraction buys
      log "$p: Fortran ($flavour) build and timing"
      bin="$(build_fortran "$p" "$flavour" "$flags" "$fsub")" || fail "$p: Fortran $flavour build failed (see $work/$p/fortran-$flavour/build.log)"
      measured "$work/$p/fortran-$flavour.txt" "$bin" ./bench_driver "$work/$p/points.txt" "$ncomb" "$native_secs" \
        || fail "$p: Fortran $flavour driver failed"
      echo "FLAGS $(cat "$work/$p/fortran-$flavour/flags.txt")" >> "$work/$p/fortran-$flavour.txt"
    done
  fi
  if [ -n "$csub" ] && [ -d "$corpus/$p/cpp" ]; then
    for flavour in shipped native; do
      flags=""; [ $flavour = native ] && flags="$native_flags"
      log "$p: C++ ($flavour) build and timing"
      bin="$(build_cpp "$p" "$flavour" "$flags" "$csub")" || fail "$p: C++ $flavour build failed (see $work/$p/cpp-$flavour/build.log)"
      measured "$work/$p/cpp-$flavour.txt" "$bin" ./bench_driver "$work/$p/points.txt" "$native_secs" \
        || fail "$p: C++ $flavour driver failed"
      echo "FLAGS $(cat "$work/$p/cpp-$flavour/flags.txt")" >> "$work/$p/cpp-$flavour.txt"
    done
  fi
done

# ---------------------------------------------------------------- megrad Java (JMH)
export MEGRAD_BENCH_WORK="$work"
export MEGRAD_CACHE="$work/cache"
MEGRAD_BENCH_CLK_TCK="$(getconf CLK_TCK)"
export MEGRAD_BENCH_CLK_TCK
log "Java: translating, compiling and checking every variant (${processes[*]})"
java -cp "$bench_cp" io.megrad.bench.Prepare "$work/prepare.json" "$variants" "${processes[@]}" 2> "$work/prepare.log" \
  || { cat "$work/prepare.log" >&2; fail "Java preparation failed"; }
plist="$(IFS=,; echo "${processes[*]}")"
log "Java: JMH $jmh_args over $plist x $variants"
# shellcheck disable=SC2086
java -cp "$bench_cp" org.openjdk.jmh.Main io.megrad.bench.EvaluateBenchmark -p process="$plist" -p variant="$variants" \
  -bm avgt -tu us $jmh_args -rf json -rff "$work/jmh.json" > "$work/jmh.log" 2>&1 \
  || { tail -40 "$work/jmh.log" >&2; fail "JMH failed"; }

# ---------------------------------------------------------------- native backend vs Java port (issue 4)
# Same harness for both sides (one JVM, single-threaded, per-point calls); the native libraries are
# built here into the run's cache, so the build times are from an empty cache.
# describe PROCESS: process.py's files for a process outside BENCH_PROCESSES
describe() {
  [ -f "$corpus/$1/reference.json" ] || fail "no process $1 in $corpus"
  [ -f "$work/$1/process.txt" ] \
    || { mkdir -p "$work/$1" && python3 "$root/scripts/bench/process.py" "$corpus" "$1" "$work/$1" > "$work/$1/process.txt"; }
}
for p in "${native_processes[@]}"; do describe "$p"; done
log "native vs Java: ${native_processes[*]} (CoDiPack: ${CODIPACK_INCLUDE:-not set, so built-in scalar only})"
# The CLI's shaded jar carries the bindings, JavaCPP and the JNI glue the native evaluators need.
java -cp "$work/benchmarks.jar:$snap/cli/target/megrad.jar" io.megrad.bench.NativeCompare "$work/native.txt" "$native_secs" \
  "${native_processes[@]}" 2> "$work/native.log" || { tail -40 "$work/native.log" >&2; fail "native vs Java comparison failed"; }

# ---------------------------------------------------------------- threads and streaming (issue 6)
timed() { python3 "$root/scripts/bench/timed.py" "$@"; }
describe "$threads_process"
tp="$work/$threads_process"
t_sqrts="$(sed -n 's/^sqrt_s=//p' "$tp/process.txt")"
t_wrt="final,$(sed -n 's/^params=//p' "$tp/process.txt")"
threads="$work/threads.txt"
{
  echo "process $threads_process"
  echo "points $thread_points"
  echo "command bin/megrad eval ../shared/madgraph/$threads_process/fortran --sample $thread_points --sqrt-s $t_sqrts --wrt $t_wrt --threads T --quiet -o out.json"
} > "$threads"
for kind in gradient primal; do
  args=(); [ $kind = gradient ] && args=(--wrt "$t_wrt")
  # Untimed: compiles the port into the cache, so that neither timed run pays for javac.
  "$snap/bin/megrad" eval "$corpus/$threads_process/fortran" --sample 10 --sqrt-s "$t_sqrts" "${args[@]}" --quiet \
    -o "$work/threads-warm.json" 2> "$work/threads-err.txt" || { cat "$work/threads-err.txt" >&2; fail "megrad eval failed"; }
  for t in 1 2; do
    log "threads: $threads_process ($kind), $thread_points sampled points, --threads $t"
    timed "$work/threads-$kind-$t.txt" -- "$snap/bin/megrad" eval "$corpus/$threads_process/fortran" --sample "$thread_points" \
      --sqrt-s "$t_sqrts" "${args[@]}" --threads "$t" --quiet -o "$work/threads-$kind-$t.json" 2> "$work/threads-err.txt" \
      || { cat "$work/threads-err.txt" >&2; fail "megrad eval --threads $t failed"; }
  done
  # Threads must not change a single bit of the output.
  if cmp -s "$work/threads-$kind-1.json" "$work/threads-$kind-2.json"; then same=yes; else same=no; fi
  echo "identical_$kind $same" >> "$threads"
  rm -f "$work"/threads-$kind-*.json
done

describe "$stream_process"
s_sqrts="$(sed -n 's/^sqrt_s=//p' "$work/$stream_process/process.txt")"
stream="$work/stream.txt"
s_in="$work/stream-in.csv"; s_out="$work/stream-out.csv"
"$snap/bin/megrad" eval "$corpus/$stream_process/fortran" --sample 10 --sqrt-s "$s_sqrts" --quiet -o "$work/stream-warm.json" \
  2> "$work/stream-err.txt" || { cat "$work/stream-err.txt" >&2; fail "megrad eval failed"; }
log "streaming: $stream_process, $stream_points points to CSV and back, MEGRAD_JAVA_OPTS=$stream_heap"
timed "$work/stream-sample.txt" --env MEGRAD_JAVA_OPTS="$stream_heap" -- "$snap/bin/megrad" sample "$corpus/$stream_process/fortran" \
  --n "$stream_points" --sqrt-s "$s_sqrts" -o "$s_in" 2> "$work/stream-err.txt" \
  || { cat "$work/stream-err.txt" >&2; fail "megrad sample failed"; }
timed "$work/stream-eval.txt" --env MEGRAD_JAVA_OPTS="$stream_heap" -- "$snap/bin/megrad" eval "$corpus/$stream_process/fortran" \
  --points "$s_in" --format csv --quiet -o "$s_out" 2> "$work/stream-err.txt" \
  || { cat "$work/stream-err.txt" >&2; fail "megrad eval of the streamed CSV failed"; }
{
  echo "process $stream_process"
  echo "points $stream_points"
  echo "heap $stream_heap"
  echo "in_bytes $(stat -c %s "$s_in")"
  echo "in_rows $(wc -l < "$s_in")"
  echo "out_bytes $(stat -c %s "$s_out")"
  echo "out_rows $(($(wc -l < "$s_out") - 1))"   # less the header line
  echo "out_ok $(grep -c ',ok$' "$s_out" || true)"
  echo "command MEGRAD_JAVA_OPTS=$stream_heap bin/megrad sample ../shared/madgraph/$stream_process/fortran --n $stream_points --sqrt-s $s_sqrts -o big.csv && MEGRAD_JAVA_OPTS=$stream_heap bin/megrad eval ../shared/madgraph/$stream_process/fortran --points big.csv --format csv -o out.csv"
} > "$stream"
rm -f "$s_in" "$s_out"

# ---------------------------------------------------------------- start-up
sp="$work/$startup_process"
[ -d "$sp" ] || { mkdir -p "$sp" && python3 "$root/scripts/bench/process.py" "$corpus" "$startup_process" "$sp" > "$sp/process.txt"; }
wrt="final,$(sed -n 's/^params=//p' "$sp/process.txt")"
startup="$work/startup.txt"
: > "$startup"
# run_eval LABEL CACHE ARGS...: wall time of one bin/megrad eval
run_eval() {
  local label=$1 cache=$2; shift 2
  local t0 t1
  t0=$(date +%s.%N)
  MEGRAD_CACHE="$cache" "$snap/bin/megrad" eval "$corpus/$startup_process/fortran" --points "$sp/point1.json" "$@" \
    -o "$work/startup-out.json" 2> "$work/startup-err.txt" || { cat "$work/startup-err.txt" >&2; fail "megrad eval failed"; }
  t1=$(date +%s.%N)
  echo "$label $(python3 -c "print(f'{$t1 - $t0:.3f}')")" >> "$startup"
}
for kind in gradient primal; do
  args=(); [ $kind = gradient ] && args=(--wrt "$wrt")
  log "start-up: $startup_process ($kind), $startup_runs cold and $startup_runs warm runs"
  for i in $(seq "$startup_runs"); do
    cache="$work/startup-cache-$kind-$i"
    run_eval "cold-$kind" "$cache" "${args[@]}"
  done
  for i in $(seq "$startup_runs"); do
    run_eval "warm-$kind" "$work/startup-cache-$kind-1" "${args[@]}"
  done
done
log "start-up: JVM and CLI alone (megrad --version), $startup_runs runs"
for i in $(seq "$startup_runs"); do
  t0=$(date +%s.%N); "$snap/bin/megrad" --version > /dev/null; t1=$(date +%s.%N)
  echo "version $(python3 -c "print(f'{$t1 - $t0:.3f}')")" >> "$startup"
done
echo "wrt $wrt" >> "$startup"
echo "d $(sed -n 's/^d=//p' "$sp/process.txt")" >> "$startup"
echo "command MEGRAD_CACHE=\$(mktemp -d) bin/megrad eval ../shared/madgraph/$startup_process/fortran --points POINT.json --wrt $wrt -o out.json" >> "$startup"

# ---------------------------------------------------------------- document
# CPU time used by other processes = the machine's busy time minus this run's (children's) CPU time.
busy_end=$(busy_ticks); steal_end=$(steal_ticks); t_end=$(date +%s.%N)
times > "$work/times.txt"   # builtin in this shell (a $(...) subshell would report zeros)
ours="$(tail -1 "$work/times.txt")"
python3 - "$t_start" "$t_end" "$busy_start" "$busy_end" "$steal_start" "$steal_end" "$(getconf CLK_TCK)" "$(nproc)" "$ours" <<'PY' >> "$env_file"
import re, sys
t0, t1, b0, b1, s0, s1, hz, n = map(float, sys.argv[1:9])
ours = sum(float(m) * 60 + float(s) for m, s in re.findall(r"(\d+)m([\d.]+)s", sys.argv[9]))
wall = (t1 - t0) * n
print(f"other_cpu_share={max(0.0, ((b1 - b0) / hz - ours) / wall):.4f}")
print(f"steal_share={(s1 - s0) / hz / wall:.4f}")
print(f"own_cpu_s={ours:.0f}")
PY
{
  echo "quiet_wait_s=$waited"
  echo "load_end=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "elapsed_s=$(($(date +%s) - started))"
} >> "$env_file"
python3 "$root/scripts/bench/render.py" "$work" "$out_doc"
log "wrote $out_doc"
trap - ERR
if [ "${BENCH_KEEP:-0}" = 1 ]; then
  log "work directory kept: $work"
else
  rm -rf "$work"
fi
