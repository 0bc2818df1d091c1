using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using PeerLine.Protocol.Wire;

namespace PeerLine.Server.Escalation;

/// <summary>GET /api/directory: the escalation resources with whether each is open now (or at ?at=).</summary>
public static class DirectoryApi
{
    public sealed record ContactBody(string? Phone, string? Text, string? Url, string? HowToReach);
    public sealed record HoursBody(string Kind, string TimeZone, string Text);
    public sealed record EntryBody(string Id, string Name, string Kind, int Tier, bool Crisis, ContactBody Contact, HoursBody Hours,
        bool? OpenNow, string Cost, string Confidentiality, string Summary);
    public sealed record DirectoryBody(DateTimeOffset At, IReadOnlyList<EntryBody> Entries);

    public static IEndpointRouteBuilder MapDirectoryApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/directory",
            Results<Ok<DirectoryBody>, BadRequest<ErrorBody>> (string? at, EscalationDirectory directory, TimeProvider time) =>
            {
                var when = time.GetUtcNow();
                if (at is not null && !DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out when))
                    return TypedResults.BadRequest(new ErrorBody(ErrorCodes.InvalidArgument));
                return TypedResults.Ok(new DirectoryBody(when, directory.Entries.Select(e => Body(e, when)).ToList()));
            })
            .WithTags("Directory").WithSummary("The escalation directory, with openNow for the current time or for ?at= (an ISO 8601 time).");
        return app;
    }

    private static EntryBody Body(DirectoryEntry e, DateTimeOffset at) => new(
        e.Id, e.Name, e.Kind, e.Tier, e.Crisis,
        new ContactBody(e.Contact.Phone, e.Contact.Text, e.Contact.Url, e.Contact.HowToReach),
        new HoursBody(e.Hours.Kind, e.Hours.Zone.Id, e.HoursText),
        e.Hours.IsOpen(at), e.Cost, e.Confidentiality, e.Summary);

    /// <summary>Loads and checks the directory file; on any problem the server must not start.</summary>
    public static IServiceCollection AddEscalationDirectory(this IServiceCollection services)
    {
        services.AddOptions<DirectoryOptions>().BindConfiguration(DirectoryOptions.SectionName);
        services.AddSingleton(sp =>
        {
            var file = sp.GetRequiredService<IOptions<DirectoryOptions>>().Value.File;
            var (entries, errors) = DirectoryFile.Load(file);
            return entries is null ? throw new InvalidDirectoryException(errors) : new EscalationDirectory(entries);
        });
        return services;
    }
}

/// <summary>The directory file has problems; each message names the entry and field (operator-written text only).</summary>
public sealed class InvalidDirectoryException(IReadOnlyList<string> errors)
    : Exception("The escalation directory is invalid:\n  " + string.Join("\n  ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
