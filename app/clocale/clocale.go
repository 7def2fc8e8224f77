// Package clocale keeps Fyne from logging an error on every start in the C
// locale. Debian and Ubuntu containers, CI machines and ssh sessions run
// with LANG=C.UTF-8; Fyne's lang package reads the locale in its init,
// takes "C" for a language tag and prints "Fyne error: Error parsing user
// locale C" to stderr, which then precedes every `kaiseki -r` output.
//
// The package must be initialised before fyne.io/fyne/v2/lang. Go
// initialises packages in import-path order among those whose imports are
// ready (the Go spec, since Go 1.21); this one imports only os and
// strings, and its path sorts before golang.org/x/text, which Fyne's lang
// package imports, so its init runs first. app/main.go imports it.
package clocale

import (
	"os"
	"strings"
)

func init() { Normalize(os.Getenv, os.Setenv) }

// Normalize rewrites the locale variable that decides the language (the
// first set of LC_ALL, LC_MESSAGES, LANG, as gettext reads them) from
// "C.<charset>" or "POSIX.<charset>" to plain "C", which every locale
// library takes to mean the default language. Other values are left alone.
func Normalize(getenv func(string) string, setenv func(string, string) error) {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := getenv(name)
		if v == "" {
			continue
		}
		lang, _, _ := strings.Cut(v, ".")
		lang, _, _ = strings.Cut(lang, "@")
		if (lang == "C" || lang == "POSIX") && v != lang {
			_ = setenv(name, "C")
		}
		return
	}
}
