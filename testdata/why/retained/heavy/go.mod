module example.com/heavy

go 1.22
