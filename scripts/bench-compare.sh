#!/usr/bin/env bash
# bench-compare.sh: wall time of `binscope compare ./testdata/pomo` from a
# cold build cache against a plain shell loop of the same 8 `go build`
# commands, one after another, from its own cold cache. Each round runs
# both, alternating which goes first; the script prints every round and
# the medians, the ratio binscope/loop, and binscope's own overhead: its
# wall time outside go build children (from the report's timing), as a
# share of its wall time.
#
# usage: scripts/bench-compare.sh [ROUNDS]     (default 3; about 2 minutes a round on 2 cores)
# BINSCOPE_FLAGS adds flags to binscope compare, such as --jobs 1.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
export GOTOOLCHAIN=local GOPROXY=off GOWORK=off

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/binscope" ./cmd/binscope
pomo=$PWD/testdata/pomo

now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.3f\", $* }"; }
goos=$(go env GOOS) goarch=$(go env GOARCH)

# The loop builds the cells in binscope's matrix order with binscope's
# exact commands (see a cell's "command" in the report), -o added.
loop() {
	local out=$1 i=0
	for cgo in 1 0; do
		for tags in "" containers; do
			for ld in "" "-s -w"; do
				i=$((i + 1))
				(cd "$pomo" && CGO_ENABLED=$cgo GOOS=$goos GOARCH=$goarch \
					go build -o "$out/cell$i" -ldflags="$ld" -tags="$tags")
			done
		done
	done
}

run_loop() {
	local cache=$tmp/cache-loop out=$tmp/loop
	rm -rf "$cache" "$out" && mkdir -p "$out"
	local t0 t1
	t0=$(now)
	GOCACHE=$cache loop "$out"
	t1=$(now)
	rm -rf "$cache"
	calc "$t1 - $t0"
}

run_binscope() {
	local cache=$tmp/cache-binscope out=$tmp/kept
	rm -rf "$cache" "$out"
	local t0 t1
	t0=$(now)
	GOCACHE=$cache "$tmp/binscope" compare ${BINSCOPE_FLAGS:-} --quiet --keep "$out" --format json -o "$tmp/report.json" "$pomo"
	t1=$(now)
	rm -rf "$cache"
	local wall busy
	wall=$(calc "$t1 - $t0")
	busy=$(grep -o '"busy_seconds": [0-9.]*' "$tmp/report.json" | awk '{print $2}')
	echo "$wall $busy"
}

# Same commands, same binaries: every binary of the loop is byte for byte
# one of binscope's.
same_binaries() {
	local n=0
	for f in "$tmp"/loop/cell*; do
		for k in "$tmp"/kept/*; do
			if cmp -s "$f" "$k"; then n=$((n + 1)); break; fi
		done
	done
	echo "$n"
}

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }

echo "# $(go version), $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "# round  loop_s  binscope_s  ratio  overhead_s  overhead_%  identical_binaries"
: >"$tmp/loops"; : >"$tmp/binscopes"; : >"$tmp/ratios"; : >"$tmp/overheads"
for r in $(seq 1 "$rounds"); do
	if ((r % 2)); then
		l=$(run_loop); read -r b busy < <(run_binscope)
	else
		read -r b busy < <(run_binscope); l=$(run_loop)
	fi
	ratio=$(calc "$b / $l")
	ovh=$(calc "$b - $busy")
	ovhp=$(calc "100 * ($b - $busy) / $b")
	echo "$r  $l  $b  $ratio  $ovh  $ovhp  $(same_binaries)/8"
	echo "$l" >>"$tmp/loops"; echo "$b" >>"$tmp/binscopes"; echo "$ratio" >>"$tmp/ratios"; echo "$ovhp" >>"$tmp/overheads"
done
ml=$(median <"$tmp/loops"); mb=$(median <"$tmp/binscopes")
echo "median loop ${ml}s, median binscope ${mb}s, ratio of medians $(calc "$mb / $ml"), median of ratios $(median <"$tmp/ratios"), median overhead $(median <"$tmp/overheads")%"
