// gomodinfo is the differential test's second oracle: for each file named on the command line
// it prints one JSON line with what Go's own standard library (debug/buildinfo, debug/elf,
// debug/pe, debug/macho) reads from it. It is built at test time; gobuild's answers are
// compared against it by compare.py.
package main

import (
	"bufio"
	"debug/buildinfo"
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"encoding/json"
	"fmt"
	"os"
	"runtime/debug"
	"strings"
)

type module struct {
	Path    string  `json:"path"`
	Version string  `json:"version"`
	Sum     string  `json:"sum"`
	Replace *module `json:"replace"`
}

type goInfo struct {
	Version  string      `json:"version"`
	Path     string      `json:"path"`
	Main     *module     `json:"main"`
	Deps     []module    `json:"deps"`
	Settings [][2]string `json:"settings"` // in order, duplicates kept
}

type result struct {
	Path    string   `json:"path"`
	Format  string   `json:"format"`  // elf, pe, macho or "" when none of them parses
	Class   int      `json:"class"`   // 32 or 64
	Endian  string   `json:"endian"`  // little or big
	Machine uint32   `json:"machine"` // e_machine, the COFF machine or the Mach-O cputype
	Type    string   `json:"type"`    // exec, dyn, rel, core, as gobuild names them
	Imports []string `json:"imports"`
	Rpath   []string `json:"rpath"`
	Runpath []string `json:"runpath"`
	Go      *goInfo  `json:"go"`
	GoError string   `json:"go_error,omitempty"`
}

func convert(m *debug.Module) *module {
	if m == nil || (m.Path == "" && m.Version == "" && m.Sum == "" && m.Replace == nil) {
		return nil
	}
	out := &module{Path: m.Path, Version: m.Version, Sum: m.Sum}
	if m.Replace != nil {
		out.Replace = convert(m.Replace)
	}
	return out
}

func inspect(path string) result {
	r := result{Path: path, Imports: []string{}, Rpath: []string{}, Runpath: []string{}}
	if f, err := elf.Open(path); err == nil {
		r.Format = "elf"
		r.Class = map[elf.Class]int{elf.ELFCLASS32: 32, elf.ELFCLASS64: 64}[f.Class]
		r.Endian = map[elf.Data]string{elf.ELFDATA2LSB: "little", elf.ELFDATA2MSB: "big"}[f.Data]
		r.Machine = uint32(f.Machine)
		r.Type = map[elf.Type]string{elf.ET_EXEC: "exec", elf.ET_DYN: "dyn", elf.ET_REL: "rel", elf.ET_CORE: "core"}[f.Type]
		if libs, err := f.ImportedLibraries(); err == nil && libs != nil {
			r.Imports = libs
		}
		r.Rpath = splitPaths(f, elf.DT_RPATH)
		r.Runpath = splitPaths(f, elf.DT_RUNPATH)
		f.Close()
	} else if f, err := pe.Open(path); err == nil {
		r.Format = "pe"
		r.Endian = "little"
		r.Machine = uint32(f.Machine)
		switch f.OptionalHeader.(type) {
		case *pe.OptionalHeader32:
			r.Class = 32
		case *pe.OptionalHeader64:
			r.Class = 64
		}
		r.Type = "exec"
		if f.Characteristics&pe.IMAGE_FILE_DLL != 0 {
			r.Type = "dyn"
		}
		// pe.File.ImportedLibraries is a stub that returns nothing; ImportedSymbols walks the
		// import directory in order and names each symbol "SYMBOL:DLL".
		r.Imports = peDLLs(f)
		f.Close()
	} else if f, err := macho.Open(path); err == nil {
		fillMacho(&r, f)
		f.Close()
	} else if ff, err := macho.OpenFat(path); err == nil {
		// A universal binary: gobuild reports its first slice, and so does this oracle.
		if len(ff.Arches) > 0 {
			fillMacho(&r, ff.Arches[0].File)
		}
		ff.Close()
	}
	bi, err := buildinfo.ReadFile(path)
	if err != nil {
		r.GoError = err.Error()
		return r
	}
	g := &goInfo{Version: bi.GoVersion, Path: bi.Path, Deps: []module{}, Settings: [][2]string{}}
	g.Main = convert(&bi.Main)
	for _, d := range bi.Deps {
		g.Deps = append(g.Deps, *convert(d))
	}
	for _, s := range bi.Settings {
		g.Settings = append(g.Settings, [2]string{s.Key, s.Value})
	}
	r.Go = g
	return r
}

// fillMacho records what the verify JSON holds for one Mach-O image.
func fillMacho(r *result, f *macho.File) {
	r.Format = "macho"
	r.Class = 32
	if f.Magic == macho.Magic64 {
		r.Class = 64
	}
	r.Endian = "little"
	if f.ByteOrder.String() == "BigEndian" {
		r.Endian = "big"
	}
	r.Machine = uint32(f.Cpu)
	// Only the file types that gobuild's type names clearly fit; others (MH_DSYM, MH_PRELOAD,
	// MH_DYLINKER, ...) stay "" and compare.py does not compare their type.
	r.Type = map[macho.Type]string{macho.TypeObj: "rel", macho.TypeExec: "exec", 4: "core",
		macho.TypeDylib: "dyn", macho.TypeBundle: "dyn"}[f.Type]
	if libs, err := f.ImportedLibraries(); err == nil && libs != nil {
		r.Imports = libs
	}
	for _, l := range f.Loads {
		if rp, ok := l.(*macho.Rpath); ok {
			r.Rpath = append(r.Rpath, rp.Path)
		}
	}
}

// peDLLs lists the DLLs of the import directory, each once, in the order of first use.
func peDLLs(f *pe.File) []string {
	dlls := []string{}
	syms, err := f.ImportedSymbols()
	if err != nil {
		return dlls
	}
	seen := map[string]bool{}
	for _, s := range syms {
		i := strings.LastIndexByte(s, ':')
		if i < 0 || seen[s[i+1:]] {
			continue
		}
		seen[s[i+1:]] = true
		dlls = append(dlls, s[i+1:])
	}
	return dlls
}

// splitPaths returns the DT_RPATH or DT_RUNPATH strings as the dynamic section holds them,
// one element per entry (gobuild reports entries, not the colon-separated pieces).
func splitPaths(f *elf.File, tag elf.DynTag) []string {
	vals, err := f.DynString(tag)
	if err != nil || vals == nil {
		return []string{}
	}
	return vals
}

func main() {
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	paths := os.Args[1:]
	if len(paths) == 1 && paths[0] == "-" { // read the list from stdin, one path a line
		paths = nil
		sc := bufio.NewScanner(os.Stdin)
		for sc.Scan() {
			if p := strings.TrimSpace(sc.Text()); p != "" {
				paths = append(paths, p)
			}
		}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, p := range paths {
		if err := enc.Encode(inspect(p)); err != nil {
			fmt.Fprintln(os.Stderr, "gomodinfo:", err)
			os.Exit(2)
		}
	}
}
