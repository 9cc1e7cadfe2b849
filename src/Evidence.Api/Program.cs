using Evidence.Api;

var builder = WebApplication.CreateBuilder(args);
builder.AddEvidenceApi();

var app = builder.Build();
app.UseEvidenceApi();
app.Run();
