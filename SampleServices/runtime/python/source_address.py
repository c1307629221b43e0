"""Lab-only launcher (part of the image's command in SampleServices/images.json, not of the pod's env).

Outgoing TCP connections leave from the pod's address (LAB_SOURCE_ADDRESS), as from a pod's network namespace, so
the agent collector's k8sattributes sees the pod IP as the connection's source. Python lets a client choose its
source with `source_address` (socket.create_connection, used by http.client and urllib); it is defaulted here, then
the service runs as __main__. The agent (sitecustomize via PYTHONPATH) has already loaded at interpreter start.
"""
import os
import runpy
import socket
import sys

_SOURCE = os.environ.get("LAB_SOURCE_ADDRESS")
if _SOURCE:
    _create_connection = socket.create_connection

    def create_connection(address, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None, **kwargs):
        if source_address is None and ":" not in str(address[0]):
            source_address = (_SOURCE, 0)
        return _create_connection(address, timeout, source_address, **kwargs)

    socket.create_connection = create_connection

if __name__ == "__main__":
    script = sys.argv[1]
    sys.argv = sys.argv[1:]
    runpy.run_path(script, run_name="__main__")
