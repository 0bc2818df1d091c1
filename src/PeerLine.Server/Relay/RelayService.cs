using Microsoft.EntityFrameworkCore;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Storage;

namespace PeerLine.Server.Relay;

/// <summary>The relay as the hubs use it: sends and acknowledgements go through the group-commit writer.</summary>
public sealed class RelayService(IDbContextFactory<PeerLineDb> dbs, RelayWriter writer)
{
    /// <summary>A caller's send (<paramref name="direction"/> given) or a staff member's (null: by their place in the session).</summary>
    public Task SendAsync(
        string sessionId, Direction? direction, string? staffId, Guid messageId, long seq, byte[]? ciphertext, CancellationToken ct) =>
        writer.SendAsync(sessionId, direction, staffId, messageId, seq, ciphertext, ct);

    /// <summary>
    /// Cumulative acknowledgement by the recipient of <paramref name="toward"/>: everything up to and including
    /// <paramref name="upToSeq"/> arrived, so its ciphertext is deleted and the sender is told.
    /// </summary>
    public Task AcknowledgeAsync(string sessionId, Direction? toward, string? staffId, long upToSeq, CancellationToken ct) =>
        writer.AcknowledgeAsync(sessionId, toward, staffId, upToSeq, ct);

    /// <summary>Everything stored for the recipient of <paramref name="toward"/> in this session, in sequence order.</summary>
    public async Task<List<RelayEnvelope>> PendingAsync(string sessionId, Direction toward, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Messages.AsNoTracking()
            .Where(m => m.SessionId == sessionId && m.Direction == toward)
            .OrderBy(m => m.Seq)
            .Select(m => new RelayEnvelope(m.SessionId, m.MessageId, m.Seq, m.Ciphertext))
            .ToListAsync(ct);
    }
}

public static class RelayExtensions
{
    public static IServiceCollection AddRelay(this IServiceCollection services)
    {
        services.AddOptions<RelayOptions>().BindConfiguration(RelayOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => o.MaxHeldBytes >= o.MaxCiphertextBytes, "Relay:MaxHeldBytes must hold at least one message of Relay:MaxCiphertextBytes.")
            .ValidateOnStart();
        services.AddSingleton<HeldLedger>();
        services.AddSingleton<RelayWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<RelayWriter>());
        services.AddSingleton<RelayService>();
        services.AddIdleSessions();
        return services;
    }
}
