using Evidence.Worker;

var builder = Host.CreateApplicationBuilder(args);
builder.AddEvidenceWorker();
builder.Build().Run();
