#!/usr/bin/env bash
# The whole test suite: lint, format check, type-check, then every vitest test.
# Ends with one plain line "N passed, N failed" (lint or type errors count as failures).
set -uo pipefail
cd "$(dirname "$0")/.."

failed_checks=0
bash scripts/ensure-system.sh || failed_checks=$((failed_checks + 1))
echo "== lint and format (biome)"
npx biome check . || failed_checks=$((failed_checks + 1))
echo "== type-check (tsc)"
npx tsc -p tsconfig.json --noEmit || failed_checks=$((failed_checks + 1))

echo "== tests (vitest)"
rm -f .vitest/results.json
npx vitest run "$@"
vitest_status=$?

node scripts/test-summary.mjs .vitest/results.json "$failed_checks" "$vitest_status"
