#!/usr/bin/env bash
# A developer's tree: untar a source tree (GNU binutils), configure and build part of it
# (libiberty and zlib, -O0 so it stays a few minutes on a small machine), then search it (grep, find) as an editor or IDE would.
#   triage capture --out devtree.csv.gz -- workloads/devtree.sh
. "$(dirname "$0")/lib.sh"
need /usr/src/binutils binutils-source
need gcc gcc
need make make
need xz xz-utils
workload_dir "${1:-}"
tarball=$(ls /usr/src/binutils/binutils-*.tar.* | head -1)
echo "devtree: untar $(basename "$tarball")" >&2
tar -xf "$tarball"
src=$(ls -d binutils-*/ | head -1)
cd "$src"
echo "devtree: build libiberty and zlib" >&2
for lib in libiberty zlib; do
  if [ -d "$lib" ]; then
    mkdir -p "build-$lib"
    (cd "build-$lib" && CFLAGS="-O0 -g0" "../$lib/configure" -q >/dev/null 2>&1 && make -s -j2 >/dev/null 2>&1) || echo "devtree: $lib build failed (continuing)" >&2
  fi
done
echo "devtree: search" >&2
grep -rl "xmalloc" . >/dev/null || true
grep -rn "TODO\|FIXME" --include='*.c' . | wc -l >/dev/null
find . -name '*.h' -newer configure | wc -l >/dev/null
find . -type f -size +100k | wc -l >/dev/null
echo "devtree: done" >&2
