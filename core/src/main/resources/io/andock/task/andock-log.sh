#!/bin/sh
# andock-log: the container log's writer, one small process per stream (see io.andock.task.LogFile).
# usage: andock-log.sh lines STREAM BASE     stdin's lines, one record each (a partial line waits for its newline)
#        andock-log.sh chunks STREAM BASE TMP [MAX KEEP LOG]  each read of stdin as it comes, one record (a TTY:
#                                            prompts too); with MAX, appended to LOG and rotated as by sink
#        andock-log.sh sink MAX KEEP LOG      the lines writers' records (both streams, through one pipe: each
#                                            record is one write of at most ~4 KB, so they do not mix) appended
#                                            to LOG, which is rotated before it would pass MAX bytes: LOG.1 is the
#                                            newest of the KEEP-1 files kept, each begins with the header
#        andock-log.sh rotate KEEP LOG        one rotation (run by sink and chunks; the only writer of LOG)
# Records go to stdout (the log, opened for append): "SECONDS.FRACTION <STREAM><F|P> LEN\n" LEN bytes "\n";
# F: the payload is a line whose newline was left out; P: the bytes as they are (a part of a line, or a chunk).
# BASE: the wall clock minus /proc/uptime, in 1/100 s (taken by andock at start); each stamp is BASE plus
# /proc/uptime at the time the line came (1/100 s; CLOCK_BOOTTIME, so suspend counts). Where /proc/uptime
# cannot be read, or BASE is "-", stamps are whole seconds of the wall clock.
mode=$1 s=$2 base=$3
rotate() {
  # LOG.1 is linked, then the new LOG renamed over the old: a reader never finds LOG missing (where hard
  # links are refused, as Android does to apps, LOG is moved and missing for a moment)
  i=$(($1 - 1))
  while [ $i -gt 1 ]; do j=$((i - 1)); [ -e "$2.$j" ] && mv -f "$2.$j" "$2.$i"; i=$j; done
  printf '\000andock-log 2\n' >"$2.new"
  if [ "$1" -gt 1 ]; then ln -f "$2" "$2.1" 2>/dev/null || mv -f "$2" "$2.1"; fi
  mv -f "$2.new" "$2"
}
if [ "$mode" = rotate ]; then
  rotate "$2" "$3"
  exit 0
fi
if [ "$mode" = sink ]; then
  # one writer: it knows the size; a record is kept whole in one file (one longer than MAX has a file of its own)
  max=$2 keep=$3 f=$4 size=$(wc -c <"$4" 2>/dev/null) || size=0
  if command -v awk >/dev/null 2>&1; then
    i=; case $(awk -W version 2>&1 </dev/null) in *mawk*) i="-W interactive" ;; esac
    ANDOCK_LOG_SELF=$0 ANDOCK_LOG_KEEP=$keep ANDOCK_LOG_PATH=$f LC_ALL=C exec awk $i -v max="$max" -v size="$size" -v f="$f" '
      {
        h = $0
        if ((getline p) <= 0) p = ""
        n = length(h) + length(p) + 2
        if (size > 14 && size + n > max) {
          close(f)
          system("exec sh \"$ANDOCK_LOG_SELF\" rotate \"$ANDOCK_LOG_KEEP\" \"$ANDOCK_LOG_PATH\"")
          size = 14
        }
        printf "%s\n%s\n", h, p >> f; fflush(f)
        size += n
      }'
  fi
  export LC_ALL=C
  while IFS= read -r h; do
    IFS= read -r p || p=
    n=$((${#h} + ${#p} + 2))
    if [ "$size" -gt 14 ] && [ $((size + n)) -gt "$max" ]; then rotate "$keep" "$f"; size=14; fi
    printf '%s\n%s\n' "$h" "$p" >>"$f"
    size=$((size + n))
  done
  exit 0
fi
if [ "$mode" = lines ] && command -v awk >/dev/null 2>&1; then
  # /proc/uptime is read for every line (~2 us: open, read, close); within 1/100 s lines share a stamp.
  # Each record is one write (the other stream's writer appends to the same file), at most ~4 KB: longer lines
  # go out in parts. mawk fills its whole input buffer before it starts (a line would wait for 4 KB more or
  # EOF) unless -W interactive, which reads what is there and writes unbuffered: hence one printf per record.
  # Limits: a last line without newline is recorded as a line (awk cannot tell); mawk -W interactive drops
  # what follows a NUL byte in a line, busybox awk takes NUL for a newline (attached runs keep every byte).
  i=; case $(awk -W version 2>&1 </dev/null) in *mawk*) i="-W interactive" ;; esac
  LC_ALL=C exec awk $i -v s="$s" -v base="$base" '
    BEGIN { f = "/proc/uptime" }
    function stamp(   u, line, t) {
      if (base != "-" && (getline line < f) > 0) {
        close(f)
        split(line, u, " "); sub(/\./, "", u[1]); t = base + u[1]
      } else {
        srand(); t = srand() * 100   # the seed srand() took from the clock: whole seconds
      }
      if (t != last) { last = t; st = sprintf("%.0f.%02d", int(t / 100), t % 100) }
    }
    {
      stamp()
      n = length($0); p = 1
      while (n - p + 1 > 4000) { printf "%s", sprintf("%s %dP 4000\n%s\n", st, s, substr($0, p, 4000)); fflush(); p += 4000 }
      r = substr($0, p); printf "%s", sprintf("%s %dF %d\n%s\n", st, s, length(r), r); fflush()
    }'
fi
now() {
  if [ "$base" != - ] && read u _ </proc/uptime 2>/dev/null; then
    t=$((base + ${u%.*}${u#*.})); f=$((t % 100)); [ $f -lt 10 ] && f=0$f; st=$((t / 100)).$f
  else
    st=$(date +%s).00
  fi
}
if [ "$mode" = lines ]; then
  # no awk: a shell loop (slower, and it cannot carry NUL bytes); a last line without newline is recorded as P
  while IFS= read -r l || [ -n "$l" ]; do
    k=F; [ -z "${l+x}" ] && break
    now; printf '%s %s%s %s\n%s\n' "$st" "$s" "$k" "${#l}" "$l"; l=
  done
  exit 0
fi
# chunks: dd reads once per call and says how much it copied; the chunk goes out as one record
c=$4 max=$5 keep=$6 lf=$7
trap 'rm -f "$c" "$c.st"' EXIT
[ -n "$max" ] && { size=$(wc -c <"$lf" 2>/dev/null) || size=0; }
while dd bs=65536 count=1 of="$c" 2>"$c.st"; do
  n=; { read _ _; read _ _; read n _; } <"$c.st"
  case $n in ''|*[!0-9]*) n=$(wc -c <"$c") ;; esac
  [ "$n" -gt 0 ] 2>/dev/null || break
  now
  if [ -z "$max" ]; then
    printf '%s %sP %s\n' "$st" "$s" "$n"; cat "$c"; echo
    continue
  fi
  h="$st ${s}P $n"; r=$((${#h} + n + 2))
  if [ "$size" -gt 14 ] && [ $((size + r)) -gt "$max" ]; then rotate "$keep" "$lf"; size=14; fi
  { printf '%s\n' "$h"; cat "$c"; echo; } >>"$lf"
  size=$((size + r))
done
