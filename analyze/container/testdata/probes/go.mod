module probes

go 1.22
