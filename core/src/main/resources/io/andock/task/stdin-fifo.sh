#!/bin/sh
# stdin-fifo: runs a command with a named pipe as its stdin, held open read-write so the command never sees EOF.
# usage: sh -c "$(cat stdin-fifo.sh)" FIFO COMMAND [ARG...]
# FIFO is made (mode 600) when it does not exist. andock writes a detached -t/-i container's stdin into it, from
# any process and any number of times (docker attach), while the container stays unaware of writers coming and
# going. Run by io.andock.task.Launcher in front of util-linux script (the pty), which would otherwise turn EOF on
# its own stdin into a byte for the container.
[ -p "$0" ] || mkfifo -m 600 "$0"
exec 0<>"$0"
exec "$@"
