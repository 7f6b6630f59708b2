#!/usr/bin/env bash
# The PAL robustness study of docs/experiments/pal-robustness/README.md: seed 004 (Bhatnagar et al., "PAL: Pretext-
# based Active Learning"), Figure 2 (20 % label noise) and Figure 3 (a biased initial pool missing two classes), on
# Fashion-MNIST with al4j's MLP (the paper: SVHN and CIFAR-10 with VGG-16; neither data set is reachable here).
#
# Parts, one `al4j run --out PART` each, resumable (run this script again after a kill or in a later session):
#   seedS-noise   PAL, entropy, core-set (k-center), DBAL and random with an oracle that answers a wrong class with
#                 probability 0.2 (initial labels included, as the paper corrupts the labeled pool and the queries);
#   seedS-biased  the same strategies from an initial pool drawn from classes 0-7 only (8 of 10, §4.3).
# At the end `al4j report` merges each setting into noise/ and biased/.
#
# Build first (repository root): mvn -B -q install -DskipTests. Needs Debian's dataset-fashion-mnist.
# AL4J=path/to/al4j runs another build; PARTS=DIR keeps the parts elsewhere (default: parts/ next to this script).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../parts.sh"   # al4j, parts, data, AL4J_JAVA_OPTS and part NAME SEED ARGS...

# Seed 004 §4: initial pool 10 % of the data, each round 5 % more, up to 40 %, a common classifier retrained from
# scratch each round. Scaled down: the first 20 000 training images are the pool (2 000 initial, rounds of 1 000, up
# to 8 000), the MLP trains 20 epochs with Adam 1e-3 (the paper: VGG-16, SGD 0.01, 100 epochs), 3 trials (paper: 5).
protocol=(--data "$data" --pool-size 20000 --initial 2000 --batch 1000 --budget 8000 --subset 0 --epochs 20
          --trials 1 --strategies pal,entropy,kcenter,dbal,random)

for seed in 1 2 3; do
  part "seed$seed-noise" "$seed" --noise 0.2
  part "seed$seed-biased" "$seed" --biased-initial 0,1,2,3,4,5,6,7
done
report --out "$here/noise" "$parts"/seed*-noise
report --out "$here/biased" "$parts"/seed*-biased
