#!/usr/bin/env bash
# The Fashion-MNIST study of docs/experiments/fashion-mnist-5k-subset/README.md, as it was run:
#   two `al4j run` processes, one core each (OMP_NUM_THREADS=1), five strategies × 3 trials each,
#   then `al4j report` merges them into this directory.
# Build first (repository root): mvn -B -q install -DskipTests
# Needs the Debian package dataset-fashion-mnist (or FASHION_MNIST=DIR with the four IDX files).
# Takes about an hour on 2 cores; the logs go to part-a.log and part-b.log next to this script.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
data="${FASHION_MNIST:-/usr/share/datasets/fashion-mnist}"
# ND4J frees native memory only when the GC runs; the launcher's defaults let one process grow to 12 GB, so two at
# once would not fit in 24 GB. With these limits each stays below 6 GB. (In the committed run, both started with the
# defaults; part-a was killed by the kernel's OOM killer after 1.7 trials and restarted from scratch with these
# limits while part-b went on with the defaults. The limits change no result, only when memory is freed.)
export AL4J_JAVA_OPTS="${AL4J_JAVA_OPTS:--Xmx2g -Dorg.bytedeco.javacpp.maxbytes=3G -Dorg.bytedeco.javacpp.maxphysicalbytes=6G}"
protocol=(--data "$data" --initial 500 --batch 250 --budget 5000 --subset 10000 --epochs 20
          --trials 3 --seed 1)

OMP_NUM_THREADS=1 "$root/al4j" run "${protocol[@]}" --strategies random,entropy,margin,least-confidence,bald \
    --out "$here/part-a" > "$here/part-a.log" 2>&1 &
a=$!
OMP_NUM_THREADS=1 "$root/al4j" run "${protocol[@]}" --strategies kcenter,kmeans,badge,feature-sim,dfm \
    --out "$here/part-b" > "$here/part-b.log" 2>&1 &
b=$!
wait "$a"
wait "$b"
"$root/al4j" report --out "$here" "$here/part-a" "$here/part-b"
