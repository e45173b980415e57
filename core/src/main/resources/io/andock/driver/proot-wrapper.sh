#!/bin/sh
# proot-wrapper: runs proot (with --kill-on-exit) and turns its 255 for a tracee killed by signal N into 128+N.
# usage: sh -c "$(cat proot-wrapper.sh)" BUNDLE PROOT [ARG...]
# proot exits 255 when its tracee dies of a signal; andock's kill records the signal's number in BUNDLE/signal
# before sending it, so the container ends with Docker's 128+N. The process tree is this wrapper (the container's
# main pid) -> proot -> the container's first process. Run by io.andock.driver.ProotDriver.
"$@"
c=$?
if [ $c -eq 255 ] && [ -f "$0/signal" ]; then c=$((128 + $(cat "$0/signal"))); fi
exit $c
