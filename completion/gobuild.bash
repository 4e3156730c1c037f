# bash completion for gobuild(1)                                  -*- shell-script -*-
#
# Completes the commands, each command's options, option values (directories for -C, YAML
# files for -f, the config's platforms for --platform), target names read from the config with
# one awk pass (no gobuild, no go: completion stays instant), and files for verify. In a
# directory without the config, build and plan also complete go build's flags (the drop-in).

# Prints the target names of a gobuild.yaml: the `name:` keys of `targets:` entries.
_gobuild_targets() {
    [[ -r $1 ]] || return 0
    awk '
        /^[^[:space:]#]/ { in_targets = ($0 ~ /^targets:/) }
        in_targets && /^[[:space:]]*(-[[:space:]]+)?name:/ {
            sub(/^[[:space:]]*(-[[:space:]]+)?name:[[:space:]]*/, "")
            sub(/[[:space:]]+#.*$/, "")
            gsub(/^["\047]|["\047]$/, "")
            if ($0 != "") print
        }' "$1" 2>/dev/null
}

# Prints the OS/ARCH words of the config's `platforms:` lists, then common ones.
_gobuild_platforms() {
    if [[ -r $1 ]]; then
        grep -E '^[[:space:]]*(-[[:space:]]+)?platforms:' "$1" 2>/dev/null |
            grep -oE '[a-z0-9]+/[a-z0-9]+(/[a-z0-9.]+)?'
    fi
    printf '%s\n' linux/amd64 linux/arm64 linux/386 linux/arm linux/riscv64 linux/ppc64le \
        linux/s390x darwin/amd64 darwin/arm64 windows/amd64 windows/arm64 freebsd/amd64
}

_gobuild() {
    local cur prev
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=
    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
    # `--color=al`: bash splits at '=' (COMP_WORDBREAKS).
    if [[ $cur == = ]]; then
        cur=
    elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
        prev=${COMP_WORDS[COMP_CWORD - 2]}
    fi

    local commands="build plan vendor verify env init doctor merge version"
    # Find the command word and the -C / -f values typed so far; options may come before or
    # after the command, as gobuild accepts them.
    local cmd= dir=. file=gobuild.yaml i w
    for ((i = 1; i < COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        case $w in
            -C) dir=${COMP_WORDS[i + 1]:-.}; ((i++)) ;;
            -f | --file) file=${COMP_WORDS[i + 1]:-gobuild.yaml}; ((i++)) ;;
            -j | --jobs | --platform | --provenance | --checksums | --set | --out-dir | --cache-prog) ((i++)) ;;
            -o | -tags | -ldflags | -gcflags | -asmflags) ((i++)) ;;
            --color) [[ ${COMP_WORDS[i + 1]} == = ]] && ((i += 2)) ;;
            -*) ;;
            *) [[ -z $cmd && " $commands " == *" $w "* ]] && cmd=$w ;;
        esac
    done
    # The shell does not expand ~ in a typed word for us.
    dir=${dir/#\~/$HOME}
    file=${file/#\~/$HOME}
    [[ $file == /* ]] || file=$dir/$file

    case $prev in
        -C | --out-dir)
            compopt -o filenames 2>/dev/null
            COMPREPLY=($(compgen -d -- "$cur"))
            return
            ;;
        -f | --file)
            compopt -o filenames 2>/dev/null
            local f
            COMPREPLY=($(compgen -d -- "$cur"))
            while IFS= read -r f; do
                [[ $f == *.yaml || $f == *.yml ]] && COMPREPLY+=("$f")
            done < <(compgen -f -- "$cur")
            return
            ;;
        --provenance | --checksums | -o)
            compopt -o filenames 2>/dev/null
            COMPREPLY=($(compgen -f -- "$cur"))
            return
            ;;
        --out-dir)
            compopt -o filenames 2>/dev/null
            COMPREPLY=($(compgen -d -- "$cur"))
            return
            ;;
        -j | --jobs | --set | --cache-prog | -tags | -ldflags | -gcflags | -asmflags)
            return
            ;;
        --color)
            COMPREPLY=($(compgen -W "auto always never" -- "$cur"))
            return
            ;;
        --platform)
            COMPREPLY=($(compgen -W "$(_gobuild_platforms "$file" | sort -u)" -- "$cur"))
            return
            ;;
        --set)
            compopt -o nospace 2>/dev/null
            COMPREPLY=($(compgen -W "version= commit= short_commit= date= timestamp=" -- "$cur"))
            return
            ;;
    esac

    local common="-C --json -v --verbose -q --quiet --color -h --help"
    local config_opts="-f --file -j --jobs"
    local select_opts="--platform --allow-cc --set --out-dir --cache-prog --no-sandbox"
    local go_flags=
    [[ -e $file ]] || go_flags="-o -tags -ldflags -gcflags -asmflags -trimpath -x"
    local opts
    case ${cmd:-build} in
        build) opts="$common $config_opts $select_opts --check-reproducible --provenance --checksums $go_flags" ;;
        plan) opts="$common $config_opts $select_opts $go_flags" ;;
        env) opts="$common $config_opts $select_opts" ;;
        vendor) opts="$common $config_opts $select_opts" ;;
        verify) opts="$common $config_opts --allow-dynamic" ;;
        merge) opts="$common --provenance --checksums" ;;
        init) opts="$common $config_opts --force" ;;
        doctor) opts="$common $config_opts" ;;
        version) opts="-h --help" ;;
    esac

    if [[ $cur == -* ]]; then
        [[ -z $cmd ]] && opts="$opts --version"
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        return
    fi
    case ${cmd:-build} in
        build | plan | env)
            local targets
            targets=$(_gobuild_targets "$file")
            if [[ -z $cmd ]]; then
                COMPREPLY=($(compgen -W "$commands $targets" -- "$cur"))
            else
                COMPREPLY=($(compgen -W "$targets" -- "$cur"))
            fi
            ;;
        verify | merge)
            compopt -o filenames 2>/dev/null
            COMPREPLY=($(compgen -f -- "$cur"))
            ;;
    esac
}

complete -F _gobuild gobuild
