#!/bin/sh
# pty-child: the first process on a new pty (util-linux script's child); prepares the terminal, then runs the command.
# usage: sh -c "$(cat pty-child.sh)" andock-pty TTYFILE ROWS COLS RAW COMMAND [ARG...]
# TTYFILE receives the pty's name (/dev/pts/N), so andock can resize it from outside with stty -F (the kernel then
# sends SIGWINCH). ROWS and COLS > 0 set the first size. RAW=1 turns off echo and line editing: for a driver that
# makes a terminal of its own inside (runc), so input is not echoed or translated twice. Run by io.andock.task.Pty.
t=$1 r=$2 c=$3 raw=$4
shift 4
tty >"$t" 2>/dev/null
[ "$r" -gt 0 ] 2>/dev/null && stty rows "$r" cols "$c" 2>/dev/null
[ "$raw" = 1 ] && stty raw -echo 2>/dev/null
exec "$@"
