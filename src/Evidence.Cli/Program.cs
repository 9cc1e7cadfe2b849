using Evidence.Cli.Common;

return await EvidenceCommandLine.RunAsync(args, Console.Out, Console.Error, CancellationToken.None);
