// A release build's binary says what it is: gobuild stamps these at link time from the git
// tag at HEAD, HEAD itself and its committer time (or from --set and SOURCE_DATE_EPOCH).
package main

import (
	"fmt"
	"os"
	"runtime"
)

var (
	version = "dev"
	commit  = "none"
	date    = "unknown"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "version" {
		fmt.Printf("release %s (commit %s, built from a commit of %s) %s/%s\n",
			version, commit, date, runtime.GOOS, runtime.GOARCH)
		return
	}
	fmt.Println("hello from a stamped release build; run with 'version'")
}
