namespace Airut.Sandbox.EndToEnd.Tests.Faults;

/// <summary>The xunit collection <see cref="EngineLogFloodTests"/> runs in, with no other test class beside it.</summary>
[CollectionDefinition(EngineLogFloodTests.Alone, DisableParallelization = true)]
public sealed class EngineLogFloodRunsAlone;
