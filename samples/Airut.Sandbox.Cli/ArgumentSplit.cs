namespace Airut.Sandbox.Cli;

/// <summary>
/// argv split at the first literal <c>--</c> (CLI-02): the tokens before are our options, the tokens after are
/// the sandboxed command, passed through verbatim.
/// </summary>
internal sealed record ArgumentSplit(IReadOnlyList<string> Options, IReadOnlyList<string> Command)
{
    public static ArgumentSplit Of(IReadOnlyList<string> args)
    {
        var index = -1;
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--")
            {
                index = i;
                break;
            }
        }

        return index < 0
            ? new ArgumentSplit(args.ToArray(), [])
            : new ArgumentSplit(args.Take(index).ToArray(), args.Skip(index + 1).ToArray());
    }
}
