# Sourced by the scripts: puts the go toolchain on PATH the way the project expects: the go on
# PATH when it is Go 1.21 or newer, else /usr/local/go (what scripts/install-deps.sh installs).
_gobuild_go_minor=$(go env GOVERSION 2>/dev/null | sed -n 's/^go1\.\([0-9]*\).*/\1/p')
if [[ -x /usr/local/go/bin/go ]] && ((${_gobuild_go_minor:-0} < 21)); then
  export PATH="/usr/local/go/bin:$PATH"
fi
unset _gobuild_go_minor
