#!/usr/bin/env bash
# Compiles and lints the Bicep templates under infra/ with the Bicep CLI that NuGet restore brings (infra/tools), and fails
# on any error or warning (infra/bicepconfig.json raises the linter rules to errors; compiler warnings fail here too).
# It then makes sure that the check itself still catches a broken template. Called by scripts/test.sh.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

say() { printf '==> %s\n' "$*"; }
fail() { printf 'error: %s\n' "$*" >&2; exit 1; }

case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) ;;
    *) fail "the Bicep CLI package restored here is the linux-x64 one; run this on linux-x64 (CI does)" ;;
esac

say "bicep: restore the CLI (Azure.Bicep.CommandLine.linux-x64)"
# Restored first on its own: the package's path property exists only once restore has written it, so an evaluation in the
# same command as the restore (msbuild -restore -getProperty) sees it empty on a fresh clone.
dotnet restore infra/tools/BicepCli.csproj -nologo -verbosity:quiet >/dev/null
bicep=$(dotnet msbuild infra/tools/BicepCli.csproj -nologo -verbosity:quiet -getProperty:BicepCliPath)
[[ -x "$bicep" ]] || fail "the Bicep CLI is not at '$bicep' after restoring infra/tools/BicepCli.csproj"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Runs one bicep command, keeping its diagnostics; fails on a non-zero exit or any warning or error in them.
check() {
    local log=$1
    shift
    if ! "$bicep" "$@" >"$log" 2>&1; then
        return 1
    fi
    ! grep -Eq ' : (Warning|Error) ' "$log"
}

# A template the linter must refuse: an unused parameter is a warning by default and an error under infra/bicepconfig.json.
mkdir -p "$work/broken"
cp infra/bicepconfig.json "$work/broken/"
printf "@description('Never used.')\nparam unused string\n" >"$work/broken/broken.bicep"

# The three runs are independent: start them together.
check "$work/build.log" build --pattern 'infra/**/*.bicep' --outdir "$work/arm" --no-restore & build=$!
check "$work/lint.log" lint --pattern 'infra/**/*.bicep' --no-restore & lint=$!
check "$work/broken.log" lint "$work/broken/broken.bicep" --no-restore & broken=$!

status=0
say "bicep build infra"
if ! wait $build; then cat "$work/build.log" >&2; status=1; fi
say "bicep lint infra"
if ! wait $lint; then cat "$work/lint.log" >&2; status=1; fi
if wait $broken || ! grep -q 'no-unused-params' "$work/broken.log"; then
    cat "$work/broken.log" >&2
    printf 'error: the Bicep check passed a template with an unused parameter: it would not stop a broken template\n' >&2
    status=1
fi

[[ $status -eq 0 ]] || fail "the Bicep templates under infra/ do not build and lint clean (diagnostics above)"
say "bicep: infra builds and lints clean"
