# debian-apt.sh, sourced by the fetch scripts: a private apt configuration
# (its own sources list, lists and cache under $apt) so that Debian
# packages can be downloaded without root and without touching /etc/apt.
# Set apt to a folder before sourcing; it defines the array apt_opts.
mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/debs"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
{
	for s in bullseye bookworm bookworm-backports trixie; do
		echo "deb [signed-by=$keyring] http://deb.debian.org/debian $s main"
	done
} >"$apt/sources.list"
apt_opts=(-o "Dir::Etc::SourceList=$apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
	-o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache" -o Debug::NoLocking=1
	-o APT::Sandbox::User=root -qq)
