// A tiny program that pulls in net and os/user, the two packages that use cgo on unix when
// CGO_ENABLED=1, so the corpus covers both the pure-Go and the libc-backed builds.
package main

import (
	"fmt"
	"net"
	"os/user"
)

var msg = "hello"

func main() {
	u, err := user.Current()
	name := "?"
	if err == nil {
		name = u.Username
	}
	_, err = net.LookupHost("localhost")
	fmt.Println(msg, name, err == nil)
}
