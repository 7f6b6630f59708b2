#!/usr/bin/env bash
# The SCAL study of docs/experiments/scal/README.md: seed 000 (Krishnan et al., "Mitigating Sampling Bias and
# Improving Robustness in Active Learning") on Fashion-MNIST with al4j's MLP.
#
# Parts, one `al4j run --out PART` each, resumable (run this script again after a kill or in a later session):
#   seedS-main    SCAL, FeatureSim (cross-entropy network), DFM, entropy, BALD, CoreSet (k-center), Learning Loss and
#                 random, evaluated each cycle on the test set, on scikit-learn's digits as out-of-distribution data
#                 (AUROC) and on the Gaussian-blurred test set (dataset shift);
#   seedS-heldout the same question with held-out Fashion-MNIST classes as out-of-distribution data: classes 8 (bag)
#                 and 9 (ankle boot) are removed from the pool and the test set, and their test images are the OOD set.
# At the end `al4j report` merges the main parts here and the held-out parts into heldout/.
#
# Build first (repository root): mvn -B -q install -DskipTests. Needs Debian's dataset-fashion-mnist and, for the
# digits, python3-sklearn and python3-scipy. AL4J=path/to/al4j runs another build; PARTS=DIR keeps the parts elsewhere.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../parts.sh"   # al4j, parts, data, AL4J_JAVA_OPTS and part NAME SEED ARGS...
digits="$parts/digits-28x28.npy"
[ -f "$digits" ] || /usr/bin/python3 "$here/make-digits.py" "$digits"

# Seed 000 §4.1: no labels at first, M = 500 per cycle for Fashion-MNIST, queries from a random subset of 10 000
# unlabeled samples, 10 cycles; appendix A: dropout 0.3, 50 MC passes for BALD. The MLP trains 20 epochs with Adam
# 1e-3 (the paper: ResNet-18, SGD, 200 epochs). Blur: sigma 1 pixel.
protocol=(--data "$data" --initial 500 --batch 500 --budget 5000 --subset 10000 --epochs 20 --dropout 0.3
          --mc-passes 50 --trials 1)

for seed in 1 2 3; do
  part "seed$seed-main" "$seed" --strategies scal,feature-sim,dfm,entropy,bald,kcenter,learning-loss,random \
      --ood-data "$digits" --shift-blur 1
  part "seed$seed-heldout" "$seed" --strategies scal,feature-sim,bald,random --ood-classes 8,9
done
report --out "$here" "$parts"/seed*-main
report --out "$here/heldout" "$parts"/seed*-heldout
