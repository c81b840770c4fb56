// Command ca loads the system's CA certificates.
package main

import (
	"crypto/x509"
	"errors"

	"probes/internal/probe"
)

func main() {
	probe.Run(func() error {
		pool, err := x509.SystemCertPool()
		if err != nil {
			return err
		}
		if pool.Equal(x509.NewCertPool()) {
			return errors.New("the system pool is empty")
		}
		return nil
	})
}
