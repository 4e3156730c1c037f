package localdep

func Name() string { return "localdep" }
