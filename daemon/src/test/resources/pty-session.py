#!/usr/bin/env python3
"""Drives a command on a real pseudo-terminal, as a user at a terminal would.

usage: pty-session.py STEPS_JSON -- COMMAND...
STEPS_JSON is a list of ["expect", TEXT], ["send", TEXT], ["resize", ROWS, COLS] (the terminal's new size, then
SIGWINCH to the command, as a terminal emulator does) or ["sleep", SECONDS]. Cursor-position queries (ESC[6n,
busybox's line editor) are answered. Prints everything the command wrote; exits with the command's exit code, or
97 when an expect times out (10 s) or the command ends before it.
"""
import fcntl, json, os, pty, select, signal, struct, sys, termios, time

steps = json.loads(sys.argv[1])
command = sys.argv[sys.argv.index("--") + 1:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(command[0], command)
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
seen = b""
pending = b""


def read_some(deadline):
    global seen, pending
    r, _, _ = select.select([fd], [], [], max(0.0, deadline - time.time()))
    if not r:
        return True
    try:
        data = os.read(fd, 65536)
    except OSError:
        return False
    if not data:
        return False
    if b"\x1b[6n" in data:
        os.write(fd, b"\x1b[1;1R")
    seen += data
    pending += data
    return True


def fail(why):
    sys.stdout.write(seen.decode("utf-8", "replace"))
    sys.stdout.write("\n[pty-session] " + why + "\n")
    sys.exit(97)


for step in steps:
    kind = step[0]
    if kind == "expect":
        want = step[1].encode()
        deadline = time.time() + 10
        while want not in pending:
            if time.time() > deadline:
                fail("timed out waiting for %r" % step[1])
            if not read_some(deadline):
                fail("the command ended before %r" % step[1])
        pending = pending[pending.index(want) + len(want):]
    elif kind == "send":
        os.write(fd, step[1].encode())
    elif kind == "resize":
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", step[1], step[2], 0, 0))
        os.kill(pid, signal.SIGWINCH)
    elif kind == "sleep":
        end = time.time() + step[1]
        while time.time() < end and read_some(end):
            pass

end = time.time() + 20
while time.time() < end and read_some(end):
    pass
_, status = os.waitpid(pid, 0)
sys.stdout.write(seen.decode("utf-8", "replace"))
sys.exit(os.waitstatus_to_exitcode(status))
