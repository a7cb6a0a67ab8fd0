using Airut.Sandbox.Core.Running;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Core.Tests.Running;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class ProcStatTests
{
    private const string Tail = " S 1 4242 4242 0 -1 4194560 1234 0 0 0 10 5 0 0 20 0 4 0 987654 123456789 2000 18446744073709551615";

    [Fact]
    public void Start_time_is_field_22()
    {
        Assert.Equal(987654UL, ProcStat.ParseStartTime("4242 (dotnet)" + Tail));
    }

    [Fact]
    public void A_command_name_with_spaces_and_parentheses_does_not_shift_fields()
    {
        Assert.Equal(987654UL, ProcStat.ParseStartTime("4242 (evil) 1 2 3 (x)" + Tail));
    }

    [Theory]
    [InlineData("")]
    [InlineData("4242 dotnet S 1")]
    [InlineData("4242 (dotnet) S 1 2 3")]
    [InlineData("4242 (dotnet) S 1 4242 4242 0 -1 4194560 1234 0 0 0 10 5 0 0 20 0 4 0 -5 1")]
    public void Malformed_lines_give_no_start_time(string line)
    {
        Assert.Null(ProcStat.ParseStartTime(line));
    }

    [Fact]
    public void The_real_reader_sees_this_process_and_no_process_for_an_unused_pid()
    {
        var reader = new ProcProcessIdentityReader();
        Assert.Equal(Environment.ProcessId, reader.Current.Pid);
        Assert.Equal(reader.Current.StartTime, reader.ReadStartTime(Environment.ProcessId));
        Assert.Matches("^[0-9a-f-]{36}$", reader.Current.BootId);
        Assert.StartsWith("pid:[", reader.Current.PidNamespace, StringComparison.Ordinal);
        Assert.Null(reader.ReadStartTime(int.MaxValue));
    }
}
