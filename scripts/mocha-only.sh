#!/usr/bin/env bash
# Runs only the given test files (the default config would add the whole suite).
exec npx mocha --no-config --node-option import=tsx --timeout 30000 --exit --reporter dot "$@"
