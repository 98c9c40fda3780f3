"""Probe: what the fork server does with a client that skips the handshake (L27b).

Since the CVE-2022-42919 fix (gh-97514: 3.12.0a1, backported to 3.11.1, 3.10.9 and 3.9.16) the
fork server listens on a filesystem socket of mode 0600, not in Linux's abstract namespace, which
any local user could reach. Since 3.14.0a3 (gh-97514 again) it also authenticates every client
with an HMAC challenge, using a key that only the process that launched it knows.

The probe starts one child to have a server running, then connects to the server as a client
that sends nothing and hangs up. A server that authenticates speaks first (its challenge), finds
no answer and goes on serving. One that does not expects file descriptors first: it reads end of
file, fails with EOFError and exits; the next start() launches a new server.
"""
import multiprocessing as mp
import os
import select
import socket
import stat
import time

import _path  # noqa: F401
import _lab_hook

WAIT = 20  # seconds; bounds every wait
CHALLENGE = b"#CHALLENGE#"


def noop():
    pass


def start_child():
    p = mp.Process(target=noop)
    p.start()
    p.join(WAIT)
    return p.exitcode


def silent_client(address):
    """Connect, say nothing, hang up; return what the server sent meanwhile."""
    with socket.socket(socket.AF_UNIX) as client:
        client.connect(address)
        client.shutdown(socket.SHUT_WR)
        received = b""
        while select.select([client], [], [], WAIT)[0]:
            chunk = client.recv(4096)
            if not chunk:
                break
            received += chunk
    if CHALLENGE in received:
        return "a challenge"
    return "nothing" if not received else "something else"


def has_exited(pid):
    """Whether the server has exited, without reaping it (multiprocessing reaps it itself)."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
            return True
        time.sleep(0.01)
    return False


if __name__ == "__main__":
    _lab_hook.report("child_exitcode", start_child())
    if mp.get_start_method() != "forkserver":
        for key in ("listener", "server_said", "server_after"):
            _lab_hook.report(key, "no fork server")
    else:
        from multiprocessing import forkserver

        fs = forkserver._forkserver
        address, pid = fs._forkserver_address, fs._forkserver_pid
        if isinstance(address, bytes) or address.startswith("\0"):
            kind = "abstract namespace"
        else:
            kind = "file of mode %s" % oct(stat.S_IMODE(os.stat(address).st_mode))
        _lab_hook.report("listener", kind)
        said = silent_client(address)
        _lab_hook.report("server_said", said)
        # A server that sent a challenge caught the EOF and serves on; one that sent nothing
        # died of it: wait (bounded) until it has exited, then start the next child.
        if said == "nothing":
            has_exited(pid)
        _lab_hook.report("next_child_exitcode", start_child())
        _lab_hook.report("server_after",
                         "the same server serves on" if fs._forkserver_pid == pid
                         else "it exited; start() launched a new one")
