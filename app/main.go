// Command kaiseki is a packet analyzer: with -r and friends it answers on the
// command line like tshark; otherwise it opens the window.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"

	"github.com/kaiseki-app/kaiseki/app/cli"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

func main() {
	o, err := cli.Parse(os.Args[1:], os.Stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		os.Exit(1)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if o.WantsCLI() {
		os.Exit(cli.Run(ctx, o, version, os.Stdout, os.Stderr))
	}
	fmt.Fprintln(os.Stderr, "kaiseki: the window is not available yet; use -r FILE")
	os.Exit(1)
}
