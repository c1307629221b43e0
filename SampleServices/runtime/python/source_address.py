"""Lab-only launcher (part of the image's command in SampleServices/images.json, not of the pod's env).

Outgoing TCP connections leave from the pod's address (LAB_SOURCE_ADDRESS), as from a pod's network namespace, so
the agent collector's k8sattributes sees the pod IP as the connection's source. Python lets a client choose its
source with `source_address` (socket.create_connection, used by http.client and urllib); it is defaulted here, then
the service runs as __main__. The agent (sitecustomize via PYTHONPATH) has already loaded at interpreter start.

It also ends the service when the lab that started it is gone (LAB_PID), so a killed lab leaves no orphan holding the
pod's address: see _watch_lab.
"""
import os
import runpy
import socket
import sys
import threading
import time

_SOURCE = os.environ.get("LAB_SOURCE_ADDRESS")
if _SOURCE:
    _create_connection = socket.create_connection

    def create_connection(address, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None, **kwargs):
        if source_address is None and ":" not in str(address[0]):
            source_address = (_SOURCE, 0)
        return _create_connection(address, timeout, source_address, **kwargs)

    socket.create_connection = create_connection


def _watch_lab(pid):
    # Every second on a daemon thread: the lab's pid no longer exists, or it was our parent and the parent changed (a
    # dead lab not yet reaped still has a pid; its children are re-parented at once). os._exit(143) (SIGTERM's 128+15):
    # atexit hooks (the SDK's span flush) would only wait on collectors that died with the lab, and its pipes are closed.
    parent = os.getppid() == pid
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            os._exit(143)
        except PermissionError:
            pass  # alive, another user's
        if parent and os.getppid() != pid:
            os._exit(143)
        time.sleep(1)


_LAB = os.environ.get("LAB_PID")
if _LAB:
    threading.Thread(target=_watch_lab, args=(int(_LAB),), name="lab-watch", daemon=True).start()

if __name__ == "__main__":
    script = sys.argv[1]
    sys.argv = sys.argv[1:]
    runpy.run_path(script, run_name="__main__")
