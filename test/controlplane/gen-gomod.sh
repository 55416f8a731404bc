#!/usr/bin/env bash
# Regenerates go.mod for a given k8s.io/kubernetes version: every staging module
# that the release replaces with ./staging/... is pinned to the matching v0.N.M tag.
set -euo pipefail
K8S_VERSION=${1:?usage: gen-gomod.sh v1.N.M}
minor_patch=${K8S_VERSION#v1.}
mod=$(go mod download -json "k8s.io/kubernetes@${K8S_VERSION}" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
{
  echo "module hydra-route.ai/controlplane"
  echo
  echo "go 1.26.0"
  echo
  echo "require k8s.io/kubernetes ${K8S_VERSION}"
  echo
  echo "replace ("
  sed -n 's#^\s*\(k8s.io/[a-z0-9-]*\) => ./staging/.*#\t\1 => \1 v0.'"${minor_patch}"'#p' "$mod"
  echo ")"
} > go.mod
