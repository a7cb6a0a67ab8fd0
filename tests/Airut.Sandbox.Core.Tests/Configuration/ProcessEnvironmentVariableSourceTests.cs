using Airut.Sandbox.Core.Configuration;
using Airut.Sandbox.Testing;

namespace Airut.Sandbox.Core.Tests.Configuration;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class ProcessEnvironmentVariableSourceTests
{
    [Fact]
    public void CFG_10_reads_the_process_environment_without_changing_it()
    {
        var source = new ProcessEnvironmentVariableSource();
        Assert.Equal(Environment.GetEnvironmentVariable("PATH"), source.GetVariable("PATH"));
        Assert.Null(source.GetVariable("AIRUT_TEST_" + Guid.NewGuid().ToString("N")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("PATH=x")]
    public void CFG_11_names_that_cannot_exist_are_unset(string name) =>
        Assert.Null(new ProcessEnvironmentVariableSource().GetVariable(name));
}
