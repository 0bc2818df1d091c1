using PeerLine.Server.Abuse;
using PeerLine.Server.Audit;
using PeerLine.Server.Continuity;
using PeerLine.Server.Escalation;
using PeerLine.Server.Health;
using PeerLine.Server.Hosting;
using PeerLine.Server.Hubs;
using PeerLine.Server.Logging;
using PeerLine.Server.Metrics;
using PeerLine.Server.Puzzle;
using PeerLine.Server.Queue;
using PeerLine.Server.Relay;
using PeerLine.Server.Retention;
using PeerLine.Server.Roster;
using PeerLine.Server.Staff;
using PeerLine.Server.Storage;
using PeerLine.Server.Supervision;
using PeerLine.Server.Web;
using PeerLine.Server.Wellbeing;

if (args is ["staff", ..]) return await StaffCommands.RunAsync(args);
if (args is ["audit", ..]) return await AuditCommands.RunAsync(args);

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls("http://localhost:5080");

builder.Services.AddPrivacyLogging();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddQuickShutdown(builder.Configuration);
builder.Services.AddPeerLineStorage(builder.Configuration);
builder.Services.AddAudit();
builder.Services.AddRetention();
builder.Services.AddProgramMetrics();
builder.Services.AddStaffAuth();
builder.Services.AddQueue();
builder.Services.AddPuzzle();
builder.Services.AddEscalation();
builder.Services.AddWellbeing();
builder.Services.AddContinuity();
builder.Services.AddSupervision();
builder.Services.AddRelay();
builder.Services.AddRoster();
builder.Services.AddHubs();
builder.Services.AddSourceLimits();
builder.Services.AddOriginCheck();
builder.Services.AddApiDocuments();
builder.Services.AddWebClient(builder.Configuration);

var app = builder.Build();
if (!app.Services.DirectoryIsValid()) return 2;

await app.Services.MigrateDatabaseAsync();
await app.Services.GetRequiredService<StaffAccounts>().EnsureRolesAsync();
app.Services.GetRequiredService<IRosterAuthority>(); // created at first start, before anyone asks for it
app.Services.GetRequiredService<ReturnCodeKey>();
app.Services.GetRequiredService<AuditKey>();

app.UseProxiedScheme();
app.UseSourceLimits();
app.UseSecurityHeaders();
app.UseOriginCheck();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();

app.MapHealth();
app.MapStaffApi();
app.MapRosterApi();
app.MapDirectoryApi();
app.MapWellbeingApi();
app.MapAuditApi();
app.MapMetricsApi();
app.MapHubs();
app.MapApiDocuments();
app.MapWebClient();

await app.RunAsync();
return 0;

/// <summary>Visible to the test host (WebApplicationFactory).</summary>
public partial class Program;
