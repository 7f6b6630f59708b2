# Sourced by the studies' run.sh scripts: what they share. Each sets `here` (its directory) before sourcing this.
#   al4j   the command (AL4J=path/to/al4j runs another build, e.g. a copy of the repository that is not rebuilt
#          while the study runs; default: the repository's ./al4j)
#   parts  where the parts go (PARTS=DIR; default: parts/ next to the study's run.sh)
#   data   the Fashion-MNIST IDX directory (FASHION_MNIST=DIR; default: Debian's dataset-fashion-mnist)
# and the function `part NAME SEED ARGS...`: one `al4j run "${protocol[@]}" --seed SEED ARGS... --out $parts/NAME` on
# one core (OMP_NUM_THREADS=1), its console in $parts/NAME.log, its start and end in $parts/progress.log. A part is
# resumable: the same call after a kill or in a later session goes on where it stopped.
root="$(cd "$here/../../.." && pwd)"
al4j="${AL4J:-$root/al4j}"
parts="${PARTS:-$here/parts}"
data="${FASHION_MNIST:-/usr/share/datasets/fashion-mnist}"
# Two or three processes with the launcher's default native-memory limits would not fit in 24 GB.
export AL4J_JAVA_OPTS="${AL4J_JAVA_OPTS:--Xmx3g -Dorg.bytedeco.javacpp.maxbytes=4G -Dorg.bytedeco.javacpp.maxphysicalbytes=8G}"
mkdir -p "$parts"

part() {
  local name="$1" seed="$2"
  shift 2
  echo "$(date -u +%FT%TZ) start $name" >> "$parts/progress.log"
  OMP_NUM_THREADS=1 "$al4j" run "${protocol[@]}" --seed "$seed" "$@" --out "$parts/$name" >> "$parts/$name.log" 2>&1
  echo "$(date -u +%FT%TZ) done $name" >> "$parts/progress.log"
}
