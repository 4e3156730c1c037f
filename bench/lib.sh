# Sourced by the verify benchmarks: paths, the locale, a results table and the machine line.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GOBUILD=$(realpath "${GOBUILD:-$root/build/src/gobuild}")
GO=${GO:-$(command -v go || echo /usr/local/go/bin/go)}
export LANG=C LC_ALL=C

# Prints hyperfine's JSON results as a table: mean ± σ, median and min (the machine is shared, so
# the median and min say more than the mean), and each command's median relative to the first.
table() {
  python3 - "$1" <<'PY'
import json, sys
rs = json.load(open(sys.argv[1]))["results"]
base = rs[0]["median"]
print("| Command | Mean [ms] | Median [ms] | Min [ms] | Runs | Median vs first |")
print("|:---|---:|---:|---:|---:|---:|")
for r in rs:
    print("| `%s` | %.2f ± %.2f | %.2f | %.2f | %d | %.2f× |" % (
        r["command"], r["mean"] * 1e3, r["stddev"] * 1e3, r["median"] * 1e3, r["min"] * 1e3,
        len(r["times"]), r["median"] / base))
PY
}

print_machine() {
  echo "machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p'), Linux $(uname -r), load average $(cut -d' ' -f1-3 /proc/loadavg)"
}
