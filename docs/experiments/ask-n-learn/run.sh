#!/usr/bin/env bash
# The Ask-n-Learn study of docs/experiments/ask-n-learn/README.md: seed 002 (Venkatesh and Thiagarajan), Figure 3 —
# Fashion-MNIST, a 3-layer MLP [256-256-256], b = 1 000, Adam 1e-3, 100 random initial labels, 3 trials — Ask-n-Learn
# with VWCC and with LWCC against BADGE, entropy and random.
#
# One `al4j run --out PART` per (trial seed, calibration): Ask-n-Learn's calibration is a run option, so each
# calibration is its own part; the baselines run in the VWCC part. Every part is resumable: run this script again after
# a kill or in a later session and it goes on where it stopped. At the end `al4j report` merges the parts here.
#
# Build first (repository root): mvn -B -q install -DskipTests. Needs Debian's dataset-fashion-mnist.
# AL4J=path/to/al4j runs another build; PARTS=DIR keeps the parts elsewhere (default: parts/ next to this script).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../parts.sh"   # al4j, parts, data, AL4J_JAVA_OPTS and part NAME SEED ARGS...

# Seed 002 §4: initial 100, b = 1 000, models retrained from scratch every cycle "until convergence" (here 20 epochs,
# the survey's setting), Adam 1e-3; the whole unlabeled pool is the candidate set; 10 cycles (budget 10 100).
protocol=(--data "$data" --initial 100 --batch 1000 --budget 10100 --subset 0 --epochs 20 --trials 1)

for seed in 1 2 3; do
  part "seed$seed-vwcc" "$seed" --strategies ask-n-learn,badge,entropy,random --calibration vwcc
  part "seed$seed-lwcc" "$seed" --strategies ask-n-learn --calibration lwcc
done
report --out "$here" "$parts"/seed*-vwcc "$parts"/seed*-lwcc
