module example.com/depapp

go 1.22

require (
	example.com/localdep v0.0.0
	example.com/oldname v1.0.0
	example.com/proxydep v1.2.3
)

replace example.com/localdep => ../localdep

replace example.com/oldname v1.0.0 => example.com/newname v1.1.0
