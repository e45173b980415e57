#!/bin/sh
# kill-quietly: sends a signal to processes that may have gone already; always succeeds.
# usage: sh -c "$(cat kill-quietly.sh)" kill SIGNAL PID...
# SIGNAL is a number. Java can signal only processes it started (and no JNI here), so andock signals containers'
# processes through the shell's kill. Run by io.andock.os.ProcessTable.
s=$1
shift
kill -"$s" "$@" 2>/dev/null
exit 0
