#!/usr/bin/env bash
# The survey study of docs/experiments/survey-fashion-mnist/README.md: seed 003 (Zhan et al., DeepAL+), Tables 3 and 6,
# appendix D.2, on Fashion-MNIST with al4j's MLP in place of ResNet-18.
#
# Three workers, one core each (OMP_NUM_THREADS=1), each a sequence of `al4j run --out PART` processes; a part is one
# trial seed and one group of strategies. Every part is resumable: run this script again after a kill, a crash or the
# end of a session and each part goes on where it stopped (a finished part only prints its summary). When all parts
# are done, `al4j report` merges them into this directory.
#
# Build first (repository root): mvn -B -q install -DskipTests
# Needs the Debian package dataset-fashion-mnist (or FASHION_MNIST=DIR with the four IDX files).
# AL4J=path/to/al4j runs another build of the command (e.g. a copy of the repository that is not rebuilt meanwhile);
# PARTS=DIR keeps the parts elsewhere (default: parts/ next to this script).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../parts.sh"   # al4j, parts, data, AL4J_JAVA_OPTS and part NAME SEED ARGS...

# Seed 003, Table 3 (FashionMNIST): 500 initial, 59 500 unlabeled, 10 000 test, b = 250, Q = 10 000, 20 epochs;
# D.2: Adam 1e-3, 10 MC-dropout passes, KCenter on 32 PCA dimensions, CEAL threshold 1e-5. Every unlabeled sample is
# a candidate (--subset 0).
protocol=(--data "$data" --initial 500 --batch 250 --budget 10000 --subset 0 --epochs 20 --mc-passes 10 --trials 1)
group_a=random,entropy,margin,least-confidence,var-ratio,bald,mean-std
group_b=entropy-mc,margin-mc,least-confidence-mc,kcenter,badge,kmeans

worker_a() {
  for seed in 1 2 3; do
    part "seed$seed-a" "$seed" --strategies "$group_a"
    part "seed$seed-ceal" "$seed" --strategies entropy --ceal --ceal-threshold 1e-5 --ceal-decay 0
  done
}

worker_b() {
  for seed in 1 2 3; do
    part "seed$seed-b" "$seed" --strategies "$group_b" --pca-dims 32
  done
}

# The survey's WAAL, VAAL and AdvBIM (issue 19) came to al4j at cfb0a55, after the build that ran the parts above
# (852d40a): run these parts with such a build (AL4J=path/to/its/al4j). adv-bim: BIM steps of 0.05, at most 50;
# vaal: its own β-VAE and discriminator, 30 epochs of Adam 1e-3 at every query (appendix D.2), on a random 10 000 of
# the unlabeled samples per query (the whole pool would cost ~33 core-minutes per query; README); waal: the learner is
# WAAL's adversarial training on the labeled and unlabeled samples, 20 epochs.
worker_c() {
  local whole_pool=("${protocol[@]}") subset=() i
  for ((i = 0; i < ${#whole_pool[@]}; i++)); do   # the protocol with --subset 10000 for --subset 0
    if [ "${whole_pool[$i]}" = --subset ]; then subset+=(--subset 10000); i=$((i + 1)); else subset+=("${whole_pool[$i]}"); fi
  done
  for seed in 1 2 3; do
    protocol=("${whole_pool[@]}")
    part "seed$seed-advbim" "$seed" --strategies adv-bim
    part "seed$seed-waal" "$seed" --strategies waal
    protocol=("${subset[@]}")
    part "seed$seed-vaal" "$seed" --strategies vaal
  done
}

worker_a & a=$!
worker_b & b=$!
worker_c & c=$!
wait "$a"
wait "$b"
wait "$c"
report --out "$here" "$parts"/seed*-a "$parts"/seed*-ceal "$parts"/seed*-b "$parts"/seed*-advbim "$parts"/seed*-waal \
    "$parts"/seed*-vaal
