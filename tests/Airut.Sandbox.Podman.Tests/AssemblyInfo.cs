// podman runs on Linux; tests set Unix file modes and start /bin/sh.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
