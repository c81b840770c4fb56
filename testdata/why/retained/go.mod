module example.com/retained

go 1.22

require example.com/heavy v0.0.0

replace example.com/heavy => ./heavy
