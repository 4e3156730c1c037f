// Three kinds of dependency: replaced by a local path, fetched from a (file://) proxy, and
// replaced by another module version from that proxy.
package main

import (
	"fmt"

	"example.com/localdep"
	"example.com/oldname"
	"example.com/proxydep"
)

var (
	msg = "default"
	tab = ""
)

func main() {
	fmt.Println(localdep.Name(), proxydep.Name(), oldname.Name(), msg, tab)
}
