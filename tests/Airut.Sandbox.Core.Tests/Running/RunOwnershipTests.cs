using Airut.Sandbox.Core.Running;
using Airut.Sandbox.Core.Tests.Fakes;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Core.Tests.Running;

[Trait(TestCategories.Name, TestCategories.Unit)]
[Trait("Spec", "SEC-38")]
public sealed class RunOwnershipTests
{
    private static readonly ProcessIdentity Me = new("host-a", 100, 5000, "boot-1", "pid:[4026531836]");
    private readonly FakeProcessIdentityReader _processes = new(Me);

    private RunOwnerState Judge(ProcessIdentity owner) =>
        RunOwnership.Judge(RunLabels.ReadOwner(RunLabels.For(RunId.New(), owner, "proxy")), _processes);

    [Fact]
    public void SEC_38_a_live_owner_other_than_this_process_keeps_its_resources()
    {
        _processes.StartTimes[200] = 7000;
        Assert.Equal(RunOwnerState.Alive, Judge(Me with { Pid = 200, StartTime = 7000 }));
        Assert.Equal(RunOwnerState.Alive, Judge(Me));
    }

    [Fact]
    public void SEC_14_an_owner_whose_pid_is_gone_is_dead()
    {
        Assert.Equal(RunOwnerState.Dead, Judge(Me with { Pid = 300, StartTime = 7000 }));
    }

    [Fact]
    public void SEC_14_a_reused_pid_with_another_start_time_is_dead()
    {
        _processes.StartTimes[200] = 9999;
        Assert.Equal(RunOwnerState.Dead, Judge(Me with { Pid = 200, StartTime = 7000 }));
    }

    [Fact]
    public void An_owner_from_an_earlier_boot_is_dead_even_when_its_pid_and_start_time_match_a_live_process()
    {
        Assert.Equal(RunOwnerState.Dead, Judge(Me with { BootId = "boot-0" }));
    }

    [Fact]
    public void Owners_on_another_host_or_in_another_pid_namespace_cannot_be_judged()
    {
        Assert.Equal(RunOwnerState.Unknown, Judge(Me with { Host = "host-b", Pid = 300 }));
        Assert.Equal(RunOwnerState.Unknown, Judge(Me with { PidNamespace = "pid:[1]", Pid = 300 }));
    }

    [Fact]
    public void Missing_or_malformed_labels_cannot_be_judged()
    {
        Assert.Equal(RunOwnerState.Unknown, RunOwnership.Judge(null, _processes));
        var labels = new Dictionary<string, string>(RunLabels.For(RunId.New(), Me, "proxy")) { [RunLabels.OwnerPid] = "-1" };
        Assert.Null(RunLabels.ReadOwner(labels));
        labels[RunLabels.OwnerPid] = "100";
        labels.Remove(RunLabels.OwnerStartTime);
        Assert.Null(RunLabels.ReadOwner(labels));
    }

    [Fact]
    public void Labels_round_trip_the_owner_and_mark_the_resource_managed()
    {
        var runId = RunId.New();
        var labels = RunLabels.For(runId, Me, "client");
        Assert.Equal(Me, RunLabels.ReadOwner(labels));
        Assert.Equal("true", labels[RunLabels.Managed]);
        Assert.Equal(runId.Value, labels[RunLabels.RunIdKey]);
        Assert.Equal("client", labels[RunLabels.Role]);
    }

    [Fact]
    public void Run_ids_are_12_hex_characters_and_differ()
    {
        var ids = Enumerable.Range(0, 100).Select(_ => RunId.New().Value).ToHashSet();
        Assert.Equal(100, ids.Count);
        Assert.All(ids, id => Assert.Matches("^[0-9a-f]{12}$", id));
        Assert.Null(RunId.TryParse("--rm"));
        Assert.Null(RunId.TryParse("0123456789ab\n"));
        Assert.NotNull(RunId.TryParse("0123456789ab"));
    }
}
