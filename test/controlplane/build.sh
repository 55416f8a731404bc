#!/usr/bin/env bash
# Builds kube-apiserver and etcd from the Go module proxy into a cache outside the
# work tree, keyed by the versions pinned in go.mod. Prints the folder that holds
# both binaries on its last line of stdout. A second run returns at once.
#
# KUBEBUILDER_ASSETS (the envtest convention) short-cuts the build: if it names a
# folder with kube-apiserver and etcd, that folder is used as is.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

if [ -n "${KUBEBUILDER_ASSETS:-}" ]; then
  for b in kube-apiserver etcd; do
    [ -x "$KUBEBUILDER_ASSETS/$b" ] || { echo "KUBEBUILDER_ASSETS=$KUBEBUILDER_ASSETS has no executable '$b'" >&2; exit 3; }
  done
  echo "$KUBEBUILDER_ASSETS"; exit 0
fi

k8s=$(awk '$1=="k8s.io/kubernetes" {print $2; exit} $1=="require" && $2=="k8s.io/kubernetes" {print $3; exit}' "$here/go.mod")
etcd=$(awk '$1=="go.etcd.io/etcd/server/v3" {print $2}' "$here/go.mod" | head -n1)
cache=${HYDRA_ROUTE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hydra-route}/controlplane/k8s-${k8s}_etcd-${etcd}
mkdir -p "$cache"

if [ -x "$cache/kube-apiserver" ] && [ -x "$cache/etcd" ]; then echo "$cache"; exit 0; fi

command -v go >/dev/null || { echo "step 'find go' failed: no Go toolchain on PATH. Install Go >= 1.26, or set KUBEBUILDER_ASSETS to a folder holding kube-apiserver and etcd." >&2; exit 2; }

cd "$here"
export GOTOOLCHAIN=local GOFLAGS=-mod=mod
step() { echo "[controlplane] $(date +%H:%M:%S) $*" >&2; }
fail() { echo "[controlplane] step '$1' failed. Fix the Go module proxy access, or set KUBEBUILDER_ASSETS to a folder holding kube-apiserver and etcd (for example from setup-envtest)." >&2; exit 2; }

step "downloading modules for kubernetes $k8s and etcd $etcd"
go mod download >&2 || fail "go mod download"
if [ ! -x "$cache/etcd" ]; then
  step "building etcd $etcd (about a minute)"
  go build -trimpath -ldflags=-s -o "$cache/etcd.tmp" go.etcd.io/etcd/server/v3 >&2 || fail "build etcd"
  mv "$cache/etcd.tmp" "$cache/etcd"
fi
if [ ! -x "$cache/kube-apiserver" ]; then
  step "building kube-apiserver $k8s (the first build takes several minutes on 2 cores)"
  minor=${k8s#v1.}; minor=${minor%%.*}
  vpkg=k8s.io/component-base/version
  go build -trimpath -ldflags="-s -X $vpkg.gitVersion=$k8s -X $vpkg.gitMajor=1 -X $vpkg.gitMinor=$minor -X $vpkg.gitTreeState=clean" \
    -o "$cache/kube-apiserver.tmp" k8s.io/kubernetes/cmd/kube-apiserver >&2 || fail "build kube-apiserver"
  mv "$cache/kube-apiserver.tmp" "$cache/kube-apiserver"
fi
step "binaries ready in $cache"
echo "$cache"
