using Ratify.Connectors;
using Ratify.Functions.Approvals;
using Ratify.Functions.Audit;
using Ratify.Functions.Hosting;
using Ratify.Functions.Http;
using Ratify.Functions.Orchestration;
using Ratify.Functions.Runs;
using Ratify.Functions.Security;
using Ratify.Functions.Telemetry;
using Ratify.Functions.Triggers;
using Ratify.Functions.Workflows;

var builder = WebApplication.CreateBuilder(args);

// Run from the build output (scripts/run.sh), the dashboard and approver page files under wwwroot are found through the
// build's static web assets manifest, which ASP.NET Core reads by itself only in Development. A published host carries
// wwwroot itself and has no manifest, so this does nothing there.
builder.WebHost.UseStaticWebAssets();

// Host contract: host.json, local.settings.json, AzureWebJobsStorage, http://127.0.0.1:7071.
builder.AddFunctionsHostConfiguration();
builder.Services.AddRatifyStorage();
builder.Services.AddRatifyHttp();
builder.Services.AddRatifySecurity();
builder.Services.AddRatifyRateLimits();

builder.Services.AddRatifyConnectors(builder.Configuration);
builder.Services.AddRatifyWorkflows();
builder.Services.AddRatifyRuns();
builder.Services.AddRatifyOrchestration();
builder.Services.AddRatifyTriggers();
builder.Services.AddRatifyApprovals();

// Request lines carry approval link tokens in their query: the host's own request logging stays off below warnings.
builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
builder.Logging.AddFilter("Microsoft.AspNetCore.Routing.EndpointMiddleware", LogLevel.Warning);
builder.Services.AddRatifyAudit();
builder.Services.AddRatifyDashboard();
builder.Services.AddRatifyTelemetry(builder.Configuration);

var app = builder.Build();

app.UseRatifyHttp();
app.UseWebSockets();
app.UseApprovalHeaders();
app.UseDashboard();
app.UseStaticFiles();
app.UseAuthentication();
app.UseRateLimiter();
app.UseAuthorization();
app.UseJsonTextChecks();

app.MapHealthEndpoints();
app.MapApiReference();
app.MapKeysEndpoints();
app.MapWorkflowsEndpoints();
app.MapRunsEndpoints();
app.MapRunStreamEndpoints();
app.MapTenantStreamEndpoints();
app.MapSchedulesEndpoints();
app.MapHooksEndpoints();
app.MapApprovalsEndpoints();
app.MapAuditEndpoints();
app.MapDashboardEndpoints();
app.MapAdminEndpoints();

// Every endpoint requires an API key unless it calls AllowAnonymous(); require a scope with RequireScope(RatifyScopes.X).

app.Run();

/// <summary>The app's entry point; partial so that tests can use WebApplicationFactory&lt;Program&gt;.</summary>
public partial class Program;
