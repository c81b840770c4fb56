package container

import (
	"path"
	"regexp"
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
	Services          bool     `json:"services"`        // /etc/services (Debian's netbase), for service names
	Shell             bool     `json:"shell"`           // /bin/sh, for RUN and shell-form CMD
	// NSSPasswd is the passwd line of /etc/nsswitch.conf ("files",
	// "compat"), "" without the file: a static glibc has only files (and
	// dns) built in, and loads any other source from the image.
	NSSPasswd string `json:"nss_passwd,omitempty"`
	// Install is the command that adds packages, with %s for their names;
	// "" when the image has no package manager.
	Install string `json:"install,omitempty"`
	// Packages names the image's packages that provide what a binary may
	// miss: "ca-certificates", "tzdata".
	CAPackage, TZPackage string `json:"-"`
}

// glibcLibraries are the sonames that glibc itself installs (Debian's
// and Ubuntu's libc6), for a release: the loader of every architecture
// (C code may name it in DT_NEEDED), the C library's parts, and its NSS
// modules. libc_malloc_debug.so.0 came with 2.34, which merged libpthread,
// libdl and librt into libc but kept their sonames as stubs; 2.35 dropped
// libSegFault.so.
// Source: the file lists of libc6 in bookworm (2.36) and bullseye (2.31),
// https://packages.debian.org/bookworm/amd64/libc6/filelist and
// https://packages.debian.org/bullseye/amd64/libc6/filelist, checked
// against the packages themselves (scripts/fetch-roots unpacks bullseye's).
func glibcLibraries(version string) []string {
	libs := []string{
		"libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2", "librt.so.1", "libresolv.so.2",
		"libutil.so.1", "libanl.so.1", "libBrokenLocale.so.1", "libmvec.so.1", "libthread_db.so.1",
		"libnsl.so.1", "libnss_files.so.2", "libnss_dns.so.2", "libnss_compat.so.2", "libnss_hesiod.so.2",
		"libmemusage.so", "libpcprofile.so",
	}
	for l := range glibcLoaders {
		libs = append(libs, path.Base(l))
	}
	if CompareVersions(version, "2.34") >= 0 {
		libs = append(libs, "libc_malloc_debug.so.0")
	}
	if CompareVersions(version, "2.35") < 0 {
		libs = append(libs, "libSegFault.so") // removed in 2.35
	}
	slices.Sort(libs)
	return slices.Compact(libs)
}

// muslLibraries: musl is one library, libc.musl-ARCH.so.1, which a
// binary linked on Alpine names in DT_NEEDED; it also answers to libc.so,
// and its loader answers itself for every name muslProvides matches.
// Source: https://pkgs.alpinelinux.org/contents?name=musl&branch=v3.21&arch=x86_64
var muslLibraries = []string{
	"libc.musl-x86_64.so.1", "libc.musl-aarch64.so.1", "libc.musl-armhf.so.1", "libc.musl-armv7.so.1",
	"libc.musl-x86.so.1", "libc.musl-ppc64le.so.1", "libc.musl-s390x.so.1", "libc.musl-riscv64.so.1",
	"libc.so",
}

// debianCommon are the sonames, besides glibc's, that Debian 11 and 12
// both ship (scripts/base-libraries); Ubuntu's images have the same
// packages.
var debianCommon = words(`libacl.so.1 libapt-pkg.so.6.0 libapt-private.so.0.0 libattr.so.1 libaudit.so.1
	libblkid.so.1 libbz2.so.1 libbz2.so.1.0 libcap-ng.so.0 libcom_err.so.2 libcrypt.so.1 libdb-5.3.so
	libdebconfclient.so.0 libe2p.so.2 libext2fs.so.2 libgcc_s.so.1 libgcrypt.so.20 libgmp.so.10
	libgnutls.so.30 libgpg-error.so.0 libhogweed.so.6 libidn2.so.0 liblz4.so.1 liblzma.so.5 libmount.so.1
	libnettle.so.8 libp11-kit.so.0 libpam.so.0 libpam_misc.so.0 libpamc.so.0 libpcre2-8.so.0
	libseccomp.so.2 libselinux.so.1 libsmartcols.so.1 libss.so.2 libstdc++.so.6 libsystemd.so.0
	libtasn1.so.6 libtic.so.6 libtinfo.so.6 libudev.so.1 libuuid.so.1 libxxhash.so.0 libz.so.1 libzstd.so.1`)

func words(s string) []string { return strings.Fields(s) }

// muslProvides matches the DT_NEEDED names that musl's loader answers
// with musl itself, without looking for a file: libc, libpthread, librt,
// libm, libdl, libutil and libxnet, any version (ldso/dynlink.c,
// load_library: "if (!strncmp(name, rp, …))" over "c\0pthread\0rt\0m\0dl\0util\0xnet\0").
var muslProvides = regexp.MustCompile(`^lib(c|pthread|rt|m|dl|util|xnet)\.`)

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
		// Its packages: base-files, netbase (/etc/services), tzdata and
		// media-types, plus the generated passwd, group, /tmp and CA
		// bundle (static/config.bzl in the same repository).
		Key: "distroless-static", Image: "gcr.io/distroless/static-debian12",
		Libraries: []string{}, LibrariesComplete: true,
		// Its /etc/nsswitch.conf (static/nsswitch.conf) says passwd: compat.
		CACerts: true, Zoneinfo: true, Passwd: true, Tmp: true, Services: true, NSSPasswd: "compat",
	},
	{
		// Everything in distroless/static, plus glibc and libssl.
		// Source: https://github.com/GoogleContainerTools/distroless/blob/main/base/README.md
		// glibc 2.36: base-debian12 installs Debian 12's libc6 2.36-9+deb12u*,
		// https://packages.debian.org/bookworm/libc6; libssl3 is OpenSSL 3.0,
		// https://packages.debian.org/bookworm/libssl3 (base/config.bzl:
		// static's packages plus libc6 and libssl3; no libgcc_s, no libz).
		Key: "distroless-base", Image: "gcr.io/distroless/base-debian12",
		Libc: "glibc", Glibc: "2.36",
		Libraries: slices.Concat(glibcLibraries("2.36"), []string{"libssl.so.3", "libcrypto.so.3"}), LibrariesComplete: true,
		CACerts: true, Zoneinfo: true, Passwd: true, Tmp: true, Services: true, NSSPasswd: "compat",
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
		// ("apk add tzdata"). Its packages, read from the minirootfs
		// tarballs of https://github.com/alpinelinux/docker-alpine (3.20
		// and edge): alpine-baselayout(-data), alpine-keys, apk-tools,
		// busybox(-binsh), ca-certificates-bundle, libcrypto3, libssl3,
		// musl, musl-utils, scanelf, ssl_client, zlib; their sonames are
		// musl's, libcrypto.so.3, libssl.so.3, libz.so.1 and apk-tools'
		// libapk.so.2.14.0. alpine-baselayout-data installs /etc/services.
		Key: "alpine", Image: "alpine:3", Libc: "musl",
		Libraries:         slices.Concat(muslLibraries, []string{"libz.so.1", "libcrypto.so.3", "libssl.so.3", "libapk.so.2.14.0"}),
		LibrariesComplete: true,
		CACerts:           true, Passwd: true, Tmp: true, Shell: true, Services: true,
		Install: "apk add --no-cache %s", CAPackage: "ca-certificates", TZPackage: "tzdata",
	},
	{
		// Debian 12 (bookworm): glibc 2.36, tzdata, no ca-certificates, no
		// netbase (/etc/services). The image is debootstrap's minbase
		// (Priority: required plus apt), whose package list the image
		// publishes: https://github.com/debuerreotype/docker-debian-artifacts/blob/dist-amd64/bookworm/rootfs.manifest
		// (and dist-arm64v8). The libraries are every soname those 88
		// packages install, listed by scripts/base-libraries from
		// Debian's archive (its package set equals the manifest's).
		// /etc/nsswitch.conf is libc-bin's /usr/share/libc-bin/nsswitch.conf
		// (passwd: files, hosts: files dns), in Debian 11 and 12 alike and
		// in Ubuntu, whose libc-bin ships the same file.
		Key: "debian-12", Image: "debian:12", Libc: "glibc", Glibc: "2.36",
		Libraries: slices.Concat(glibcLibraries("2.36"), debianCommon, words(`libcap.so.2 libpsx.so.2
			libdrop_ambient.so.0 libmd.so.0 libffi.so.8 libsemanage.so.2 libsepol.so.2 libunistring.so.2`)),
		LibrariesComplete: true,
		Zoneinfo:          true, Passwd: true, Tmp: true, Shell: true, NSSPasswd: "files",
		Install: "apt-get update && apt-get install -y --no-install-recommends %s", CAPackage: "ca-certificates", TZPackage: "tzdata",
	},
	{
		// Debian 11 (bullseye): glibc 2.31, tzdata, libssl1.1 and the
		// Kerberos libraries, no ca-certificates, no netbase. Source:
		// https://github.com/debuerreotype/docker-debian-artifacts/blob/dist-amd64/bullseye/rootfs.manifest
		// (96 packages); the libraries from scripts/base-libraries.
		Key: "debian-11", Image: "debian:11", Libc: "glibc", Glibc: "2.31",
		Libraries: slices.Concat(glibcLibraries("2.31"), debianCommon, words(`libffi.so.7 libsemanage.so.1
			libsepol.so.1 libcrypto.so.1.1 libssl.so.1.1 libgssapi_krb5.so.2 libk5crypto.so.3 libkeyutils.so.1
			libkrb5.so.3 libkrb5support.so.0 libnsl.so.2 libpcre.so.3 libpcreposix.so.3 libtirpc.so.3 libunistring.so.2`)),
		LibrariesComplete: true,
		Zoneinfo:          true, Passwd: true, Tmp: true, Shell: true, NSSPasswd: "files",
		Install: "apt-get update && apt-get install -y --no-install-recommends %s", CAPackage: "ca-certificates", TZPackage: "tzdata",
	},
	{
		// Ubuntu 22.04 (jammy): glibc 2.35, libssl3, no tzdata, no
		// ca-certificates, no netbase. Source: the image's manifest,
		// https://github.com/tianon/docker-brew-ubuntu-core/blob/dist-amd64/jammy/ubuntu-jammy-oci-amd64-root.manifest
		// (the packages of Debian 12's list, plus libssl3, the Kerberos
		// libraries, libkeyutils1, libnsl2, libtirpc3, libpcre3,
		// libncurses6, libncursesw6 and libprocps8). Ubuntu's archive is
		// not reachable where binscope is tested, so the sonames are those
		// of the packages' names, which by Debian policy carry them; not
		// having read the packages, binscope does not call the list
		// complete, and a library outside it is "not known to be there".
		Key: "ubuntu-22.04", Image: "ubuntu:22.04", Libc: "glibc", Glibc: "2.35",
		Libraries: slices.Concat(glibcLibraries("2.35"), debianCommon, words(`libcap.so.2 libmd.so.0
			libffi.so.8 libsemanage.so.2 libsepol.so.2 libunistring.so.2 libssl.so.3 libcrypto.so.3
			libgssapi_krb5.so.2 libk5crypto.so.3 libkrb5.so.3 libkrb5support.so.0 libkeyutils.so.1 libnsl.so.2
			libtirpc.so.3 libpcre.so.3 libpcreposix.so.3 libncurses.so.6 libncursesw.so.6 libprocps.so.8`)),
		Passwd: true, Tmp: true, Shell: true, NSSPasswd: "files",
		Install: "apt-get update && apt-get install -y --no-install-recommends %s", CAPackage: "ca-certificates", TZPackage: "tzdata",
	},
	{
		// Ubuntu 24.04 (noble): glibc 2.39, libssl3t64, no tzdata, no
		// ca-certificates, no netbase. Source: the image's package list,
		// https://github.com/docker-library/repo-info/blob/master/repos/ubuntu/local/noble.md
		// (Debian 12's list with libunistring5, libssl3t64, libassuan0,
		// libnpth0t64, libproc2-0 and libncursesw6; the t64 rebuilds keep
		// their sonames; libcap2 2.66 also installs libpsx.so.2). Sonames
		// from the package names, as for 22.04, and so not complete.
		Key: "ubuntu-24.04", Image: "ubuntu:24.04", Libc: "glibc", Glibc: "2.39",
		Libraries: slices.Concat(glibcLibraries("2.39"), debianCommon, words(`libcap.so.2 libpsx.so.2 libmd.so.0
			libffi.so.8 libsemanage.so.2 libsepol.so.2 libunistring.so.5 libssl.so.3 libcrypto.so.3
			libassuan.so.0 libnpth.so.0 libproc2.so.0 libncursesw.so.6`)),
		Passwd: true, Tmp: true, Shell: true, NSSPasswd: "files",
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
