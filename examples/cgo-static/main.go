// cgo-static calls a C function and is linked against the C library statically. The netgo and
// osusergo tags keep glibc's NSS (getaddrinfo, getpwuid_r) out of the binary.
package main

/*
#include <stdio.h>
#include <stdlib.h>

static int twice(int x) { return 2 * x; }
*/
import "C"

import (
	"fmt"
	"os/user"
)

func main() {
	name := "unknown"
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	fmt.Printf("cgo says 2*21 = %d, user %s\n", int(C.twice(21)), name)
}
