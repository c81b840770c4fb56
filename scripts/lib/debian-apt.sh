# shellcheck shell=bash
# debian-apt.sh, sourced by the fetch scripts: a private apt configuration
# (its own sources list, lists and cache under $apt) so that Debian
# packages can be downloaded without root and without touching /etc/apt.
# Set apt to a folder before sourcing; it defines the array apt_opts.
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
for tool in apt-get dpkg; do
	if ! command -v "$tool" >/dev/null; then
		echo "$(basename "$0"): $tool not found: Debian's packages are fetched with apt-get and unpacked with dpkg" >&2
		exit 2
	fi
done
if [ ! -r "$keyring" ]; then
	echo "$(basename "$0"): $keyring not found: it verifies Debian's archive (package debian-archive-keyring)" >&2
	exit 2
fi
mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/debs"
{
	for s in bullseye bookworm bookworm-backports trixie; do
		echo "deb [signed-by=$keyring] http://deb.debian.org/debian $s main"
	done
} >"$apt/sources.list"
apt_opts=(-o "Dir::Etc::SourceList=$apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
	-o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache" -o Debug::NoLocking=1
	-o APT::Sandbox::User=root -qq)
