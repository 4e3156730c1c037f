package proxydep

func Name() string { return "proxydep" }
