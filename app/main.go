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
	_ "github.com/kaiseki-app/kaiseki/app/clocale" // before Fyne's init: see its doc
)

// version and commit are set at build time by scripts/package-*.sh with
// -ldflags "-X main.version=... -X main.commit=..." (FyneApp.toml's Version
// and the short git commit; GOFLAGS=-buildvcs=false leaves no VCS stamp).
var (
	version = "0.1.0-dev"
	commit  = "unknown"
)

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
		os.Exit(cli.Run(ctx, o, version+" (commit "+commit+")", os.Stdout, os.Stderr))
	}
	if len(o.Args) > 1 {
		fmt.Fprintln(os.Stderr, "kaiseki: open one file at a time: kaiseki [FILE]")
		os.Exit(1)
	}
	file := ""
	if len(o.Args) == 1 {
		file = o.Args[0]
	}
	stop() // Ctrl+C in the terminal should end the window as usual
	os.Exit(runGUI(file))
}
