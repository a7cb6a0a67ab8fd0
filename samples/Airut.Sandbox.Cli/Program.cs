using Airut.Sandbox.Cli;

using var signals = new ShutdownSignals();
return await new CliApplication(Console.Out, Console.Error, signals).RunAsync(args).ConfigureAwait(false);
