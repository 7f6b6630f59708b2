#!/usr/bin/env bash
# Runs the al4j JMH benchmarks (all, or those matching a regex) and writes
#   benchmarks/results/<name>-<UTC date>.json   JMH's results (-rf json)
#   benchmarks/results/<name>-<UTC date>.md     the Markdown tables (dev.al4j.benchmarks.report.ResultsToMarkdown)
# <name> is the regex, then each '-p name=values' given (e.g. ScalingBenchmark-candidates_1000000), then -quick for
# --quick; an existing file is never overwritten (a -2, -3, ... suffix is added).
# Builds benchmarks/target/benchmarks.jar first when it is missing or older than a source file.
#
# usage: benchmarks/run.sh [--quick] [JMH regex] [extra JMH args ...]
#   --quick      1 fork, 1 warm-up and 3 measured iterations of 1 s (a rough table in minutes, not a result)
#   JMH regex    e.g. QueryTimeBenchmark, 'QueryTimeBenchmark|MemoryBandwidthBenchmark'; default: every benchmark
#   extra args   passed to JMH, e.g. -p strategy=entropy,bald  -jvmArgsAppend -Xmx12g  -prof stack
# environment:   NO_GC_PROFILER=1 drops the '-prof gc' added by default (heap bytes per operation)
#                JAVA=/path/to/java picks the JVM (default: java on PATH)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
jar="$here/target/benchmarks.jar"
java="${JAVA:-java}"

quick=()
profile=default
if [[ "${1:-}" == "--quick" ]]; then
  quick=(-f 1 -wi 1 -i 3 -w 1s -r 1s)
  profile=quick
  shift
fi
regex="${1:-.}"
if [[ $# -gt 0 ]]; then shift; fi

stale=0
if [[ ! -f "$jar" ]]; then
  stale=1
elif [[ -n "$(find "$root" -path "$root/*/src/main/*" -newer "$jar" -type f -print -quit 2>/dev/null)" \
     || "$root/pom.xml" -nt "$jar" || "$here/pom.xml" -nt "$jar" ]]; then
  stale=1
fi
if [[ $stale == 1 ]]; then
  echo "run.sh: building $jar" >&2
  (cd "$root" && { mvn -B -q -o package -pl benchmarks -am -DskipTests \
                   || mvn -B -q package -pl benchmarks -am -DskipTests; })
fi

slug() { printf '%s' "$1" | tr -c 'A-Za-z0-9_' '_' | sed 's/__*/_/g; s/^_//; s/_$//'; }
name="$(slug "$regex")"
[[ -z "$name" ]] && name=all
# The -p parameters go into the name, so that runs of one benchmark at different sizes are told apart.
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  if [[ "${args[i]}" == -p && $((i + 1)) -lt ${#args[@]} ]]; then
    name="$name-$(slug "${args[i + 1]}" | cut -c 1-60)"
  fi
done
[[ $profile == quick ]] && name="$name-quick"
stamp="$(date -u +%Y%m%dT%H%MZ)"
mkdir -p "$here/results"
base="$here/results/$name-$stamp"
suffix=""
n=1
while [[ -e "$base$suffix.json" || -e "$base$suffix.md" ]]; do
  n=$((n + 1))
  suffix="-$n"
done
json="$base$suffix.json"
md="$base$suffix.md"

gc=(-prof gc)
[[ "${NO_GC_PROFILER:-0}" == 1 ]] && gc=()

cmd=("$java" -jar "$jar" "$regex" "${quick[@]}" "${gc[@]}" "$@" -rf json -rff "$json")
echo "run.sh: ${cmd[*]}" >&2
"${cmd[@]}"

# The floor columns need a MemoryBandwidthBenchmark result: if this run has none, the newest one on file supplies
# the floor (--floor: its bandwidths only, not its tables). Newest by the UTC stamp in the file name (a fresh clone
# gives every file the same mtime), default-profile runs before --quick ones.
inputs=("$json")
if ! grep -q MemoryBandwidthBenchmark "$json"; then
  floor="$(for f in "$here"/results/*.json; do
             [[ -f "$f" ]] && grep -q MemoryBandwidthBenchmark "$f" || continue
             stamp="$(basename "$f" | grep -o '[0-9]\{8\}T[0-9]\{4\}Z' | tail -1)"
             quick=1; [[ "$f" == *-quick-* ]] || quick=0
             printf '%s %s %s\n' "$quick" "${stamp:-0}" "$f"
           done | sort -k1,1n -k2,2r | awk 'NR == 1 { sub(/^[^ ]* [^ ]* /, ""); print }')"
  [[ -n "$floor" ]] && inputs=(--floor "$floor" "${inputs[@]}")
fi
shown="benchmarks/run.sh"
[[ $profile == quick ]] && shown+=" --quick"
shown+=" $regex"
[[ $# -gt 0 ]] && shown+=" $*"
"$java" -cp "$jar" dev.al4j.benchmarks.report.ResultsToMarkdown --command "$shown ($profile profile)" \
  --out "$md" "${inputs[@]}"
echo "run.sh: wrote $json and $md" >&2
cat "$md"
