using Switchboard.Soak;

return await SoakTest.RunAsync(args);
