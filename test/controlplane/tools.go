//go:build tools

// Package controlplane pins the binaries that the end-to-end tests run:
// kube-apiserver and etcd, built from the Go module proxy at the versions in go.mod.
package controlplane

import (
	_ "go.etcd.io/etcd/server/v3"
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
)
