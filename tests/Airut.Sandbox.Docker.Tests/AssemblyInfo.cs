using System.Runtime.Versioning;

// Docker's engine, sockets and file modes as tested here are Linux ones.
[assembly: SupportedOSPlatform("linux")]
