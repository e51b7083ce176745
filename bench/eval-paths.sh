#!/usr/bin/env bash
# The evaluation of one checkpoint (EvalBench: k-shot primitives and fine-tuning) on this tree and
# on this tree with commit UNDO reverted, alternating runs, then each path's median seconds and the
# ratio. Both builds are the same code but for that commit, so the ratio is what it changed.
#   bench/eval-paths.sh <UNDO> --dataset file:///<out>/store/data/demo-corpus/v-*/MANIFEST \
#     --primitives file:///<out>/store/data/demo-primitives/v-*/MANIFEST [EvalBench options]
#   ROUNDS=2 (default)
set -euo pipefail
cd "$(dirname "$0")/.."
undo=$1
shift
ROUNDS=${ROUNDS:-2}
root=$PWD
old=$root/bench/target/eval-old-tree
out=$root/bench/target/eval-paths.log
mkdir -p "$root/bench/target"
rm -rf "$old"
git worktree prune
git worktree add -q --detach "$old" HEAD
trap 'git -C "$root" worktree remove --force "$old"' EXIT
git -C "$old" revert --no-commit "$undo"
: > "$out"
for r in $(seq 1 "$ROUNDS"); do
  build=$([[ $r == 1 ]] && echo 1 || echo 0)
  BUILD=$build BENCH_DIR=$root/bench/target/eval-new bench/java.sh EvalBench "$@" \
    | sed 's/^RESULT eval /RESULT eval path=new /' | tee -a "$out"
  (cd "$old" && BUILD=$build BENCH_DIR=$root/bench/target/eval-old bench/java.sh EvalBench "$@") \
    | sed 's/^RESULT eval /RESULT eval path=old /' | tee -a "$out"
done
awk '
  /^RESULT eval/ {
    for (i = 3; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    n[v["path"]]++; f[v["path"], n[v["path"]]] = v["fewshot_s"]; t[v["path"], n[v["path"]]] = v["finetune_s"]
  }
  function median(a, p, k,   i, j, x, m) {
    for (i = 1; i <= k; i++) m[i] = a[p, i]
    for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (m[j] < m[i]) { x = m[i]; m[i] = m[j]; m[j] = x }
    return k % 2 ? m[(k + 1) / 2] : (m[k / 2] + m[k / 2 + 1]) / 2
  }
  END {
    fo = median(f, "old", n["old"]); fn = median(f, "new", n["new"])
    to = median(t, "old", n["old"]); tn = median(t, "new", n["new"])
    printf "RESULT eval-paths rounds=%d fewshot_old_s=%.2f fewshot_new_s=%.2f fewshot_new_over_old=%.3f finetune_old_s=%.2f finetune_new_s=%.2f finetune_new_over_old=%.3f total_new_over_old=%.3f\n", n["new"], fo, fn, fn / fo, to, tn, tn / to, (fn + tn) / (fo + to)
  }' "$out"
