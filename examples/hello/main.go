// hello prints a greeting with the current user and the addresses of localhost. It imports
// net and os/user on purpose: with cgo on, both would pull glibc's NSS in at run time, so this
// is the smallest program in which gobuild's pinned CGO_ENABLED=0 makes a difference.
package main

import (
	"fmt"
	"net"
	"os"
	"os/user"
)

func main() {
	name := "unknown"
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	addrs, err := net.LookupHost("localhost")
	if err != nil {
		fmt.Fprintln(os.Stderr, "lookup:", err)
	}
	fmt.Printf("hello, %s (localhost is %v)\n", name, addrs)
}
