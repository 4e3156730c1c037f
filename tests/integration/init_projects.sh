#!/usr/bin/env bash
# gobuild init on a module shaped like a real project:
#  - a main at the root that needs a dependency missing from the module cache, behind a
#    file:// GOPROXY: init fetches like vendoring does, and does not fail;
#  - test helpers (tests/cmd/fake) and examples (examples/library) are not targets, and are
#    named on stderr; a tool under internal/cmd is one;
#  - a main whose files all need cgo gets cgo: true, linkmode: external, -static;
#  - a name of 17+ characters keeps the summary aligned;
#  - the config written builds (plan loads it).
source "$(dirname "$0")/lib.sh"
gb_setup

proxy="$SCRATCH/proxy"
app="$SCRATCH/app"
gb_dep_module "$app" "$proxy"
chmod -R u+w "$GOMODCACHE" && rm -rf "$GOMODCACHE" && mkdir -p "$GOMODCACHE"
main='package main

func main() {}
'
for d in tests/cmd/fake examples/library internal/cmd/migrate cmd/a-server-with-long-name; do
  mkdir -p "$app/$d" && printf '%s' "$main" >"$app/$d/main.go"
done
mkdir -p "$app/cmd/needs-c"
printf 'package main\n\n// int answer(void) { return 42; }\nimport "C"\n\nfunc main() { _ = C.answer() }\n' >"$app/cmd/needs-c/main.go"
cd "$app"

GOPROXY="file://$proxy" run_gobuild init
expect_eq "init: exit 0 with the dependency only behind the proxy" 0 "$rc"
plat="$(go env GOOS)/$(go env GOARCH)"
expect_eq "init: the summary, aligned to the longest name" "wrote gobuild.yaml for example.com/app ($plat):
  app                     .
  a-server-with-long-name ./cmd/a-server-with-long-name
  migrate                 ./internal/cmd/migrate
  needs-c                 ./cmd/needs-c  (cgo)" "$out"
expect_eq "init: test helpers and examples named on stderr" \
  "gobuild: note: test helpers and examples were not added: ./examples/library, ./tests/cmd/fake" "$err"
expect_eq "init: the targets written" "targets:
  - name: app                 # unique, [A-Za-z0-9._-]+
    main: .                   # package to build, relative to the module
    platforms: [$plat]  # GOOS/GOARCH list; default: the host's
    # output: bin/{name}      # default; bin/{name}-{os}-{arch} for several platforms
  - name: a-server-with-long-name # unique, [A-Za-z0-9._-]+
    main: ./cmd/a-server-with-long-name # package to build, relative to the module
    platforms: [$plat]  # GOOS/GOARCH list; default: the host's
    # output: bin/{name}      # default; bin/{name}-{os}-{arch} for several platforms
  - name: migrate             # unique, [A-Za-z0-9._-]+
    main: ./internal/cmd/migrate # package to build, relative to the module
    platforms: [$plat]  # GOOS/GOARCH list; default: the host's
    # output: bin/{name}      # default; bin/{name}-{os}-{arch} for several platforms
  - name: needs-c             # unique, [A-Za-z0-9._-]+
    main: ./cmd/needs-c       # package to build, relative to the module
    cgo: true                 # its files all need cgo (none builds with CGO_ENABLED=0)
    linkmode: external        # cgo links with the C linker
    extldflags: [-static]     # a static binary, as static: true checks
    platforms: [$plat]  # GOOS/GOARCH list; default: the host's
    # output: bin/{name}      # default; bin/{name}-{os}-{arch} for several platforms" \
  "$(sed -n '/^targets:/,$p' gobuild.yaml)"
run_gobuild plan
expect_eq "plan loads what init wrote" 0 "$rc"

# Without the proxy (GOPROXY=off) and an empty module cache, init still writes the config.
rm gobuild.yaml
chmod -R u+w "$GOMODCACHE" && rm -rf "$GOMODCACHE" && mkdir -p "$GOMODCACHE"
GOPROXY=off run_gobuild init -q
expect_eq "init with GOPROXY=off and the dependency missing: exit 0" "0 " "$rc $err"
expect_file "init with GOPROXY=off: the config is written" gobuild.yaml

# A .goreleaser.yaml: its builds are the targets; what does not translate is listed.
rm gobuild.yaml
cat >.goreleaser.yaml <<'YAML'
version: 2
before:
  hooks: [go mod tidy]
builds:
  - id: app
    binary: app-cli
    env: [CGO_ENABLED=0, GOEXPERIMENT=loopvar]
    ldflags:
      - -s -w
      - "{{ if .IsSnapshot }}-X main.snapshot=1{{ end }}"
    tags: [netgo]
    goos: [linux]
    goarch: [amd64, arm64]
    ignore:
      - goos: linux
        goarch: arm64
    hooks:
      post: [echo done]
  - id: migrate
    main: ./internal/cmd/migrate
    goos: [linux]
    goarch: [amd64]
    ldflags: ["-X main.dev=yes"]
    gobinary: go1.25
YAML
run_gobuild init
expect_eq "goreleaser: exit 0" 0 "$rc"
expect_eq "goreleaser: the builds are the targets" "targets:
  - name: app-cli             # unique, [A-Za-z0-9._-]+
    main: .                   # package to build, relative to the module
    ldflags: [\"-s -w\"]        # from .goreleaser.yaml
    tags: [netgo]             # from .goreleaser.yaml
    env: {GOEXPERIMENT: loopvar} # from .goreleaser.yaml
    platforms: [linux/amd64]  # goos x goarch x goarm/goamd64 of .goreleaser.yaml
    # output: bin/{name}      # default; bin/{name}-{os}-{arch} for several platforms
  - name: migrate             # unique, [A-Za-z0-9._-]+
    main: ./internal/cmd/migrate # package to build, relative to the module
    ldflags: [\"-X main.dev=yes\"] # from .goreleaser.yaml
    platforms: [linux/amd64]  # goos x goarch x goarm/goamd64 of .goreleaser.yaml
    # output: bin/{name}      # default; bin/{name}-{os}-{arch} for several platforms" \
  "$(sed -n '/^targets:/,$p' gobuild.yaml)"
expect_eq "goreleaser: what was not translated, on stderr" \
  "gobuild: note: test helpers and examples were not added: ./examples/library, ./tests/cmd/fake
gobuild: note: not translated: .goreleaser.yaml: builds[0].hooks
gobuild: note: not translated: .goreleaser.yaml: builds[0].ldflags: {{ if .IsSnapshot }}-X main.snapshot=1{{ end }}
gobuild: note: not translated: .goreleaser.yaml: builds[1].gobinary" "$err"

gb_done
