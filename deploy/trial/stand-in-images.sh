#!/bin/sh
# Build local stand-ins for the four registry images compose.yaml and the Dockerfile name, so
# the real Dockerfile and compose.yaml can be tried on a machine that cannot reach Docker Hub
# or ghcr.io but can reach Debian's mirror and PyPI (the project machine). See
# docs/deploy.md, "How this was verified". Needs root, debootstrap and podman (Debian 12:
# apt-get install podman podman-compose buildah runc debootstrap).
#
#   python:3.12-slim-bookworm  Debian 12 minbase + this machine's CPython 3.12 copied to
#                              /usr/local (as the official image lays it out) + its runtime libs
#   ghcr.io/astral-sh/uv:X     the uv binary on PATH, alone (X = its version; the Dockerfile
#                              pins one, so they must match)
#   postgres:15-bookworm       Debian 12 + postgresql-15 + a short entrypoint that does what
#                              the official one does on first start with POSTGRES_USER,
#                              POSTGRES_PASSWORD and POSTGRES_DB
#   nginx:1.27-bookworm        Debian 12 + nginx (1.22: Debian's; conf.d/*.conf is included
#                              as in the official image)
#
# Differences that matter are written in docs/deploy.md. Usage:
#   sudo deploy/trial/stand-in-images.sh [WORKDIR]     # default ~/.cache/riskcalc-stand-ins
set -eu

work=${1:-${XDG_CACHE_HOME:-$HOME/.cache}/riskcalc-stand-ins}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
python=${PYTHON:-python3.12}
prefix=$("$python" -c 'import sys; print(sys.base_prefix)')
# The real binary (a pyenv or pip "uv" on PATH may be a wrapper script).
uv_bin=$("$python" -c 'import uv; print(uv.find_uv_bin())' 2>/dev/null || command -v uv)
uv_version=$("$uv_bin" --version | cut -d' ' -f2)

mkdir -p "$work"
cd "$work"
if [ ! -d base ]; then
    debootstrap --variant=minbase bookworm base.tmp "$mirror" >debootstrap.log
    mv base.tmp base
fi

fresh_root() {  # a copy of the Debian base that can run apt-get
    rm -rf "$1"
    cp -a base "$1"
    cp /etc/resolv.conf "$1/etc/resolv.conf"
}

apt_in() {
    root=$1
    shift
    chroot "$root" sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends $* >/dev/null && apt-get clean && \
        rm -rf /var/lib/apt/lists/*"
}

# python:3.12-slim-bookworm
fresh_root python
cp -a "$prefix/." python/usr/local/
apt_in python ca-certificates netbase tzdata libssl3 libsqlite3-0 libffi8 libbz2-1.0 \
    liblzma5 zlib1g libreadline8 libncursesw6 libuuid1 libgdbm6 libexpat1
site=python/usr/local/lib/python3.12/site-packages
find "$site" -mindepth 1 -maxdepth 1 ! -name 'pip' ! -name 'pip-*' ! -name README.txt \
    -exec rm -rf {} +
rm -f python/usr/local/bin/uv python/usr/local/bin/uvx
# The host's bundle: on the project machine PyPI is reached through a TLS-terminating proxy
# whose CA only the host trusts. uv reads SSL_CERT_FILE.
cp /etc/ssl/certs/ca-certificates.crt python/etc/ssl/certs/ca-certificates.crt
chroot python sh -c 'ldconfig && python3 -c "import ssl, sqlite3, ctypes, lzma, bz2"'
tar -C python -c . | podman import \
    --change 'ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt' \
    --change 'CMD ["python3"]' - docker.io/library/python:3.12-slim-bookworm

# ghcr.io/astral-sh/uv:<version>
rm -rf uv && mkdir uv && cp "$uv_bin" uv/uv
tar -C uv -c . | podman import - "ghcr.io/astral-sh/uv:$uv_version"

# postgres:15-bookworm
fresh_root postgres
apt_in postgres postgresql-15
rm -rf postgres/var/lib/postgresql/15 postgres/etc/postgresql/15
cat >postgres/usr/local/bin/docker-entrypoint.sh <<'ENTRYPOINT'
#!/bin/sh
# Stand-in for the official image's entrypoint: first start runs initdb with POSTGRES_USER
# as superuser and POSTGRES_PASSWORD (scram-sha-256 over TCP, trust on the local socket),
# creates POSTGRES_DB; then postgres listens on every interface.
set -e
PGDATA=${PGDATA:-/var/lib/postgresql/data}
mkdir -p "$PGDATA" /var/run/postgresql
chown -R postgres:postgres "$PGDATA" /var/run/postgresql
chmod 700 "$PGDATA"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  pwfile=$(mktemp)
  printf '%s' "$POSTGRES_PASSWORD" > "$pwfile" && chown postgres "$pwfile"
  su postgres -c "initdb -D $PGDATA -U $POSTGRES_USER --pwfile=$pwfile --auth-local=trust --auth-host=scram-sha-256" >/dev/null
  rm "$pwfile"
  echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
  su postgres -c "pg_ctl -D $PGDATA -o '-c listen_addresses=' -w start" >/dev/null
  if [ "$POSTGRES_DB" != "postgres" ]; then su postgres -c "createdb -U $POSTGRES_USER $POSTGRES_DB"; fi
  su postgres -c "pg_ctl -D $PGDATA -m fast -w stop" >/dev/null
fi
exec su postgres -c "exec postgres -D $PGDATA -c listen_addresses='*'"
ENTRYPOINT
chmod +x postgres/usr/local/bin/docker-entrypoint.sh
tar -C postgres -c . | podman import \
    --change 'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV PGDATA=/var/lib/postgresql/data' \
    --change 'ENTRYPOINT ["docker-entrypoint.sh"]' \
    --change 'EXPOSE 5432' - docker.io/library/postgres:15-bookworm

# nginx:1.27-bookworm
fresh_root nginx
apt_in nginx nginx
rm -f nginx/etc/nginx/sites-enabled/*
tar -C nginx -c . | podman import \
    --change 'CMD ["nginx", "-g", "daemon off;"]' \
    --change 'EXPOSE 80' - docker.io/library/nginx:1.27-bookworm

podman images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -E 'python|uv|postgres|nginx'
