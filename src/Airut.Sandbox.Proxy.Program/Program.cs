// The airut-proxy entry point is built in the proxy issue; until then the program refuses to run.
await Console.Error.WriteLineAsync("airut-proxy: not built yet").ConfigureAwait(false);
return 2;
