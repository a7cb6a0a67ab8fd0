using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Airut.Sandbox.Docker;

/// <summary>
/// Tells a regular file from a fifo, socket or device node, which <see cref="FileSystemInfo"/> cannot:
/// reading a fifo into a build context would block forever and a device has no business there.
/// </summary>
internal static partial class UnixFileType
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const int StatxBufferLength = 256;
    private const int StatxModeOffset = 28;
    private const int FileTypeMask = 0xF000;
    private const int RegularFileType = 0x8000;

    /// <summary>True when <paramref name="path"/> (not followed if a link) is a regular file.</summary>
    /// <remarks>Where the C library lacks <c>statx</c> (glibc before 2.28), every non-directory counts as regular.</remarks>
    public static bool IsRegularFile(string path)
    {
        var buffer = new byte[StatxBufferLength];
        try
        {
            if (Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxType, buffer) != 0)
            {
                return false;
            }
        }
        catch (EntryPointNotFoundException)
        {
            return !Directory.Exists(path);
        }

        var mode = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(StatxModeOffset));
        return (mode & FileTypeMask) == RegularFileType;
    }

    // struct statx has the same layout on every Linux architecture; stx_mode is the u16 at offset 28.
    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(int directoryFd, string path, int flags, uint mask, [Out] byte[] buffer);
}
