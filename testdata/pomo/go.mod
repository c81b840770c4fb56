module example.com/pomo

go 1.26
