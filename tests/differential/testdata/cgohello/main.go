// A cgo program: the main package itself calls C, which forces external linking.
package main

/*
static int answer(void) { return 42; }
*/
import "C"

import (
	"fmt"
	"net"
	"os/user"
)

func main() {
	_, uerr := user.Current()
	_, nerr := net.LookupHost("localhost")
	fmt.Println(int(C.answer()), uerr == nil, nerr == nil)
}
