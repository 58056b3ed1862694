#!/usr/bin/env bash
# cmp-outputs.sh BASE_BIN NEW_BIN [WORKDIR]
#
# Runs every eesim command with two binaries on the same inputs, each into
# its own folder, and compares every output file (the files a command
# writes to --out, its stdout, its stderr and its exit code) with cmp. It
# prints one line per file: "same", "DIFFERS" or "MISSING", and exits 1
# when any file differs or is missing on one side.
#
# config.json is the one output whose bytes the RunRecord change (one
# record type for every command) changed, so it is compared after
# normalising both sides with jq: every key in snake_case, keys sorted
# (-S), and the keys RunRecord renamed mapped to its names (whatif's
# runs_per_point and base_schedule are runs and schedule; the odds
# backtest's "schedule": "recent" is schedule_source). Its raw bytes are
# reported too, as "config-raw", for information only.
#
# Run from anywhere; inputs are the repository's test fixtures.
set -u
if [ $# -lt 2 ]; then
	echo "usage: $0 BASE_BIN NEW_BIN [WORKDIR]" >&2
	exit 2
fi
base=$(readlink -f "$1")
new=$(readlink -f "$2")
work=${3:-$(mktemp -d /tmp/eesim-cmp.XXXXXX)}
repo=$(cd "$(dirname "$0")/.." && pwd)
td=$repo/cmd/eesim/testdata
mkdir -p "$work"

# name|arguments (OUT is replaced by the command's output folder)
cases=(
	"simulate|simulate --runs 200 --seed 7 --out OUT"
	"simulate-schedule|simulate --runs 50 --schedule $td/simulate/two-rounds.csv --parquet --out OUT"
	"odds|odds --score 505 --programs CEC --runs 60 --horizon 6mo --out OUT"
	"odds-profile|odds --profile $td/crs/profile.json --runs 40 --horizon 6mo --out OUT"
	"whatif|whatif --draw-size CEC=2000:4000:2000 --mix 0:0.4:0.4 --score 505 --programs CEC --runs 8 --horizon 3mo --out OUT"
	"backtest-replay|backtest --mode replay --from 2025-09-01 --runs 10 --out OUT"
	"backtest-wf|backtest --mode walk-forward --from 2025-10-01 --runs 10 --out OUT"
	"backtest-odds|backtest --mode odds --from 2025-06-01 --to 2025-07-31 --horizon 2mo --runs 20 --grid $td/oddsbacktest/grid.csv --out OUT"
	"calibrate|calibrate --as-of 2025-06-01 --show --write OUT/model.json"
	"history|history --out OUT"
	"ingest|ingest --out OUT"
	"crs|crs --profile $td/crs/profile.json --on 2025-09-01"
	"crs-json|crs --profile $td/crs/profile.json --on 2025-09-01 --json"
	"crs-explain|crs --profile $td/crs/profile.json --on 2025-09-01 --explain"
	"residency|residency --in $td/residency/landing2005.json --out OUT"
	"residency-flags|residency --landing 2010-01-01 --absence 2013-01-01: --as-of 2015-06-01"
	"citizenship|citizenship --in $td/citizenship/applicant.json --out OUT"
	"sponsor|sponsor --in $td/sponsor/parents.json --out OUT"
	"sponsor-flags|sponsor --class parent --size 4 --income 2021=50000 --income 2022=65000 --income 2023=67000 --interests 100000 --quota 10000 --years 5"
	"ns-eoi-profile|ns-eoi --profile $td/nseoi/profile.json --date 2026-03-01"
	"ns-eoi-pool|ns-eoi --pool $td/nseoi/pool.json --out OUT"
	"bad-input|simulate --runs 0 --out OUT"
	"bad-feed|ingest --rounds $td/ingest/truncated.json --out OUT"
)

runone() { # bin side name args
	local bin=$1 side=$2 name=$3 args=$4
	local dir=$work/$side/$name
	rm -rf "$dir" && mkdir -p "$dir/out"
	# Each side has its own calibration cache, empty at the start.
	EESIM_CACHE_DIR=$work/$side/cache "$bin" ${args//OUT/$dir/out} >"$dir/stdout" 2>"$dir/stderr"
	echo $? >"$dir/exit"
	# Output paths differ between the sides only by the side's name.
	sed -i "s|$work/$side/|WORK/|g" "$dir/stdout" "$dir/stderr"
}

for c in "${cases[@]}"; do
	name=${c%%|*}
	args=${c#*|}
	runone "$base" base "$name" "$args"
	runone "$new" new "$name" "$args"
	# report redraws the simulate run's reports
	if [ "$name" = simulate ]; then
		runone "$base" base report "report --in $work/base/simulate/out --out OUT"
		runone "$new" new report "report --in $work/new/simulate/out --out OUT"
	fi
done

normalise() {
	jq -S 'def snake: gsub("(?<a>[a-z0-9])(?<b>[A-Z])"; "\(.a)_\(.b)") | ascii_downcase;
		with_entries(if .key == "runs_per_point" then .key = "runs"
			elif .key == "base_schedule" then .key = "schedule"
			elif .key == "schedule" and .value == "recent" then .key = "schedule_source"
			else . end)
		| walk(if type == "object" then with_entries(.key |= snake) else . end)' "$1"
}

status=0
cd "$work/base"
for f in $(find . -path ./cache -prune -o -type f -print | sort); do
	n=$work/new/$f
	if [ ! -f "$n" ]; then
		echo "MISSING in new  ${f#./}"
		status=1
		continue
	fi
	if [ "$(basename "$f")" = config.json ]; then
		if cmp -s <(normalise "$f") <(normalise "$n"); then
			echo "same (normalised)  ${f#./}"
		else
			echo "DIFFERS (normalised)  ${f#./}"
			status=1
		fi
		if cmp -s "$f" "$n"; then echo "  config-raw same  ${f#./}"; else echo "  config-raw differs  ${f#./}"; fi
		continue
	fi
	if cmp -s "$f" "$n"; then
		echo "same  ${f#./}"
	else
		echo "DIFFERS  ${f#./}"
		status=1
	fi
done
cd "$work/new"
for f in $(find . -path ./cache -prune -o -type f -print | sort); do
	if [ ! -f "$work/base/$f" ]; then
		echo "MISSING in base  ${f#./}"
		status=1
	fi
done
echo "outputs in $work"
exit $status
