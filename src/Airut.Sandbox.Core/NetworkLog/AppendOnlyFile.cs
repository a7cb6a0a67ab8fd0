using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Airut.Sandbox.Core.NetworkLog;

/// <summary>
/// A file opened with <c>O_APPEND</c>, written with one <c>write(2)</c> per call. The kernel then places every
/// write at the current end of the file, atomically with respect to other appenders in any process. .NET's
/// <see cref="FileMode.Append"/> does not set <c>O_APPEND</c> on Unix (it seeks once and then writes at offsets
/// it tracks itself), so two processes appending that way overwrite each other's lines.
/// </summary>
internal sealed class AppendOnlyFile : IDisposable
{
    private readonly SafeFileHandle handle;

    private AppendOnlyFile(SafeFileHandle handle) => this.handle = handle;

    /// <summary>Opens (creating with mode 0600 if missing) a file for appending.</summary>
    /// <exception cref="IOException">The file cannot be opened.</exception>
    /// <exception cref="PlatformNotSupportedException">Not Linux or macOS.</exception>
    public static AppendOnlyFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("The network log path contains a NUL character.", nameof(path));
        }

        int flags;
        if (OperatingSystem.IsLinux())
        {
            flags = 0x1 /* O_WRONLY */ | 0x40 /* O_CREAT */ | 0x400 /* O_APPEND */ | 0x80000 /* O_CLOEXEC */;
        }
        else if (OperatingSystem.IsMacOS())
        {
            flags = 0x1 /* O_WRONLY */ | 0x200 /* O_CREAT */ | 0x8 /* O_APPEND */ | 0x1000000 /* O_CLOEXEC */;
        }
        else
        {
            throw new PlatformNotSupportedException("The network log writer needs O_APPEND (Linux or macOS).");
        }

        // The path goes over as NUL-terminated UTF-8 bytes, which is what open(2) takes on both systems.
        var pathBytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        var fd = NativeMethods.Open(pathBytes, flags, Convert.ToUInt32("600", 8));
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"cannot open {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        return new AppendOnlyFile(new SafeFileHandle(fd, ownsHandle: true));
    }

    /// <summary>The file's current size, written by anyone.</summary>
    public long Length => RandomAccess.GetLength(handle);

    /// <summary>Appends the bytes, in one <c>write(2)</c> unless the kernel takes fewer (then the rest follows).</summary>
    /// <exception cref="IOException">The write failed.</exception>
    public void Append(byte[] bytes)
    {
        var offset = 0;
        while (offset < bytes.Length)
        {
            var written = NativeMethods.Write(handle, ref bytes[offset], (nuint)(bytes.Length - offset));
            if (written < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == 4 /* EINTR */)
                {
                    continue;
                }

                throw new IOException($"write failed: {Marshal.GetPInvokeErrorMessage(errno)}");
            }

            offset += (int)written;
        }
    }

    /// <inheritdoc />
    public void Dispose() => handle.Dispose();

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        public static extern int Open(byte[] path, int flags, uint mode);

        [DllImport("libc", EntryPoint = "write", SetLastError = true)]
        public static extern nint Write(SafeFileHandle fd, ref byte buffer, nuint count);
    }
}
