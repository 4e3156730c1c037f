// Built with -buildmode=c-shared: a shared object with Go build info and an exported symbol.
package main

import "C"

//export GobuildAnswer
func GobuildAnswer() C.int { return 42 }

func main() {}
