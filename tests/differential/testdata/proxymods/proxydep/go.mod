module example.com/proxydep

go 1.22
