#!/bin/sh
# proot-watching-wrapper: proot-wrapper.sh for a proot without --kill-on-exit (Debian's 5.1): the container ends with
# its first process, as in Docker.
# usage: sh -c "$(cat proot-watching-wrapper.sh)" BUNDLE PROOT [ARG...]
# Such a proot exits with the status of whichever tracee ended last: sh -c 'sleep 1 & exit 2' would end 0, and only
# after the sleep. So a watcher beside proot finds the first process (proot's only child: from the kernel's children
# list where it has one, else by its PPid once proot traces something; the image needs no shell) and once it is gone
# SIGKILLs every process proot still traces (TracerPid): they die of a signal, which proot does not count, so proot
# exits with the first process's own status. The watch polls, 50 ms at first, backing off to 1 s: a background
# process that exits by itself within that moment after the first one still decides the status. The watcher runs
# beside, not in line: when proot ends with its first process (the common case) this shell is woken by its exit at
# once, stops the watcher and has run no process of its own (a poll's grep and sleep cost `run --rm` ~10-50 ms each).
# stdin goes through fd 3, as a background job's would be /dev/null. The exit status is mapped as in proot-wrapper.sh.
exec 3<&0
"$@" <&3 3<&- &
p=$!
exec 3<&- </dev/null
(
  pids() { grep -l "^$1:[[:space:]]*$2\$" /proc/[0-9]*/status 2>/dev/null | sed 's|^/proc/||; s|/status$||'; }
  # a sleep that the wrapper's TERM ends too (an orphaned sleep would outlive the container by up to 1 s)
  s=
  trap '[ -n "$s" ] && kill $s 2>/dev/null; exit 0' TERM
  nap() { sleep "$1" & s=$!; wait $s; s=; }
  kids=/proc/$p/task/$p/children
  m= t= n=0
  while [ -z "$m$t" ] && kill -0 $p 2>/dev/null; do
    if [ -r "$kids" ]; then
      # proot waits (do_wait) only once it has forked: an empty list read after that means the first process is
      # gone already (sh -c 'sleep 9 & exit 2' may end between two looks), and the tracees are to be killed now
      wch=; read wch <"/proc/$p/wchan" 2>/dev/null
      read m _ <"$kids" 2>/dev/null
      case $wch in *do_wait*) [ -z "$m" ] && t=gone ;; esac
      n=$((n + 1))
    fi
    # no children list, or a wchan that tells nothing (a kernel may hide it): look for proot's tracees
    if [ -z "$m$t" ] && { [ ! -r "$kids" ] || [ $n -gt 20 ]; }; then
      t=$(pids TracerPid $p)
      [ -n "$t" ] && m=$(pids PPid $p | head -n 1)
    fi
    [ -n "$m$t" ] || nap 0.01
  done
  d=0.05
  while [ -n "$m" ] && kill -0 $m 2>/dev/null; do nap $d; case $d in 0.05) d=0.2 ;; 0.2) d=1 ;; esac; done
  for round in 1 2; do kill -0 $p 2>/dev/null && kill -9 $(pids TracerPid $p) 2>/dev/null; done
) </dev/null >/dev/null 2>&1 &
w=$!
wait $p
c=$?
kill $w 2>/dev/null
if [ $c -eq 255 ] && [ -f "$0/signal" ]; then c=$((128 + $(cat "$0/signal"))); fi
exit $c
