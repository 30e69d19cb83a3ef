// megrad benchmark driver around MadGraph's own CPPProcess (standalone_cpp output).
//
// Usage (from SubProcesses/P*): bench_driver POINTS_FILE SECONDS
// POINTS_FILE: first line "NPTS NEXT", then NPTS*NEXT lines "E PX PY PZ".
// Prints "ME k value" per point (first call: all helicities), then one RESULT line.
// CPPProcess::sigmaKin keeps only the helicities that were non-zero at its first call
// (static state, no reset hook), so the timing is MadGraph's steady state ("filtered").
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <vector>

#include "CPPProcess.h"

static double runLoop(CPPProcess& proc, std::vector<std::vector<double*>>& pts, long calls, double& seconds) {
  double sum = 0;
  size_t k = 0;
  auto t0 = std::chrono::steady_clock::now();
  for (long i = 0; i < calls; i++) {
    proc.setMomenta(pts[k]);
    proc.sigmaKin();
    sum += proc.getMatrixElements()[0];
    if (++k == pts.size()) k = 0;
  }
  auto t1 = std::chrono::steady_clock::now();
  seconds = std::chrono::duration<double>(t1 - t0).count();
  return sum;
}

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: bench_driver POINTS_FILE SECONDS\n";
    return 2;
  }
  std::ifstream in(argv[1]);
  double secs = std::atof(argv[2]);
  int npts, next;
  in >> npts >> next;
  CPPProcess proc;
  // Parameter printout of the first sigmaKin call goes to stdout; keep ours parseable.
  proc.initProc("../../Cards/param_card.dat");
  if (!in || next != proc.nexternal || npts < 1) {
    std::cerr << "bench_driver: bad points file header\n";
    return 1;
  }
  std::vector<std::vector<double*>> pts(npts);
  for (int k = 0; k < npts; k++) {
    for (int i = 0; i < next; i++) {
      double* p = new double[4];
      in >> p[0] >> p[1] >> p[2] >> p[3];
      pts[k].push_back(p);
    }
  }
  std::vector<double> me(npts);
  for (int k = 0; k < npts; k++) {
    proc.setMomenta(pts[k]);
    proc.sigmaKin();
    me[k] = proc.getMatrixElements()[0];
  }
  for (int k = 0; k < npts; k++) std::printf("ME %5d %25.17e\n", k + 1, me[k]);

  double el;
  double sum = runLoop(proc, pts, 40, el);
  long calls = npts;
  for (;;) {
    sum += runLoop(proc, pts, calls, el);
    if (el >= 0.05) break;
    calls *= 4;
  }
  const int nrep = 5;
  calls = std::max<long>(npts, (long)(calls * (secs / nrep) / el));
  std::vector<double> t(nrep);
  for (int r = 0; r < nrep; r++) {
    sum += runLoop(proc, pts, calls, el);
    t[r] = el / calls * 1e6;
  }
  std::sort(t.begin(), t.end());
  std::printf("RESULT filtered min_us %14.6e median_us %14.6e calls %12ld checksum %14.6e\n", t[0], t[nrep / 2],
              calls, sum);
  return 0;
}
