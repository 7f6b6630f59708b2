# Sourced by the studies' run.sh scripts: what they share. Each sets `here` (its directory) before sourcing this.
#   al4j   the command (AL4J=path/to/al4j runs another build, e.g. a copy of the repository that is not rebuilt
#          while the study runs; default: the repository's ./al4j)
#   parts  where the parts go (PARTS=DIR; default: parts/ next to the study's run.sh)
#   data   the Fashion-MNIST IDX directory (FASHION_MNIST=DIR; default: Debian's dataset-fashion-mnist)
# and the function `part NAME SEED ARGS...`: one `al4j run "${protocol[@]}" --seed SEED ARGS... --out $parts/NAME` on
# one core (OMP_NUM_THREADS=1), its console in $parts/NAME.log, its start and end in $parts/progress.log. A part is
# resumable: the same call after a kill or in a later session goes on where it stopped.
# A study's run.sh with part names as arguments (e.g. `run.sh seed1-a seed2-a`) runs only those parts and skips the
# final merge (`report`); without arguments it runs every part and then merges them.
root="$(cd "$here/../../.." && pwd)"
al4j="${AL4J:-$root/al4j}"
parts="${PARTS:-$here/parts}"
data="${FASHION_MNIST:-/usr/share/datasets/fashion-mnist}"
# ND4J frees native memory only when the garbage collector runs, and a process grows to its physical-bytes limit:
# on 2026-12-07 three study processes with 8 GB limits beside the builds were killed by the kernel's OOM killer
# (each resumed where it stopped). With these limits three processes stay below 15 GB.
export AL4J_JAVA_OPTS="${AL4J_JAVA_OPTS:--Xmx2g -Dorg.bytedeco.javacpp.maxbytes=3G -Dorg.bytedeco.javacpp.maxphysicalbytes=5G}"
mkdir -p "$parts"
selected_parts=" $* "

# report ARGS...: `al4j report ARGS...` once every part has run (not when run.sh was given part names).
report() {
  if [ "$selected_parts" = "  " ]; then
    "$al4j" report "$@"
  fi
}

part() {
  local name="$1" seed="$2"
  shift 2
  if [ "$selected_parts" != "  " ] && [[ "$selected_parts" != *" $name "* ]]; then
    return 0
  fi
  echo "$(date -u +%FT%TZ) start $name" >> "$parts/progress.log"
  OMP_NUM_THREADS=1 "$al4j" run "${protocol[@]}" --seed "$seed" "$@" --out "$parts/$name" >> "$parts/$name.log" 2>&1
  echo "$(date -u +%FT%TZ) done $name" >> "$parts/progress.log"
}
