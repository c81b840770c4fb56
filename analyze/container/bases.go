package container

import (
	"path"
	"slices"
	"strings"
)

// Base is what binscope knows about one common container base image: the
// facts that decide whether a Go binary starts on it and which files it
// will miss. No Docker engine runs where binscope is built or tested, so
// these facts are not measured; each one cites where it comes from.
type Base struct {
	Key   string `json:"key"`   // scratch, distroless-static, …: the name --base takes
	Image string `json:"image"` // the reference as a Dockerfile's FROM writes it
	// Libc is "glibc", "musl" or "" (no C library and no dynamic loader).
	Libc string `json:"libc"`
	// Glibc is the glibc version the image ships ("2.36"), "" without glibc.
	Glibc string `json:"glibc,omitempty"`
	// Libraries are the shared libraries (by soname) the image ships
	// besides the C library's own. LibrariesComplete says the list is the
	// image's whole set (distroless documents its contents); otherwise it
	// names only what binscope checked, and a library outside it is
	// "not known to be there" rather than "missing".
	Libraries         []string `json:"libraries"`
	LibrariesComplete bool     `json:"libraries_complete"`
	CACerts           bool     `json:"ca_certificates"` // /etc/ssl/certs/ca-certificates.crt
	Zoneinfo          bool     `json:"zoneinfo"`        // /usr/share/zoneinfo
	Passwd            bool     `json:"passwd"`          // /etc/passwd and /etc/group
	Tmp               bool     `json:"tmp"`             // a world-writable /tmp
	Shell             bool     `json:"shell"`           // /bin/sh, for RUN and shell-form CMD
	// Install is the command that adds packages, with %s for their names;
	// "" when the image has no package manager.
	Install string `json:"install,omitempty"`
	// Packages names the image's packages that provide what a binary may
	// miss: "ca-certificates", "tzdata".
	CAPackage, TZPackage string `json:"-"`
}

// glibcLibraries are the sonames the glibc package itself (Debian and
// Ubuntu libc6) installs, the same on every architecture.
// Source: https://packages.debian.org/bookworm/amd64/libc6/filelist
var glibcLibraries = []string{
	"libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2", "librt.so.1", "libresolv.so.2",
	"libutil.so.1", "libanl.so.1", "libnss_files.so.2", "libnss_dns.so.2", "libBrokenLocale.so.1",
	"libmvec.so.1", "libthread_db.so.1", "libc_malloc_debug.so.0",
}

// muslLibraries: musl is one library, libc.musl-ARCH.so.1, which a
// binary linked on Alpine names in DT_NEEDED; it also answers to libc.so.
// Source: https://pkgs.alpinelinux.org/contents?name=musl&branch=v3.21&arch=x86_64
var muslLibraries = []string{
	"libc.musl-x86_64.so.1", "libc.musl-aarch64.so.1", "libc.musl-armhf.so.1", "libc.musl-armv7.so.1",
	"libc.musl-x86.so.1", "libc.musl-ppc64le.so.1", "libc.musl-s390x.so.1", "libc.musl-riscv64.so.1",
	"libc.so",
}

// Bases is the table of common bases, in the order reports list them.
var Bases = []Base{
	{
		// "an explicitly empty image": no files at all, not even /tmp.
		// Source: https://hub.docker.com/_/scratch and
		// https://docs.docker.com/build/building/base-images/#create-a-minimal-base-image-using-scratch
		Key: "scratch", Image: "scratch", Libraries: []string{}, LibrariesComplete: true,
	},
	{
		// ca-certificates, an /etc/passwd entry for root, nonroot and
		// nobody, a /tmp directory and tzdata; no glibc, no shell.
		// Source: https://github.com/GoogleContainerTools/distroless/blob/main/base/README.md
		// ("Statically compiled applications (Go) that do not require libc
		// can use the gcr.io/distroless/static image, which contains: …").
		Key: "distroless-static", Image: "gcr.io/distroless/static-debian12",
		Libraries: []string{}, LibrariesComplete: true,
		CACerts: true, Zoneinfo: true, Passwd: true, Tmp: true,
	},
	{
		// Everything in distroless/static, plus glibc and libssl.
		// Source: https://github.com/GoogleContainerTools/distroless/blob/main/base/README.md
		// glibc 2.36: base-debian12 installs Debian 12's libc6 2.36-9+deb12u*,
		// https://packages.debian.org/bookworm/libc6; libssl3 is OpenSSL 3.0,
		// https://packages.debian.org/bookworm/libssl3.
		Key: "distroless-base", Image: "gcr.io/distroless/base-debian12",
		Libc: "glibc", Glibc: "2.36",
		Libraries: slices.Concat(glibcLibraries, []string{"libssl.so.3", "libcrypto.so.3"}), LibrariesComplete: true,
		CACerts: true, Zoneinfo: true, Passwd: true, Tmp: true,
	},
	{
		// Alpine 3: musl and BusyBox (a shell, /etc/passwd, /tmp).
		// Source: https://hub.docker.com/_/alpine ("built around musl libc
		// and BusyBox"); the image is the minirootfs of
		// https://gitlab.alpinelinux.org/alpine/aports/-/blob/master/scripts/mkimg.minirootfs.sh
		// (busybox alpine-baselayout alpine-keys apk-tools libc-utils).
		// CA certificates: yes. apk-tools depends on ca-certificates-bundle,
		// which installs /etc/ssl/certs/ca-certificates.crt:
		// https://pkgs.alpinelinux.org/package/v3.21/main/x86_64/apk-tools
		// (the update-ca-certificates tool is not there; the bundle is).
		// tzdata: no. https://wiki.alpinelinux.org/wiki/Setting_the_timezone
		// ("apk add tzdata"). libcrypto3, libssl3 and zlib come with apk-tools.
		Key: "alpine", Image: "alpine:3", Libc: "musl",
		Libraries: slices.Concat(muslLibraries, []string{"libz.so.1", "libcrypto.so.3", "libssl.so.3"}),
		CACerts:   true, Passwd: true, Tmp: true, Shell: true,
		Install: "apk add --no-cache %s", CAPackage: "ca-certificates", TZPackage: "tzdata",
	},
	{
		// Debian 12 (bookworm): glibc 2.36, tzdata, no ca-certificates.
		// Source: the image's package manifest,
		// https://github.com/debuerreotype/docker-debian-artifacts/blob/dist-amd64/bookworm/rootfs.manifest
		// (libc6 2.36-9+deb12u*, tzdata 2024b-0+deb12u1, no ca-certificates;
		// the slim variant lists the same packages).
		Key: "debian-12", Image: "debian:12", Libc: "glibc", Glibc: "2.36",
		Libraries: slices.Concat(glibcLibraries, []string{
			"libgcc_s.so.1", "libstdc++.so.6", "libz.so.1", "libzstd.so.1", "liblzma.so.5", "libbz2.so.1.0",
			"libcrypt.so.1", "libffi.so.8", "libgnutls.so.30", "libselinux.so.1", "libsystemd.so.0", "libudev.so.1",
			"libacl.so.1", "libattr.so.1", "libuuid.so.1", "libblkid.so.1", "libmount.so.1", "libtinfo.so.6",
			"libpcre2-8.so.0", "libgcrypt.so.20", "libseccomp.so.2", "libcap.so.2",
		}),
		Zoneinfo: true, Passwd: true, Tmp: true, Shell: true,
		Install: "apt-get update && apt-get install -y --no-install-recommends %s", CAPackage: "ca-certificates", TZPackage: "tzdata",
	},
	{
		// Debian 11 (bullseye): glibc 2.31, tzdata, libssl1.1, no
		// ca-certificates. Source:
		// https://github.com/debuerreotype/docker-debian-artifacts/blob/dist-amd64/bullseye/rootfs.manifest
		// (libc6 2.31-*, tzdata 2021a-1, libssl1.1 1.1.1k-1).
		Key: "debian-11", Image: "debian:11", Libc: "glibc", Glibc: "2.31",
		Libraries: slices.Concat(glibcLibraries, []string{
			"libgcc_s.so.1", "libstdc++.so.6", "libz.so.1", "libzstd.so.1", "liblzma.so.5", "libbz2.so.1.0",
			"libcrypt.so.1", "libffi.so.7", "libgnutls.so.30", "libselinux.so.1", "libsystemd.so.0", "libudev.so.1",
			"libacl.so.1", "libattr.so.1", "libuuid.so.1", "libblkid.so.1", "libmount.so.1", "libtinfo.so.6",
			"libssl.so.1.1", "libcrypto.so.1.1", "libnsl.so.2", "libtirpc.so.3",
		}),
		Zoneinfo: true, Passwd: true, Tmp: true, Shell: true,
		Install: "apt-get update && apt-get install -y --no-install-recommends %s", CAPackage: "ca-certificates", TZPackage: "tzdata",
	},
	{
		// Ubuntu 22.04 (jammy): glibc 2.35, libssl3, neither tzdata nor
		// ca-certificates. Source: the image's manifest,
		// https://github.com/tianon/docker-brew-ubuntu-core/blob/master/jammy/ubuntu-jammy-oci-amd64-root.manifest
		// (libc6 2.35-0ubuntu3.1; no tzdata, no ca-certificates).
		Key: "ubuntu-22.04", Image: "ubuntu:22.04", Libc: "glibc", Glibc: "2.35",
		Libraries: slices.Concat(glibcLibraries, []string{
			"libgcc_s.so.1", "libstdc++.so.6", "libz.so.1", "libzstd.so.1", "liblzma.so.5", "libbz2.so.1.0",
			"libcrypt.so.1", "libffi.so.8", "libgnutls.so.30", "libselinux.so.1", "libsystemd.so.0", "libudev.so.1",
			"libacl.so.1", "libattr.so.1", "libuuid.so.1", "libblkid.so.1", "libmount.so.1", "libtinfo.so.6",
			"libssl.so.3", "libcrypto.so.3", "libnsl.so.2", "libtirpc.so.3",
		}),
		Passwd: true, Tmp: true, Shell: true,
		Install: "apt-get update && apt-get install -y --no-install-recommends %s", CAPackage: "ca-certificates", TZPackage: "tzdata",
	},
	{
		// Ubuntu 24.04 (noble): glibc 2.39, neither tzdata nor
		// ca-certificates. Source: https://packages.ubuntu.com/noble/libc6
		// (2.39-0ubuntu8) and the image manifest published with each
		// release at https://cloud-images.ubuntu.com/minimal/releases/noble/
		// (Ubuntu's minimal and OCI images leave tzdata out since 18.04).
		Key: "ubuntu-24.04", Image: "ubuntu:24.04", Libc: "glibc", Glibc: "2.39",
		Libraries: slices.Concat(glibcLibraries, []string{
			"libgcc_s.so.1", "libstdc++.so.6", "libz.so.1", "libzstd.so.1", "liblzma.so.5", "libbz2.so.1.0",
			"libcrypt.so.1", "libffi.so.8", "libselinux.so.1", "libsystemd.so.0", "libudev.so.1",
			"libacl.so.1", "libattr.so.1", "libuuid.so.1", "libblkid.so.1", "libmount.so.1", "libtinfo.so.6",
		}),
		Passwd: true, Tmp: true, Shell: true,
		Install: "apt-get update && apt-get install -y --no-install-recommends %s", CAPackage: "ca-certificates", TZPackage: "tzdata",
	},
}

// BaseKeys lists the keys of Bases, in order.
func BaseKeys() []string {
	keys := make([]string, len(Bases))
	for i, b := range Bases {
		keys[i] = b.Key
	}
	return keys
}

// BaseByKey returns the base with the given key.
func BaseByKey(key string) (Base, bool) {
	for _, b := range Bases {
		if b.Key == key {
			return b, true
		}
	}
	return Base{}, false
}

// BaseForImage maps an image reference as a FROM line writes it
// ("alpine:3.20", "docker.io/library/debian:bookworm-slim",
// "gcr.io/distroless/static-debian12:nonroot@sha256:…") to a base of the
// table. It reports false for images the table does not describe, and for
// tags such as debian:latest whose meaning moves from release to release.
func BaseForImage(ref string) (Base, bool) {
	name, tag := SplitImageRef(ref)
	key := ""
	switch name {
	case "scratch":
		key = "scratch"
	case "alpine":
		// Every alpine tag in use is Alpine 3.x; the facts above hold for all.
		if tag == "" || tag == "latest" || strings.HasPrefix(tag, "3") || tag == "edge" {
			key = "alpine"
		}
	case "debian":
		switch {
		case tag == "12" || strings.HasPrefix(tag, "12.") || strings.HasPrefix(tag, "12-") || strings.HasPrefix(tag, "bookworm"):
			key = "debian-12"
		case tag == "11" || strings.HasPrefix(tag, "11.") || strings.HasPrefix(tag, "11-") || strings.HasPrefix(tag, "bullseye"):
			key = "debian-11"
		}
	case "ubuntu":
		switch {
		case strings.HasPrefix(tag, "22.04") || strings.HasPrefix(tag, "jammy"):
			key = "ubuntu-22.04"
		case strings.HasPrefix(tag, "24.04") || strings.HasPrefix(tag, "noble"):
			key = "ubuntu-24.04"
		}
	case "gcr.io/distroless/static-debian12", "gcr.io/distroless/static-debian11", "gcr.io/distroless/static":
		key = "distroless-static"
	case "gcr.io/distroless/base-debian12", "gcr.io/distroless/base":
		key = "distroless-base"
	}
	b, ok := BaseByKey(key)
	if ok && strings.HasPrefix(name, "gcr.io/distroless/") && strings.Contains(tag, "debug") {
		// The :debug tags add BusyBox at /busybox/sh.
		// Source: https://github.com/GoogleContainerTools/distroless#debug-images
		b.Shell = true
	}
	return b, ok
}

// SplitImageRef splits "docker.io/library/alpine:3.20@sha256:…" into
// "alpine" and "3.20": the registry and library/ prefix of Docker Hub
// images dropped, the digest ignored, the name lowercased.
func SplitImageRef(ref string) (name, tag string) {
	ref = strings.TrimSpace(ref)
	if i := strings.IndexByte(ref, '@'); i >= 0 {
		ref = ref[:i]
	}
	// A tag follows the last colon after the last slash (a colon before
	// it belongs to a registry port).
	if i := strings.LastIndexByte(ref, ':'); i > strings.LastIndexByte(ref, '/') {
		ref, tag = ref[:i], ref[i+1:]
	}
	name = strings.ToLower(ref)
	for _, p := range []string{"docker.io/", "index.docker.io/", "registry-1.docker.io/"} {
		name = strings.TrimPrefix(name, p)
	}
	name = strings.TrimPrefix(name, "library/")
	return path.Clean(name), tag
}
