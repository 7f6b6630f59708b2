#!/usr/bin/env bash
# One-shot (cold) al4j select against the numpy script, each a fresh process on the same arrays: the wall time of the
# whole command (JVM or interpreter start, reading the .npy files, one selection, writing the ids), alternating the
# two, ROUNDS times per strategy; prints a Markdown table of the medians and compares the selected ids.
#
# usage: benchmarks/peers/cold-select.sh DATA_DIR [ROUNDS] [strategy ...]
#   DATA_DIR holds embeddings.npy, probabilities.npy, mc.npy, labeled.npy, labels.npy (as SideBySide writes them);
#   strategies are al4j select names (entropy bald mean-std kcenter badge kmeans feature-sim dfm by default).
# Needs ./al4j built (mvn -B -q package -pl al-examples -am -DskipTests) and Debian's python3-numpy/python3-sklearn.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
data="$1"; rounds="${2:-3}"; shift; shift || true
names=("$@"); [ ${#names[@]} -gt 0 ] || names=(entropy bald mean-std kcenter badge kmeans feature-sim dfm)
scratch="$(mktemp -d)"; trap 'rm -rf "$scratch"' EXIT
declare -A script=([entropy]=entropy [bald]=bald [mean-std]=meanStd [kcenter]=kCenterGreedy [badge]=badge
  [kmeans]=kMeans [feature-sim]=featureSimilarity [dfm]=deepFeatureModeling [margin]=margin
  [least-confidence]=leastConfidence)
now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | head -1)"
echo
echo "| strategy | al4j select, whole command | of which the query (queryMillis) | numpy script, whole command | numpy ÷ al4j | selections |"
echo "|---|--:|--:|--:|--:|---|"
for name in "${names[@]}"; do
  py="${script[$name]}"
  extra=(--seed 1)
  [ "$name" = dfm ] && extra+=(--components 16)
  : > "$scratch/a"; : > "$scratch/q"; : > "$scratch/p"
  for ((r = 0; r < rounds; r++)); do
    t0=$(now)
    "$here/al4j" select --strategy "$name" --budget 1000 --repeat 1 --probs "$data/probabilities.npy" \
      --embeddings "$data/embeddings.npy" --mc-probs "$data/mc.npy" --labeled "$data/labeled.npy" \
      --labels "$data/labels.npy" "${extra[@]}" > "$scratch/al4j.json" 2> "$scratch/al4j.err"
    t1=$(now)
    /usr/bin/python3 "$here/benchmarks/peers/setting.py" --data "$data" --strategy "$py" --repeat 0 \
      --out "$scratch/py.txt" > /dev/null 2>&1
    t2=$(now)
    echo "$t1 - $t0" | bc -l >> "$scratch/a"
    echo "$t2 - $t1" | bc -l >> "$scratch/p"
    /usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["queryMillis"] / 1000)' \
      "$scratch/al4j.json" >> "$scratch/q"
  done
  same=$(/usr/bin/python3 - "$scratch/al4j.json" "$scratch/py.txt" <<'PY'
import json, sys
a = json.load(open(sys.argv[1]))["selected"]
p = [int(x) for x in open(sys.argv[2]).read().split()]
print("same ids, same order" if a == p else "same ids, other order" if sorted(a) == sorted(p)
      else "%d of %d ids in common" % (len(set(a) & set(p)), len(a)))
PY
)
  a=$(median < "$scratch/a"); q=$(median < "$scratch/q"); p=$(median < "$scratch/p")
  printf '| %s | %.2f s | %.2f s | %.2f s | %.2f× | %s |\n' "$name" "$a" "$q" "$p" "$(echo "$p / $a" | bc -l)" "$same"
done
