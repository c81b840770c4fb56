//go:build !containers

package main

import (
	"fmt"
	"html/template"
	"log"
	"net/http"
	"sync"
)

// A notifier announces intervals on an HTML status page.
type notifier struct {
	mu   sync.Mutex
	last string
	page *template.Template
}

var statusPage = `<!doctype html>
<title>pomo</title>
<h1>{{.Owner}}'s pomodoro</h1>
<p>{{.Message}}</p>
<ol>{{range .Intervals}}<li>{{.Name}}: {{.Duration}}</li>{{end}}</ol>`

func newNotifier(addr string) (*notifier, error) {
	n := &notifier{page: template.Must(template.New("status").Parse(statusPage))}
	if addr == "" {
		return n, nil
	}
	srv := &http.Server{Addr: addr, Handler: n}
	go func() { log.Println(srv.ListenAndServe()) }()
	return n, nil
}

func (n *notifier) notify(s *session, msg string) {
	n.mu.Lock()
	n.last = msg
	n.mu.Unlock()
	fmt.Println(msg)
}

func (n *notifier) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n.mu.Lock()
	defer n.mu.Unlock()
	data := struct {
		Owner     string
		Message   string
		Intervals []interval
	}{"pomo", n.last, nil}
	if err := n.page.Execute(w, data); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}
