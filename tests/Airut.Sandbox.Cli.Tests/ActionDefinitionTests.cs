using Airut.Sandbox.Testing;
using YamlDotNet.RepresentationModel;

namespace Airut.Sandbox.Cli.Tests;

/// <summary>Lints samples/action/action.yml for the invariants the Action promises (SEC-15..SEC-18, GHA-08/09, CFG-06).</summary>
[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class ActionDefinitionTests
{
    private readonly List<YamlMappingNode> _steps = LoadSteps();

    [Fact]
    public void GHA_08_CFG_06_the_sandboxed_run_is_the_last_step()
    {
        var last = _steps[^1];

        Assert.Equal("Run in the sandbox", Scalar(last, "name"));
        Assert.Contains("airut-sandbox run", Scalar(last, "run"), StringComparison.Ordinal);
        Assert.Single(_steps, step => (Scalar(step, "run") ?? "").Contains("airut-sandbox run", StringComparison.Ordinal));
    }

    [Fact]
    public void SEC_15_checkout_is_of_the_base_branch_without_persisted_credentials()
    {
        var checkout = Assert.Single(_steps, step => (Scalar(step, "uses") ?? "").StartsWith("actions/checkout@", StringComparison.Ordinal));
        var with = (YamlMappingNode)checkout.Children[new YamlScalarNode("with")];

        Assert.Equal("false", Scalar(with, "persist-credentials"));
        Assert.Equal("${{ github.event.pull_request.base.ref || github.ref_name }}", Scalar(with, "ref"));
    }

    [Fact]
    public void GHA_04_no_expression_is_spliced_into_shell_text_inputs_arrive_through_env()
    {
        foreach (var step in _steps)
        {
            var run = Scalar(step, "run");
            if (run is not null)
            {
                Assert.DoesNotContain("${{", run, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void SEC_18_every_cache_step_runs_before_the_sandbox()
    {
        var lastCache = _steps.FindLastIndex(step => (Scalar(step, "uses") ?? "").StartsWith("actions/cache", StringComparison.Ordinal));
        var sandbox = _steps.FindIndex(step => (Scalar(step, "run") ?? "").Contains("airut-sandbox run", StringComparison.Ordinal));

        Assert.True(lastCache >= 0 && lastCache < sandbox);
    }

    private static List<YamlMappingNode> LoadSteps()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(RepositoryRoot.Path, "samples", "action", "action.yml"));
        yaml.Load(reader);
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var runs = (YamlMappingNode)root.Children[new YamlScalarNode("runs")];
        Assert.Equal("composite", Scalar(runs, "using"));
        return ((YamlSequenceNode)runs.Children[new YamlScalarNode("steps")]).Children.Cast<YamlMappingNode>().ToList();
    }

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value : null;
}
