#!/usr/bin/env bash
# Sets up and runs the whole Ratify test suite: installs Azurite from npm when needed, checks the Bicep
# templates (scripts/check-bicep.sh), builds the solution, runs every test project and prints one summary
# line that CI reads:
#   tests: N passed, N failed, N skipped
# Exits non-zero when the Bicep check or the build fails, a test fails or hangs, or no test ran at all.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$(pwd)
results="$root/TestResults"

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

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

# ---------------------------------------------------------------------------------------------
# Chromium, for the browser tests of the approval pages. Installed from Debian's apt only when
# asked for (RATIFY_NEEDS_CHROMIUM=1 or a file tests/.needs-chromium) and only when missing.
# ---------------------------------------------------------------------------------------------
ensure_chromium() {
    if [[ -x /usr/bin/chromium ]]; then
        return
    fi
    local sudo=()
    if [[ $(id -u) -ne 0 ]]; then
        command -v sudo >/dev/null 2>&1 || fail "chromium is missing and installing it needs root (or sudo)"
        sudo=(sudo)
    fi
    say "apt-get install chromium"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium
}

# Sums one attribute of the <Counters .../> element over every .trx file under TestResults/.
count() {
    local attribute=$1
    find "$results" -name '*.trx' -print0 \
        | { xargs -0 -r grep -ho "<Counters [^>]*>" || true; } \
        | sed -n "s/.* $attribute=\"\([0-9]*\)\".*/\1/p" \
        | awk '{ sum += $1 } END { print sum + 0 }'
}

require node "Node.js 20 or later"
require npm "it comes with Node.js"
require dotnet "the .NET 10 SDK"

ensure_npm_packages

if [[ "${RATIFY_NEEDS_CHROMIUM:-}" == 1 || -f tests/.needs-chromium ]]; then
    ensure_chromium
fi

# A broken Bicep template fails CI like a broken build.
if ! bash scripts/check-bicep.sh; then
    printf 'error: the Bicep check failed; no test ran\n' >&2
    echo "tests: 0 passed, 0 failed, 0 skipped"
    exit 1
fi

say "dotnet build Ratify.sln -c Release"
build_status=0
dotnet build Ratify.sln -c Release -nologo || build_status=$?
if [[ $build_status -ne 0 ]]; then
    printf 'error: the build failed (exit %s); no test ran\n' "$build_status" >&2
    echo "tests: 0 passed, 0 failed, 0 skipped"
    exit 1
fi

say "dotnet test Ratify.sln -c Release"
rm -rf "$results"
test_status=0
mkdir -p "$results"
dotnet test Ratify.sln -c Release --no-build --nologo \
    --logger "trx;LogFilePrefix=ratify" \
    --results-directory "$results" \
    --blame-hang-timeout 5m --blame-hang-dump-type none \
    2>&1 | tee "$results/dotnet-test.log" || test_status=$?

# A build server left running keeps CI's output pipe open; stop them on CI machines.
if [[ -n "${CI:-}" ]]; then
    dotnet build-server shutdown >/dev/null 2>&1 || true
fi

total=0 passed=0 failed=0 skipped=0
if [[ -d "$results" ]]; then
    total=$(count total)
    executed=$(count executed)
    passed=$(count passed)
    # A test that timed out or was aborted did not pass either, and a test host killed by the
    # hang timeout (or crashed) leaves its running test out of the counters: count one per run.
    crashed=$(grep -c "Test Run Aborted" "$results/dotnet-test.log" || true)
    failed=$(( $(count failed) + $(count error) + $(count timeout) + $(count aborted) + crashed ))
    skipped=$(( total - executed ))
fi

status=0
if [[ $test_status -ne 0 ]]; then
    if [[ ${crashed:-0} -ne 0 ]]; then
        printf 'error: %s test run(s) aborted ("Test Run Aborted" above): a test host crashed, or a test hung for 5 minutes and was stopped (it is named above as "The test running when the crash occurred")\n' "$crashed" >&2
    elif [[ $failed -eq 0 ]]; then
        printf 'error: dotnet test exited with %s without a failed test (see its output above)\n' "$test_status" >&2
    fi
    status=1
fi
if [[ $failed -ne 0 ]]; then
    status=1
fi
if [[ $(( passed + failed )) -eq 0 ]]; then
    printf 'error: no test ran (no .trx result with any executed test under TestResults/)\n' >&2
    status=1
fi

echo "tests: $passed passed, $failed failed, $skipped skipped"
exit $status
