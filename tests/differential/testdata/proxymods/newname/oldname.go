package oldname

func Name() string { return "newname standing in for oldname" }
