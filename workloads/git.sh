#!/usr/bin/env bash
# Version control: import a source tree (GNU binutils) into a fresh git repository, pack it,
# then a timed developer loop: edit a few files and commit, status, diff, log -p of a path,
# grep through the tree, switch to an older branch and back; a final gc repacks it all.
#   triage capture --mem-limit 192M --out git.csv.gz -- workloads/git.sh
. "$(dirname "$0")/lib.sh"
need /usr/src/binutils binutils-source
need git git
need xz xz-utils
workload_dir "${1:-}"
limit=$(seconds 60)
tarball=$(ls /usr/src/binutils/binutils-*.tar.* | head -1)
echo "git: untar $(basename "$tarball") and import it" >&2
tar -xf "$tarball"
src=$(ls -d binutils-*/ | head -1)
cd "$src"
export GIT_AUTHOR_NAME=dev GIT_AUTHOR_EMAIL=dev@example.org GIT_COMMITTER_NAME=dev GIT_COMMITTER_EMAIL=dev@example.org
g() { git -c core.fsync=loose-object,reference -c pack.threads=1 -c gc.auto=0 "$@"; }
g init -q -b main .
g add -A
g commit -q -m import
g repack -q -a -d
g branch old
mapfile -t files < <(git ls-files '*.c' '*.h')
echo "git: ${#files[@]} source files; developer loop for ${limit}s" >&2
RANDOM=5
end=$((SECONDS + limit))
n=0
while [ $SECONDS -lt $end ]; do
  n=$((n + 1))
  for _ in 1 2 3; do
    i=$(( (RANDOM * 32768 + RANDOM) % ${#files[@]} )); f=${files[$i]}
    echo "/* edit $n */" >> "$f"
  done
  g status --short >/dev/null
  g diff --stat >/dev/null
  g commit -q -a -m "edit $n"
  case $((n % 6)) in
    0) g log -p -n 20 -- "$(dirname "$f")" >/dev/null ;;
    1) g grep -q -e "xmalloc" -- '*.c' || true ;;
    2) g checkout -q old && g checkout -q main ;;
    3) g log --oneline | wc -l >/dev/null ;;
    4) g show --stat HEAD~3 >/dev/null 2>&1 || true ;;
    5) g blame -s "$f" >/dev/null ;;
  esac
done
echo "git: $n commits; gc" >&2
g gc -q --prune=now
echo "git: done" >&2
