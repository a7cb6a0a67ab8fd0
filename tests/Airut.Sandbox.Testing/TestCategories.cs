namespace Airut.Sandbox.Testing;

/// <summary>
/// Values of the <c>Category</c> trait. Every test class carries one, so a developer can run the fast ones
/// alone: <c>dotnet test --filter Category=Unit</c>.
/// </summary>
public static class TestCategories
{
    /// <summary>The trait name.</summary>
    public const string Name = "Category";

    /// <summary>No network and no container engine (local programs such as git or the built CLI may run).</summary>
    public const string Unit = "Unit";

    /// <summary>Real servers and clients on loopback only; no container engine.</summary>
    public const string Proxy = "Proxy";

    /// <summary>Needs a real container engine (podman or dockerd).</summary>
    public const string Runtime = "Runtime";

    /// <summary>Whole sandboxed runs on real engines.</summary>
    public const string EndToEnd = "EndToEnd";
}
