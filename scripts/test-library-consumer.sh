#!/usr/bin/env bash
# Builds examples/library-consumer (a package that depends on swift-embed's EmbedEngine
# product only, as an application would) in a build folder of its own, runs it on the real
# all-MiniLM-L6-v2, and checks that the password query ranks the password document first.
# Prints the consumer's build time: what a library-only user compiles.
#     scripts/test-library-consumer.sh MODEL_FOLDER
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
MODEL=${1:?usage: $0 MODEL_FOLDER}
SCRATCH=.build/library-consumer
start=$(date +%s)
swift build --package-path examples/library-consumer --scratch-path "$SCRATCH" -Xswiftc -warnings-as-errors
echo "library consumer built in $(( $(date +%s) - start )) s"
# Nothing but swift-embed's engine and its small dependencies may be compiled for it.
for heavy in CCryptoBoringSSL CNIOBoringSSL NIOCore Hummingbird ArgumentParser; do
    if [ -n "$(find "$SCRATCH/debug/$heavy.build" -name '*.o' 2>/dev/null | head -1)" ]; then
        echo "FAIL: the library consumer compiled $heavy" >&2
        exit 1
    fi
done
out=$("$SCRATCH/debug/search" "$MODEL" "how do I change my password" 2>/dev/null)
echo "$out"
first=$(printf '%s\n' "$out" | head -1)
case "$first" in
*"To reset your password"*) echo "library consumer: passed" ;;
*) echo "FAIL: the password document is not ranked first" >&2; exit 1 ;;
esac
