#!/usr/bin/env bash
# Sets up and starts Ratify locally: installs Azurite from npm when needed, builds the host,
# starts Azurite on its default loopback ports (data kept in .azurite/), starts the host, seeds
# the demo workflow when scripts/seed-demo.sh exists, prints the URL and the admin key, and runs
# until Ctrl-C. Nothing is left running when it stops.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$(pwd)

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

azurite_ports=(10000 10001 10002) # blob, queue, table: Azurite's defaults
host_dir="$root/src/Ratify.Functions/bin/Release/net10.0"
health_timeout=60

say() { printf '==> %s\n' "$*"; }
fail() { printf 'error: %s\n' "$*" >&2; exit 1; }

require() {
    command -v "$1" >/dev/null 2>&1 || fail "$1 is not installed ($2)"
}

# Azurite is the only npm dependency; `npm ci` runs again only when the lock file changed.
ensure_npm_packages() {
    if [[ ! -d node_modules/azurite || package-lock.json -nt node_modules/.package-lock.json ]]; then
        say "npm ci (Azurite)"
        npm ci --no-audit --no-fund
    fi
}

# True when something accepts TCP connections on host:port.
listening() {
    (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

# Prints the HTTP status of a GET, or 000 when nothing answers (-k: a local https dev certificate).
http_status() {
    curl -ks -o /dev/null -m 5 -w '%{http_code}' "$1" 2>/dev/null || echo 000
}

azurite_pid=""
host_pid=""
tail_pid=""

stop() {
    local pid=$1 name=$2
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        printf 'warning: %s did not stop within 10 s; killing it\n' "$name" >&2
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    if [[ -n "$host_pid$azurite_pid" ]]; then
        say "stopping"
    fi
    stop "$host_pid" "the Ratify host"
    stop "$tail_pid" "the log follower"
    stop "$azurite_pid" "Azurite"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

require node "Node.js 20 or later"
require npm "it comes with Node.js"
require dotnet "the .NET 10 SDK"
require curl "apt-get install curl"

# --- configuration -----------------------------------------------------------------------------

# An identity-based connection (AzureWebJobsStorage__accountName, __queueServiceUri, ...) stands instead of a connection string.
identity_storage=$(compgen -e | grep -c '^AzureWebJobsStorage__' || true)
if [[ -z "${AzureWebJobsStorage:-}" && $identity_storage -gt 0 ]]; then
    export AzureWebJobsStorage=""
else
    export AzureWebJobsStorage="${AzureWebJobsStorage:-UseDevelopmentStorage=true}"
fi
export ASPNETCORE_URLS="${ASPNETCORE_URLS:-http://127.0.0.1:7071}"

# The first URL the host listens on, as a client reaches it (wildcard hosts mean loopback here).
url="${ASPNETCORE_URLS%%;*}"
url="${url%/}"
url=$(printf '%s' "$url" | sed -E 's#://(\*|\+|0\.0\.0\.0|\[::\])(:|$)#://127.0.0.1\2#')
url_hostport="${url#*://}"
url_host="${url_hostport%:*}"
url_port="${url_hostport##*:}"
if [[ "$url_port" == "$url_hostport" ]]; then
    [[ "$url" == https://* ]] && url_port=443 || url_port=80
fi
url_host="${url_host#[}"
url_host="${url_host%]}"

# The bootstrap admin key: taken from the environment, else kept in .run/admin-key so that it
# stays the same across restarts.
mkdir -p .run
key_source="from Ratify__BootstrapAdminKey"
if [[ -z "${Ratify__BootstrapAdminKey:-}" ]]; then
    key_source="kept in .run/admin-key"
    if [[ ! -s .run/admin-key ]]; then
        (umask 077 && printf 'sk_ratify_%s\n' "$(od -An -tx1 -N20 /dev/urandom | tr -d ' \n')" > .run/admin-key)
    fi
    Ratify__BootstrapAdminKey=$(head -n 1 .run/admin-key)
fi
export Ratify__BootstrapAdminKey
admin_key=$Ratify__BootstrapAdminKey

# Azurite runs here only for the development storage account; any other connection string is used as is.
uses_local_azurite=0
if [[ "$AzureWebJobsStorage" == "UseDevelopmentStorage=true" ]]; then
    uses_local_azurite=1
fi

# Checked before the build (to fail fast) and again just before starting.
check_ports_free() {
    if [[ $uses_local_azurite -eq 1 ]]; then
        for port in "${azurite_ports[@]}"; do
            if listening 127.0.0.1 "$port"; then
                fail "port $port on 127.0.0.1 is already in use (an Azurite left running, or another program); stop it and run this again"
            fi
        done
    fi
    if listening "$url_host" "$url_port"; then
        fail "$url_host:$url_port is already in use (a Ratify host left running?); stop it or set ASPNETCORE_URLS to another address"
    fi
}
check_ports_free

# --- build -------------------------------------------------------------------------------------

ensure_npm_packages

say "dotnet build src/Ratify.Functions -c Release"
dotnet build src/Ratify.Functions -c Release -nologo
[[ -f "$host_dir/Ratify.Functions.dll" ]] || fail "the build did not produce $host_dir/Ratify.Functions.dll"

# --- Azurite -----------------------------------------------------------------------------------

check_ports_free
if [[ $uses_local_azurite -eq 1 ]]; then
    say "starting Azurite (data in .azurite/, log in .azurite/azurite.log)"
    mkdir -p .azurite
    node node_modules/azurite/dist/src/azurite.js \
        --location "$root/.azurite" \
        --blobHost 127.0.0.1 --blobPort "${azurite_ports[0]}" \
        --queueHost 127.0.0.1 --queuePort "${azurite_ports[1]}" \
        --tableHost 127.0.0.1 --tablePort "${azurite_ports[2]}" \
        --skipApiVersionCheck --loose --disableTelemetry \
        > .azurite/azurite.log 2>&1 < /dev/null &
    azurite_pid=$!

    deadline=$((SECONDS + 30))
    for port in "${azurite_ports[@]}"; do
        until listening 127.0.0.1 "$port"; do
            if ! kill -0 "$azurite_pid" 2>/dev/null || (( SECONDS > deadline )); then
                tail -n 20 .azurite/azurite.log >&2 || true
                fail "Azurite did not start listening on port $port (log above, from .azurite/azurite.log)"
            fi
            sleep 0.1
        done
    done
    kill -0 "$azurite_pid" 2>/dev/null || fail "Azurite exited right after starting (see .azurite/azurite.log)"
else
    say "AzureWebJobsStorage (or AzureWebJobsStorage__*) is set: using that storage account, not starting Azurite"
fi

# --- the host ----------------------------------------------------------------------------------

say "starting Ratify at $url (log in .run/host.log)"
# The host runs from its output folder so that host.json (copied there by the build) is found.
(cd "$host_dir" && exec dotnet Ratify.Functions.dll) > .run/host.log 2>&1 < /dev/null &
host_pid=$!

deadline=$((SECONDS + health_timeout))
until [[ $(http_status "$url/healthz") == 200 ]]; do
    if ! kill -0 "$host_pid" 2>/dev/null; then
        tail -n 30 .run/host.log >&2 || true
        fail "the Ratify host exited before answering $url/healthz (last log lines above)"
    fi
    if (( SECONDS > deadline )); then
        tail -n 30 .run/host.log >&2 || true
        fail "the Ratify host did not answer 200 on $url/healthz within $health_timeout s (last log lines above)"
    fi
    sleep 0.25
done

if [[ -f scripts/seed-demo.sh ]]; then
    say "seeding the demo workflow"
    bash scripts/seed-demo.sh "$url" "$admin_key" \
        || printf 'warning: scripts/seed-demo.sh failed (exit %s); Ratify is still running\n' "$?" >&2
fi

cat <<INFO

Ratify is running.
  URL:        $url
  admin key:  $admin_key   (Authorization: Bearer <key>; $key_source)
  logs:       .run/host.log, .azurite/azurite.log
Press Ctrl-C to stop Ratify and Azurite.

INFO

# Follow the host's log from here on; the follower ends with the host.
tail -n 0 -f --pid="$host_pid" .run/host.log &
tail_pid=$!

host_status=0
wait "$host_pid" || host_status=$?
host_pid=""
printf 'the Ratify host exited with %s\n' "$host_status" >&2
exit "$host_status"
