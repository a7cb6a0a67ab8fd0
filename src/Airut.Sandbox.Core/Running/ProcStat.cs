using System.Globalization;

namespace Airut.Sandbox.Core.Running;

/// <summary>Parses <c>/proc/&lt;pid&gt;/stat</c> lines (proc(5)).</summary>
public static class ProcStat
{
    private const int StartTimeField = 22;

    /// <summary>
    /// Returns field 22 (<c>starttime</c>), or null when the line is malformed. The command name (field 2) is in
    /// parentheses and may itself contain spaces and parentheses, so fields are counted after the last <c>)</c>.
    /// </summary>
    public static ulong? ParseStartTime(string statLine)
    {
        ArgumentNullException.ThrowIfNull(statLine);
        var close = statLine.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        var rest = statLine[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);

        // rest[0] is field 3 (state).
        var index = StartTimeField - 3;
        return rest.Length > index && ulong.TryParse(rest[index], NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
    }
}
