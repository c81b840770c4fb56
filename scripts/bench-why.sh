#!/usr/bin/env bash
# bench-why.sh: wall time and peak memory of `binscope why` on binscope's
# own build against a plain `go build` of the same cell (CGO_ENABLED=0,
# no flags), in the same run, on a warm build cache: the target of issue
# 15 is why ≤ 2× the plain build, the graph dump included. Each round runs
# the plain build, `why fmt` and `why --top 10`, in turn, each into a
# fresh output so that every one links; the graph linker is built before
# the first round (once per toolchain). Prints every round, the medians
# and the ratios why/plain, and the graph's size.
#
# usage: scripts/bench-why.sh [ROUNDS]     (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
export GOTOOLCHAIN=local GOPROXY=off GOWORK=off CGO_ENABLED=0

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export BINSCOPE_CACHE=$tmp/cache
go build -o "$tmp/binscope" ./cmd/binscope
target=./cmd/binscope

# warm: the compile cache, and the graph linker
go build -o "$tmp/warm" "$target"
"$tmp/binscope" why -q fmt "$target" >/dev/null

timed() { # timed OUT CMD...: wall seconds and max RSS (KB) into OUT
	local out=$1
	shift
	/usr/bin/time -f '%e %M' -o "$out" "$@" >/dev/null
}
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

: >"$tmp/plain" && : >"$tmp/why" && : >"$tmp/top"
printf '%-6s %10s %10s %10s %12s %12s\n' round plain why why-top why-rss-MB top-rss-MB
for i in $(seq "$rounds"); do
	timed "$tmp/t1" go build -o "$tmp/plain$i" "$target"
	timed "$tmp/t2" "$tmp/binscope" why -q fmt "$target"
	timed "$tmp/t3" "$tmp/binscope" why -q --top 10 "$target"
	read -r p _ <"$tmp/t1"
	read -r w wr <"$tmp/t2"
	read -r t tr <"$tmp/t3"
	echo "$p" >>"$tmp/plain" && echo "$w" >>"$tmp/why" && echo "$t" >>"$tmp/top"
	echo "$wr" >>"$tmp/whyrss" && echo "$tr" >>"$tmp/toprss"
	printf '%-6s %10s %10s %10s %12s %12s\n' "$i" "$p" "$w" "$t" "$((wr / 1024))" "$((tr / 1024))"
done
p=$(median <"$tmp/plain") w=$(median <"$tmp/why") t=$(median <"$tmp/top")
wr=$(median <"$tmp/whyrss") tr=$(median <"$tmp/toprss")
echo
echo "median: plain go build ${p}s, why fmt ${w}s, why --top 10 ${t}s"
awk "BEGIN { printf \"ratio: why/plain %.2f, why --top/plain %.2f\n\", $w / $p, $t / $p }"
echo "peak memory (median): why $((${wr%.*} / 1024)) MB, why --top $((${tr%.*} / 1024)) MB"
"$tmp/binscope" why -q --format json fmt "$target" | awk -F': ' '/"graph_(symbols|edges|bytes)"/ { gsub(/,/, "", $2); printf "%s %s\n", $1, $2 }'
