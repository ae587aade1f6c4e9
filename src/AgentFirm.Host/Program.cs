using AgentFirm.Host.Cli;

return await AgentFirmCli.RunAsync(args, Console.Out, Console.Error);
