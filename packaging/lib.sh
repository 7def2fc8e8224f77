# shellcheck shell=bash
# Sourced by scripts/package-*.sh and scripts/test-install.sh (bash): what
# every release build shares. The version comes from FyneApp.toml, the one
# place it is written; the commit from git, injected with -ldflags -X because
# these machines build with GOFLAGS=-buildvcs=false (so runtime/debug has no
# VCS stamp to read).

# kaiseki_version prints FyneApp.toml's Version (X.Y.Z).
kaiseki_version() {
  local v
  v=$(sed -n 's/^[[:space:]]*Version[[:space:]]*=[[:space:]]*"\([^"]*\)".*/\1/p' FyneApp.toml | head -n1)
  if [ -z "$v" ]; then
    echo "packaging: no Version = \"X.Y.Z\" in FyneApp.toml" >&2
    return 1
  fi
  printf '%s\n' "$v"
}

# kaiseki_commit prints the short commit, with -dirty when tracked files
# differ from it, or "unknown" outside a git checkout (a source tarball).
kaiseki_commit() {
  local c
  if c=$(git rev-parse --short HEAD 2>/dev/null); then
    git diff --quiet HEAD -- 2>/dev/null || c="$c-dirty"
    printf '%s\n' "$c"
  else
    echo unknown
  fi
}

# kaiseki_ldflags prints the -ldflags value for both programs: stripped
# symbol tables (stack traces keep their file:line) and the version stamp.
kaiseki_ldflags() {
  printf -- '-s -w -X main.version=%s -X main.commit=%s\n' "$1" "$2"
}

# kaiseki_icons sets ICON_SVG and ICON_PNG from assets/, failing with a clear
# message when the artwork is not there (it belongs to the window's owner).
kaiseki_icons() {
  ICON_SVG="" ICON_PNG=""
  local n
  for n in icon kaiseki; do
    [ -z "$ICON_SVG" ] && [ -f "assets/$n.svg" ] && ICON_SVG="assets/$n.svg"
    [ -z "$ICON_PNG" ] && [ -f "assets/$n.png" ] && ICON_PNG="assets/$n.png"
  done
  if [ -z "$ICON_SVG" ] || [ -z "$ICON_PNG" ]; then
    echo "packaging: the application icon is missing: expected assets/icon.svg and assets/icon.png" >&2
    return 1
  fi
}

# kaiseki_need_pkgs installs the Debian packages named, only those missing.
kaiseki_need_pkgs() {
  local missing=() p sudo=""
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "packaging: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
