// Command pomo is a small Pomodoro timer, modelled on the pomo app of the
// containers chapter that binscope grew from. binscope's tests and examples
// build it under many option combinations; it is not part of binscope.
//
// It uses os/user and net so that a CGO_ENABLED=1 build links against libc
// dynamically and a CGO_ENABLED=0 build links statically. The files
// notify.go (default) and notify_containers.go (-tags=containers) choose how
// pomo announces the end of an interval: the default build serves an HTML
// status page, which pulls in net/http and html/template; the container
// build only logs.
package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"os/user"
	"time"
)

type interval struct {
	Name     string
	Duration time.Duration
}

type session struct {
	Owner     string
	Host      string
	Intervals []interval
	Current   int
	Started   time.Time
}

func main() {
	var (
		pomodoro = flag.Duration("pomo", 25*time.Minute, "length of a pomodoro")
		short    = flag.Duration("short", 5*time.Minute, "length of a short break")
		long     = flag.Duration("long", 15*time.Minute, "length of a long break")
		rounds   = flag.Int("rounds", 4, "pomodoros before a long break")
		addr     = flag.String("addr", "", "where to announce intervals (host:port)")
		dryRun   = flag.Bool("n", false, "print the plan and exit")
	)
	flag.Parse()

	s := &session{Owner: owner(), Host: hostAddr(*addr), Started: time.Now()}
	for i := 0; i < *rounds; i++ {
		s.Intervals = append(s.Intervals, interval{"pomodoro", *pomodoro})
		if i == *rounds-1 {
			s.Intervals = append(s.Intervals, interval{"long break", *long})
		} else {
			s.Intervals = append(s.Intervals, interval{"short break", *short})
		}
	}
	if *dryRun {
		for _, iv := range s.Intervals {
			fmt.Printf("%-12s %v\n", iv.Name, iv.Duration)
		}
		return
	}
	n, err := newNotifier(*addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "pomo:", err)
		os.Exit(1)
	}
	for s.Current = range s.Intervals {
		iv := s.Intervals[s.Current]
		n.notify(s, fmt.Sprintf("%s for %s starts (%v)", iv.Name, s.Owner, iv.Duration))
		time.Sleep(iv.Duration)
	}
	n.notify(s, "done")
}

// owner names the user running pomo; os/user takes the cgo path when cgo is on.
func owner() string {
	u, err := user.Current()
	if err != nil {
		return "someone"
	}
	return u.Username
}

// hostAddr resolves the announce address; net takes the cgo resolver when cgo is on.
func hostAddr(addr string) string {
	if addr == "" {
		return ""
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	ips, err := net.LookupHost(host)
	if err != nil || len(ips) == 0 {
		return host
	}
	return ips[0]
}
