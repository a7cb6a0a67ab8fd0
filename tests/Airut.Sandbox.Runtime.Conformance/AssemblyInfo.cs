// Container engines under test run on Linux; the suite sets Unix file modes on the mounts it shares.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
